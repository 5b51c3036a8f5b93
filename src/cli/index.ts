// Entry point of the CLI, built as CommonJS (dist/cli/index.cjs, see scripts/bundles.mjs) so that
// a bundled synth starts without Node's ES module loader; this is the one top-level catch.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIo } from './io.js';
import { loadSynthCommandBundle } from './synth-bundles.js';
import { EXIT_OK, type CliIo } from './types.js';

/**
 * `synth` runs from its bundle with a V8 code cache when the CLI is built (synth-bundles.ts),
 * so it never loads the rest of the CLI; every other command, and synth from source, runs
 * through cli.ts. The bundle's cache is written after its first successful synth.
 */
async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'synth') {
    const dir = dirname(fileURLToPath(import.meta.url));
    const bundle = loadSynthCommandBundle(dir);
    if (bundle !== undefined) {
      const code = await bundle.exports.runSynth(argv, io, dir);
      if (code === EXIT_OK) bundle.save();
      return code;
    }
  }
  const { runCli } = await import('./cli.js');
  return runCli(argv, io);
}

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`beta9-provisioner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
