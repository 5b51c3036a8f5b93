import {
  diffCost,
  estimateCost,
  renderCostDiffMarkdown,
  renderCostMarkdown,
} from '../../engine/cost/index.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type Command } from '../types.js';
import { formatOption, loadEnvironmentModel, onePositional } from './paths.js';

const FORMATS = ['markdown', 'json'] as const;

export const estimateCommand: Command = {
  name: 'estimate',
  usage: '<file> [--against <old-file>] [--format markdown|json]',
  summary: 'Estimate the monthly cost of an environment, or what a change to it costs (+$X/month)',
  description: `Estimates the monthly cost of an environment file from public on-demand list prices
(src/engine/cost/prices.ts, dated): the Kubernetes control plane, system nodes, GPU nodes at
their minimum and maximum, NAT, the database (high availability doubles it), the cache and
storage. Usage-based charges (data transfer, NAT data processing, requests) are not included;
the notes say what was assumed.

With --against <old-file> it prints the difference between the old and the new file, the
"+$X/month" a reviewer wants to see, line by line.

--format json prints {monthly_usd, max_monthly_usd, items: [{label, monthly_usd, detail}], notes};
with --against it adds delta_monthly_usd, summary, changes and against (the old estimate).

Exit codes: 0 printed, 1 a file has problems (printed as path:line:col: message), 2 usage error.

Example:
  beta9-provisioner estimate environments/ml-staging.yaml
  git show main:environments/ml-staging.yaml > /tmp/old.yaml
  beta9-provisioner estimate environments/ml-staging.yaml --against /tmp/old.yaml`,
  options: {
    against: { type: 'string', short: 'a' },
    format: { type: 'string', short: 'f', default: 'markdown' },
  },
  optionHelp: [
    '-a, --against <old-file>     Show the difference from this version of the file',
    '-f, --format markdown|json   Output format (default markdown)',
  ],
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const format = formatOption(values.format, FORMATS);
    const file = onePositional(positionals, '<file>: the environment file to estimate');
    if (values.against !== undefined && typeof values.against !== 'string') {
      throw new UsageError('--against needs a file: the old version of the environment file');
    }
    const after = await loadEnvironmentModel(file, io);
    const before =
      typeof values.against === 'string' ? await loadEnvironmentModel(values.against, io) : undefined;
    if (after === undefined || (typeof values.against === 'string' && before === undefined))
      return EXIT_PROBLEMS;

    if (before === undefined) {
      const e = estimateCost(after);
      io.stdout(format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : renderCostMarkdown(e));
      return EXIT_OK;
    }
    const d = diffCost(before, after);
    if (format === 'markdown') {
      io.stdout(renderCostDiffMarkdown(d));
      return EXIT_OK;
    }
    const { before: old, after: now } = d;
    io.stdout(
      `${JSON.stringify(
        {
          ...now,
          delta_monthly_usd: d.delta_monthly_usd,
          delta_max_monthly_usd: d.delta_max_monthly_usd,
          summary: d.summary,
          changes: d.items,
          against: old,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT_OK;
  },
};
