/**
 * REST API throughput and latency (issue 7): seeds a temporary index with 10,000 environments
 * and 200,000 status events, serves it from a child process (bench/api-server.ts) and loads it
 * with autocannon from this process, next to a bare Hono "hello" route served by the same child.
 *
 *   npx tsx bench/api.ts            # 10 s per run
 *   BENCH_DURATION=3 npx tsx bench/api.ts
 *
 * Runs, interleaved in rounds: the bare route (the baseline); bare routes sending an item's and
 * a list page's bytes (the payload's cost without the API's); one environment (the same name
 * every time); one environment per request across all 10,000 names; the first list page of 50;
 * list pages walked by cursor across the whole index; and, for reference, every name with the
 * response cache off (each read goes to SQLite and renders). Each round's figures are taken
 * against the bare route's in the same round; the medians over the rounds are reported.
 * Targets, for the API runs as configured: at least 50% of the bare route's requests per
 * second, p99 under 10 ms, no errors, memory flat.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { parseEnvironment } from '../src/engine/config/index.js';
import { toInfraModel } from '../src/engine/model/index.js';
import { STATUSES } from '../src/engine/report/types.js';
import { IndexStore } from '../src/app/store/store.js';
import { median, round } from './lib.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';

export interface ApiBenchOptions {
  environments?: number;
  eventsPerEnvironment?: number;
  /** Seconds per measured run. */
  duration?: number;
  connections?: number;
}

