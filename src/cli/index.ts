// Thin entry point: all logic lives in main.ts; this is the one top-level catch.
import { processIo } from './io.js';
import { run } from './main.js';

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`beta9-provisioner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
