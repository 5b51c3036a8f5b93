/**
 * Shared pieces of the reliability suite: a fake GitHub backed by a real git repository with
 * environment files, GitHub-shaped push / deployment / deployment_status payloads with
 * deterministic ids and times, the server's environment variables, and a read-only view of
 * the index that leaves out what legitimately differs between runs (wall-clock timestamps).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FakeGitHub } from '../../fakes/github.js';
import { TempRepo } from '../../action/harness.js';
import { PRIVATE_KEY, ROOT, WEBHOOK_SECRET, type ServerProcess } from '../harness.js';

export type Json = Record<string, unknown>;
export const INSTALLATION_ID = 77;
export const BASE_TIME = Date.parse('2026-03-01T00:00:00Z');

export function environmentFile(
  name: string,
  size: 'small' | 'medium' = 'small',
  protection = false,
): string {
  return `version: 1
name: ${name}
cloud:
  provider: aws
  region: us-east-1
  account_id: "123456789012"
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
database:
  size: ${size}
deletion_protection: ${protection}
`;
}

/** A git repository with environment files, served by a FakeGitHub; `work` is a temp dir for the index. */
export class Fixture {
  readonly repo = new TempRepo();
  readonly work = mkdtempSync(join(tmpdir(), 'beta9-rel-'));
  readonly github: FakeGitHub;
  readonly commits: string[] = [];

  constructor(names: string[]) {
    this.repo.write('README.md', '# infrastructure\n');
    this.commits.push(this.repo.commit('initial'));
    for (const name of names) this.repo.write(`environments/${name}.yaml`, environmentFile(name));
    this.commits.push(this.repo.commit('environments'));
    this.github = new FakeGitHub({
      repo: {
        owner: 'acme',
        name: 'infra',
        defaultBranch: 'main',
        dir: this.repo.dir,
        installationId: INSTALLATION_ID,
      },
      webhookSecret: WEBHOOK_SECRET,
    });
  }

  /** Commits a change and returns its sha. */
  commit(message: string, change: (repo: TempRepo) => void): string {
    change(this.repo);
    const sha = this.repo.commit(message);
    this.commits.push(sha);
    return sha;
  }

  async start(): Promise<this> {
    await this.github.start();
    return this;
  }

  /** Environment of the server process in GitHub App mode against this fixture's fake. */
  serverEnv(dbName = 'index.db', extra: Record<string, string> = {}): Record<string, string> {
    return {
      APP_ID: '12345',
      PRIVATE_KEY,
      WEBHOOK_SECRET,
      GHE_HOST: this.github.host,
      GHE_PROTOCOL: 'http',
      DATABASE_PATH: join(this.work, dbName),
      LOG_LEVEL: 'warn',
      // Reports that could not be fetched are retried quickly, so a test can wait for the queue to drain.
      REPORT_RETRY_DELAY: '100ms',
      REPORT_RETRY_INTERVAL: '200ms',
      ...extra,
    };
  }

  /**
   * Publishes the run report check run the Action would, so the App's report fetch finds
   * outputs for a final status of `environment` at `sha`.
   */
  publishReport(
    environment: string,
    sha: string,
    status: 'ready' | 'destroyed' | 'failed',
    deploymentId: number,
  ) {
    const text = JSON.stringify({
      version: 1,
      environment,
      operation: status === 'destroyed' ? 'destroy' : 'apply',
      status,
      outputs: status === 'ready' ? { cluster_name: environment, vpc_id: `vpc-${deploymentId}` } : {},
      timings: {},
    });
    this.github.recorded.checkRuns.push({
      id: 1_000_000 + this.github.recorded.checkRuns.length,
      name: `beta9 / report / ${environment}`,
      head_sha: sha,
      status: 'completed',
      conclusion: status === 'failed' ? 'failure' : 'success',
      output: { title: status, summary: status, text },
      annotations: [],
    });
  }

  async stop(): Promise<void> {
    await this.github.stop();
    rmSync(this.work, { recursive: true, force: true });
    rmSync(this.repo.dir, { recursive: true, force: true });
  }
}

export const iso = (offsetSeconds: number): string =>
  new Date(BASE_TIME + offsetSeconds * 1000).toISOString();

export interface Delivery {
  event: string;
  id: string;
  payload: Json;
}

function common(github: FakeGitHub): Json {
  return {
    repository: github.repository(),
    installation: { id: INSTALLATION_ID },
    sender: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
  };
}

