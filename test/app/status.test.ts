import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/report/types.js';
import {
  API,
  awsEnvironment,
  contents,
  createTestApp,
  example,
  INSTALLATION,
  mockToken,
  REPO,
  type TestApp,
} from './fixtures/app.js';
import {
  deploymentPayload,
  pushPayload,
  SHA,
  statusPayload,
  workflowRunPayload,
} from './fixtures/deliveries.js';

const DEPLOYMENT = 145988746;

function report(patch: Partial<RunReport> = {}): RunReport {
  return {
    version: 1,
    environment: 'alpha',
    operation: 'apply',
    status: 'ready',
    commit: SHA,
    run_url: `https://github.com/${REPO}/actions/runs/900`,
    started_at: '2026-01-01T00:10:00Z',
    finished_at: '2026-01-01T00:40:00Z',
    timings: { plan: 30, apply: 1500, bootstrap: 240 },
    counts: { create: 61, update: 0, delete: 0, replace: 0, read: 3, no_op: 0 },
    outputs: { cluster_name: 'alpha', cluster_endpoint: 'https://alpha.eks', redis_port: 6379 },
    ...patch,
  };
}

function mockReport(status: number, body?: RunReport): void {
  const scope = nock(API)
    .get(`/repos/${REPO}/commits/${SHA}/check-runs`)
    .query({ check_name: 'beta9 / report / alpha', filter: 'all', per_page: '100' });
  if (status !== 200) scope.reply(status, { message: 'Server Error' });
  else scope.reply(200, { total_count: 1, check_runs: [{ id: 5, output: { text: JSON.stringify(body) } }] });
}

/** Declares `alpha` through an installation event: the initial indexing from the default branch. */
async function install(t: TestApp, text = awsEnvironment('alpha')): Promise<void> {
  const payload = example<Record<string, any>>('installation', (e) => e.action === 'created'); // eslint-disable-line @typescript-eslint/no-explicit-any
  payload.installation.id = INSTALLATION;
  payload.repositories = [{ full_name: REPO }];
  mockToken();
  nock(API).get(`/repos/${REPO}`).reply(200, { full_name: REPO, default_branch: 'master' });
  nock(API)
    .get(`/repos/${REPO}/contents/environments`)
    .query({ ref: 'master' })
    .reply(200, [
      { type: 'file', path: 'environments/alpha.yaml', sha: 'blob-1' },
      { type: 'file', path: 'environments/README.md', sha: 'x' },
    ]);
  nock(API)
    .get(`/repos/${REPO}/contents/${encodeURIComponent('environments/alpha.yaml')}`)
    .query({ ref: 'master' })
    .reply(200, contents('environments/alpha.yaml', text, 'blob-1'));
  await t.receive('installation', payload);
}

const statuses = (t: TestApp) =>
  t.server.store
    .listEvents('alpha', 100)
    .items.map((e) => e.status)
    .reverse();

