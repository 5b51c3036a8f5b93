import { afterEach, describe, expect, it } from 'vitest';
import { etagMatches, ResponseCache, render } from '../../../src/app/api/http.js';
import { harness, json, record, setStatus } from './helpers.js';
import type { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.store.close());

const READS = [
  '/health',
  '/api/v1/environments',
  '/api/v1/environments?status=ready&limit=1',
  '/api/v1/environments/ml-staging',
  '/api/v1/environments/ml-staging/events',
  '/api/v1/environments/ml-staging/badge.svg',
  '/openapi.json',
  '/docs',
  '/',
  '/metrics',
];

describe('conditional requests', () => {
  it.each(READS)('%s carries a weak ETag', async (path) => {
    h = harness({}, [record('ml-staging', { status: 'ready' })]);
    const res = await h.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
  });

  it.each(READS.filter((p) => p !== '/metrics'))(
    '%s answers 304 with no body to a matching If-None-Match',
    async (path) => {
      h = harness({}, [record('ml-staging', { status: 'ready' })]);
      const first = await h.app.request(path);
      const etag = first.headers.get('etag')!;
      const again = await h.app.request(path, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
    },
  );

  it('answers 200 again once the environment changed', async () => {
    h = harness({}, [record('ml-staging')]);
    const first = await h.app.request('/api/v1/environments/ml-staging');
    const etag = first.headers.get('etag')!;
    setStatus(h.store, 'ml-staging', 'queued', '2026-11-20T10:05:00.000Z');
    const again = await h.app.request('/api/v1/environments/ml-staging', {
      headers: { 'If-None-Match': etag },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).not.toBe(etag);
    expect((await json(again)).status).toBe('queued');
  });

  it('sees writes made by another connection within externalWritesCheckMs', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { IndexStore } = await import('../../../src/app/store/store.js');
    const { createMetrics } = await import('../../../src/app/metrics.js');
    const { createApiApp } = await import('../../../src/app/api/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'beta9-api-'));
    const reader = new IndexStore(join(dir, 'index.db'));
    const writer = new IndexStore(join(dir, 'index.db'));
    try {
      writer.putEnvironment(record('ml-staging'));
      let mono = 0;
      const app = createApiApp({
        store: reader,
        metrics: createMetrics(reader, { processMetrics: false }),
        apiTokens: ['a-long-enough-test-token'],
        logger: { info() {}, warn() {}, error() {} },
        clock: () => mono,
        externalWritesCheckMs: 50,
      });
      const auth = { Authorization: 'Bearer a-long-enough-test-token' };
      expect(
        (await json(await app.request('/api/v1/environments/ml-staging', { headers: auth }))).status,
      ).toBe('pending');
      setStatus(writer, 'ml-staging', 'queued', '2026-11-20T10:05:00.000Z');
      mono += 50;
      expect(
        (await json(await app.request('/api/v1/environments/ml-staging', { headers: auth }))).status,
      ).toBe('queued');
    } finally {
      reader.close();
      writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a rendering the moment an environment in it turns stale by the clock', async () => {
    const { IndexStore } = await import('../../../src/app/store/store.js');
    const { createMetrics } = await import('../../../src/app/metrics.js');
    const { createApiApp } = await import('../../../src/app/api/index.js');
    let wall = Date.parse('2026-11-20T10:30:00.000Z');
    const store = new IndexStore(':memory:', { staleAfterMs: 3_600_000, now: () => new Date(wall) });
    try {
      store.putEnvironment(
        record('ml-staging', { status: 'provisioning', status_changed_at: '2026-11-20T10:00:00.000Z' }),
      );
      const app = createApiApp({
        store,
        metrics: createMetrics(store, { processMetrics: false }),
        apiTokens: [],
        logger: { info() {}, warn() {}, error() {} },
      });
      const item = async () => await json(await app.request('/api/v1/environments/ml-staging'));
      const listed = async () => (await json(await app.request('/api/v1/environments'))).items[0];
      const badge = async () => await (await app.request('/api/v1/environments/ml-staging/badge.svg')).text();
      expect((await item()).stale).toBe(false);
      expect((await listed()).stale).toBe(false);
      const freshBadge = await badge();
      wall = Date.parse('2026-11-20T11:00:00.000Z'); // no write to the index; an hour, not more
      expect((await item()).stale).toBe(false);
      wall = Date.parse('2026-11-20T11:00:00.001Z'); // over an hour since it entered provisioning
      expect((await item()).stale).toBe(true);
      expect((await listed()).stale).toBe(true);
      expect(await badge()).not.toBe(freshBadge);
    } finally {
      store.close();
    }
  });

  it('compares ETags weakly, in lists and with *', () => {
    expect(etagMatches('W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('*', 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"abd"', 'W/"abc"')).toBe(false);
    expect(etagMatches(undefined, 'W/"abc"')).toBe(false);
  });
});

describe('ResponseCache', () => {
  const text = (rendered: { bytes: Uint8Array }) => Buffer.from(rendered.bytes).toString('utf8');

  it('keeps under its byte budget', () => {
    const cache = new ResponseCache(
      () => 1,
      () => 0,
      100,
      25,
    );
    for (const key of ['a', 'b', 'c']) cache.get(key, () => render('x'.repeat(10), 'text/plain'));
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBe(20);
    cache.get('big', () => render('y'.repeat(30), 'text/plain')); // larger than the budget: served, not kept
    expect(cache.size).toBe(2);
  });

  it('drops everything when the version moves and evicts the least recently used', () => {
    let version = 1;
    let builds = 0;
    const cache = new ResponseCache(
      () => version,
      () => 0,
      2,
    );
    const build = (body: string) => () => {
      builds++;
      return render(body, 'text/plain');
    };
    cache.get('a', build('A'));
    cache.get('b', build('B'));
    cache.get('a', build('A')); // hit; a is now most recent
    cache.get('c', build('C')); // evicts b
    expect(builds).toBe(3);
    expect(cache.size).toBe(2);
    cache.get('a', build('A'));
    expect(builds).toBe(3);
    cache.get('b', build('B'));
    expect(builds).toBe(4);
    version = 2;
    expect(text(cache.get('a', build('A2')))).toBe('A2');
    expect(cache.size).toBe(1);
  });

  it('renders an entry again once its expiresAt has passed, and only that entry', () => {
    let now = 1000;
    const cache = new ResponseCache(
      () => 1,
      () => now,
      10,
    );
    cache.get('a', () => render('A1', 'text/plain', 2000));
    cache.get('b', () => render('B1', 'text/plain'));
    now = 1999;
    expect(text(cache.get('a', () => render('A2', 'text/plain')))).toBe('A1');
    now = 2000;
    expect(text(cache.get('a', () => render('A2', 'text/plain')))).toBe('A2');
    expect(text(cache.get('b', () => render('B2', 'text/plain')))).toBe('B1');
    expect(cache.heldBytes).toBe(4);
  });
});

describe('errors', () => {
  it('answers an unknown route with 404 in the error shape', async () => {
    h = harness();
    for (const path of ['/nope', '/api/v1/nope', '/api/v2/environments', '/api/v1/environments/x/y/z']) {
      const res = await h.app.request(path);
      expect(res.status, path).toBe(404);
      const body = await json(res);
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toContain('GET /docs lists the routes');
    }
  });

  it.each([
    ['POST', '/api/v1/environments'],
    ['DELETE', '/api/v1/environments/ml-staging'],
    ['PUT', '/api/v1/environments/ml-staging/events'],
    ['PATCH', '/health'],
    ['POST', '/metrics'],
    ['OPTIONS', '/'],
  ])('answers %s %s with 405 and Allow', async (method, path) => {
    h = harness({}, [record('ml-staging')]);
    const res = await h.app.request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const body = await json(res);
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.message).toContain(`${method} is not allowed on`);
  });

  it('knows routes the server adds later when it answers 405', async () => {
    h = harness();
    h.app.post('/api/github/webhooks', (c) => c.text('ok'));
    const res = await h.app.request('/api/github/webhooks');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await h.app.request('/api/github/webhooks', { method: 'POST' })).status).toBe(200);
  });

  it('turns an unexpected failure into a plain 500 without a stack, and logs it', async () => {
    h = harness({}, [record('ml-staging')]);
    const broken = new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/secret/path');
    h.store.getEnvironment = () => {
      throw broken;
    };
    const res = await h.app.request('/api/v1/environments/ml-staging');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'internal',
        message: 'the server failed to answer this request; its log has the details',
      },
    });
    expect(text).not.toContain('SQLITE');
    expect(text).not.toContain('at ');
    const logged = h.logger.lines.find((l) => l.level === 'error');
    expect(logged?.obj).toMatchObject({ err: broken, path: '/api/v1/environments/ml-staging' });
  });
});

