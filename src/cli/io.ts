import type { CliIo } from './types.js';

/** The real process: the only place the CLI touches process streams, cwd and env. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}
