import { formatDiagnostic, validateFiles } from '../../engine/config/index.js';
import { EXIT_OK, EXIT_PROBLEMS, type Command } from '../types.js';
import { environmentFiles, readerFor } from './paths.js';

export const DEFAULT_ENVIRONMENTS_DIR = 'environments';

export const validateCommand: Command = {
  name: 'validate',
  usage: '[paths...]',
  summary: 'Check environment files and print every problem as path:line:col: message',
  description: `Checks environment files against the schema (schema/environment.v1.schema.json) and the
rules between fields: name equals the file name, role_arn is in account_id, the region and
GPU exist on the cloud, max_nodes >= min_nodes, domain needs tls_email, the CIDR is private.

Paths are files or folders (a folder means its *.yaml and *.yml files); the default is
${DEFAULT_ENVIRONMENTS_DIR}/. Every problem of every file is printed, one per line, as
path:line:col: message, followed by a summary line.

Exit codes: 0 every file is valid, 1 problems were found, 2 usage error (e.g. a missing path).

Example:
  beta9-provisioner validate
  beta9-provisioner validate environments/ml-staging.yaml`,
  allowPositionals: true,
  async run({ positionals }, io) {
    const files = await environmentFiles(
      positionals.length > 0 ? positionals : [DEFAULT_ENVIRONMENTS_DIR],
      io,
    );
    const { results, diagnostics } = await validateFiles(files, readerFor(io));
    for (const diagnostic of diagnostics) io.stdout(`${formatDiagnostic(diagnostic)}\n`);
    const noun = (n: number) => `${n} environment file${n === 1 ? '' : 's'}`;
    if (diagnostics.length === 0) {
      io.stdout(`${noun(results.length)} checked: all valid.\n`);
      return EXIT_OK;
    }
    const failing = results.filter((r) => r.diagnostics.length > 0).length;
    const problems = `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}`;
    io.stdout(`${noun(results.length)} checked: ${problems} in ${failing}.\n`);
    return EXIT_PROBLEMS;
  },
};
