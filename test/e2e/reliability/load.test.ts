/**
 * Load (issue 8): the real server's REST API at 256 connections for 60 s while signed webhook
 * deliveries stream in at 20 a second. No errors, no non-2xx, p99 within 5x of the unloaded
 * figure measured first in the same test at the same connection count, and every delivery's
 * effect is in the index at the end.
 */
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, startServer, type ServerProcess } from '../harness.js';
import { deploymentDeliveries, Fixture, halt, pushDelivery, readIndex, type Delivery } from './helpers.js';

const CONNECTIONS = 256;
const LOADED_SECONDS = 60;
const UNLOADED_SECONDS = 5;
const DELIVERIES_PER_SECOND = 20;
const NAMES = Array.from({ length: 20 }, (_, i) => `load-${String(i).padStart(2, '0')}`);
const PHASE_OF_STEP = ['queued', 'provisioning', 'bootstrapping', 'ready'];

describe('load', () => {
  const fixture = new Fixture(NAMES);
  let server: ServerProcess;
  let declared: string;

  beforeAll(async () => {
    await fixture.start();
    const [initial, sha] = fixture.commits as [string, string];
    declared = sha;
    server = await startServer(fixture.serverEnv('index.db', { LOG_LEVEL: 'error' }));
    const push = pushDelivery(fixture.github, 'push-1', initial, declared, 0);
    expect(await deliver(server.url, push.event, push.payload, push.id)).toBe(200);
    for (const name of NAMES) fixture.publishReport(name, declared, 'ready', 0);
  }, 120_000);

  afterAll(async () => {
    await halt(server);
    await fixture.stop();
  });

  function hammer(seconds: number): Promise<autocannon.Result> {
    return autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: seconds,
      // Half single environments, half list pages (the first page and a filtered one).
      requests: [
        ...NAMES.slice(0, 4).map((name) => ({
          method: 'GET' as const,
          path: `/api/v1/environments/${name}`,
        })),
        { method: 'GET' as const, path: '/api/v1/environments?limit=20' },
        { method: 'GET' as const, path: '/api/v1/environments?status=ready&limit=10' },
        { method: 'GET' as const, path: `/api/v1/environments/${NAMES[7]}` },
        { method: 'GET' as const, path: '/api/v1/environments?limit=5' },
      ],
    });
  }

  it('serves 256 connections for 60 s while webhooks stream in, with no error and no lost delivery', async () => {
    await hammer(2); // warm-up: JIT and caches, so the baseline is not inflated by a cold start
    const unloaded = await hammer(UNLOADED_SECONDS);
    expect(unloaded.errors + unloaded.timeouts + unloaded.non2xx).toBe(0);

    // The stream: environment after environment, each delivery the next step of its lifecycle.
    const stream: Delivery[] = [];
    for (let round = 0; stream.length < DELIVERIES_PER_SECOND * LOADED_SECONDS * 1.2; round++) {
      for (const [e, environment] of NAMES.entries()) {
        const deploymentId = 1 + round * NAMES.length + e;
        stream.push(
          ...deploymentDeliveries(fixture.github, {
            environment,
            deploymentId,
            runId: deploymentId,
            sha: declared,
            at: 10 + round * 10,
          }),
        );
      }
    }
    // Deliveries go out in lifecycles of 4 per environment; interleave by round so every
    // environment moves all the time.
    const ordered = [...stream].sort((a, b) => {
      const depA = Number(/-(\d+)/.exec(a.id)![1]);
      const depB = Number(/-(\d+)/.exec(b.id)![1]);
      const roundA = Math.floor((depA - 1) / NAMES.length);
      const roundB = Math.floor((depB - 1) / NAMES.length);
      return roundA - roundB || stepOf(a) - stepOf(b) || depA - depB;
    });

    const sent: { delivery: Delivery; status: Promise<number> }[] = [];
    let streaming = true;
    const pump = (async () => {
      const started = Date.now();
      while (streaming && sent.length < ordered.length) {
        const due = Math.floor(((Date.now() - started) / 1000) * DELIVERIES_PER_SECOND);
        while (sent.length < due && sent.length < ordered.length) {
          const delivery = ordered[sent.length]!;
          sent.push({ delivery, status: deliver(server.url, delivery.event, delivery.payload, delivery.id) });
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const loaded = await hammer(LOADED_SECONDS);
    streaming = false;
    await pump;
    const statuses = await Promise.all(sent.map((s) => s.status));

    console.log(
      `load: unloaded ${Math.round(unloaded.requests.average)} req/s, p99 ${unloaded.latency.p99} ms; ` +
        `loaded ${Math.round(loaded.requests.average)} req/s, p99 ${loaded.latency.p99} ms, ` +
        `${loaded.requests.total} requests; ${sent.length} deliveries in ${LOADED_SECONDS} s`,
    );
    expect(loaded.errors + loaded.timeouts).toBe(0);
    expect(loaded.non2xx).toBe(0);
    expect(loaded.latency.p99).toBeLessThanOrEqual(5 * Math.max(unloaded.latency.p99, 1));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // At 20/s for 60 s, allowing for a busy machine.
    expect(sent.length).toBeGreaterThanOrEqual(DELIVERIES_PER_SECOND * LOADED_SECONDS * 0.8);

    // No lost delivery: every one is claimed, and every environment is at its last delivered step.
    const index = readIndex(fixture.serverEnv('index.db').DATABASE_PATH!);
    expect(index.deliveries).toBe(1 + sent.length);
    const last = new Map<string, Delivery>();
    for (const { delivery } of sent) last.set(environmentOf(delivery), delivery);
    for (const name of NAMES) {
      const view = (await (await fetch(`${server.url}/api/v1/environments/${name}`)).json()) as {
        status: string;
        deployment_id?: number;
      };
      const delivery = last.get(name)!;
      expect({ name, status: view.status }).toEqual({ name, status: PHASE_OF_STEP[stepOf(delivery)] });
    }
  });
});

function stepOf(d: Delivery): number {
  return d.event === 'deployment' ? 0 : Number(/-(\d+)$/.exec(d.id)![1]) + 1;
}

function environmentOf(d: Delivery): string {
  return (d.payload.deployment as { environment: string }).environment;
}
