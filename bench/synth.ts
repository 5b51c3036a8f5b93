/**
 * Synth performance (issue 3): whole processes, from `node` start to the written Terraform JSON.
 *
 * - fast:     bench/synth-entry.ts bundled with esbuild (deep provider imports, everything bundled,
 *             one chunk per cloud), the same calls as `beta9-provisioner synth`; plus the real CLI
 *             (src/cli/index.ts bundled as scripts/build.mjs does) running `synth`.
 * - baseline: bench/baseline/synth-root-imports.ts, the same stacks with every provider class of the
 *             environment's cloud taken from its package root and cdktf loaded from node_modules,
 *             synthesised with App.synth(); the bench checks both write the same Terraform.
 * - scale:    50 environments (AWS and GCP, all sizes) in one fast process.
 *
 * Run alone: `npx tsx bench/synth.ts` (prints a table). `benchSynth()` returns the rows for `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { formatTable, type BenchResult } from './lib.js';
import { rootImportsPlugin } from './baseline/root-imports-plugin.js';

interface ProcessRun {
  wallMs: number;
  /** user + system CPU of the child: far less sensitive than wall time to other load on the machine. */
  cpuMs: number;
  maxRssKb: number;
  loadedMs: number;
  perEnvMs: number[];
  files: string[];
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_MS = 300;
const TARGET_MB = 150;
const TARGET_SPEEDUP = 20;

const banner = {
  js: "import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);",
};

/** Full environments: large, HA, with a GPU pool — the most resources a file can ask for. */
function environmentYaml(name: string, cloud: 'aws' | 'gcp', size: 'small' | 'medium' | 'large'): string {
  const cloudBlock =
    cloud === 'aws'
      ? `  provider: aws
  region: us-east-1
  account_id: "123456789012"
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
  external_id: "bench"`
      : `  provider: gcp
  region: us-central1
  project_id: bench-project-1
  service_account: provisioner@bench-project-1.iam.gserviceaccount.com`;
  return `version: 1
name: ${name}
cloud:
${cloudBlock}
cluster:
  size: ${size}
  gpu:
    type: ${cloud === 'aws' ? 'A10G' : 'L4'}
    min_nodes: 0
    max_nodes: 4
database:
  size: ${size}
  high_availability: ${size === 'large'}
cache:
  size: ${size}
storage:
  versioning: true
  noncurrent_version_expiration_days: 30
network:
  cidr: 10.0.0.0/16
deletion_protection: true
tags:
  team: bench
`;
}

const TIME = '/usr/bin/time';

/**
 * Runs `node script args` and reads its BENCH line. Under /usr/bin/time when it exists, which
 * reports CPU time and peak RSS for scripts that print no BENCH line (the real CLI).
 */
