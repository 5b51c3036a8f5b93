import { stringify } from 'yaml';
import { formatDiagnostic, validateFiles } from '../../engine/config/index.js';
import { toInfraModel } from '../../engine/model/index.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type Command } from '../types.js';
import { environmentFiles, readerFor } from './paths.js';

const FORMATS = ['json', 'yaml'] as const;

export const modelCommand: Command = {
  name: 'model',
  usage: '<file> [--format json|yaml]',
  summary: 'Print the InfraModel an environment file resolves to, with every default filled in',
  description: `Validates one environment file and prints the InfraModel it resolves to: the instance types
of its size profiles, availability zones, subnets computed from the CIDR, the bucket name, the
Terraform state location and the tags. Use it to see what you will get before you open a pull request.

Problems are printed as path:line:col: message (as by validate) on stderr.

Exit codes: 0 printed, 1 the file has problems, 2 usage error.

Example:
  beta9-provisioner model environments/ml-staging.yaml --format yaml`,
  options: { format: { type: 'string', short: 'f', default: 'json' } },
  optionHelp: ['-f, --format json|yaml   Output format (default json)'],
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const format = values.format;
    if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${String(format)}"`);
    }
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? 'missing <file>: the environment file to model' : 'give exactly one file',
      );
    }
    const file = positionals[0]!;
    const files = await environmentFiles([file], io);
    if (files.length !== 1 || files[0] !== file)
      throw new UsageError(`${file} is a folder; give one environment file`);
    const { results, diagnostics } = await validateFiles([file], readerFor(io));
    const config = results[0]?.config;
    if (config === undefined) {
      for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
      return EXIT_PROBLEMS;
    }
    const model = toInfraModel(config);
    io.stdout(format === 'yaml' ? stringify(model) : `${JSON.stringify(model, null, 2)}\n`);
    return EXIT_OK;
  },
};
