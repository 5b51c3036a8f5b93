#!/usr/bin/env node
// Thin entry point: the bundled CLI does the work (see src/cli/index.ts).
import '../dist/cli/index.js';
