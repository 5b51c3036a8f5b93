import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createGitHubReporter,
  deploymentState,
  statusDescription,
  PLAN_COMMENT_MARKER,
} from '../../src/action/github.js';
import type { RunReport } from '../../src/engine/report/types.js';

const API = 'https://api.github.test';
const reporter = () =>
  createGitHubReporter('ghs_x', {
    apiUrl: API,
    owner: 'acme',
    repo: 'infra',
    runUrl: 'https://github.test/run/1',
  });

describe('GitHub reporting', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it('maps every lifecycle status to a deployment state, the description starting with the phase word', () => {
    expect(deploymentState('queued')).toBe('queued');
    expect(deploymentState('destroy_queued')).toBe('queued');
    expect(deploymentState('provisioning')).toBe('in_progress');
    expect(deploymentState('bootstrapping')).toBe('in_progress');
    expect(deploymentState('destroying')).toBe('in_progress');
    expect(deploymentState('ready')).toBe('success');
    expect(deploymentState('destroyed')).toBe('success');
    expect(deploymentState('failed')).toBe('failure');
    expect(statusDescription('failed', 'x'.repeat(300))).toMatch(/^failed: x+…$/);
    expect(statusDescription('failed', 'x'.repeat(300)).length).toBe(140);
    expect(statusDescription('ready')).toBe('ready');
  });

  it('creates a deployment with the beta9 payload and posts statuses with the run URL', async () => {
    nock(API)
      .post(
        '/repos/acme/infra/deployments',
        (b) =>
          b.environment === 'ml' &&
          b.ref === 'sha1' &&
          b.payload.beta9.operation === 'destroy' &&
          b.required_contexts.length === 0,
      )
      .reply(201, { id: 55 })
      .post(
        '/repos/acme/infra/deployments/55/statuses',
        (b) =>
          b.state === 'in_progress' &&
          b.description === 'destroying' &&
          b.log_url === 'https://github.test/run/1',
      )
      .reply(201, {});
    const r = reporter();
    const id = await r.createDeployment('ml', 'destroy', 'sha1');
    expect(id).toBe(55);
    await r.setDeploymentStatus(id, 'destroying');
  });

  it('edits the existing sticky comment instead of adding one', async () => {
    nock(API)
      .get('/repos/acme/infra/issues/3/comments')
      .query(true)
      .reply(200, [
        { id: 1, body: 'hello' },
        { id: 2, body: `${PLAN_COMMENT_MARKER}\nold` },
      ])
      .patch('/repos/acme/infra/issues/comments/2', (b) => b.body.includes('new'))
      .reply(200, { id: 2 });
    expect(await reporter().upsertPlanComment(3, `${PLAN_COMMENT_MARKER}\nnew`)).toEqual({
      id: 2,
      created: false,
    });
  });

  it('creates the sticky comment when there is none', async () => {
    nock(API)
      .get('/repos/acme/infra/issues/3/comments')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/infra/issues/3/comments')
      .reply(201, { id: 9 });
    expect(await reporter().upsertPlanComment(3, `${PLAN_COMMENT_MARKER}\nnew`)).toEqual({
      id: 9,
      created: true,
    });
  });

  it('publishes the run report as the check run the App reads', async () => {
    const report: RunReport = {
      version: 1,
      environment: 'ml',
      operation: 'apply',
      status: 'failed',
      commit: 'sha1',
      started_at: '2026-11-26T01:00:00Z',
      finished_at: '2026-11-26T01:10:00Z',
      timings: { plan: 3 },
      outputs: {},
      error: { class: 'cloud_capacity', message: 'quota' },
    };
    nock(API)
      .post(
        '/repos/acme/infra/check-runs',
        (b) =>
          b.name === 'beta9 / report / ml' &&
          b.conclusion === 'failure' &&
          JSON.parse(b.output.text).error.class === 'cloud_capacity',
      )
      .reply(201, { id: 1 });
    await reporter().publishReport(report);
  });
});