function workflowRun(github: FakeGitHub, runId: number, sha: string): Json {
  return {
    id: runId,
    name: 'beta9 apply',
    path: '.github/workflows/apply.yml',
    head_branch: 'main',
    head_sha: sha,
    html_url: `https://github.example/acme/infra/actions/runs/${runId}`,
    conclusion: null,
  };
}

/** A push to the default branch from `before` to `after`, at `at` seconds after BASE_TIME. */
export function pushDelivery(
  github: FakeGitHub,
  id: string,
  before: string,
  after: string,
  at: number,
): Delivery {
  const files = github.pullFilesBetween(before, after);
  const base = common(github);
  return {
    event: 'push',
    id,
    payload: {
      ref: 'refs/heads/main',
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      commits: [
        {
          id: after,
          timestamp: iso(at),
          added: files.filter((f) => f.status === 'added').map((f) => f.filename),
          removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
          modified: files.filter((f) => f.status === 'modified').map((f) => f.filename),
        },
      ],
      head_commit: { id: after, timestamp: iso(at) },
      ...base,
      repository: { ...(base.repository as Json), pushed_at: Math.floor((BASE_TIME + at * 1000) / 1000) },
    },
  };
}

/**
 * One deployment of `environment` and its statuses, as the Action reports them: the deployment
 * at `at`, each phase one second later. Status ids are `deploymentId * 10 + i`.
 */
export function deploymentDeliveries(
  github: FakeGitHub,
  o: {
    environment: string;
    deploymentId: number;
    runId: number;
    sha: string;
    at: number;
    operation?: 'apply' | 'destroy';
    phases?: string[];
    idPrefix?: string;
  },
): Delivery[] {
  const operation = o.operation ?? 'apply';
  const phases =
    o.phases ??
    (operation === 'apply' ? ['provisioning', 'bootstrapping', 'ready'] : ['destroying', 'destroyed']);
  const deployment = {
    id: o.deploymentId,
    sha: o.sha,
    ref: 'main',
    task: 'deploy',
    environment: o.environment,
    payload: { beta9: { environment: o.environment, operation } },
    created_at: iso(o.at),
    updated_at: iso(o.at),
    creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
  };
  const run = workflowRun(github, o.runId, o.sha);
  const prefix = o.idPrefix ?? '';
  const out: Delivery[] = [
    {
      event: 'deployment',
      id: `${prefix}d-${o.deploymentId}`,
      payload: { action: 'created', deployment, workflow_run: run, ...common(github) },
    },
  ];
  phases.forEach((description, i) => {
    const final = description === 'ready' || description === 'destroyed';
    const state = description.startsWith('failed') ? 'failure' : final ? 'success' : 'in_progress';
    out.push({
      event: 'deployment_status',
      id: `${prefix}s-${o.deploymentId}-${i}`,
      payload: {
        action: 'created',
        deployment_status: {
          id: o.deploymentId * 10 + i + 1,
          state,
          description,
          environment: o.environment,
          log_url: run.html_url,
          created_at: iso(o.at + i + 1),
          updated_at: iso(o.at + i + 1),
          creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
        },
        deployment,
        workflow_run: run,
        ...common(github),
      },
    });
  });
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Columns written from the wall clock (or the first-seen order of concurrent deliveries). */
export const VOLATILE_COLUMNS = ['created_at', 'updated_at', 'status_changed_at'] as const;

export interface IndexView {
  integrity: string;
  environments: Record<string, unknown>[];
  deliveries: number;
  pendingReports: number;
}

/** Opens the index read-only and returns its integrity check and its environments without volatile columns. */
export function readIndex(path: string): IndexView {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const environments = (
      db.prepare('SELECT * FROM environments ORDER BY name').all() as Record<string, unknown>[]
    ).map((row) => {
      const copy = { ...row };
      for (const column of VOLATILE_COLUMNS) delete copy[column];
      return copy;
    });
    const deliveries = (db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
    const pendingReports = (db.prepare('SELECT count(*) AS n FROM report_fetches').get() as { n: number }).n;
    return { integrity, environments, deliveries, pendingReports };
  } finally {
    db.close();
  }
}

/** Stops a server process unless it already exited (also after a signal, which `stop` alone would wait on). */
export async function halt(
  server: ServerProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  await server.stop(signal);
}

export { ROOT };
