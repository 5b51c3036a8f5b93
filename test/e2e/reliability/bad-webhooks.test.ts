/**
 * Bad webhooks (issue 8): fuzz the real server's webhook endpoint with random bodies, headers
 * and signatures, truncated JSON, bodies over the limit, wrong content types, missing headers,
 * signed garbage and signed events with fields missing. No 5xx, no crash, no index change, and
 * the memory stays flat.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, sign, startServer, type ServerProcess } from '../harness.js';
import {
  deploymentDeliveries,
  Fixture,
  halt,
  pushDelivery,
  readIndex,
  type Delivery,
  type Json,
} from './helpers.js';

const BODY_LIMIT = 64 * 1024;
const BURST = 5000;
/** The connection was closed before an answer could be read (only acceptable for bodies over the limit). */
const DROPPED = -1;
const EVENTS = [
  'push',
  'deployment',
  'deployment_status',
  'pull_request',
  'installation',
  'workflow_run',
  'ping',
];

interface FuzzRequest {
  kind: string;
  /** What was changed in a real payload, for a readable counterexample. */
  note?: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]);
}

/** Removes `path` (dot-separated) from a deep copy of `value`. */
function without(value: Json, path: string[]): Json {
  const copy = structuredClone(value);
  let node: Json | undefined = copy;
  for (const key of path.slice(0, -1)) node = node?.[key] as Json | undefined;
  if (node && typeof node === 'object') delete node[path.at(-1)!];
  return copy;
}

function setNull(value: Json, path: string[]): Json {
  const copy = structuredClone(value);
  let node: Json | undefined = copy;
  for (const key of path.slice(0, -1)) node = node?.[key] as Json | undefined;
  if (node && typeof node === 'object') node[path.at(-1)!] = null;
  return copy;
}

function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

