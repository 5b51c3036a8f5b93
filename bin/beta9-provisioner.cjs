#!/usr/bin/env node
// Thin entry point: the bundled CLI does the work (see src/cli/index.ts). CommonJS on purpose:
// `synth` then runs without loading Node's ES module loader.
require('../dist/cli/index.cjs');
