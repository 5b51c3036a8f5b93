import type { Command } from '../types.js';
import { modelCommand } from './model.js';
import { synthCommand } from './synth.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `--help` lists them. Add yours here (one line). */
export const commands: Command[] = [validateCommand, modelCommand, synthCommand];