function run(script: string, args: string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const [command, argv] = existsSync(TIME)
      ? [TIME, ['-f', 'TIME %U %S %M', process.execPath, script, ...args]]
      : [process.execPath, [script, ...args]];
    const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${stderr.trim()}`));
      const report = /^BENCH (.*)$/m.exec(stderr)?.[1];
      const time = /^TIME ([\d.]+) ([\d.]+) (\d+)$/m.exec(stderr);
      const files = stdout.trim().split('\n').filter(Boolean);
      const parsed = report
        ? (JSON.parse(report) as Omit<ProcessRun, 'wallMs' | 'files'>)
        : {
            loadedMs: NaN,
            perEnvMs: [],
            maxRssKb: time ? Number(time[3]) : NaN,
            cpuMs: time ? (Number(time[1]) + Number(time[2])) * 1000 : NaN,
          };
      resolve({ wallMs, files, ...parsed });
    });
  });
}

async function runTimes(script: string, args: string[], times: number): Promise<ProcessRun[]> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < times; i++) runs.push(await run(script, args));
  return runs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

/** JSON with object keys sorted, so two documents compare by content, not by key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Both paths must write the same Terraform (the `//` metadata aside), or the comparison means nothing. */
async function sameStack(a: string, b: string): Promise<boolean> {
  const pick = async (file: string) => {
    const { ['//']: _metadata, ...tf } = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    return canonical(tf);
  };
  return (await pick(a)) === (await pick(b));
}

export async function benchSynth(
  options: { fastRuns?: number; baselineRuns?: number } = {},
): Promise<BenchResult[]> {
  const fastRuns = options.fastRuns ?? 9;
  const baselineRuns = options.baselineRuns ?? 3;
  // Inside the repository, so the baseline's unbundled `cdktf` and `@cdktf/*` resolve from node_modules.
  await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const work = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'beta9-bench-synth-'));
  try {
    const fastJs = join(work, 'fast', 'synth.js');
    const baselineJs = join(work, 'baseline', 'synth.mjs');
    const common = {
      bundle: true,
      platform: 'node' as const,
      target: 'node20',
      format: 'esm' as const,
      banner,
      logLevel: 'warning' as const,
      legalComments: 'none' as const,
    };
    // Code splitting: each cloud's stack and bindings land in their own chunk, loaded (and compiled)
    // only for an environment on that cloud.
    await build({
      ...common,
      entryPoints: { synth: join(ROOT, 'bench/synth-entry.ts') },
      outdir: dirname(fastJs),
      outExtension: { '.js': '.js' },
      splitting: true,
    });
    // ESM chunks: tell Node the folder is ESM.
    await writeFile(join(dirname(fastJs), 'package.json'), '{"type":"module"}\n');
    await build({
      ...common,
      entryPoints: [join(ROOT, 'bench/baseline/synth-root-imports.ts')],
      outfile: baselineJs,
      external: ['cdktf', 'constructs', '@cdktf/*'],
      // Keep `with { type: 'json' }` on the now-external cdktf/package.json import (Node >= 20.10 has it).
      supported: { 'import-attributes': true },
      plugins: [rootImportsPlugin()],
    });

    const envDir = join(work, 'environments');
    await mkdir(envDir);
    const full = { aws: join(envDir, 'bench-aws.yaml'), gcp: join(envDir, 'bench-gcp.yaml') };
    await writeFile(full.aws, environmentYaml('bench-aws', 'aws', 'large'));
    await writeFile(full.gcp, environmentYaml('bench-gcp', 'gcp', 'large'));
    const many: string[] = [];
    const sizes = ['small', 'medium', 'large'] as const;
    for (let i = 0; i < 50; i++) {
      const cloud = i % 2 ? 'gcp' : 'aws';
      const name = `bench-${cloud}-${String(i).padStart(2, '0')}`;
      const file = join(envDir, `${name}.yaml`);
      await writeFile(file, environmentYaml(name, cloud, sizes[i % 3]!));
      many.push(file);
    }

    const results: BenchResult[] = [];
    // What Node itself costs here, so the synth figures can be read against this machine's load.
    const emptyJs = join(work, 'empty.mjs');
    await writeFile(
      emptyJs,
      "const u = process.resourceUsage(); process.stderr.write('BENCH ' + JSON.stringify({ loadedMs: performance.now(), perEnvMs: [], maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }) + '\\n');\n",
    );
    const empty = await runTimes(emptyJs, [], fastRuns);
    results.push({
      name: 'node.empty_process.wall',
      value: round(median(empty.map((r) => r.wallMs))),
      unit: 'ms',
      detail: `reference: node ${process.version} running nothing; cpu ${round(median(empty.map((r) => r.cpuMs)))} ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
    });
    for (const cloud of ['aws', 'gcp'] as const) {
      const fast = await runTimes(fastJs, [join(work, 'out-fast'), full[cloud]], fastRuns);
      const baseline = await runTimes(baselineJs, [join(work, 'out-baseline'), full[cloud]], baselineRuns);
      const same = await sameStack(fast[0]!.files[0]!, baseline[0]!.files[0]!);
      const fastMs = median(fast.map((r) => r.wallMs));
      const fastMb = Math.max(...fast.map((r) => r.maxRssKb)) / 1024;
      const baseMs = median(baseline.map((r) => r.wallMs));
      const baseMb = Math.max(...baseline.map((r) => r.maxRssKb)) / 1024;
      const speedup = baseMs / fastMs;
      results.push(
        {
          name: `synth.${cloud}.fast.wall`,
          value: round(fastMs),
          unit: 'ms',
          target: `<= ${TARGET_MS}`,
          pass: fastMs <= TARGET_MS,
          detail: `median of ${fastRuns} processes (large + GPU); modules loaded after ${round(median(fast.map((r) => r.loadedMs)))} ms, parse+model+synth+write ${round(median(fast.map((r) => r.perEnvMs[0]!)))} ms`,
        },
        {
          name: `synth.${cloud}.fast.cpu`,
          value: round(median(fast.map((r) => r.cpuMs))),
          unit: 'ms',
          target: `<= ${TARGET_MS}`,
          pass: median(fast.map((r) => r.cpuMs)) <= TARGET_MS,
          detail: 'median user+system CPU of the whole process',
        },
        {
          name: `synth.${cloud}.fast.peak_rss`,
          value: round(fastMb),
          unit: 'MB',
          target: `<= ${TARGET_MB}`,
          pass: fastMb <= TARGET_MB,
          detail: 'max over runs of process.resourceUsage().maxRSS',
        },
        {
          name: `synth.${cloud}.baseline.wall`,
          value: round(baseMs),
          unit: 'ms',
          detail: `median of ${baselineRuns}; root imports + App.synth(); modules loaded after ${round(median(baseline.map((r) => r.loadedMs)))} ms; cpu ${round(median(baseline.map((r) => r.cpuMs)))} ms`,
        },
        { name: `synth.${cloud}.baseline.peak_rss`, value: round(baseMb), unit: 'MB' },
        {
          name: `synth.${cloud}.speedup`,
          value: round(speedup),
          unit: 'x',
          target: `>= ${TARGET_SPEEDUP}`,
          pass: speedup >= TARGET_SPEEDUP && same,
          detail: `${same ? 'identical Terraform from both paths' : 'OUTPUTS DIFFER: comparison invalid'}; by CPU time ${round(median(baseline.map((r) => r.cpuMs)) / median(fast.map((r) => r.cpuMs)))}x`,
        },
      );
    }

    // The real CLI, bundled the way scripts/build.mjs bundles dist/cli/index.js (a fresh build, so
    // the figure is for this checkout and not for whatever dist/ was last committed).
    const cliEntry = join(ROOT, 'src/cli/index.ts');
    if (existsSync(cliEntry)) {
      const cliJs = join(work, 'cli', 'index.js');
      await build({
        ...common,
        entryPoints: { index: cliEntry },
        outdir: dirname(cliJs),
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        external: [
          'better-sqlite3',
          'probot',
          'pino',
          'pino-*',
          '@kubernetes/client-node',
          'playwright-core',
        ],
      });
      for (const cloud of ['aws', 'gcp'] as const) {
        const runs = await runTimes(
          cliJs,
          ['synth', full[cloud], '--out', join(work, 'out-cli', cloud)],
          fastRuns,
        );
        const ms = median(runs.map((r) => r.wallMs));
        const cpu = median(runs.map((r) => r.cpuMs));
        results.push({
          name: `synth.${cloud}.cli_bundle.wall`,
          value: round(ms),
          unit: 'ms',
          target: `<= ${TARGET_MS}`,
          pass: ms <= TARGET_MS,
          detail: `node <bundled src/cli/index.ts> synth <file> --out DIR, median of ${fastRuns}; cpu ${round(cpu)} ms, peak ${round(Math.max(...runs.map((r) => r.maxRssKb)) / 1024)} MB`,
        });
      }
    }

    // Scale: 1, 25 and 50 environments in one process. Linear means the CPU for 50 is twice the
    // CPU for 25 once the fixed cost (the 1-environment process) is taken off both.
    const scale = async (files: string[], out: string) => {
      const runs = await runTimes(fastJs, [join(work, out), ...files], 3);
      for (const r of runs) {
        if (r.files.length !== files.length)
          throw new Error(`${files.length}-environment run wrote ${r.files.length} files`);
      }
      return runs;
    };
    const one = await scale(many.slice(0, 1), 'out-1');
    const half = await scale(many.slice(0, 25), 'out-25');
    const fifty = await scale(many, 'out-50');
    const cpu = (runs: ProcessRun[]) => median(runs.map((r) => r.cpuMs));
    const linearity = (cpu(fifty) - cpu(one)) / (2 * (cpu(half) - cpu(one)));
    results.push(
      {
        name: 'synth.50envs.wall',
        value: round(median(fifty.map((r) => r.wallMs))),
        unit: 'ms',
        detail: `one process, 25 AWS + 25 GCP, all sizes; cpu ${round(cpu(fifty))} ms`,
      },
      {
        name: 'synth.50envs.per_env_cpu',
        value: round((cpu(fifty) - cpu(one)) / 49),
        unit: 'ms',
        detail: 'marginal CPU per environment: (cpu50 - cpu1) / 49',
      },
      {
        name: 'synth.50envs.linearity',
        value: round(linearity, 2),
        unit: 'ratio',
        target: '<= 1.25',
        pass: linearity <= 1.25,
        detail: `(cpu50 - cpu1) / (2 x (cpu25 - cpu1)) = (${round(cpu(fifty))} - ${round(cpu(one))}) / 2(${round(cpu(half))} - ${round(cpu(one))}); 1 is linear`,
      },
      {
        name: 'synth.50envs.peak_rss',
        value: round(Math.max(...fifty.map((r) => r.maxRssKb)) / 1024),
        unit: 'MB',
        target: `<= ${TARGET_MB}`,
        pass: Math.max(...fifty.map((r) => r.maxRssKb)) / 1024 <= TARGET_MB,
      },
    );
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSynth()
    .then((results) => {
      console.log(formatTable(results));
      if (results.some((r) => r.pass === false)) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
