import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../src/app/server.js';
import { normalizePrivateKey, parseDuration, readSettings, SettingsError } from '../../src/app/settings.js';
import {
  API,
  awsEnvironment,
  contents,
  createTestApp,
  example,
  INSTALLATION,
  mockToken,
  privateKey,
  REPO,
  SECRET,
  type TestApp,
} from './fixtures/app.js';

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function post(t: TestApp, body: string, headers: Record<string, string>) {
  return t.server.app.request(WEBHOOK_PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': 'd1',
      ...headers,
    },
    body,
  });
}

describe('the webhook endpoint', () => {
  let t: TestApp;
  beforeAll(() => nock.disableNetConnect());
  afterEach(async () => {
    await t.server.close();
  });

  it('rejects what it cannot trust or read with a 4xx JSON error and writes nothing', async () => {
    t = await createTestApp({ webhookBodyLimit: 2048 });
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const cases: [Record<string, string>, string, number, string][] = [
      [{ 'x-hub-signature-256': sign(body) }, 'not json', 401, 'bad_signature'],
      [{ 'x-hub-signature-256': sign(body, 'wrong') }, body, 401, 'bad_signature'],
      [{}, body, 401, 'bad_signature'],
      [{ 'x-hub-signature-256': sign(body), 'x-github-event': '' }, body, 400, 'bad_request'],
      [
        { 'x-hub-signature-256': sign(body), 'content-type': 'application/x-www-form-urlencoded' },
        body,
        415,
        'unsupported_media_type',
      ],
      [
        { 'x-hub-signature-256': sign('{"a":"' + 'x'.repeat(4096) + '"}') },
        '{"a":"' + 'x'.repeat(4096) + '"}',
        413,
        'payload_too_large',
      ],
      [{ 'x-hub-signature-256': sign('{broken') }, '{broken', 400, 'bad_request'],
    ];
    for (const [headers, payload, status, code] of cases) {
      const res = await post(t, payload, headers);
      expect({
        status: res.status,
        code: ((await res.json()) as { error: { code: string } }).error.code,
      }).toEqual({ status, code });
    }
    // Signed, but not a push the App can use: named, and refused before any handler runs.
    const push = JSON.stringify({
      ref: 'refs/heads/main',
      before: 'a',
      repository: { full_name: 'o/r', default_branch: 'main' },
    });
    const malformed = await post(t, push, { 'x-github-event': 'push', 'x-hub-signature-256': sign(push) });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: { code: 'bad_payload', message: "the push payload has no valid 'after' (expected a string)" },
    });
    expect(t.server.store.db.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 0 });
    const rejected = await t.server.metrics.render();
    expect(rejected).toMatch(/webhook_deliveries_total\{event="ping",result="rejected"\} 6/);

    const ok = await post(t, body, { 'x-hub-signature-256': sign(body) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, delivery: 'd1', result: 'ignored' });
    // Request metrics cover the webhook endpoint, labelled with its path.
    const requests = await t.server.metrics.render();
    expect(requests).toMatch(
      /api_requests_total\{method="POST",endpoint="\/api\/github\/webhooks",status="200"\} 1\n/,
    );
    expect(requests).toMatch(
      /api_requests_total\{method="POST",endpoint="\/api\/github\/webhooks",status="413"\} 1\n/,
    );
  });

  it('finishes a delivery in flight on shutdown, refuses new ones, then closes the index', async () => {
    t = await createTestApp();
    const payload = example<Record<string, any>>('installation', (e) => e.action === 'created'); // eslint-disable-line @typescript-eslint/no-explicit-any
    payload.installation.id = INSTALLATION;
    payload.repositories = [{ full_name: REPO }];
    mockToken();
    nock(API).get(`/repos/${REPO}`).delay(300).reply(200, { full_name: REPO, default_branch: 'master' });
    nock(API)
      .get(`/repos/${REPO}/contents/environments`)
      .query({ ref: 'master' })
      .reply(200, [{ type: 'file', path: 'environments/alpha.yaml', sha: 'b' }]);
    nock(API)
      .get(`/repos/${REPO}/contents/${encodeURIComponent('environments/alpha.yaml')}`)
      .query({ ref: 'master' })
      .reply(200, contents('environments/alpha.yaml', awsEnvironment('alpha'), 'b'));
    const body = JSON.stringify(payload);
    const inFlight = post(t, body, { 'x-github-event': 'installation', 'x-hub-signature-256': sign(body) });
    await new Promise((r) => setTimeout(r, 100));
    let closed = false;
    const closing = t.server.close().then(() => (closed = true));
    const late = await post(t, body, {
      'x-github-event': 'installation',
      'x-github-delivery': 'd2',
      'x-hub-signature-256': sign(body),
    });
    expect(late.status).toBe(503);
    expect(closed).toBe(false);
    const res = await inFlight;
    expect(await res.json()).toEqual({ ok: true, delivery: 'd1', result: 'accepted' });
    await closing;
    expect(t.server.store.db.open).toBe(false);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('serves the API from the same app', async () => {
    t = await createTestApp();
    const res = await t.server.app.request('/health');
    expect(res.status).toBe(200);
  });
});

