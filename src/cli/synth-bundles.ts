// The built CLI's fast synth (see docs/stacks.md#performance): a process loads two CommonJS
// bundles, each with a V8 code cache. `synth-command` holds the command itself (arguments,
// reading and validating the file, the InfraModel), so a synth never loads the rest of the CLI
// as ES modules; it then loads `synth-<cloud>` (CDKTF and that cloud's bindings) once the file
// names its cloud.
import { findBundle, loadWithCodeCache, type CachedModule } from './code-cache.js';
import type { LoadedSynth } from './commands/synth.js';

/** What the synth-command bundle exports (src/cli/synth-command.ts). */
export type SynthCommandModule = typeof import('./synth-command.js');

/** The synth-command bundle from `dir`; undefined when it is not built, is damaged or the cache is off. */
export function loadSynthCommandBundle(dir: string): CachedModule<SynthCommandModule> | undefined {
  const bundle = findBundle(dir, 'synth-command');
  if (bundle === undefined) return undefined;
  try {
    return loadWithCodeCache<SynthCommandModule>(bundle);
  } catch {
    return undefined; // damaged: the caller runs the ES module CLI instead
  }
}

/**
 * The cloud's synth bundle from `dir`, loaded with its code cache; undefined when it is not built
 * or the cache is off. A bundle that cannot be loaded throws, saying which and what to do.
 */
export function loadSynthBundle(dir: string, cloud: string): LoadedSynth | undefined {
  const bundle = findBundle(dir, `synth-${cloud}`);
  if (bundle === undefined) return undefined;
  let loaded: CachedModule<typeof import('../engine/stacks/synth.js')>;
  try {
    loaded = loadWithCodeCache(bundle);
  } catch (error) {
    throw new Error(
      `cannot load ${bundle} (${(error as Error).message}); reinstall beta9-provisioner, or set BETA9_CODE_CACHE=0 to run without the bundles`,
    );
  }
  const { STACK_FILE, synthStack } = loaded.exports;
  return { STACK_FILE, synthStack, save: loaded.save };
}
