import { afterEach, describe, expect, it } from 'vitest';
import { harness, record, setStatus } from './helpers.js';
import type { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.store.close());

interface SseEvent {
  event?: string;
  data?: string;
  id?: string;
  comment?: string;
}

/** Reads Server-Sent Events (and comments) from a response body, one block at a time. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<SseEvent> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) event.comment = line.slice(1).trim();
            const m = /^(event|data|id): ?(.*)$/.exec(line);
            if (m) event[m[1] as 'event' | 'data' | 'id'] = m[2];
          }
          return event;
        }
        const { done, value } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

const listeners = (h: Harness) =>
  (h.store as unknown as { emitter: { listenerCount(e: string): number } }).emitter.listenerCount('change');

describe('GET /api/v1/environments/:name/watch', () => {
  it('sends the current state first, then one event per status change of that environment only', async () => {
    h = harness({}, [record('ml-staging'), record('other')]);
    const res = await h.app.request('/api/v1/environments/ml-staging/watch');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseReader(res);

    const first = await events.next();
    expect(first.event).toBe('status');
    const initial = JSON.parse(first.data!);
    expect(initial.event).toBeNull();
    expect(initial.environment).toMatchObject({ name: 'ml-staging', status: 'pending' });

    setStatus(h.store, 'other', 'queued', '2026-11-20T10:01:00.000Z');
    const queued = setStatus(h.store, 'ml-staging', 'queued', '2026-11-20T10:02:00.000Z');
    h.store.transaction(() => {
      setStatus(h.store, 'ml-staging', 'provisioning', '2026-11-20T10:03:00.000Z', {
        description: 'provisioning',
      });
    });

    const second = await events.next();
    const change = JSON.parse(second.data!);
    expect(second.event).toBe('status');
    expect(change.environment).toMatchObject({ name: 'ml-staging', status: queued.status });
    expect(change.event).toMatchObject({ status: 'queued', previous_status: 'pending' });
    expect(second.id).toBe(String(change.event.id));

    const third = JSON.parse((await events.next()).data!);
    expect(third.event).toMatchObject({ status: 'provisioning', previous_status: 'queued' });
    expect(third.environment.status).toBe('provisioning');
    await events.cancel();
  });

  it('unsubscribes from the store when the client goes away', async () => {
    h = harness({}, [record('ml-staging')]);
    const before = listeners(h);
    const res = await h.app.request('/api/v1/environments/ml-staging/watch');
    const events = sseReader(res);
    await events.next();
    expect(listeners(h)).toBe(before + 1);
    await events.cancel();
    await new Promise((r) => setTimeout(r, 20));
    expect(listeners(h)).toBe(before);
  });

  it('unsubscribes when an HTTP client disconnects from a real server', async () => {
    const { serve } = await import('@hono/node-server');
    h = harness({}, [record('ml-staging')]);
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const client = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/environments/ml-staging/watch`, {
        signal: client.signal,
      });
      expect((await sseReader(res).next()).event).toBe('status');
      expect(listeners(h)).toBe(1);
      client.abort();
      await expect.poll(() => listeners(h), { timeout: 5000 }).toBe(0);
    } finally {
      (server as import('node:http').Server).closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('ends every stream on shutdown', async () => {
    const shutdown = new AbortController();
    h = harness({ shutdown: shutdown.signal }, [record('ml-staging')]);
    const res = await h.app.request('/api/v1/environments/ml-staging/watch');
    const events = sseReader(res);
    await events.next();
    shutdown.abort();
    await expect(events.next()).rejects.toThrow('stream ended');
    expect(listeners(h)).toBe(0);
  });

  it('writes heartbeat comments', async () => {
    h = harness({ heartbeatMs: 10 }, [record('ml-staging')]);
    const events = sseReader(await h.app.request('/api/v1/environments/ml-staging/watch'));
    await events.next();
    expect(await events.next()).toEqual({ comment: 'heartbeat' });
    await events.cancel();
  });

  it('answers HEAD with the headers only and subscribes to nothing', async () => {
    h = harness({}, [record('ml-staging')]);
    for (const path of ['/api/v1/environments/ml-staging/watch', '/api/v1/events/watch']) {
      const res = await h.app.request(path, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(listeners(h)).toBe(0);
  });

  it('refuses watch streams beyond maxWatchers with 503, and admits again once one closes', async () => {
    h = harness({ maxWatchers: 1 }, [record('ml-staging')]);
    const first = sseReader(await h.app.request('/api/v1/environments/ml-staging/watch'));
    await first.next();
    const refused = await h.app.request('/api/v1/events/watch');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await refused.json()).error.code).toBe('unavailable');
    await first.cancel();
    await new Promise((r) => setTimeout(r, 20));
    const again = await h.app.request('/api/v1/events/watch');
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });

  it('answers 404 before streaming for an unknown environment', async () => {
    h = harness();
    const res = await h.app.request('/api/v1/environments/ghost/watch');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    expect(listeners(h)).toBe(0);
  });
});

describe('GET /api/v1/events/watch', () => {
  it('opens with ready, then streams every environment’s changes with a summary', async () => {
    h = harness({}, [record('alpha'), record('bravo')]);
    const one = sseReader(await h.app.request('/api/v1/events/watch'));
    const two = sseReader(await h.app.request('/api/v1/events/watch'));
    expect((await one.next()).event).toBe('ready');
    expect((await two.next()).event).toBe('ready');

    setStatus(h.store, 'bravo', 'queued', '2026-11-20T10:01:00.000Z');
    setStatus(h.store, 'alpha', 'failed', '2026-11-20T10:02:00.000Z');

    for (const stream of [one, two]) {
      const a = JSON.parse((await stream.next()).data!);
      const b = JSON.parse((await stream.next()).data!);
      expect([a.environment.name, a.event.status]).toEqual(['bravo', 'queued']);
      expect([b.environment.name, b.environment.status]).toEqual(['alpha', 'failed']);
      expect(b.environment).not.toHaveProperty('meta_config');
    }
    await one.cancel();
    await two.cancel();
  });
});
