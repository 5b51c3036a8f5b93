import { stringify } from 'yaml';
import { EXIT_OK, EXIT_PROBLEMS, type Command } from '../types.js';
import { formatOption, loadEnvironmentModel, onePositional } from './paths.js';

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
    const format = formatOption(values.format, FORMATS);
    const file = onePositional(positionals, '<file>: the environment file to model');
    const model = await loadEnvironmentModel(file, io);
    if (model === undefined) return EXIT_PROBLEMS;
    io.stdout(format === 'yaml' ? stringify(model) : `${JSON.stringify(model, null, 2)}\n`);
    return EXIT_OK;
  },
};
