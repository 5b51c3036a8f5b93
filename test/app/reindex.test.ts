import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runReindex } from '../../src/app/reindex.js';
import { IndexStore } from '../../src/app/store/store.js';
import {
  API,
  awsEnvironment,
  contents,
  INSTALLATION,
  mockToken,
  REPO,
  TestOctokit,
  testSettings,
} from './fixtures/app.js';

const file = (path: string) => `/repos/${REPO}/contents/${encodeURIComponent(path)}`;

function deployment(
  id: number,
  environment: string,
  operation: 'apply' | 'destroy',
  sha: string,
  ref = 'master',
) {
  return {
    id,
    sha,
    ref,
    environment,
    created_at: `2026-01-0${id}T00:00:00Z`,
    payload: { beta9: { environment, operation } },
  };
}

function status(id: number, state: string, description: string, day: number) {
  return {
    id,
    state,
    description,
    created_at: `2026-01-0${day}T00:10:00Z`,
    log_url: `https://github.com/${REPO}/actions/runs/${id}`,
  };
}

function report(environment: string, operation: string, st: string) {
  return {
    total_count: 1,
    check_runs: [
      {
        id: 1,
        output: {
          text: JSON.stringify({
            version: 1,
            environment,
            operation,
            status: st,
            commit: 'x',
            started_at: '2026-01-01T00:00:00Z',
            finished_at: '2026-01-01T00:20:00Z',
            timings: {},
            outputs: st === 'ready' ? { cluster_name: environment } : {},
          }),
        },
      },
    ],
  };
}

