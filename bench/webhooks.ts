/**
 * Webhook ingestion (issue 8): signed `deployment` / `deployment_status` deliveries per second
 * into the index of the real server process (signature check, Probot, lifecycle reducer, one
 * SQLite transaction each), with p50/p99 latency, against a bare Hono route that only reads the
 * same bodies, measured in the same run with the same concurrency.
 * Run alone: `npx tsx bench/webhooks.ts`.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { FakeGitHub } from '../test/fakes/github.js';
import { TempRepo } from '../test/action/harness.js';
import { freePort, PRIVATE_KEY, sign, startServer, WEBHOOK_SECRET } from '../test/e2e/harness.js';
import { median, percentile, round } from './lib.js';
import { formatTable, type BenchResult } from './lib.js';

const ENVIRONMENTS = 50;
const CONCURRENCY = 8;

function environmentFile(name: string): string {
  return `version: 1\nname: ${name}\ncloud:\n  provider: aws\n  region: us-east-1\n  account_id: "123456789012"\n  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner\n`;
}

interface Delivery {
  event: string;
  id: string;
  body: string;
}

let nextId = 1;

/** Lifecycles of every environment: a deployment, then queued → provisioning → bootstrapping. */
function deliveries(github: FakeGitHub, count: number): Delivery[] {
  const out: Delivery[] = [];
  const base = { repository: github.repository(), installation: { id: 77 }, sender: { login: 'bot', id: 1 } };
  const workflow_run = {
    id: 1,
    name: 'beta9 apply',
    path: '.github/workflows/apply.yml',
    head_branch: 'main',
    head_sha: github.resolve('main'),
    html_url: 'https://github.example/acme/infra/actions/runs/1',
  };
  const phases = [
    ['queued', 'queued'],
    ['in_progress', 'provisioning'],
    ['in_progress', 'bootstrapping'],
  ];
  for (let round = 0; out.length < count; round++) {
    for (let e = 0; e < ENVIRONMENTS && out.length < count; e++) {
      const environment = `bench-${e}`;
      const deployment = {
        id: nextId++,
        sha: workflow_run.head_sha,
        ref: 'main',
        environment,
        payload: { beta9: { environment, operation: 'apply' } },
        created_at: new Date().toISOString(),
      };
      const push = (event: string, payload: object) => {
        const body = JSON.stringify({ ...payload, ...base, workflow_run });
        out.push({ event, id: randomUUID(), body });
      };
      push('deployment', { action: 'created', deployment });
      for (const [state, description] of phases) {
        push('deployment_status', {
          action: 'created',
          deployment,
          deployment_status: { id: nextId++, state, description, created_at: new Date().toISOString() },
        });
      }
    }
  }
  return out.slice(0, count);
}

// node:http with keep-alive writes headers and body in one packet; fetch (undici) does not, and
// meets delayed ACKs on loopback, which would make every server look equally slow.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function send(
  url: string,
  list: Delivery[],
): Promise<{ latencies: number[]; wallMs: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  // Deliveries of one environment go in order, as GitHub sends them; workers take whole slices.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < list.length; i = next++) {
        const d = list[i]!;
        const t0 = performance.now();
        const status = await post(`${url}/api/github/webhooks`, d.body, {
          'x-github-event': d.event,
          'x-github-delivery': d.id,
          'x-hub-signature-256': sign(d.body),
        });
        if (status >= 300) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started, errors };
}

async function bareServer(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const code = `
    import { serve } from '@hono/node-server';
    import { Hono } from 'hono';
    const app = new Hono().post('/api/github/webhooks', async (c) => { await c.req.text(); return c.json({ ok: true }); });
    serve({ fetch: app.fetch, hostname: '127.0.0.1', port: ${port} }, () => console.log('ready'));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

export async function benchWebhooks(count = 2000, runs = 3): Promise<BenchResult[]> {
  const repo = new TempRepo();
  const work = mkdtempSync(join(tmpdir(), 'beta9-bench-webhooks-'));
  for (let e = 0; e < ENVIRONMENTS; e++)
    repo.write(`environments/bench-${e}.yaml`, environmentFile(`bench-${e}`));
  const head = repo.commit('environments');
  const github = new FakeGitHub({
    repo: { owner: 'acme', name: 'infra', defaultBranch: 'main', dir: repo.dir, installationId: 77 },
  });
  await github.start();
  const bare = await bareServer();
  const server = await startServer({
    APP_ID: '12345',
    PRIVATE_KEY,
    WEBHOOK_SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    DATABASE_PATH: join(work, 'index.db'),
    LOG_LEVEL: 'warn',
  });
  try {
    const push = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: head,
      commits: [
        {
          id: head,
          added: Array.from({ length: ENVIRONMENTS }, (_, e) => `environments/bench-${e}.yaml`),
          removed: [],
          modified: [],
        },
      ],
      head_commit: { id: head, timestamp: new Date().toISOString() },
      repository: github.repository(),
      installation: { id: 77 },
      sender: { login: 'bot', id: 1 },
    });
    await send(server.url, [{ event: 'push', id: randomUUID(), body: push }]);
    const product = { rates: [] as number[], p50: [] as number[], p99: [] as number[], errors: 0 };
    const baseline = { rates: [] as number[], p50: [] as number[], p99: [] as number[], errors: 0 };
    for (let r = 0; r < runs; r++) {
      for (const [target, acc] of [
        [server.url, product],
        [bare.url, baseline],
      ] as const) {
        const list = deliveries(github, count);
        const { latencies, wallMs, errors } = await send(target, list);
        acc.rates.push((list.length / wallMs) * 1000);
        acc.p50.push(percentile(latencies, 50));
        acc.p99.push(percentile(latencies, 99));
        acc.errors += errors;
      }
    }
    await server.stop();
    const db = new Database(join(work, 'index.db'), { readonly: true });
    const events = (db.prepare('SELECT COUNT(*) AS n FROM status_events').get() as { n: number }).n;
    db.close();
    const rate = median(product.rates);
    const bareRate = median(baseline.rates);
    return [
      {
        name: 'webhooks.ingest_rate',
        value: round(rate, 0),
        unit: 'deliveries/s',
        detail: `median of ${runs} x ${count} signed deliveries, ${CONCURRENCY} concurrent; bare Hono ${round(bareRate, 0)}/s (${round((rate / bareRate) * 100, 0)}%)`,
      },
      {
        name: 'webhooks.p50',
        value: round(median(product.p50)),
        unit: 'ms',
        detail: `bare Hono ${round(median(baseline.p50))} ms`,
      },
      {
        name: 'webhooks.p99',
        value: round(median(product.p99)),
        unit: 'ms',
        detail: `bare Hono ${round(median(baseline.p99))} ms`,
      },
      {
        name: 'webhooks.errors',
        value: product.errors,
        unit: 'responses >= 300',
        target: '0',
        pass: product.errors === 0,
        detail: `${events} status events in the index after ${runs * count} deliveries`,
      },
    ];
  } finally {
    await server.stop();
    bare.stop();
    await github.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatTable(await benchWebhooks()));
}
