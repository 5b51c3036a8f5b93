import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PlanParseError, renderPlanMarkdown, summarizePlan } from '../../engine/plan/index.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type Command } from '../types.js';
import { formatOption, onePositional } from './paths.js';

const FORMATS = ['markdown', 'json'] as const;

export const planSummaryCommand: Command = {
  name: 'plan-summary',
  usage: '<plan.json> [--format markdown|json] [--environment <name>]',
  summary: 'Summarise `terraform show -json` output: counts, destructive changes first, secrets hidden',
  description: `Reads the JSON of a saved plan (terraform show -json tfplan > plan.json; format 0.1 to 1.x)
and prints what it will do: counts of create, update, delete, replace, read and no-op, every
changed resource with the attributes that change, drift, output changes, and deletes or
replacements of stateful resources (databases, caches, buckets, clusters, networks) first.

Sensitive values never appear: attributes and outputs Terraform marks sensitive, and values
that look like secrets (passwords, tokens, private keys, access keys, credentials in URLs
or user_data) are shown as (sensitive).

--format markdown (default) prints the pull request comment, always under GitHub's 65,536
character limit. --format json prints the summary: {counts, resources, destructive, drift,
outputs, hasChanges}.

Exit codes: 0 printed, 1 the file is not a readable plan (the message says why and what to
run instead), 2 usage error.

Example:
  terraform show -json tfplan > plan.json
  beta9-provisioner plan-summary plan.json --environment ml-staging`,
  options: {
    format: { type: 'string', short: 'f', default: 'markdown' },
    environment: { type: 'string', short: 'e' },
  },
  optionHelp: [
    '-f, --format markdown|json   Output format (default markdown)',
    '-e, --environment <name>     Environment name for the table (default: the file name)',
  ],
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const format = formatOption(values.format, FORMATS);
    const file = onePositional(
      positionals,
      '<plan.json>: the output of `terraform show -json <planfile>`',
      'give exactly one plan file',
    );
    let bytes: Uint8Array;
    try {
      bytes = await readFile(resolve(io.cwd, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
      if (code === 'EISDIR') throw new UsageError(`${file} is a folder; give the plan JSON file`);
      throw error;
    }
    let summary;
    try {
      summary = summarizePlan(bytes, { source: file });
    } catch (error) {
      if (error instanceof PlanParseError) {
        io.stderr(`${error.message}\n`);
        return EXIT_PROBLEMS;
      }
      throw error;
    }
    if (format === 'json') {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return EXIT_OK;
    }
    const environment =
      typeof values.environment === 'string' ? values.environment : basename(file).replace(/\.json$/i, '');
    io.stdout(renderPlanMarkdown({ environment, summary }));
    return EXIT_OK;
  },
};