describe('webhook-driven status', () => {
  let t: TestApp;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    await t.server.close();
    expect(pending).toEqual([]);
  });

  it('walks the whole lifecycle: install, push, deployment, phases, report, redelivery, removal, destroy', async () => {
    await install(t);
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({
      status: 'pending',
      repo: REPO,
      cloud: 'aws',
    });
    expect(t.server.store.getEnvironment('alpha')!.meta_config!.cloud).toMatchObject({
      external_id: '[redacted]',
    });

    // A push to the default branch that changes the file: queued, and the new contents indexed.
    nock(API)
      .get(`/repos/${REPO}/contents/environments`)
      .query({ ref: 'c2' })
      .reply(200, [{ type: 'file', path: 'environments/alpha.yaml', sha: 'blob-2' }]);
    nock(API)
      .get(`/repos/${REPO}/contents/${encodeURIComponent('environments/alpha.yaml')}`)
      .query({ ref: 'c2' })
      .reply(
        200,
        contents('environments/alpha.yaml', awsEnvironment('alpha', { dbSize: 'medium' }), 'blob-2'),
      );
    nock(API)
      .get(`/repos/${REPO}/commits/c2/pulls`)
      .reply(200, [
        { number: 7, html_url: `https://github.com/${REPO}/pull/7`, merged_at: '2026-01-01T00:01:00Z' },
      ]);
    await t.receive(
      'push',
      pushPayload({ after: 'c2', pushedAt: Date.parse('2026-01-01T00:01:00Z') / 1000 }),
    );
    expect(t.server.store.getEnvironment('alpha')!.last_pr).toEqual({
      number: 7,
      url: `https://github.com/${REPO}/pull/7`,
    });
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({ status: 'queued' });
    expect(t.server.store.getEnvironment('alpha')!.infra_model!.database.size).toBe('medium');

    await t.receive(
      'deployment',
      deploymentPayload({ environment: 'alpha', id: DEPLOYMENT, at: '2026-01-01T00:02:00Z' }),
    );
    const phases = ['provisioning', 'bootstrapping: installing Beta9', 'ready'];
    for (const [i, description] of phases.entries()) {
      if (description === 'ready')
        mockReport(200, { ...report(), outputs: { ...report().outputs, db_password: 'hunter2' } });
      await t.receive(
        'deployment_status',
        statusPayload({
          environment: 'alpha',
          deploymentId: DEPLOYMENT,
          id: 10 + i,
          description,
          at: `2026-01-01T00:0${3 + i}:00Z`,
        }),
        `status-${i}`,
      );
    }
    const ready = t.server.store.getEnvironment('alpha')!;
    expect(ready).toMatchObject({
      status: 'ready',
      deployment_id: DEPLOYMENT,
      provisioned_at: '2026-01-01T00:05:00.000Z',
      last_commit: SHA,
      last_run_url: `https://github.com/${REPO}/actions/runs/900`,
      outputs: { cluster_name: 'alpha', cluster_endpoint: 'https://alpha.eks', redis_port: 6379 },
      last_counts: { create: 61 },
      error_message: null,
    });
    expect(JSON.stringify(ready)).not.toContain('hunter2');
    expect(t.server.store.listReportFetches()).toEqual([]);
    expect(statuses(t)).toEqual(['queued', 'queued', 'provisioning', 'bootstrapping', 'ready']);

    // Redelivering the same delivery changes nothing.
    const before = t.server.store.listEvents('alpha', 100).items.length;
    await t.receive(
      'deployment_status',
      statusPayload({
        environment: 'alpha',
        deploymentId: DEPLOYMENT,
        id: 12,
        description: 'ready',
        at: '2026-01-01T00:05:00Z',
      }),
      'status-2',
    );
    expect(t.server.store.listEvents('alpha', 100).items).toHaveLength(before);
    expect(t.logs.find(/already applied/).length).toBeGreaterThan(0);

    // Removing the file queues the destroy; the destroy deployment runs it.
    nock(API).get(`/repos/${REPO}/contents/environments`).query({ ref: 'c3' }).reply(200, []);
    // A direct push: the pull request lookup failing must not stop the destroy from being queued.
    nock(API).get(`/repos/${REPO}/commits/c3/pulls`).reply(500, { message: 'boom' });
    await t.receive(
      'push',
      pushPayload({
        after: 'c3',
        pushedAt: Date.parse('2026-01-01T01:00:00Z') / 1000,
        modified: [],
        removed: ['environments/alpha.yaml'],
      }),
    );
    expect(t.server.store.getEnvironment('alpha')!.status).toBe('destroy_queued');
    const destroy = { environment: 'alpha', deploymentId: DEPLOYMENT + 1, operation: 'destroy' as const };
    await t.receive(
      'deployment',
      deploymentPayload({ ...destroy, id: DEPLOYMENT + 1, at: '2026-01-01T01:01:00Z' }),
    );
    await t.receive(
      'deployment_status',
      statusPayload({ ...destroy, id: 20, description: 'destroying', at: '2026-01-01T01:02:00Z' }),
    );
    mockReport(200, report({ operation: 'destroy', status: 'destroyed', outputs: {} }));
    await t.receive(
      'deployment_status',
      statusPayload({
        ...destroy,
        id: 21,
        description: 'destroyed',
        state: 'success',
        at: '2026-01-01T01:30:00Z',
      }),
    );
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({
      status: 'destroyed',
      outputs: {},
      destroyed_at: '2026-01-01T01:30:00.000Z',
    });

    // Every log line about an environment change carries the delivery and the environment.
    const moved = t.logs.find(/^Environment alpha: /);
    expect(moved.length).toBeGreaterThanOrEqual(8);
    for (const line of moved)
      expect(line).toMatchObject({ delivery: expect.any(String), environment: 'alpha' });
  });

  it('indexes the file at the deployment commit when a deployment overtakes the push that declared it', async () => {
    mockToken();
    nock(API)
      .get(`/repos/${REPO}/contents/${encodeURIComponent('environments/alpha.yaml')}`)
      .query({ ref: SHA })
      .reply(200, contents('environments/alpha.yaml', awsEnvironment('alpha'), 'blob-9'));
    await t.receive(
      'deployment',
      deploymentPayload({ environment: 'alpha', id: DEPLOYMENT, at: '2026-01-01T00:02:00Z' }),
    );
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({
      status: 'queued',
      repo: REPO,
      last_commit: SHA,
    });
  });

  it('skips pushes that touch no environment file, or that go to another branch, without calling GitHub', async () => {
    await install(t);
    await t.receive('push', pushPayload({ after: 'c9', pushedAt: 1, modified: ['README.md'] }));
    await t.receive('push', pushPayload({ after: 'c9', pushedAt: 1, ref: 'refs/heads/feature' }));
    expect(t.server.store.getEnvironment('alpha')!.status).toBe('pending');
    expect(t.logs.find(/^Not indexing push/).map((l) => String(l.msg))).toEqual([
      'Not indexing push c9: no file under environments/ changed',
      'Not indexing push to refs/heads/feature: only refs/heads/master declares environments',
    ]);
  });

  it('parks a deployment for an environment not declared yet and applies it once its push arrives', async () => {
    await install(t);
    for (const ext of ['yaml', 'yml']) {
      nock(API)
        .get(`/repos/${REPO}/contents/${encodeURIComponent(`environments/beta.${ext}`)}`)
        .query({ ref: SHA })
        .reply(404, { message: 'Not Found' });
    }
    await t.receive(
      'deployment',
      deploymentPayload({ environment: 'beta', id: DEPLOYMENT, at: '2026-01-01T00:02:00Z' }),
    );
    expect(t.server.store.getEnvironment('beta')).toBeUndefined();
    expect(t.logs.find(/beta is not declared yet/)).toHaveLength(1);

    nock(API)
      .get(`/repos/${REPO}/contents/environments`)
      .query({ ref: 'c5' })
      .reply(200, [
        { type: 'file', path: 'environments/alpha.yaml', sha: 'blob-1' },
        { type: 'file', path: 'environments/beta.yaml', sha: 'blob-b' },
      ]);
    nock(API)
      .get(`/repos/${REPO}/contents/${encodeURIComponent('environments/beta.yaml')}`)
      .query({ ref: 'c5' })
      .reply(200, contents('environments/beta.yaml', awsEnvironment('beta'), 'blob-b'));
    nock(API).get(`/repos/${REPO}/commits/c5/pulls`).reply(200, []);
    // The push that declared it happened before the deployment: the deployment stays the newer event.
    await t.receive(
      'push',
      pushPayload({
        after: 'c5',
        pushedAt: Date.parse('2026-01-01T00:01:00Z') / 1000,
        modified: ['environments/beta.yaml'],
      }),
    );
    expect(t.server.store.getEnvironment('beta')).toMatchObject({
      status: 'queued',
      deployment_id: DEPLOYMENT,
    });
    expect(t.server.store.getEnvironment('alpha')!.status).toBe('pending');
  });

  it('ignores statuses that do not come from the trusted workflow on the default branch', async () => {
    await install(t);
    await t.receive(
      'deployment',
      deploymentPayload({ environment: 'alpha', id: DEPLOYMENT, at: '2026-01-01T00:02:00Z' }),
    );
    const base = {
      environment: 'alpha',
      deploymentId: DEPLOYMENT,
      description: 'ready',
      at: '2026-01-01T00:03:00Z',
    };
    await t.receive('deployment_status', statusPayload({ ...base, id: 30, branch: 'feature/evil' }));
    await t.receive(
      'deployment_status',
      statusPayload({ ...base, id: 31, workflow: 'sneaky', path: '.github/workflows/sneaky.yml' }),
    );
    const other = statusPayload({ ...base, id: 32 });
    delete other.workflow_run;
    await t.receive('deployment_status', other);

    expect(t.server.store.getEnvironment('alpha')!.status).toBe('queued');
    const ignored = t.logs.find(/^Ignoring untrusted status for alpha/).map((l) => String(l.msg));
    expect(ignored).toHaveLength(3);
    expect(ignored[0]).toContain("branch 'feature/evil', not the default branch 'master'");
    expect(ignored[1]).toContain("workflow 'sneaky' is not a trusted apply/destroy workflow");
    expect(ignored[2]).toContain('does not come from a GitHub Actions workflow run');
  });

  it('keeps the status right when the report fetch fails, and retries it later', async () => {
    await install(t);
    await t.receive(
      'deployment',
      deploymentPayload({ environment: 'alpha', id: DEPLOYMENT, at: '2026-01-01T00:02:00Z' }),
    );
    mockReport(502);
    await t.receive(
      'deployment_status',
      statusPayload({
        environment: 'alpha',
        deploymentId: DEPLOYMENT,
        id: 12,
        description: 'ready',
        at: '2026-01-01T00:05:00Z',
      }),
    );
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({ status: 'ready', outputs: {} });
    const [queued] = t.server.store.listReportFetches();
    expect(queued).toMatchObject({
      environment: 'alpha',
      attempts: 1,
      next_attempt_at: '2026-01-01T00:00:30.000Z',
    });

    // Not due yet: nothing is fetched.
    await t.server.services.reports.processDue();
    t.clock.now = new Date('2026-01-01T00:01:00Z');
    mockReport(200, report());
    await t.server.services.reports.processDue();
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({
      status: 'ready',
      outputs: { cluster_name: 'alpha' },
    });
    expect(t.server.store.listReportFetches()).toEqual([]);
    const warn = t.logs.find(/not fetched; retrying later/)[0]!;
    expect(warn).toMatchObject({ environment: 'alpha', attempts: 1 });
  });

  it('fails the environments of a cancelled run and flags a stuck one stale', async () => {
    await install(t);
    await t.receive(
      'deployment',
      deploymentPayload({ environment: 'alpha', id: DEPLOYMENT, at: '2026-01-01T00:02:00Z' }),
    );
    await t.receive(
      'deployment_status',
      statusPayload({
        environment: 'alpha',
        deploymentId: DEPLOYMENT,
        id: 12,
        description: 'provisioning',
        at: '2026-01-01T00:03:00Z',
      }),
    );

    // Stuck: two hours later the environment reads stale, and the checker flags it once with a warning.
    t.clock.now = new Date('2026-01-01T02:03:01Z');
    expect(t.server.store.getEnvironment('alpha')!.stale).toBe(true);
    expect(t.server.stale.check().map((r) => r.name)).toEqual(['alpha']);
    expect(t.server.stale.check()).toEqual([]);
    expect(t.logs.find(/flagged stale/)[0]).toMatchObject({
      level: 40,
      environment: 'alpha',
      status: 'provisioning',
    });

    // A run on another branch proves nothing; the trusted run being cancelled fails it.
    await t.receive(
      'workflow_run',
      workflowRunPayload({ conclusion: 'cancelled', at: '2026-01-01T02:04:00Z', branch: 'dev' }),
    );
    expect(t.server.store.getEnvironment('alpha')!.status).toBe('provisioning');
    await t.receive(
      'workflow_run',
      workflowRunPayload({ conclusion: 'cancelled', at: '2026-01-01T02:04:00Z' }),
    );
    expect(t.server.store.getEnvironment('alpha')).toMatchObject({
      status: 'failed',
      stale: false,
      error_message: 'the workflow run was cancelled while provisioning',
    });
    // A late status from the dead run does not revive it.
    await t.receive(
      'deployment_status',
      statusPayload({
        environment: 'alpha',
        deploymentId: DEPLOYMENT,
        id: 11,
        description: 'provisioning',
        at: '2026-01-01T00:02:30Z',
      }),
    );
    expect(t.server.store.getEnvironment('alpha')!.status).toBe('failed');
  });
});

