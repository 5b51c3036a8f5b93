/** The result rows, statistics and process helpers shared by the benchmarks. */
import { spawn } from 'node:child_process';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Milliseconds from spawning `node args` until its first line of stdout (then the process is killed). */
export function timeToFirstLine(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let done = false;
    child.stdout.on('data', () => {
      if (done) return;
      done = true;
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!done) reject(new Error(`process exited with ${code} before printing a line`));
    });
  });
}

/** One row of `npm run bench`: a measured value, with its target where the issue sets one. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. `<= 300`. */
  target?: string;
  /** Whether the value meets the target (absent when there is none). */
  pass?: boolean;
  detail?: string;
}

export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${Number.isNaN(r.value) ? '-' : r.value} ${r.unit}`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'ok' : 'FAIL',
    r.detail ?? '',
  ]);
  const header = ['metric', 'value', 'target', '', 'detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The machine a bench ran on, as bench/results.json records it. */
export interface BenchMachine {
  node: string;
  platform: string;
  cpus: string;
  memory_gb: number;
}

/** bench/results.json: every row with its group, and when each group was last measured. */
export interface ResultsFile {
  machine: BenchMachine;
  /** Group name → ISO time of the run that measured it. */
  measured: Record<string, string>;
  results: (BenchResult & { group: string })[];
}

/**
 * The results file after a run of some groups (`npm run bench -- synth`): that run's rows, plus
 * the other groups' rows from `previous` when it was written on the same machine, so running
 * one group no longer drops every other figure. Rows follow `order` (the groups' order).
 * Anything unreadable in `previous`, or another machine, is ignored.
 */
export function mergeResults(previous: unknown, fresh: ResultsFile, order: readonly string[]): ResultsFile {
  const rank = (group: string) => {
    const i = order.indexOf(group);
    return i === -1 ? order.length : i;
  };
  const ran = new Set(Object.keys(fresh.measured));
  const usable =
    typeof previous === 'object' &&
    previous !== null &&
    JSON.stringify((previous as ResultsFile).machine) === JSON.stringify(fresh.machine) &&
    Array.isArray((previous as ResultsFile).results) &&
    typeof (previous as ResultsFile).measured === 'object' &&
    (previous as ResultsFile).measured !== null;
  const kept = usable
    ? (previous as ResultsFile).results.filter((r) => typeof r?.group === 'string' && !ran.has(r.group))
    : [];
  const keptGroups = new Set(kept.map((r) => r.group));
  const measured: Record<string, string> = {};
  for (const group of [...keptGroups, ...ran].sort((a, b) => rank(a) - rank(b))) {
    measured[group] = fresh.measured[group] ?? (previous as ResultsFile).measured[group] ?? 'unknown';
  }
  const results = [...fresh.results, ...kept]
    .map((row, i) => ({ row, i }))
    .sort((a, b) => rank(a.row.group) - rank(b.row.group) || a.i - b.i)
    .map(({ row }) => row);
  return { machine: fresh.machine, measured, results };
}
