import { register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/app/metrics.js';
import type { RunReport } from '../../../src/engine/report/types.js';
import { harness, record, setStatus } from './helpers.js';
import type { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.store.close());

const scrape = async (h: Harness) => (await h.app.request('/metrics')).text();

/** The value of one sample line, by exact name and labels. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const report = (overrides: Partial<RunReport> = {}): RunReport => ({
  version: 1,
  environment: 'ml-staging',
  operation: 'apply',
  status: 'ready',
  commit: 'abc',
  started_at: '2026-11-20T10:00:00.000Z',
  finished_at: '2026-11-20T10:20:00.000Z',
  timings: {},
  outputs: {},
  ...overrides,
});

describe('GET /metrics', () => {
  it('serves the Prometheus text format from its own registry', async () => {
    h = harness();
    const res = await h.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await register.metrics()).not.toContain('api_requests_total');
  });

  it('keeps request counts across scrapes and puts a duration on a bound into that bucket', async () => {
    const metrics = createMetrics(
      {
        countByStatus: () => ({}),
        stats: () => ({ environments: 0, events: 0, bytes: 0 }),
        getEnvironment: () => undefined,
      },
      { processMetrics: false },
    );
    const series = '{method="GET",endpoint="/health"}';
    metrics.observeRequest('GET', '/health', 200, 0.001);
    metrics.observeRequest('GET', '/health', 200, 0.0011);
    let text = await metrics.registry.metrics();
    expect(sample(text, 'api_requests_total{method="GET",endpoint="/health",status="200"}')).toBe(2);
    expect(
      sample(text, 'api_request_duration_seconds_bucket{le="0.0005",method="GET",endpoint="/health"}'),
    ).toBe(0);
    expect(
      sample(text, 'api_request_duration_seconds_bucket{le="0.001",method="GET",endpoint="/health"}'),
    ).toBe(1);
    expect(
      sample(text, 'api_request_duration_seconds_bucket{le="0.0025",method="GET",endpoint="/health"}'),
    ).toBe(2);
    expect(
      sample(text, 'api_request_duration_seconds_bucket{le="+Inf",method="GET",endpoint="/health"}'),
    ).toBe(2);
    expect(sample(text, `api_request_duration_seconds_sum${series}`)).toBeCloseTo(0.0021, 10);
    metrics.observeRequest('GET', '/health', 200, 30);
    text = await metrics.registry.metrics();
    expect(sample(text, 'api_requests_total{method="GET",endpoint="/health",status="200"}')).toBe(3);
    expect(
      sample(text, 'api_request_duration_seconds_bucket{le="2.5",method="GET",endpoint="/health"}'),
    ).toBe(2);
    expect(sample(text, `api_request_duration_seconds_count${series}`)).toBe(3);
    expect((await metrics.registry.getMetricsAsJSON()).map((m) => m.name)).toContain(
      'api_request_duration_seconds',
    );
  });

  it('labels API requests with route patterns, never raw paths', async () => {
    h = harness({}, [record('alpha'), record('bravo')]);
    await h.app.request('/api/v1/environments/alpha');
    await h.app.request('/api/v1/environments/bravo');
    await h.app.request('/api/v1/environments/ghost');
    await h.app.request('/api/v1/environments/alpha/events?limit=1');
    await h.app.request('/api/v1/environments?status=nope');
    await h.app.request('/no/such/path/12345');
    await h.app.request('/api/v1/environments/alpha', { method: 'DELETE' });
    const text = await scrape(h);
    expect(
      sample(text, 'api_requests_total{method="GET",endpoint="/api/v1/environments/:name",status="200"}'),
    ).toBe(2);
    expect(
      sample(text, 'api_requests_total{method="GET",endpoint="/api/v1/environments/:name",status="404"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'api_requests_total{method="GET",endpoint="/api/v1/environments/:name/events",status="200"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'api_requests_total{method="GET",endpoint="/api/v1/environments",status="400"}'),
    ).toBe(1);
    expect(sample(text, 'api_requests_total{method="GET",endpoint="unmatched",status="404"}')).toBe(1);
    expect(
      sample(text, 'api_requests_total{method="DELETE",endpoint="/api/v1/environments/:name",status="405"}'),
    ).toBe(1);
    expect(
      sample(text, 'api_request_duration_seconds_count{method="GET",endpoint="/api/v1/environments/:name"}'),
    ).toBe(3);
    for (const raw of ['alpha', 'bravo', 'ghost', '12345', 'status=nope']) expect(text).not.toContain(raw);
  });

  it('measures request durations with the injected clock', async () => {
    let now = 0;
    h = harness({ clock: () => now }, [record('alpha')]);
    const read = h.store.getEnvironment.bind(h.store);
    h.store.getEnvironment = (name) => {
      now += 4; // the index read takes 4 ms
      return read(name);
    };
    await h.app.request('/api/v1/environments/alpha');
    const text = await scrape(h);
    expect(
      sample(text, 'api_request_duration_seconds_sum{method="GET",endpoint="/api/v1/environments/:name"}'),
    ).toBeCloseTo(0.004);
    expect(
      sample(
        text,
        'api_request_duration_seconds_bucket{le="0.0025",method="GET",endpoint="/api/v1/environments/:name"}',
      ),
    ).toBe(0);
    expect(
      sample(
        text,
        'api_request_duration_seconds_bucket{le="0.005",method="GET",endpoint="/api/v1/environments/:name"}',
      ),
    ).toBe(1);
  });

  it('counts a 401 under the route pattern', async () => {
    h = harness({ apiTokens: ['a-long-enough-test-token'] }, [record('alpha')]);
    await h.app.request('/api/v1/environments/alpha');
    await h.app.request('/api/v1/nothing-here');
    const text = await scrape(h);
    expect(
      sample(text, 'api_requests_total{method="GET",endpoint="/api/v1/environments/:name",status="401"}'),
    ).toBe(1);
    expect(sample(text, 'api_requests_total{method="GET",endpoint="unmatched",status="401"}')).toBe(1);
  });

  it('reads environments by status and the index size at scrape time', async () => {
    h = harness({}, [
      record('alpha', { status: 'ready' }),
      record('bravo', { status: 'ready' }),
      record('charlie'),
    ]);
    let text = await scrape(h);
    expect(sample(text, 'provisioning_environments_total{status="ready"}')).toBe(2);
    expect(sample(text, 'provisioning_environments_total{status="pending"}')).toBe(1);
    expect(sample(text, 'provisioning_environments_total{status="failed"}')).toBe(0);
    expect(sample(text, 'provisioning_index_environments')).toBe(3);
    expect(sample(text, 'provisioning_index_events')).toBe(0);
    expect(sample(text, 'provisioning_index_size_bytes')).toBeGreaterThan(0);
    setStatus(h.store, 'charlie', 'failed', '2026-11-20T10:01:00.000Z');
    text = await scrape(h);
    expect(sample(text, 'provisioning_environments_total{status="pending"}')).toBe(0);
    expect(sample(text, 'provisioning_environments_total{status="failed"}')).toBe(1);
    expect(sample(text, 'provisioning_index_events')).toBe(1);
  });

  it('counts webhook deliveries by event and result, folding unknown events into other', async () => {
    h = harness();
    h.metrics.recordDelivery('deployment_status', 'accepted');
    h.metrics.recordDelivery('deployment_status', 'duplicate');
    h.metrics.recordDelivery('deployment_status', 'duplicate');
    h.metrics.recordDelivery('pull_request', 'rejected');
    h.metrics.recordDelivery('x-attacker-chosen-<name>', 'rejected');
    h.metrics.recordDelivery('star', 'ignored');
    h.metrics.recordDelivery('push', 'failed');
    const text = await scrape(h);
    expect(sample(text, 'webhook_deliveries_total{event="deployment_status",result="accepted"}')).toBe(1);
    expect(sample(text, 'webhook_deliveries_total{event="deployment_status",result="duplicate"}')).toBe(2);
    expect(sample(text, 'webhook_deliveries_total{event="pull_request",result="rejected"}')).toBe(1);
    expect(sample(text, 'webhook_deliveries_total{event="other",result="rejected"}')).toBe(1);
    expect(sample(text, 'webhook_deliveries_total{event="other",result="ignored"}')).toBe(1);
    expect(sample(text, 'webhook_deliveries_total{event="push",result="failed"}')).toBe(1);
    expect(text).not.toContain('attacker');
  });

  it('observes run durations and counts failures by cloud and region', async () => {
    h = harness({}, [record('ml-staging', { cloud: 'gcp', region: 'europe-west4' })]);
    h.metrics.observeRun(report());
    h.metrics.observeRun(report({ status: 'failed', finished_at: '2026-11-20T10:01:00.000Z' }));
    h.metrics.observeRun(report({ operation: 'destroy', status: 'failed' }), {
      cloud: 'aws',
      region: 'us-east-1',
    });
    h.metrics.observeRun(report({ environment: 'gone', status: 'failed', started_at: 'garbage' }));
    h.metrics.recordError('aws', 'us-east-1');
    const text = await scrape(h);
    expect(sample(text, 'provisioning_duration_seconds_count{operation="apply",status="ready"}')).toBe(1);
    expect(sample(text, 'provisioning_duration_seconds_sum{operation="apply",status="ready"}')).toBe(1200);
    expect(sample(text, 'provisioning_duration_seconds_sum{operation="apply",status="failed"}')).toBe(60);
    expect(sample(text, 'provisioning_duration_seconds_count{operation="destroy",status="failed"}')).toBe(1);
    expect(sample(text, 'provisioning_errors_total{cloud="gcp",region="europe-west4"}')).toBe(1);
    expect(sample(text, 'provisioning_errors_total{cloud="aws",region="us-east-1"}')).toBe(2);
    expect(sample(text, 'provisioning_errors_total{cloud="unknown",region="unknown"}')).toBe(1);
  });

  it('keeps registries apart and can include the process metrics', async () => {
    const a = harness();
    const b = createMetrics(a.store);
    a.metrics.recordDelivery('push', 'accepted');
    expect(await b.render()).not.toContain('webhook_deliveries_total{');
    expect(await b.render()).toContain('process_resident_memory_bytes');
    a.store.close();
  });
});
