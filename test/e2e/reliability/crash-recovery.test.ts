/**
 * Crash recovery (issue 8): SIGKILL the real server in the middle of a burst of 5,000 signed
 * deliveries, restart it on the same index, redeliver everything with the same delivery ids,
 * and the index is intact and equal to the index of a clean run that saw every delivery once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, startServer, until, type ServerProcess } from '../harness.js';
import {
  deploymentDeliveries,
  Fixture,
  halt,
  mapLimit,
  pushDelivery,
  readIndex,
  type Delivery,
} from './helpers.js';

const ENVIRONMENTS = 50;
const ROUNDS = 25; // 50 environments x 25 deployments x 4 deliveries = 5,000
const CONCURRENCY = 16;
const names = Array.from({ length: ENVIRONMENTS }, (_, i) => `crash-${String(i).padStart(3, '0')}`);

describe('crash recovery', () => {
  const fixture = new Fixture(names);
  const servers: ServerProcess[] = [];
  let burst: Delivery[];
  let push: Delivery;

  beforeAll(async () => {
    await fixture.start();
    const [initial, declared] = fixture.commits as [string, string];
    push = pushDelivery(fixture.github, 'push-1', initial, declared, 0);
    burst = [];
    // Round by round, environment by environment: each in-flight window spans many environments.
    for (let round = 0; round < ROUNDS; round++) {
      const lifecycles = names.map((environment, e) => {
        const deploymentId = 1 + round * ENVIRONMENTS + e;
        const last = round === ROUNDS - 1;
        // Earlier deployments are superseded while bootstrapping; the last one ends ready, or
        // failed for every fifth environment (final statuses make the App fetch the run report).
        const phases = !last
          ? ['queued', 'provisioning', 'bootstrapping']
          : e % 5 === 0
            ? ['provisioning', 'bootstrapping', 'failed: quota exceeded']
            : undefined;
        return deploymentDeliveries(fixture.github, {
          environment,
          deploymentId,
          runId: deploymentId,
          sha: declared,
          at: 10 + round * 10,
          phases,
        });
      });
      for (let step = 0; step < 4; step++) for (const lifecycle of lifecycles) burst.push(lifecycle[step]!);
    }
    names.forEach((environment, e) =>
      fixture.publishReport(
        environment,
        declared,
        e % 5 === 0 ? 'failed' : 'ready',
        1 + (ROUNDS - 1) * ENVIRONMENTS + e,
      ),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => halt(s, 'SIGKILL')));
    await fixture.stop();
  });

  async function run(
    dbName: string,
    deliveries: Delivery[],
    stopAfter?: number,
  ): Promise<{ statuses: number[]; sent: number }> {
    const server = await startServer(fixture.serverEnv(dbName));
    servers.push(server);
    const statuses: number[] = [];
    let sent = 0;
    let killed = false;
    await mapLimit(deliveries, CONCURRENCY, async (d) => {
      if (killed) return;
      if (stopAfter !== undefined && sent >= stopAfter) {
        killed = true;
        await server.stop('SIGKILL');
        return;
      }
      sent++;
      try {
        statuses.push(await deliver(server.url, d.event, d.payload, d.id));
      } catch (error) {
        if (!killed) throw error;
      }
    });
    if (!killed) {
      await until(
        'every run report fetched',
        () => (readIndex(fixture.serverEnv(dbName).DATABASE_PATH!).pendingReports === 0 ? true : undefined),
        60_000,
      );
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    return { statuses, sent };
  }

  it('a SIGKILL mid-burst, a restart and a full redelivery end in the index of a clean run', async () => {
    const all = [push, ...burst];
    expect(burst).toHaveLength(5000);

    const started = Date.now();
    const clean = await run('clean.db', all);
    const cleanMs = Date.now() - started;
    expect(clean.statuses.filter((s) => s !== 200)).toEqual([]);
    const expected = readIndex(fixture.serverEnv('clean.db').DATABASE_PATH!);
    expect(expected.integrity).toBe('ok');
    expect(expected.environments).toHaveLength(ENVIRONMENTS);
    expect(expected.deliveries).toBe(all.length);
    // The clean run really went through the lifecycle: ready with the report's outputs, or failed with the reason.
    const ready = expected.environments.filter((e) => e.status === 'ready');
    const failed = expected.environments.filter((e) => e.status === 'failed');
    expect(ready).toHaveLength(40);
    expect(failed).toHaveLength(10);
    expect(JSON.parse(String(ready[0]!.outputs))).toHaveProperty('vpc_id');
    expect(failed[0]!.error_message).toMatch(/quota exceeded/);

    // Crash half-way (at a random point of the middle half), then restart on the same file.
    const cut = 1250 + Math.floor(Math.random() * 2500);
    console.log(`crash recovery: SIGKILL after ${cut} deliveries`);
    const crashed = await run('crash.db', all, cut);
    expect(crashed.sent).toBeGreaterThanOrEqual(cut - CONCURRENCY);
    const restarted = await run('crash.db', all);
    expect(restarted.statuses.filter((s) => s !== 200)).toEqual([]);

    const actual = readIndex(fixture.serverEnv('crash.db').DATABASE_PATH!);
    expect(actual.integrity).toBe('ok');
    expect(actual.deliveries).toBe(all.length);
    expect(actual.environments).toEqual(expected.environments);
    console.log(
      `crash recovery: clean run of ${all.length} deliveries in ${cleanMs} ms; SIGKILL after ${cut}; total ${Date.now() - started} ms`,
    );
  });
});