describe('GET /health', () => {
  it('is ok while the index can be read', async () => {
    h = harness();
    const res = await h.app.request('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
  });

  it('answers 503 in the error shape when the index cannot be read', async () => {
    h = harness();
    h.store.close();
    const res = await h.app.request('/health');
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('unavailable');
  });
});

describe('auth', () => {
  const TOKENS = ['first-token-0123456789', 'second-token-0123456789'];
  const PROTECTED = [
    '/api/v1/environments',
    '/api/v1/environments/ml-staging',
    '/api/v1/environments/ml-staging/events',
    '/api/v1/environments/ml-staging/badge.svg',
    '/api/v1/environments/ml-staging/watch',
    '/api/v1/events/watch',
    '/api/v1/unknown',
  ];

  it.each(PROTECTED)('%s needs a token when API_TOKENS is set', async (path) => {
    h = harness({ apiTokens: TOKENS }, [record('ml-staging')]);
    const missing = await h.app.request(path);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect((await json(missing)).error).toEqual({
      code: 'unauthorized',
      message:
        "this API requires a token: send 'Authorization: Bearer <token>' with one of the tokens in API_TOKENS",
    });
    const wrong = await h.app.request(path, { headers: { Authorization: 'Bearer first-token-012345678X' } });
    expect(wrong.status).toBe(401);
    const wrongBody = await json(wrong);
    expect(wrongBody.error.message).toBe('the bearer token is not one of the tokens in API_TOKENS');
    expect(JSON.stringify(wrongBody)).not.toContain('first-token');
  });

  it('accepts every configured token, and only as a Bearer credential', async () => {
    h = harness({ apiTokens: TOKENS }, [record('ml-staging')]);
    for (const token of TOKENS) {
      const res = await h.app.request('/api/v1/environments/ml-staging', {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
    const basic = await h.app.request('/api/v1/environments', {
      headers: { Authorization: `Basic ${TOKENS[0]}` },
    });
    expect(basic.status).toBe(401);
    const prefix = await h.app.request('/api/v1/environments', {
      headers: { Authorization: 'Bearer first-token' },
    });
    expect(prefix.status).toBe(401);
    const empty = await h.app.request('/api/v1/environments', { headers: { Authorization: 'Bearer ' } });
    expect(empty.status).toBe(401);
  });

  it('leaves /health, /metrics, /openapi.json, /docs and the page shell open', async () => {
    h = harness({ apiTokens: TOKENS });
    for (const path of ['/health', '/metrics', '/openapi.json', '/docs', '/']) {
      expect((await h.app.request(path)).status, path).toBe(200);
    }
  });

  it('is open without API_TOKENS and warns about it once at start', async () => {
    h = harness({ apiTokens: [] }, [record('ml-staging')]);
    expect((await h.app.request('/api/v1/environments')).status).toBe(200);
    const warnings = h.logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('API_TOKENS is not set');
  });

  it('warns about short tokens without printing them', async () => {
    h = harness({ apiTokens: ['short', 'a-long-enough-test-token'] });
    const text = JSON.stringify(h.logger.lines);
    expect(text).toContain('1 of the API_TOKENS are shorter than 16 characters');
    expect(text).not.toContain('short"');
    expect(text).not.toContain('a-long-enough-test-token');
  });

  it('parses API_TOKENS', async () => {
    const { parseApiTokens } = await import('../../../src/app/api/index.js');
    expect(parseApiTokens(undefined)).toEqual([]);
    expect(parseApiTokens('')).toEqual([]);
    expect(parseApiTokens(' a , b,,c ')).toEqual(['a', 'b', 'c']);
  });
});
