import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSynthBundle } from '../synth-bundles.js';
import type { Command } from '../types.js';
import { bootstrapCommand } from './bootstrap.js';
import { estimateCommand } from './estimate.js';
import { modelCommand } from './model.js';
import { planSummaryCommand } from './plan-summary.js';
import { reindexCommand } from './reindex.js';
import { serveCommand } from './serve.js';
import { synthCommandWith } from './synth.js';
import { validateCommand } from './validate.js';

/**
 * The built CLI's synth bundle for the cloud (with its code cache), found beside this module or
 * one folder up; from source, with BETA9_CODE_CACHE=0 or when the bundle is damaged, the ES module.
 */
async function loadSynth(cloud: string) {
  try {
    const bundled = loadSynthBundle(dirname(fileURLToPath(import.meta.url)), cloud);
    if (bundled !== undefined) return bundled;
  } catch {
    // a damaged bundle: the ES module below does the same work
  }
  return { ...(await import('../../engine/stacks/synth.js')), save: () => {} };
}

/** Every subcommand, in the order `--help` lists them. Add yours here (one line). */
export const commands: Command[] = [
  validateCommand,
  modelCommand,
  synthCommandWith(loadSynth),
  planSummaryCommand,
  estimateCommand,
  bootstrapCommand,
  serveCommand,
  reindexCommand,
];