describe('bad webhooks', () => {
  const fixture = new Fixture(['fuzz-a', 'fuzz-b']);
  let server: ServerProcess;
  let seeded: Delivery[];
  let before: { list: unknown; events: unknown; index: ReturnType<typeof readIndex> };

  const snapshot = async () => {
    const get = async (path: string) => (await fetch(`${server.url}${path}`)).json();
    const index = readIndex(fixture.serverEnv().DATABASE_PATH!);
    return {
      list: await get('/api/v1/environments'),
      events: await get('/api/v1/environments/fuzz-a/events?limit=100'),
      // The deliveries table grows with every signed event the App accepts, so it is left out.
      index: { ...index, deliveries: 0 },
    };
  };

  beforeAll(async () => {
    await fixture.start();
    const [initial, declared] = fixture.commits as [string, string];
    server = await startServer(fixture.serverEnv('index.db', { WEBHOOK_BODY_LIMIT: String(BODY_LIMIT) }));
    fixture.publishReport('fuzz-a', declared, 'ready', 1);
    seeded = [
      pushDelivery(fixture.github, 'seed-push', initial, declared, 0),
      ...deploymentDeliveries(fixture.github, {
        environment: 'fuzz-a',
        deploymentId: 1,
        runId: 1,
        sha: declared,
        at: 10,
      }),
    ];
    for (const d of seeded) expect(await deliver(server.url, d.event, d.payload, d.id)).toBe(200);
    before = await snapshot();
    expect((before.list as { items: { name: string; status: string }[] }).items).toEqual([
      expect.objectContaining({ name: 'fuzz-a', status: 'ready' }),
      expect.objectContaining({ name: 'fuzz-b', status: 'queued' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await halt(server);
    await fixture.stop();
  });

  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    '',
  );
  const signature = fc.oneof(
    fc.constant('sha256='),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `sha256=${Buffer.from(b).toString('hex')}`),
    fc.string({ unit: 'grapheme-ascii' }),
    fc.constant(`sha1=${'0'.repeat(40)}`),
  );

  function request(): fc.Arbitrary<FuzzRequest> {
    const random = fc
      .record({
        body: fc.oneof(fc.string({ maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 })),
        event: fc.oneof(fc.constantFrom(...EVENTS), fc.string({ maxLength: 40, unit: 'grapheme-ascii' })),
        id: fc.string({ maxLength: 60, unit: 'grapheme-ascii' }),
        signature,
        type: contentType,
        drop: fc.subarray(['x-github-event', 'x-github-delivery', 'x-hub-signature-256', 'content-type']),
      })
      .map(({ body, event, id, signature: sig, type, drop }) => {
        const headers: Record<string, string> = {
          'x-github-event': event,
          'x-github-delivery': id,
          'x-hub-signature-256': sig,
          'content-type': type,
        };
        for (const h of drop) delete headers[h];
        return { kind: 'random', headers, body };
      });
    const signed = (kind: string, body: string, event: string, type = 'application/json'): FuzzRequest => ({
      kind,
      headers: {
        'x-github-event': event,
        'x-github-delivery': `fuzz-${kind}-${Math.random().toString(36).slice(2)}`,
        'x-hub-signature-256': sign(body),
        'content-type': type,
      },
      body,
    });
    const seededIndex = fc.integer({ min: 0, max: seeded.length - 1 });
    const truncated = fc
      .tuple(seededIndex, fc.double({ min: 0, max: 0.999, noNaN: true }))
      .map(([i, cut]) => {
        const text = JSON.stringify(seeded[i]!.payload);
        return signed('truncated', text.slice(0, Math.floor(text.length * cut)), seeded[i]!.event);
      });
    const garbageJson = fc
      .tuple(fc.json({ maxDepth: 4 }), fc.constantFrom(...EVENTS))
      .map(([json, event]) => signed('signed-garbage', json, event));
    const missingFields = fc
      .tuple(seededIndex, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([i, picks, nullify]) => {
        const d = seeded[i]!;
        const all = paths(d.payload);
        let payload = d.payload;
        const changed: string[] = [];
        for (const p of picks) {
          const path = all[p % all.length]!;
          payload = nullify ? setNull(payload, path) : without(payload, path);
          changed.push(path.join('.'));
        }
        return {
          ...signed('missing-fields', JSON.stringify(payload), d.event),
          note: `${d.event} with ${changed.join(', ')} ${nullify ? 'set to null' : 'removed'}`,
        };
      });
    const wrongType = fc
      .tuple(
        seededIndex,
        contentType.filter((t) => !t.startsWith('application/json')),
      )
      .map(([i, type]) => {
        const d = seeded[i]!;
        const body = type.includes('urlencoded')
          ? `payload=${encodeURIComponent(JSON.stringify(d.payload))}`
          : JSON.stringify(d.payload);
        return signed('wrong-type', body, d.event, type);
      });
    const huge = fc
      .tuple(fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 4 }), fc.boolean())
      .map(([size, json]) => {
        const body = json ? `{"a":"${'x'.repeat(size - 8)}"}` : 'x'.repeat(size);
        return signed('huge', body, 'push');
      });
    return fc.oneof(
      { arbitrary: random, weight: 4 },
      { arbitrary: truncated, weight: 2 },
      { arbitrary: garbageJson, weight: 2 },
      { arbitrary: missingFields, weight: 3 },
      { arbitrary: wrongType, weight: 1 },
      { arbitrary: huge, weight: 1 },
    );
  }

  /**
   * One request on its own connection: a server that answers 413 before reading a body closes
   * that connection, and a pooled client would see the next request on it fail.
   */
  function send(r: FuzzRequest): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/api/github/webhooks`,
        { method: 'POST', headers: r.headers, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      // Answered before the whole body was sent: the server may close while we still write.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') return reject(error);
        setTimeout(() => resolve(DROPPED), 1000);
      });
      req.end(r.body);
    });
  }

  const seen: Record<string, Set<number>> = {};
  const property = () =>
    fc.asyncProperty(request(), async (r) => {
      const status = await send(r);
      (seen[r.kind] ??= new Set()).add(status);
      expect(status, `${r.kind} request answered ${status}`).toBeLessThan(500);
      // A signed delivery the App accepted must not have moved anything: checked at once, so
      // fast-check can shrink to the one delivery that did.
      if (status === 200) {
        expect(
          readIndex(fixture.serverEnv().DATABASE_PATH!).environments,
          `accepted ${r.note ?? r.kind} changed the index`,
        ).toEqual(before.index.environments);
      }
    });

  it('answers every bad delivery with a 4xx (or a harmless 200), stays up, leaves the index alone and keeps its memory flat', async () => {
    const seed = Date.now();
    console.log(`bad webhooks: fast-check seed ${seed}`);
    // No shrinking: the server keeps state, so the first failing request is the counterexample.
    // Warm-up: JIT, caches and pools reach their steady size before the baseline is read.
    await fc.assert(property(), { numRuns: 1000, seed, endOnFailure: true });
    const rssBefore = rssKb(server.child.pid!);
    const started = Date.now();
    await fc.assert(property(), { numRuns: BURST, seed: seed + 1, endOnFailure: true });
    const elapsed = Date.now() - started;
    const rssAfter = rssKb(server.child.pid!);
    console.log(
      `bad webhooks: ${BURST} fuzzed deliveries in ${elapsed} ms; RSS ${Math.round(rssBefore / 1024)} -> ${Math.round(rssAfter / 1024)} MB; statuses ${JSON.stringify(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v].sort()])))}`,
    );

    // One body 128 times the limit: refused (413), or cut off unread; never buffered whole, never a crash.
    const big = await send({
      kind: 'huge',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'big',
        'x-hub-signature-256': sign('x'),
      },
      body: 'x'.repeat(128 * BODY_LIMIT),
    });
    console.log(
      `bad webhooks: an 8 MiB body was answered ${big === DROPPED ? 'by closing the connection' : big}`,
    );
    expect([413, DROPPED]).toContain(big);

    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/health`)).ok).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024);
    // Each kind of bad request was actually exercised and refused for its reason.
    expect(seen.huge).toEqual(new Set([413]));
    expect(seen.truncated).toContain(400);
    expect(seen['wrong-type']).toEqual(new Set([415]));
    expect([...seen.random!].every((s) => [400, 401, 415].includes(s))).toBe(true);
  });

  it('refuses, or ignores harmlessly, every real event with one field (or its time fields) taken out', async () => {
    const cases: { note: string; event: string; payload: Json }[] = [];
    for (const d of seeded) {
      for (const path of paths(d.payload).filter((p) => p.length <= 2)) {
        cases.push({
          note: `${d.id} without ${path.join('.')}`,
          event: d.event,
          payload: without(d.payload, path),
        });
        cases.push({
          note: `${d.id} with ${path.join('.')} null`,
          event: d.event,
          payload: setNull(d.payload, path),
        });
      }
    }
    // A push that cannot be placed in time must not be stamped with the server's clock.
    const push = seeded[0]!;
    cases.push(
      {
        note: 'push without repository.pushed_at and head_commit',
        event: push.event,
        payload: without(without(push.payload, ['repository', 'pushed_at']), ['head_commit']),
      },
      {
        note: 'push with repository.pushed_at and head_commit.timestamp null',
        event: push.event,
        payload: setNull(setNull(push.payload, ['repository', 'pushed_at']), ['head_commit', 'timestamp']),
      },
    );
    // Compared with the index as this test finds it, so a failure above does not cascade here.
    const baseline = JSON.stringify(readIndex(fixture.serverEnv().DATABASE_PATH!).environments);
    const problems: string[] = [];
    for (const [i, c] of cases.entries()) {
      const status = await deliver(server.url, c.event, c.payload, `systematic-${i}`);
      if (status >= 500) problems.push(`${c.note}: answered ${status}`);
      else if (status === 200) {
        const now = readIndex(fixture.serverEnv().DATABASE_PATH!).environments;
        if (JSON.stringify(now) !== baseline) {
          problems.push(`${c.note}: accepted and changed the index`);
          break; // later cases would all look guilty
        }
      }
    }
    console.log(`bad webhooks: ${cases.length} systematic cases`);
    expect(problems).toEqual([]);
  });
});
