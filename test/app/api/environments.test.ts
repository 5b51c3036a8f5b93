import { afterEach, describe, expect, it } from 'vitest';
import { harness, json, record, setStatus, T0 } from './helpers.js';
import type { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.store.close());

const fleet = () => [
  record('alpha', { status: 'ready', cloud: 'aws', region: 'us-east-1', repo: 'acme/infra' }),
  record('bravo', {
    status: 'failed',
    cloud: 'gcp',
    region: 'europe-west4',
    account: 'acme-ml',
    repo: 'acme/ml',
  }),
  record('charlie', {
    status: 'ready',
    cloud: 'gcp',
    region: 'us-central1',
    account: 'acme-ml',
    repo: 'acme/ml',
  }),
  record('delta', { status: 'pending', cloud: 'aws', region: 'eu-west-1', repo: 'acme/infra' }),
  record('echo', { status: 'provisioning', cloud: 'aws', region: 'us-east-1', repo: 'other/infra' }),
];

const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);

describe('GET /api/v1/environments', () => {
  it('lists every environment in name order with the default page size', async () => {
    h = harness({}, fleet());
    const res = await h.app.request('/api/v1/environments');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await json(res);
    expect(names(body)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(body.next_cursor).toBeNull();
    // List items leave out the two large documents.
    expect(body.items[0]).not.toHaveProperty('meta_config');
    expect(body.items[0]).not.toHaveProperty('infra_model');
    expect(body.items[0]).toMatchObject({
      status: 'ready',
      cloud: 'aws',
      region: 'us-east-1',
      account: '123456789012',
    });
  });

  it.each([
    ['status=ready', ['alpha', 'charlie']],
    ['cloud=gcp', ['bravo', 'charlie']],
    ['region=us-east-1', ['alpha', 'echo']],
    ['repo=acme/ml', ['bravo', 'charlie']],
    ['cloud=aws&status=ready', ['alpha']],
    ['cloud=aws&region=eu-west-1&repo=acme/infra', ['delta']],
    ['status=destroyed', []],
  ])('filters by %s', async (query, expected) => {
    h = harness({}, fleet());
    const body = await json(await h.app.request(`/api/v1/environments?${query}`));
    expect(names(body)).toEqual(expected);
    expect(body.next_cursor).toBeNull();
  });

  it('pages with a cursor to the last page, in a stable order, without repeats', async () => {
    h = harness({}, fleet());
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/environments?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body = await json(await h.app.request(url));
      seen.push(...names(body));
      cursor = body.next_cursor;
      pages++;
      if (pages === 3) expect(body.items).toHaveLength(1); // the last page is short
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('gives a null cursor when the last page is exactly full', async () => {
    h = harness({}, fleet());
    const first = await json(await h.app.request('/api/v1/environments?limit=5'));
    expect(first.items).toHaveLength(5);
    expect(first.next_cursor).toBeNull();
  });

  it('pages within a filter', async () => {
    h = harness({}, fleet());
    const first = await json(await h.app.request('/api/v1/environments?cloud=aws&limit=2'));
    expect(names(first)).toEqual(['alpha', 'delta']);
    const second = await json(
      await h.app.request(`/api/v1/environments?cloud=aws&limit=2&cursor=${first.next_cursor}`),
    );
    expect(names(second)).toEqual(['echo']);
    expect(second.next_cursor).toBeNull();
  });

  it('answers an empty index with an empty page', async () => {
    h = harness();
    const res = await h.app.request('/api/v1/environments');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ items: [], next_cursor: null });
  });

  it('answers an empty page when the cursor is past the end', async () => {
    h = harness({}, fleet());
    const first = await json(await h.app.request('/api/v1/environments?limit=4'));
    h.store.deleteEnvironment('echo');
    const res = await h.app.request(`/api/v1/environments?limit=4&cursor=${first.next_cursor}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ items: [], next_cursor: null });
  });

  it('caches a page by its query as sent, and keeps rejecting a bad query every time', async () => {
    h = harness({}, fleet());
    const spelled = await json(await h.app.request('/api/v1/environments?limit=2&status=ready'));
    const reordered = await json(await h.app.request('/api/v1/environments?status=ready&limit=2'));
    const escaped = await json(await h.app.request('/api/v1/environments?limit=2&status=%72eady'));
    expect(reordered).toEqual(spelled);
    expect(escaped).toEqual(spelled);
    for (let i = 0; i < 2; i++) {
      expect((await h.app.request('/api/v1/environments?limit=0')).status).toBe(400);
    }
    // A long query (redundant escapes) is keyed by its parsed form and still answered.
    const repo = `${'%61'.repeat(39)}/${'%69'.repeat(100)}`;
    const long = `/api/v1/environments?status=%72%65%61%64%79&limit=%30%30%30%32&cloud=%61%77%73&region=%75%73%2D%65%61%73%74%2D%31&repo=${repo}`;
    expect(long.length).toBeGreaterThan(512);
    const res = await h.app.request(long);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ items: [], next_cursor: null });
  });

  it.each([
    ['limit=0', 'limit', 'is 0; expected a whole number from 1 to 100'],
    ['limit=101', 'limit', 'is 101'],
    ['limit=ten', 'limit', "is 'ten'"],
    ['limit=1.5', 'limit', "is '1.5'"],
    ['limit=-1', 'limit', "is '-1'"],
    ['status=done', 'status', "is 'done'; expected one of pending, queued, provisioning"],
    ['cloud=azure', 'cloud', "is 'azure'; expected one of aws, gcp"],
    ['region=Mars%201', 'region', "is 'Mars 1'; expected a region of aws or gcp"],
    ['region=us-east-9', 'region', 'expected a region of aws or gcp'],
    ['cloud=aws&region=europe-west4', 'region', "is 'europe-west4', a gcp region, but cloud is 'aws'"],
    ['repo=notarepo', 'repo', 'expected owner/name'],
    ['cursor=%25%25', 'cursor', 'is not a cursor this API returned'],
    ['cursor=bm90LWpzb24', 'cursor', 'is not a cursor this API returned'],
    ['cursor=MTIz', 'cursor', 'is not a cursor this API returned'],
    ['stauts=ready', 'stauts', "is not known here; this route accepts 'status'"],
    ['status=ready&status=failed', 'status', 'is given more than once'],
  ])('rejects %s with 400 naming the parameter', async (query, parameter, why) => {
    h = harness({}, fleet());
    const res = await h.app.request(`/api/v1/environments?${query}`);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain(`query parameter '${parameter}'`);
    expect(body.error.message).toContain(why);
  });
});

describe('GET /api/v1/environments/:name', () => {
  const full = () =>
    record('ml-staging', {
      status: 'failed',
      stale: true,
      drift: { detected: true, checked_at: '2026-11-21T00:00:00.000Z' },
      outputs: {
        vpc_id: 'vpc-0abc',
        cluster_name: 'ml-staging',
        redis_port: 6379,
        rds_master_user_secret_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-abc',
        db_password: 'hunter2-hunter2',
        gateway_url: 'https://admin:s3cr3t@gw.example.com',
        signing_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
      },
      meta_config: {
        version: 1,
        name: 'ml-staging',
        tags: { leaked: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      } as never,
      infra_model: { name: 'ml-staging', database: { instanceClass: 'db.r6g.large' } } as never,
      state_backend: { type: 's3', bucket: 'beta9-tf-state-123456789012-us-east-1' } as never,
      error_message: 'apply failed: AccessDenied for key AKIAABCDEFGHIJKLMNOP',
      provisioned_at: '2026-11-20T11:00:00.000Z',
      last_commit: '0123456789abcdef0123456789abcdef01234567',
      last_run_url: 'https://github.com/acme/infra/actions/runs/42',
      last_pr: { number: 7, url: 'https://github.com/acme/infra/pull/7' },
    });

  it('returns every field the issue lists', async () => {
    h = harness({}, [full()]);
    const res = await h.app.request('/api/v1/environments/ml-staging');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      name: 'ml-staging',
      repo: 'acme/infra',
      cloud: 'aws',
      region: 'us-east-1',
      account: '123456789012',
      status: 'failed',
      stale: true,
      drift: { detected: true, checked_at: '2026-11-21T00:00:00.000Z' },
      infra_model: { name: 'ml-staging', database: { instanceClass: 'db.r6g.large' } },
      created_at: T0,
      updated_at: T0,
      provisioned_at: '2026-11-20T11:00:00.000Z',
      destroyed_at: null,
      last_commit: '0123456789abcdef0123456789abcdef01234567',
      last_run_url: 'https://github.com/acme/infra/actions/runs/42',
      last_pr: { number: 7, url: 'https://github.com/acme/infra/pull/7' },
      state_backend: { type: 's3', bucket: 'beta9-tf-state-123456789012-us-east-1' },
    });
    expect(body).not.toHaveProperty('deployment_id');
  });

  it('never returns a sensitive value, even one that slipped into the index', async () => {
    h = harness({}, [full()]);
    const res = await h.app.request('/api/v1/environments/ml-staging');
    const text = await res.clone().text();
    for (const secret of ['hunter2', 's3cr3t', 'BEGIN PRIVATE KEY', 'ghp_abcdef', 'AKIAABCDEFGHIJKLMNOP']) {
      expect(text).not.toContain(secret);
    }
    const body = await json(res);
    expect(body.outputs).toEqual({
      vpc_id: 'vpc-0abc',
      cluster_name: 'ml-staging',
      redis_port: 6379,
      rds_master_user_secret_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-abc',
    });
    expect(body.outputs_withheld).toEqual(['db_password', 'gateway_url', 'signing_key']);
    expect(body.error_message).toBe('apply failed: AccessDenied for key [redacted]');
    expect(body.meta_config.tags.leaked).toBe('[redacted]');
  });

  it('redacts the list items the same way', async () => {
    h = harness({}, [full()]);
    const text = await (await h.app.request('/api/v1/environments')).text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });

  it.each(['nope', 'Not-A-Name', 'a'.repeat(300)])('answers 404 in the error shape for %s', async (name) => {
    h = harness({}, [full()]);
    const res = await h.app.request(`/api/v1/environments/${name}`);
    expect(res.status).toBe(404);
    const body = await json(res);
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toMatch(/^no environment named '/);
    expect(body.error.message.length).toBeLessThan(200);
  });

  it('rejects query parameters it does not take', async () => {
    h = harness({}, [full()]);
    const res = await h.app.request('/api/v1/environments/ml-staging?limit=3');
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain("query parameter 'limit' is not known here");
  });

  it('serves the new state right after a status change', async () => {
    h = harness({}, [record('ml-staging')]);
    expect((await json(await h.app.request('/api/v1/environments/ml-staging'))).status).toBe('pending');
    setStatus(h.store, 'ml-staging', 'queued', '2026-11-20T10:05:00.000Z');
    expect((await json(await h.app.request('/api/v1/environments/ml-staging'))).status).toBe('queued');
    const list = await json(await h.app.request('/api/v1/environments'));
    expect(list.items[0].status).toBe('queued');
  });
});

describe('GET /api/v1/environments/:name/events', () => {
  const seeded = () => {
    h = harness({}, [record('ml-staging'), record('other')]);
    const steps = ['queued', 'provisioning', 'bootstrapping', 'ready'] as const;
    steps.forEach((status, i) =>
      setStatus(h.store, 'ml-staging', status, `2026-11-20T10:0${i + 1}:00.000Z`, {
        run_url: 'https://github.com/acme/infra/actions/runs/9',
      }),
    );
    setStatus(h.store, 'other', 'queued', '2026-11-20T10:09:00.000Z');
  };

  it('lists the history newest first', async () => {
    seeded();
    const res = await h.app.request('/api/v1/environments/ml-staging/events');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.items.map((e: { status: string }) => e.status)).toEqual([
      'ready',
      'bootstrapping',
      'provisioning',
      'queued',
    ]);
    expect(body.items[0]).toMatchObject({
      environment: 'ml-staging',
      previous_status: 'bootstrapping',
      run_url: 'https://github.com/acme/infra/actions/runs/9',
    });
    expect(body.next_cursor).toBeNull();
  });

  it('pages like the list, to a short last page', async () => {
    seeded();
    const first = await json(await h.app.request('/api/v1/environments/ml-staging/events?limit=3'));
    expect(first.items.map((e: { status: string }) => e.status)).toEqual([
      'ready',
      'bootstrapping',
      'provisioning',
    ]);
    const last = await json(
      await h.app.request(`/api/v1/environments/ml-staging/events?limit=3&cursor=${first.next_cursor}`),
    );
    expect(last.items.map((e: { status: string }) => e.status)).toEqual(['queued']);
    expect(last.next_cursor).toBeNull();
  });

  it('answers an environment without history with an empty page', async () => {
    h = harness({}, [record('fresh')]);
    expect(await json(await h.app.request('/api/v1/environments/fresh/events'))).toEqual({
      items: [],
      next_cursor: null,
    });
  });

  it('rejects a list cursor (a name) where an event cursor (an id) belongs', async () => {
    seeded();
    const listCursor = (await json(await h.app.request('/api/v1/environments?limit=1'))).next_cursor;
    const res = await h.app.request(`/api/v1/environments/ml-staging/events?cursor=${listCursor}`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain("query parameter 'cursor'");
  });

  it('answers 404 for an unknown environment and 400 for a bad limit', async () => {
    seeded();
    expect((await h.app.request('/api/v1/environments/ghost/events')).status).toBe(404);
    const res = await h.app.request('/api/v1/environments/ml-staging/events?limit=500');
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain("query parameter 'limit' is 500");
  });

  it('scrubs credentials out of event descriptions', async () => {
    h = harness({}, [record('ml-staging')]);
    setStatus(h.store, 'ml-staging', 'failed', '2026-11-20T10:01:00.000Z', {
      description: 'failed: token ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected',
    });
    const body = await json(await h.app.request('/api/v1/environments/ml-staging/events'));
    expect(body.items[0].description).toBe('failed: token [redacted] rejected');
  });
});

describe('GET /api/v1/environments/:name/badge.svg', () => {
  it('draws the name and the status in the status colour', async () => {
    h = harness({}, [record('ml-staging', { status: 'ready' })]);
    const res = await h.app.request('/api/v1/environments/ml-staging/badge.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await res.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('>ml-staging</text>');
    expect(svg).toContain('>ready</text>');
    expect(svg).toContain('#1a7f37');
  });

  it('follows status changes and marks a stale environment', async () => {
    h = harness({}, [record('ml-staging', { status: 'ready' })]);
    await h.app.request('/api/v1/environments/ml-staging/badge.svg');
    h.store.putEnvironment(record('ml-staging', { status: 'provisioning', stale: true }));
    const svg = await (await h.app.request('/api/v1/environments/ml-staging/badge.svg')).text();
    expect(svg).toContain('>provisioning (stale)</text>');
  });

  it('answers 404 in the JSON error shape for an unknown environment', async () => {
    h = harness();
    const res = await h.app.request('/api/v1/environments/ghost/badge.svg');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
  });
});
