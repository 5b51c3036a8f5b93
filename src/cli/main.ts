import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { closest } from '../engine/config/suggest.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from './types.js';

export const TOOL = 'beta9-provisioner';

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code:
 * 0 success, 1 problems found or the command failed, 2 usage error.
 */
export async function run(
  argv: readonly string[],
  io: CliIo,
  available: readonly Command[],
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(toolHelp(available));
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(toolHelp(available));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${packageJson.version}\n`);
    return EXIT_OK;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout(toolHelp(available));
      return EXIT_OK;
    }
    const command = available.find((c) => c.name === topic);
    if (command === undefined) return usageError(io, unknownCommand(topic, available));
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }

  const command = available.find((c) => c.name === first);
  if (command === undefined) {
    return usageError(
      io,
      first.startsWith('-') ? `unknown option ${first}` : unknownCommand(first, available),
    );
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    // node's messages go on to explain `--`; the first sentence is what the user needs.
    return usageError(io, (error as Error).message.split('. To specify')[0]!, command);
  }
  if (parsed.values.help === true) {
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message, command);
    throw error;
  }
}

function usageError(io: CliIo, message: string, command?: Command): number {
  const name = command !== undefined ? `${TOOL} ${command.name}` : TOOL;
  io.stderr(`${name}: ${message}\nRun '${name} --help' for usage.\n`);
  return EXIT_USAGE;
}

function unknownCommand(name: string, available: readonly Command[]): string {
  const suggestion = closest(
    name,
    available.map((c) => c.name),
  );
  return `unknown command "${name}"${suggestion !== undefined ? `; did you mean "${suggestion}"?` : ''}`;
}

export function toolHelp(available: readonly Command[]): string {
  const width = Math.max(...available.map((c) => c.name.length), 8) + 3;
  const lines = available.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return `${TOOL}: GitOps provisioning of Beta9 GPU clouds on AWS and GCP.

Usage: ${TOOL} <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     Show this help; '${TOOL} <command> --help' explains a command
  -v, --version  Print the version

Exit codes: 0 success, 1 problems found or the command failed, 2 usage error.
`;
}

export function commandHelp(command: Command): string {
  const options = [...(command.optionHelp ?? []), '-h, --help   Show this help'];
  return (
    `Usage: ${TOOL} ${command.name} ${command.usage}`.trimEnd() +
    `\n\n${command.description.trim()}\n\nOptions:\n${options.map((o) => `  ${o}`).join('\n')}\n`
  );
}