describe('reindex', () => {
  let dir: string;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'beta9-reindex-'));
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    rmSync(dir, { recursive: true, force: true });
    expect(pending).toEqual([]);
  });

  it('rebuilds a repository from its files, deployments and statuses, and fetches the final reports', async () => {
    const databasePath = join(dir, 'beta9.db');
    // A stale leftover of this repository, and another repository's environment that must survive.
    const seed = new IndexStore(databasePath);
    const engine = (await import('../../src/app/engine.js')).createEngine();
    const { recordFromConfig } = await import('../../src/app/services/records.js');
    for (const [name, repo] of [
      ['leftover', REPO],
      ['other', 'acme/other'],
    ] as const) {
      const { config } = engine.parse(`environments/${name}.yaml`, awsEnvironment(name));
      seed.putEnvironment(
        recordFromConfig(
          {
            repo,
            path: `environments/${name}.yaml`,
            config: config!,
            model: engine.model(config!),
            at: '2026-01-01T00:00:00.000Z',
          },
          undefined,
        ),
      );
    }
    seed.close();

    nock(API).get(`/repos/${REPO}/installation`).reply(200, { id: INSTALLATION });
    mockToken();
    nock(API).get(`/repos/${REPO}`).reply(200, { full_name: REPO, default_branch: 'master' });
    nock(API)
      .get(`/repos/${REPO}/contents/environments`)
      .query({ ref: 'master' })
      .reply(200, [{ type: 'file', path: 'environments/alpha.yaml', sha: 'blob-a' }]);
    nock(API)
      .get(file('environments/alpha.yaml'))
      .query({ ref: 'master' })
      .reply(200, contents('environments/alpha.yaml', awsEnvironment('alpha')));
    nock(API)
      .get(`/repos/${REPO}/deployments`)
      .query({ per_page: '100' })
      .reply(200, [
        { ...deployment(2, 'alpha', 'apply', 'sha-a'), ref: 'a'.repeat(40) },
        deployment(1, 'beta', 'apply', 'sha-b1'),
        deployment(3, 'beta', 'destroy', 'sha-b2'),
        deployment(4, 'alpha', 'apply', 'sha-evil', 'feature'),
        { ...deployment(6, 'alpha', 'apply', 'sha-x'), ref: 'b'.repeat(40) },
        { ...deployment(5, 'web', 'apply', 'sha-w'), payload: {} },
      ]);
    // The Action deploys a sha: it counts only when that commit is on the default branch.
    nock(API)
      .get(`/repos/${REPO}/compare/master...${'a'.repeat(40)}`)
      .query({ per_page: '1' })
      .reply(200, { status: 'behind' });
    nock(API)
      .get(`/repos/${REPO}/compare/master...${'b'.repeat(40)}`)
      .query({ per_page: '1' })
      .reply(200, { status: 'diverged' });
    nock(API)
      .get(`/repos/${REPO}/deployments/2/statuses`)
      .query({ per_page: '100' })
      .reply(200, [status(12, 'success', 'ready', 2), status(11, 'in_progress', 'provisioning', 2)]);
    nock(API)
      .get(`/repos/${REPO}/deployments/1/statuses`)
      .query({ per_page: '100' })
      .reply(200, [status(5, 'success', 'ready', 1)]);
    nock(API)
      .get(`/repos/${REPO}/deployments/3/statuses`)
      .query({ per_page: '100' })
      .reply(200, [status(20, 'in_progress', 'destroying', 3), status(21, 'success', 'destroyed', 3)]);
    // beta's file is gone from the default branch: it is recovered from its last applied commit.
    nock(API)
      .get(file('environments/beta.yaml'))
      .query({ ref: 'sha-b1' })
      .reply(200, contents('environments/beta.yaml', awsEnvironment('beta')));
    nock(API)
      .get(`/repos/${REPO}/commits/sha-a/check-runs`)
      .query({ check_name: 'beta9 / report / alpha', filter: 'all', per_page: '100' })
      .reply(200, report('alpha', 'apply', 'ready'));
    nock(API)
      .get(`/repos/${REPO}/commits/sha-b2/check-runs`)
      .query({ check_name: 'beta9 / report / beta', filter: 'all', per_page: '100' })
      .reply(200, report('beta', 'destroy', 'destroyed'));

    const results = await runReindex(testSettings({ databasePath }), {
      repos: [REPO],
      logger: pino({ level: 'silent' }),
      Octokit: TestOctokit,
      now: () => new Date('2026-01-05T00:00:00Z'),
    });
    expect(results).toEqual([
      {
        repo: REPO,
        environments: [
          { name: 'alpha', status: 'ready' },
          { name: 'beta', status: 'destroyed' },
        ],
        deployments: 3,
        skipped: [],
      },
    ]);

    const store = new IndexStore(databasePath);
    try {
      expect(store.listEnvironments({}, 10).items.map((e) => [e.name, e.repo, e.status])).toEqual([
        ['alpha', REPO, 'ready'],
        ['beta', REPO, 'destroyed'],
        ['other', 'acme/other', 'pending'],
      ]);
      expect(store.getEnvironment('alpha')).toMatchObject({
        deployment_id: 2,
        outputs: { cluster_name: 'alpha' },
      });
      expect(store.listEvents('beta', 10).items.map((e) => e.status)).toEqual([
        'destroyed',
        'destroying',
        'destroy_queued',
        'ready',
        'queued',
      ]);
      expect(store.listReportFetches()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('covers every repository of every installation without --repo', async () => {
    const databasePath = join(dir, 'beta9.db');
    nock(API)
      .get('/app/installations')
      .query({ per_page: '100' })
      .reply(200, [{ id: INSTALLATION }]);
    mockToken();
    nock(API)
      .get('/installation/repositories')
      .query({ per_page: '100' })
      .reply(200, { total_count: 1, repositories: [{ full_name: REPO }] });
    nock(API).get(`/repos/${REPO}`).reply(200, { full_name: REPO, default_branch: 'main' });
    nock(API)
      .get(`/repos/${REPO}/contents/environments`)
      .query({ ref: 'main' })
      .reply(404, { message: 'Not Found' });
    nock(API).get(`/repos/${REPO}/deployments`).query({ per_page: '100' }).reply(200, []);
    const results = await runReindex(testSettings({ databasePath }), {
      repos: [],
      logger: pino({ level: 'silent' }),
      Octokit: TestOctokit,
    });
    expect(results).toEqual([{ repo: REPO, environments: [], deployments: 0, skipped: [] }]);
  });
});