describe('drift checks', () => {
  let t: TestApp;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    await t.server.close();
    expect(pending).toEqual([]);
  });

  function driftRun(detected: boolean, checkedAt: string, branch = 'master') {
    const payload = example<Record<string, any>>('check_run', (e) => e.action === 'completed'); // eslint-disable-line @typescript-eslint/no-explicit-any
    payload.installation = { id: INSTALLATION };
    payload.repository.full_name = REPO;
    payload.repository.default_branch = 'master';
    payload.check_run.name = 'beta9 / drift / alpha';
    payload.check_run.app = { ...payload.check_run.app, slug: 'github-actions' };
    payload.check_run.check_suite.head_branch = branch;
    payload.check_run.output.text = JSON.stringify({
      ...report({ drift: { detected, checked_at: checkedAt } }),
    });
    return payload;
  }

  it('records the newest drift result from the scheduled check on the default branch', async () => {
    await install(t);
    await t.receive('check_run', driftRun(true, '2026-01-02T00:00:00Z'));
    expect(t.server.store.getEnvironment('alpha')!.drift).toEqual({
      detected: true,
      checked_at: '2026-01-02T00:00:00.000Z',
    });
    // An older check arriving late, and one from a branch, change nothing.
    await t.receive('check_run', driftRun(false, '2026-01-01T00:00:00Z'));
    await t.receive('check_run', driftRun(false, '2026-01-03T00:00:00Z', 'feature'));
    expect(t.server.store.getEnvironment('alpha')!.drift!.detected).toBe(true);
    await t.receive('check_run', driftRun(false, '2026-01-03T00:00:00Z'));
    expect(t.server.store.getEnvironment('alpha')!.drift).toEqual({
      detected: false,
      checked_at: '2026-01-03T00:00:00.000Z',
    });
    expect(t.logs.find(/^Drift detected in alpha/)[0]).toMatchObject({ level: 40, environment: 'alpha' });
  });
});
