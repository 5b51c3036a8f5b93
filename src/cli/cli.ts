// Entry of the ES module CLI (dist/cli/cli.js): every command. index.ts imports it for all but a
// bundled synth.
import { commands } from './commands/index.js';
import { run } from './main.js';
import type { CliIo } from './types.js';

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return run(argv, io, commands);
}
