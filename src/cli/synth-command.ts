// Entry of the synth-command bundle (dist/cli/synth-command-<hash>.cjs; see synth-bundles.ts).
import { synthCommandWith } from './commands/synth.js';
import { run } from './main.js';
import { loadSynthBundle } from './synth-bundles.js';
import type { CliIo } from './types.js';

/**
 * Runs `beta9-provisioner synth ...` (`argv` starts with `synth`) exactly as the full CLI would,
 * with the cloud's synth bundle taken from `dir`, the folder both bundles were built into.
 */
export function runSynth(argv: readonly string[], io: CliIo, dir: string): Promise<number> {
  const synth = synthCommandWith(async (cloud) => {
    const bundled = loadSynthBundle(dir, cloud);
    if (bundled === undefined) {
      throw new Error(
        `no synth-${cloud} bundle in ${dir}; reinstall beta9-provisioner, or set BETA9_CODE_CACHE=0`,
      );
    }
    return bundled;
  });
  return run(argv, io, [synth]);
}
