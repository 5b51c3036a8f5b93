/**
 * The whole GitOps lifecycle with real processes (issue 8): the server as `npm start` runs it,
 * signed deliveries over HTTP, GitHub as a local fake that records state and forwards the
 * deployment events the Action creates back to the App, and the committed, bundled Action run as
 * a process with the Terraform and Helm doubles on PATH.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullRequest } from '../fakes/github.js';
import { ROOT, until, watch } from './harness.js';
import { World } from './world.js';

const NAME = 'e2e-gpu';
const FILE = `environments/${NAME}.yaml`;
const BASE_FILE = readFileSync(join(ROOT, 'environments/ml-staging.yaml'), 'utf8')
  .replaceAll('ml-staging', NAME)
  .replace('deletion_protection: false', 'deletion_protection: true');
const RESIZED = BASE_FILE.replace('database:\n  size: small', 'database:\n  size: medium');
const UNPROTECTED = RESIZED.replace('deletion_protection: true', 'deletion_protection: false');

/** The status a watch event announces: the change's, or the current state's for the first event. */
function statusOf(data: unknown): string | undefined {
  const d = data as { event?: { status?: string } | null; environment?: { status?: string } };
  return d.event?.status ?? d.environment?.status;
}

describe('the GitOps lifecycle, end to end', () => {
  const world = new World();
  const { repo } = world;

  beforeAll(() => world.start(), 120_000);
  afterAll(() => world.stop());

  let first: PullRequest;

  it('1-2: a pull request adding the file gets a passing check and the intent comment', async () => {
    first = await world.openPullRequest(() => repo.write(FILE, BASE_FILE));
    const check = await world.validateCheck(world.github.resolve(first.head));
    expect(check.conclusion).toBe('success');
    const comment = await world.comment(first.number, 'intent');
    expect(comment.body).toContain(NAME);
    expect(comment.body).toMatch(/\$[\d,.]+/);
  });

  it('2b: a broken edit gets annotations on the exact lines', async () => {
    const broken = await world.openPullRequest(() =>
      repo.write(
        FILE,
        BASE_FILE.replace('size: small # 2 zones', 'size: tiny # 2 zones').replace(
          'region: us-east-1',
          'regoin: us-east-1',
        ),
      ),
    );
    const check = await world.validateCheck(world.github.resolve(broken.head));
    expect(check.conclusion).toBe('failure');
    const lines = BASE_FILE.split('\n');
    const sizeLine = lines.findIndex((l) => l.includes('size: small # 2 zones')) + 1;
    const regionLine = lines.findIndex((l) => l.includes('region: us-east-1')) + 1;
    expect(check.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: FILE,
          start_line: sizeLine,
          message: expect.stringContaining('small'),
        }),
        expect.objectContaining({
          path: FILE,
          start_line: regionLine,
          message: expect.stringContaining('region'),
        }),
      ]),
    );
  });

  it('3: the plan comment appears on the pull request', async () => {
    const result = await world.planPullRequest(first);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const plan = await world.comment(first.number, 'plan');
    expect(plan.body).toContain(NAME);
    expect(plan.body).toMatch(/to add/);
  });

  it('4-6: merging applies it; statuses arrive as webhooks; the API shows ready with outputs; SSE saw every phase in order', async () => {
    let watcher: ReturnType<typeof watch> | undefined;
    const result = await world.mergeAndApply(first, {}, async () => {
      // The push indexed the file as queued; from here on every phase is pushed to watchers.
      await world.waitForStatus(NAME, 'queued');
      watcher = watch(`${world.server.url}/api/v1/environments/${NAME}/watch`);
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const view = await until('ready with outputs', async () => {
      const env = await world.environment(NAME);
      return env.status === 'ready' && Object.keys(env.outputs).length > 0 ? env : undefined;
    });
    expect(view.outputs).toMatchObject({ cluster_name: NAME });
    expect(view.outputs).toHaveProperty('rds_endpoint');
    expect(view.last_pr?.number).toBe(first.number);
    await until(
      'the SSE watcher to see ready',
      () => watcher!.events.some((e) => statusOf(e.data) === 'ready') || undefined,
    );
    await watcher!.stop();
    const phases = watcher!.events.map((e) => statusOf(e.data));
    const order = ['provisioning', 'bootstrapping', 'ready'];
    expect(phases.filter((p) => order.includes(p!))).toEqual(order);
  });

  it('7: a pull request that resizes the database plans an update, applies, and is ready again', async () => {
    const pr = await world.openPullRequest(() => repo.write(FILE, RESIZED));
    const intent = await world.comment(pr.number, 'intent');
    expect(intent.body).toMatch(/database/i);
    const plan = await world.planPullRequest(pr);
    expect(plan.code, plan.stdout).toBe(0);
    expect((await world.comment(pr.number, 'plan')).body).toMatch(/to change/);
    const applied = await world.mergeAndApply(pr);
    expect(applied.code, applied.stdout).toBe(0);
    await world.waitForStatus(NAME, 'ready');
  });

  it('8: removing the file while deletion protection is on is refused', async () => {
    const pr = await world.openPullRequest(() => repo.remove(FILE));
    const check = await world.validateCheck(world.github.resolve(pr.head));
    expect(check.conclusion).toBe('failure');
    expect(JSON.stringify(check.output) + JSON.stringify(check.annotations)).toMatch(/deletion.protection/i);
    world.github.pulls.delete(pr.number);
  });

  it('also: a failed apply shows failed with the reason, and a retry converges to ready', async () => {
    const pr = await world.openPullRequest(() => repo.write(FILE, UNPROTECTED));
    const failed = await world.mergeAndApply(pr, { BETA9_TF_DOUBLE_FAIL: 'apply:quota' });
    expect(failed.code).not.toBe(0);
    const view = await world.waitForStatus(NAME, 'failed');
    expect(view.error_message).toMatch(/quota/i);
    const retried = await world.pushAndRun(world.github.resolve('main~1'), world.github.resolve('main'));
    expect(retried.code, retried.stdout).toBe(0);
    await world.waitForStatus(NAME, 'ready');
  });

  it('9: with protection off, removing the file destroys the environment', async () => {
    const pr = await world.openPullRequest(() => repo.remove(FILE));
    const check = await world.validateCheck(world.github.resolve(pr.head));
    expect(check.conclusion).toBe('success');
    const result = await world.mergeAndApply(pr);
    expect(result.code, result.stdout).toBe(0);
    await world.waitForStatus(NAME, 'destroyed');
    const events = (await world.api(`/api/v1/environments/${NAME}/events?limit=100`)).body as {
      items: { status: string }[];
    };
    const statuses = events.items.map((e) => e.status).reverse();
    for (const phase of ['provisioning', 'ready', 'failed', 'destroying', 'destroyed']) {
      expect(statuses).toContain(phase);
    }
  });

  it('no 5xx from the fake GitHub and every forwarded delivery accepted', () => {
    expect(world.github.recorded.requests.filter((r) => r.status >= 500)).toEqual([]);
    expect(world.github.recorded.webhooks.filter((w) => w.status !== 200 && w.status !== 202)).toEqual([]);
  });
});