export interface ApiRun {
  name: string;
  /** True for reference runs (bare routes, the API without its cache), which the targets ignore. */
  informational: boolean;
  path: string;
  /** Median over the rounds. */
  requestsPerSecond: number;
  /** Median over the rounds of this run's requests per second over the bare route's in the same round. */
  ofBare: number;
  /** Each round's share of the bare route, in round order. */
  ofBareByRound: number[];
  /** Medians over the rounds of each round's p50 and p99. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** The worst round's p99, and the slowest request of all. */
  latencyWorstP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface ApiBenchResult {
  environments: number;
  events: number;
  seedSeconds: number;
  indexMb: number;
  connections: number;
  /** Seconds per target in all; each target ran `rounds` times for durationSeconds/rounds. */
  durationSeconds: number;
  rounds: number;
  node: string;
  runs: ApiRun[];
  /** The server child's memory after the warm-up, after each round, and at the end (after a GC). */
  memory: { rssStartMb: number; rssEndMb: number; heapByRoundMb: number[] };
  targets: {
    throughputAtLeastHalfOfBare: boolean;
    p99Under10ms: boolean;
    zeroErrors: boolean;
    memoryFlat: boolean;
  };
}

const REGIONS_AWS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const REGIONS_GCP = ['us-central1', 'europe-west4', 'asia-southeast1'];

function template(): { meta: object; model: object } {
  const text = `version: 1
name: bench-env
cloud:
  provider: aws
  region: us-east-1
  account_id: "123456789012"
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
cluster:
  size: medium
  gpu: { type: A10G, min_nodes: 0, max_nodes: 4 }
database: { size: medium, high_availability: true }
tags: { team: ml }
`;
  const { config, diagnostics } = parseEnvironment('environments/bench-env.yaml', text);
  if (!config) throw new Error(`bench template is invalid: ${JSON.stringify(diagnostics)}`);
  return { meta: config, model: toInfraModel(config) };
}

/** One transaction, prepared statements: 10,000 rows and 200,000 events take a second or two. */
export function seed(path: string, environments: number, eventsPerEnvironment: number): { events: number } {
  const store = new IndexStore(path);
  const { meta, model } = template();
  const metaText = JSON.stringify(meta);
  const modelText = JSON.stringify(model);
  const insertEnv = store.db.prepare(`INSERT INTO environments
    (name, repo, path, cloud, region, account, status, stale, drift, outputs, meta_config, infra_model, state_backend,
     error_message, last_counts, created_at, updated_at, provisioned_at, destroyed_at, status_changed_at, last_commit,
     last_run_url, last_pr, deployment_id, deployment_status_id)
    VALUES (@name, @repo, @path, @cloud, @region, @account, @status, 0, NULL, @outputs, @meta, @model, @backend,
     NULL, @counts, @at, @at, @at, NULL, @at, @commit, @run, @pr, @deployment, @deployment)`);
  const insertEvent = store.db.prepare(`INSERT INTO status_events
    (environment, status, previous_status, description, at, deployment_id, deployment_status_id, delivery_id, run_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  let events = 0;
  store.db.transaction(() => {
    for (let i = 0; i < environments; i++) {
      const name = `env-${String(i).padStart(5, '0')}`;
      const gcp = i % 4 === 3;
      const region = gcp ? REGIONS_GCP[i % REGIONS_GCP.length]! : REGIONS_AWS[i % REGIONS_AWS.length]!;
      const at = new Date(base + i * 60_000).toISOString();
      const run = `https://github.com/acme/infra-${i % 50}/actions/runs/${1_000_000 + i}`;
      insertEnv.run({
        name,
        repo: `acme/infra-${i % 50}`,
        path: `environments/${name}.yaml`,
        cloud: gcp ? 'gcp' : 'aws',
        region,
        account: gcp ? `acme-ml-${i % 7}` : '123456789012',
        status: STATUSES[i % STATUSES.length]!,
        outputs: JSON.stringify({
          vpc_id: `vpc-${i.toString(16).padStart(8, '0')}`,
          cluster_name: name,
          cluster_endpoint: `https://${i.toString(16)}.gr7.${region}.eks.amazonaws.com`,
          rds_endpoint: `${name}.cluster-abc.${region}.rds.amazonaws.com`,
          redis_endpoint: `${name}.abc.cache.amazonaws.com`,
          redis_port: 6379,
          bucket_name: `beta9-${name}`,
        }),
        meta: metaText.replaceAll('bench-env', name),
        model: modelText.replaceAll('bench-env', name),
        backend: JSON.stringify({
          type: 's3',
          bucket: 'beta9-tf-state-123456789012-us-east-1',
          key: `environments/${name}/terraform.tfstate`,
        }),
        counts: JSON.stringify({ create: 42, update: 0, delete: 0, replace: 0, read: 3, no_op: 0 }),
        at,
        commit: (i * 2654435761).toString(16).padStart(40, '0').slice(0, 40),
        run,
        pr: JSON.stringify({ number: i + 1, url: `https://github.com/acme/infra-${i % 50}/pull/${i + 1}` }),
        deployment: 1000 + i,
      });
      let previous: string | null = null;
      for (let e = 0; e < eventsPerEnvironment; e++) {
        const status = STATUSES[e % STATUSES.length]!;
        insertEvent.run(
          name,
          status,
          previous,
          `${status} (run ${e})`,
          new Date(base + i * 60_000 + e * 1000).toISOString(),
          1000 + i,
          e,
          `delivery-${i}-${e}`,
          run,
        );
        previous = status;
        events++;
      }
    }
  })();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return { events };
}

function request<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

async function memory(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return (await request<{ usage: NodeJS.MemoryUsage }>(child, 'memory')).usage;
}

interface Load {
  name: string;
  url: string;
  /** Varies the path per request; otherwise every request hits `url`. */
  paths?: string[];
  auth: boolean;
  /** Not the product as configured (a reference point): reported, not held to the targets. */
  informational?: boolean;
}

async function load(target: Load, duration: number, connections: number): Promise<autocannon.Result> {
  const headers = target.auth ? { authorization: `Bearer ${TOKEN}` } : {};
  let next = 0;
  const paths = target.paths;
  return autocannon({
    url: target.url,
    connections,
    duration,
    headers,
    requests: paths
      ? [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }]
      : undefined,
  });
}

