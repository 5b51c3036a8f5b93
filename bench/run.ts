/**
 * `npm run bench`: every benchmark in one run, each figure a median with its baseline measured
 * in the same run. Prints one table and writes bench/results.json (with the machine it ran on).
 * `npm run bench -- synth api` runs only the named groups; the file keeps the other groups' rows
 * from an earlier run on the same machine, each group with the time it was measured.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchAction } from './action.js';
import { benchApi } from './api.js';
import { benchPlan } from './plan.js';
import { benchSynth } from './synth.js';
import { benchValidate } from './validate.js';
import { benchWebhooks } from './webhooks.js';
import {
  formatTable,
  mergeResults,
  round,
  type BenchMachine,
  type BenchResult,
  type ResultsFile,
} from './lib.js';

async function api(): Promise<BenchResult[]> {
  const result = await benchApi();
  const rows: BenchResult[] = result.runs.map((run) => ({
    name: `api.${run.name}`,
    value: round(run.requestsPerSecond, 0),
    unit: 'req/s',
    target: run.informational ? undefined : '>= 50% of bare, p99 < 10 ms',
    pass: run.informational ? undefined : run.ofBare >= 0.5 && run.latencyP99Ms < 10,
    detail: `p50 ${run.latencyP50Ms} ms, p99 ${run.latencyP99Ms} ms, ${run.errors + run.non2xx} errors, ${round(run.ofBare * 100, 0)}% of bare (${run.path})`,
  }));
  rows.push({
    name: 'api.memory',
    value: round(result.memory.rssEndMb - result.memory.rssStartMb, 1),
    unit: 'MB RSS growth',
    target: 'flat',
    pass: result.targets.memoryFlat,
    detail: `${result.environments} environments, ${result.events} events, ${result.connections} connections`,
  });
  return rows;
}

const GROUPS: Record<string, () => Promise<BenchResult[]>> = {
  synth: () => benchSynth(),
  validate: () => benchValidate(),
  plan: () => benchPlan(),
  webhooks: () => benchWebhooks(),
  api,
  action: () => benchAction(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in GROUPS));
if (unknown.length) {
  console.error(
    `Unknown benchmark group(s): ${unknown.join(', ')}. Known: ${Object.keys(GROUPS).join(', ')}.`,
  );
  process.exit(2);
}

const results: (BenchResult & { group: string })[] = [];
const measured: Record<string, string> = {};
for (const [name, run] of Object.entries(GROUPS)) {
  if (wanted.length && !wanted.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  results.push(...(await run()).map((row) => ({ ...row, group: name })));
  measured[name] = new Date().toISOString();
}

const machine: BenchMachine = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  memory_gb: round(totalmem() / 1024 ** 3, 1),
};
const file = 'bench/results.json';
let previous: unknown;
try {
  previous = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  previous = undefined; // first run, or a file from before rows had groups
}
const written: ResultsFile = mergeResults(previous, { machine, measured, results }, Object.keys(GROUPS));
writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
console.log(formatTable(results));
const kept = Object.keys(written.measured).filter((g) => !(g in measured));
console.log(
  `\n${machine.cpus}, ${machine.memory_gb} GB, Node ${machine.node}. Written to ${file}` +
    (kept.length ? `, with the earlier rows of ${kept.join(', ')}.` : '.'),
);
if (results.some((r) => r.pass === false)) process.exitCode = 1;
