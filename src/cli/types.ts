import type { ParseArgsConfig } from 'node:util';

/** Where a command writes and which folder it works in. Tests pass buffers; the real CLI passes the process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths on the command line are resolved against this folder. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface CommandArgs {
  values: Record<string, OptionValue>;
  positionals: string[];
}

/** One subcommand. Add a file per command in src/cli/commands/ and one line to the list in commands/index.ts. */
export interface Command {
  name: string;
  /** The arguments after the command name, for the usage line: `[paths...]`. */
  usage: string;
  /** One line for the tool's command list. */
  summary: string;
  /** What the command does, how to read its output and its exit codes; shown by `<command> --help`. */
  description: string;
  /** node:util parseArgs options; `--help` is added for every command. */
  options?: NonNullable<ParseArgsConfig['options']>;
  /** One line per option for the help text, e.g. `--format json|yaml   Output format (default json)`. */
  optionHelp?: string[];
  allowPositionals?: boolean;
  /** Returns the exit code: 0 success, 1 problems found; throw UsageError for 2. */
  run(args: CommandArgs, io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