export async function benchApi(options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const environments = options.environments ?? 10_000;
  const eventsPerEnvironment = options.eventsPerEnvironment ?? 20;
  const duration = options.duration ?? Number(process.env.BENCH_DURATION ?? 10);
  const connections = options.connections ?? 64;
  const dir = mkdtempSync(join(tmpdir(), 'beta9-bench-api-'));
  const dbPath = join(dir, 'index.db');
  let child: ChildProcess | undefined;
  try {
    const started = performance.now();
    const { events } = seed(dbPath, environments, eventsPerEnvironment);
    const seedSeconds = (performance.now() - started) / 1000;
    const { statSync } = await import('node:fs');
    const indexMb = statSync(dbPath).size / 2 ** 20;

    child = fork(join(HERE, 'api-server.ts'), [dbPath], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ports = await new Promise<Record<'apiPort' | 'helloPort' | 'uncachedPort', number>>(
      (resolve, reject) => {
        child!.once('message', resolve);
        child!.once('exit', (code) => reject(new Error(`bench server exited with ${code} before listening`)));
      },
    );
    const { apiPort, helloPort, uncachedPort } = ports;
    const api = `http://127.0.0.1:${apiPort}`;
    const names = Array.from({ length: environments }, (_, i) => `env-${String(i).padStart(5, '0')}`);
    // Every list page's cursor, walked once up front, for the cursor-walk run.
    const listPaths: string[] = [];
    for (let cursor: string | null = null; ;) {
      const path: string = `/api/v1/environments?limit=50${cursor ? `&cursor=${cursor}` : ''}`;
      listPaths.push(path);
      const res = await fetch(api + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      cursor = ((await res.json()) as { next_cursor: string | null }).next_cursor;
      if (!cursor) break;
    }

    const loads: Load[] = [
      { name: 'bare Hono hello', url: `http://127.0.0.1:${helloPort}/`, auth: false },
      { name: "bare Hono, the item's bytes", url: `http://127.0.0.1:${helloPort}/item-bytes`, auth: false },
      {
        name: "bare Hono, a list page's bytes",
        url: `http://127.0.0.1:${helloPort}/page-bytes`,
        auth: false,
      },
      {
        name: 'GET /api/v1/environments/{name} (one name)',
        url: `${api}/api/v1/environments/env-04242`,
        auth: true,
      },
      {
        name: `GET /api/v1/environments/{name} (all ${environments} names)`,
        url: `${api}/api/v1/environments/env-00000`,
        paths: names.map((n) => `/api/v1/environments/${n}`),
        auth: true,
      },
      {
        name: 'GET /api/v1/environments?limit=50 (first page)',
        url: `${api}/api/v1/environments?limit=50`,
        auth: true,
      },
      {
        name: `GET /api/v1/environments?limit=50&cursor= (all ${listPaths.length} pages)`,
        url: `${api}${listPaths[0]}`,
        paths: listPaths,
        auth: true,
      },
      {
        name: `GET /api/v1/environments/{name} (all ${environments} names, no response cache)`,
        url: `http://127.0.0.1:${uncachedPort}/api/v1/environments/env-00000`,
        paths: names.map((n) => `/api/v1/environments/${n}`),
        auth: true,
        informational: true,
      },
    ];

    // The runs are interleaved in rounds (each target gets duration/rounds per round) so that a
    // change in machine load during the bench hits every target alike, not just the later ones.
    const rounds = Math.max(1, Math.min(5, Math.floor(duration / 2)));
    const slice = duration / rounds;
    for (const target of loads) await load(target, Math.min(2, slice), connections); // warm-up: JIT, page and response caches
    const start = await memory(child);
    const heapByRound: number[] = [];
    const samples = loads.map(() => [] as autocannon.Result[]);
    for (let round = 0; round < rounds; round++) {
      for (const [i, target] of loads.entries()) samples[i]!.push(await load(target, slice, connections));
      heapByRound.push(round2((await memory(child)).heapUsed / 2 ** 20));
    }
    const end = await memory(child);

    // Each round's figures are compared with the bare route's in the same round, and the
    // medians over the rounds are reported: a round slowed by other load on the machine moves
    // the bare route and the API alike, and one bad round does not decide the result.
    const bareRps = samples[0]!.map((r) => r.requests.total / r.duration);
    const runs: ApiRun[] = [];
    for (const [i, target] of loads.entries()) {
      const results = samples[i]!;
      const rps = results.map((r) => r.requests.total / r.duration);
      const ofBare = rps.map((value, round) => value / bareRps[round]!);
      const url = new URL(target.url);
      runs.push({
        name: target.name,
        informational: target.informational === true || !target.url.includes('/api/'),
        path: url.pathname + url.search,
        requestsPerSecond: Math.round(median(rps)),
        ofBare: round(median(ofBare), 2),
        ofBareByRound: ofBare.map((value) => round(value, 2)),
        latencyP50Ms: median(results.map((r) => r.latency.p50)),
        latencyP99Ms: median(results.map((r) => r.latency.p99)),
        latencyWorstP99Ms: Math.max(...results.map((r) => r.latency.p99)),
        latencyMaxMs: Math.max(...results.map((r) => r.latency.max)),
        requests: results.reduce((n, r) => n + r.requests.total, 0),
        errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
        non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      });
    }

    const apiRuns = runs.filter((r) => !r.informational);
    const firstHeap = heapByRound[0]!;
    const lastHeap = heapByRound[heapByRound.length - 1]!;
    return {
      environments,
      events,
      seedSeconds: round(seedSeconds, 2),
      indexMb: round(indexMb, 1),
      connections,
      durationSeconds: duration,
      rounds,
      node: process.version,
      runs,
      memory: {
        rssStartMb: round2(start.rss / 2 ** 20),
        rssEndMb: round2(end.rss / 2 ** 20),
        heapByRoundMb: heapByRound,
      },
      targets: {
        throughputAtLeastHalfOfBare: apiRuns.every((r) => r.ofBare >= 0.5),
        p99Under10ms: apiRuns.every((r) => r.latencyP99Ms < 10),
        zeroErrors: runs.every((r) => r.errors === 0 && r.non2xx === 0),
        // Flat: the heap after the last round is within 25% (or 16 MB) of the heap after the first.
        memoryFlat: lastHeap <= Math.max(firstHeap * 1.25, firstHeap + 16),
      },
    };
  } finally {
    child?.disconnect();
    await new Promise((r) => setTimeout(r, 100));
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round2 = (value: number): number => round(value, 1);

function print(result: ApiBenchResult): void {
  console.log(
    `REST API bench: ${result.environments} environments, ${result.events} events (seeded in ${result.seedSeconds} s, ${result.indexMb} MB), ` +
      `${result.connections} connections, ${result.durationSeconds} s per target in ${result.rounds} interleaved rounds, Node ${result.node}; ` +
      'req/s, share of bare, p50 and p99 are medians over the rounds',
  );
  console.table(
    result.runs.map((r) => ({
      run: r.name,
      'req/s': r.requestsPerSecond,
      'of bare': `${Math.round(r.ofBare * 100)}%`,
      'by round': r.ofBareByRound.map((v) => `${Math.round(v * 100)}`).join(' '),
      'p50 ms': r.latencyP50Ms,
      'p99 ms': r.latencyP99Ms,
      'worst p99': r.latencyWorstP99Ms,
      'max ms': r.latencyMaxMs,
      errors: r.errors + r.non2xx,
    })),
  );
  const m = result.memory;
  console.log(
    `server memory: rss ${m.rssStartMb} → ${m.rssEndMb} MB; heap after each round ${m.heapByRoundMb.join(', ')} MB`,
  );
  console.log('targets:', result.targets);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchApi().then(print, (err) => {
    console.error(err);
    process.exit(1);
  });
}
