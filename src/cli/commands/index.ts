import type { Command } from '../types.js';
import { bootstrapCommand } from './bootstrap.js';
import { estimateCommand } from './estimate.js';
import { modelCommand } from './model.js';
import { planSummaryCommand } from './plan-summary.js';
import { reindexCommand } from './reindex.js';
import { serveCommand } from './serve.js';
import { synthCommand } from './synth.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `--help` lists them. Add yours here (one line). */
export const commands: Command[] = [
  validateCommand,
  modelCommand,
  synthCommand,
  planSummaryCommand,
  estimateCommand,
  bootstrapCommand,
  serveCommand,
  reindexCommand,
];