describe('the embedded mode', () => {
  it('indexes the local environments as pending and says what it needs to talk to GitHub', async () => {
    const t = await createTestApp({
      github: null,
      environmentsDir: join(import.meta.dirname, '..', '..', 'environments'),
    });
    try {
      const names = t.server.store.listEnvironments({}, 100).items.map((e) => [e.name, e.repo, e.status]);
      expect(names).toContainEqual(['ml-staging', 'local', 'pending']);
      const warning = t.logs.find(/No GitHub App configured/)[0]!;
      expect(String(warning.msg)).toContain('APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET');
      const res = await t.server.app.request(WEBHOOK_PATH, { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'github_app_not_configured' } });
    } finally {
      await t.server.close();
    }
  });
});

describe('settings', () => {
  it('reads defaults once into a typed object', () => {
    const s = readSettings({});
    expect(s).toMatchObject({
      github: null,
      port: 3000,
      databasePath: './data/beta9.db',
      staleAfterMs: 3_600_000,
      environmentsDir: './environments',
      trustedWorkflows: ['apply.yml', 'apply', 'beta9 apply'],
      apiTokens: [],
    });
  });

  it('builds the GitHub Enterprise URL and accepts a key from a file, base64 or one line', () => {
    const key = privateKey();
    const s = readSettings(
      {
        APP_ID: '42',
        PRIVATE_KEY_PATH: '/keys/app.pem',
        WEBHOOK_SECRET: 's',
        GHE_HOST: 'ghe.example.com',
        STALE_AFTER: '30m',
      },
      () => key,
    );
    expect(s.github).toMatchObject({ appId: '42', baseUrl: 'https://ghe.example.com/api/v3' });
    expect(s.staleAfterMs).toBe(1_800_000);
    expect(normalizePrivateKey(Buffer.from(key).toString('base64'))).toBe(key.trim());
    expect(normalizePrivateKey(key.trim().replace(/\n/g, '\\n'))).toBe(key.trim());
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('names every bad variable at once and never echoes the key', () => {
    let error: SettingsError | undefined;
    try {
      readSettings({
        APP_ID: 'abc',
        PRIVATE_KEY: 'super-secret-not-a-pem',
        PORT: '99999',
        STALE_AFTER: 'soon',
        GHE_PROTOCOL: 'ftp',
      });
    } catch (e) {
      error = e as SettingsError;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect(error!.problems).toEqual([
      expect.stringContaining("APP_ID='abc' is not a number"),
      expect.stringContaining('PRIVATE_KEY is not a PEM private key'),
      expect.stringContaining('WEBHOOK_SECRET is missing'),
      expect.stringContaining("GHE_PROTOCOL='ftp'"),
      expect.stringContaining("PORT='99999'"),
      expect.stringContaining("STALE_AFTER='soon'"),
    ]);
    expect(error!.message).not.toContain('super-secret');
  });
});
