/**
 * Shuffled deliveries (issue 8): the whole lifecycle of two environments — push, deployment,
 * every phase to ready, a second push and deployment, removal and destroy — delivered in random
 * orders with redeliveries, through the real server (signature check, Probot, handlers, SQLite)
 * in-process, against a fake GitHub on loopback. The final state is always the in-order state.
 */
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/app/server.js';
import { testSettings, TestOctokit } from '../../app/fixtures/app.js';
import { PRIVATE_KEY, sign, WEBHOOK_SECRET } from '../harness.js';
import { deploymentDeliveries, environmentFile, Fixture, pushDelivery, type Delivery } from './helpers.js';

const NAMES = ['shuf-a', 'shuf-b'];
/** Written from the wall clock, or by whichever delivery came first: not part of the state. */
const VOLATILE = ['created_at', 'updated_at', 'status_changed_at'];

describe('shuffled deliveries', () => {
  const fixture = new Fixture(NAMES);
  let lifecycle: Delivery[];
  let expected: Record<string, unknown>;

  async function run(order: readonly Delivery[]): Promise<Record<string, unknown>> {
    const server = await createServer(
      testSettings({
        github: {
          appId: '12345',
          privateKey: PRIVATE_KEY,
          webhookSecret: WEBHOOK_SECRET,
          baseUrl: `${fixture.github.url}/api/v3`,
        },
        apiTokens: [],
        logLevel: 'silent',
        databasePath: ':memory:',
      }),
      { logger: pino({ level: 'silent' }), Octokit: TestOctokit, processMetrics: false },
    );
    try {
      for (const d of order) {
        const body = JSON.stringify(d.payload);
        const response = await server.app.request('/api/github/webhooks', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': d.event,
            'x-github-delivery': d.id,
            'x-hub-signature-256': sign(body),
          },
          body,
        });
        expect(response.status, `${d.id}: ${await response.clone().text()}`).toBe(200);
      }
      const state: Record<string, unknown> = {};
      for (const name of NAMES) {
        const response = await server.app.request(`/api/v1/environments/${name}`);
        const view = (await response.json()) as Record<string, unknown>;
        for (const key of VOLATILE) delete view[key];
        state[name] = view;
      }
      return state;
    } finally {
      await server.close();
    }
  }

  beforeAll(async () => {
    await fixture.start();
    const [initial, declared] = fixture.commits as [string, string];
    const resized = fixture.commit('resize shuf-a', (repo) =>
      repo.write('environments/shuf-a.yaml', environmentFile('shuf-a', 'medium')),
    );
    const removed = fixture.commit('remove shuf-b', (repo) => repo.remove('environments/shuf-b.yaml'));
    const gh = fixture.github;
    lifecycle = [
      pushDelivery(gh, 'push-1', initial, declared, 0),
      ...deploymentDeliveries(gh, {
        environment: 'shuf-a',
        deploymentId: 1,
        runId: 1,
        sha: declared,
        at: 10,
      }),
      ...deploymentDeliveries(gh, {
        environment: 'shuf-b',
        deploymentId: 2,
        runId: 1,
        sha: declared,
        at: 10,
      }),
      pushDelivery(gh, 'push-2', declared, resized, 20),
      ...deploymentDeliveries(gh, { environment: 'shuf-a', deploymentId: 3, runId: 2, sha: resized, at: 30 }),
      pushDelivery(gh, 'push-3', resized, removed, 40),
      ...deploymentDeliveries(gh, {
        environment: 'shuf-b',
        deploymentId: 4,
        runId: 3,
        sha: removed,
        at: 50,
        operation: 'destroy',
      }),
    ];
    fixture.publishReport('shuf-a', declared, 'ready', 1);
    fixture.publishReport('shuf-b', declared, 'ready', 2);
    fixture.publishReport('shuf-a', resized, 'ready', 3);
    fixture.publishReport('shuf-b', removed, 'destroyed', 4);
    expected = await run(lifecycle);
  }, 60_000);

  afterAll(() => fixture.stop());

  it('the in-order lifecycle ends with shuf-a ready at its new size and shuf-b destroyed', () => {
    const a = expected['shuf-a'] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const b = expected['shuf-b'] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(a.status).toBe('ready');
    expect(a.outputs).toMatchObject({ vpc_id: 'vpc-3' });
    // The index holds the declaration of the latest push, not the first.
    expect(a.meta_config).toMatchObject({ database: { size: 'medium' } });
    expect(b.status).toBe('destroyed');
  });

  it('any order, with redeliveries, ends in the in-order state', async () => {
    const n = lifecycle.length;
    const order = fc
      .tuple(
        fc.shuffledSubarray([...lifecycle.keys()], { minLength: n, maxLength: n }),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n)), { maxLength: 8 }),
      )
      .map(([permutation, duplicates]) => {
        const indices = [...permutation];
        for (const [which, where] of duplicates) indices.splice(where % (indices.length + 1), 0, which);
        return indices;
      });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(order, async (indices) => {
        runs++;
        expect(await run(indices.map((i) => lifecycle[i]!))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    expect(runs).toBeGreaterThanOrEqual(60);
  });
});
