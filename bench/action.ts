/**
 * The Action's cold start (issue 8): from process start to its first log line, against a bare
 * `node -e "console.log()"` measured in the same run, plus the size of the committed bundle.
 * Run alone: `npx tsx bench/action.ts`.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round, timeToFirstLine } from './lib.js';
import { formatTable, type BenchResult } from './lib.js';

const BUNDLE = 'dist/action/index.js';

function chunksSize(): number {
  return readdirSync('dist/action/chunks').reduce(
    (sum, f) => sum + statSync(join('dist/action/chunks', f)).size,
    0,
  );
}

export async function benchAction(runs = 9): Promise<BenchResult[]> {
  const work = mkdtempSync(join(tmpdir(), 'beta9-bench-action-'));
  try {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      INPUT_COMMAND: 'validate',
      INPUT_ENVIRONMENTS: 'none',
      'INPUT_WORKING-DIRECTORY': work,
      GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
      GITHUB_OUTPUT: join(work, 'output'),
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_REPOSITORY: 'bench/bench',
      GITHUB_WORKSPACE: work,
    };
    writeFileSync(env.GITHUB_OUTPUT, '');
    const action: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      action.push(await timeToFirstLine([BUNDLE], env));
      bare.push(await timeToFirstLine(['-e', 'console.log("ready")'], env));
    }
    const a = median(action);
    const b = median(bare);
    return [
      {
        name: 'action.cold_start',
        value: round(a),
        unit: 'ms',
        detail: `median of ${runs}, process start to first log line; bare node ${round(b)} ms (x${round(a / b, 1)})`,
      },
      {
        name: 'action.bundle_size',
        value: round(statSync(BUNDLE).size / 1024 / 1024),
        unit: 'MiB',
        detail: `${BUNDLE}, loaded at start; ${round(chunksSize() / 1024 / 1024)} MiB more in chunks loaded on demand`,
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatTable(await benchAction()));
}
