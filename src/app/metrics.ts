import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { STATUSES } from '../engine/report/types.js';
import type { RunReport } from '../engine/report/types.js';
import type { IndexStore } from './store/store.js';

/** What the App did with one webhook delivery. */
export type DeliveryResult = 'accepted' | 'duplicate' | 'rejected' | 'ignored' | 'failed';

/**
 * GitHub events the App subscribes to. Anything else is counted as `other`: the event name
 * of a rejected delivery comes from an unauthenticated header, and a label must not let a
 * stranger create unbounded time series.
 */
const KNOWN_EVENTS = new Set([
  'check_run',
  'check_suite',
  'deployment',
  'deployment_status',
  'installation',
  'installation_repositories',
  'ping',
  'pull_request',
  'push',
  'workflow_run',
]);

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The read-only store surface the collect()-time gauges need. */
export type MetricsStore = Pick<IndexStore, 'countByStatus' | 'stats' | 'getEnvironment'>;

export interface Metrics {
  /** This product's own registry: never prom-client's global one, so tests and embedders stay isolated. */
  readonly registry: Registry;
  readonly apiRequests: Counter<'method' | 'endpoint' | 'status'>;
  readonly apiDuration: Histogram<'method' | 'endpoint'>;
  readonly webhookDeliveries: Counter<'event' | 'result'>;
  readonly provisioningDuration: Histogram<'operation' | 'status'>;
  readonly provisioningErrors: Counter<'cloud' | 'region'>;
  /** Counts one webhook delivery; call exactly once per delivery, whatever happened to it. */
  recordDelivery(event: string, result: DeliveryResult): void;
  /**
   * Records a finished run from its report: the duration histogram, and an error for a failed
   * run. `where` gives the cloud and region; without it they are looked up in the index.
   */
  observeRun(report: RunReport, where?: { cloud: string; region: string }): void;
  /** Counts a failure that produced no report (a cancelled or timed-out workflow run). */
  recordError(cloud: string, region: string): void;
  /** Counts one API request; `endpoint` must be a route pattern, never a raw path. */
  observeRequest(method: string, endpoint: string, status: number, seconds: number): void;
  /** The exposition text for `GET /metrics`. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Also collect Node process metrics (memory, CPU, event loop). Default true. */
  processMetrics?: boolean;
}

/** Seconds; a run takes minutes (the original design: 15-30 minutes for a large stack). */
const RUN_BUCKETS = [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200];
/** Seconds; reads come from SQLite or memory and should take well under 10 ms. */
const API_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics(store: MetricsStore, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const apiRequests = new Counter({
    name: 'api_requests_total',
    help: 'REST API requests by method, route pattern and response status.',
    labelNames: ['method', 'endpoint', 'status'] as const,
    registers: [registry],
  });
  const apiDuration = new Histogram({
    name: 'api_request_duration_seconds',
    help: 'REST API request latency until the response headers, by method and route pattern.',
    labelNames: ['method', 'endpoint'] as const,
    buckets: API_BUCKETS,
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'GitHub webhook deliveries by event and outcome (accepted, duplicate, rejected, ignored, failed).',
    labelNames: ['event', 'result'] as const,
    registers: [registry],
  });
  const provisioningDuration = new Histogram({
    name: 'provisioning_duration_seconds',
    help: 'Duration of finished apply and destroy runs, from their run reports.',
    labelNames: ['operation', 'status'] as const,
    buckets: RUN_BUCKETS,
    registers: [registry],
  });
  const provisioningErrors = new Counter({
    name: 'provisioning_errors_total',
    help: 'Failed apply or destroy runs by cloud and region.',
    labelNames: ['cloud', 'region'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'provisioning_environments_total',
    help: 'Environments in the index by status (read from the index at scrape time).',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      const counts = store.countByStatus();
      this.reset();
      // Every status gets a series, so a status that empties out reads 0 rather than vanishing.
      for (const status of STATUSES) this.set({ status }, counts[status] ?? 0);
    },
  });
  // One stats() call per scrape feeds all three index gauges.
  let scrapeStats: ReturnType<MetricsStore['stats']> | undefined;
  new Gauge({
    name: 'provisioning_index_environments',
    help: 'Environment rows in the SQLite index.',
    registers: [registry],
    collect() {
      scrapeStats = store.stats();
      this.set(scrapeStats.environments);
    },
  });
  new Gauge({
    name: 'provisioning_index_events',
    help: 'Status-event rows in the SQLite index.',
    registers: [registry],
    collect() {
      this.set((scrapeStats ?? store.stats()).events);
    },
  });
  new Gauge({
    name: 'provisioning_index_size_bytes',
    help: 'Size of the SQLite index database file (pages times page size).',
    registers: [registry],
    collect() {
      this.set((scrapeStats ?? store.stats()).bytes);
      scrapeStats = undefined;
    },
  });

  const requestSeries = new Map<
    string,
    { count: { inc(): void }; duration: { observe(value: number): void } }
  >();

  const recordError = (cloud: string, region: string): void => {
    provisioningErrors.inc({ cloud: cloud || 'unknown', region: region || 'unknown' });
  };

  return {
    registry,
    apiRequests,
    apiDuration,
    webhookDeliveries,
    provisioningDuration,
    provisioningErrors,
    contentType: registry.contentType,
    recordDelivery(event, result) {
      webhookDeliveries.inc({ event: KNOWN_EVENTS.has(event) ? event : 'other', result });
    },
    observeRun(report, where) {
      const started = Date.parse(report.started_at);
      const finished = Date.parse(report.finished_at);
      if (Number.isFinite(started) && Number.isFinite(finished) && finished >= started) {
        provisioningDuration.observe(
          { operation: report.operation, status: report.status },
          (finished - started) / 1000,
        );
      }
      if (report.status === 'failed') {
        const place = where ?? store.getEnvironment(report.environment);
        recordError(place?.cloud ?? 'unknown', place?.region ?? 'unknown');
      }
    },
    recordError,
    observeRequest(method, endpoint, status, seconds) {
      const m = KNOWN_METHODS.has(method) ? method : 'OTHER';
      // inc/observe with a label object hash and validate the labels on every call, a visible
      // share of a cached read; the labelled children are looked up once per label set instead.
      // The key space is bounded: known methods, route patterns and HTTP statuses.
      const key = `${m} ${endpoint} ${status}`;
      let series = requestSeries.get(key);
      if (!series) {
        series = {
          count: apiRequests.labels({ method: m, endpoint, status: String(status) }),
          duration: apiDuration.labels({ method: m, endpoint }),
        };
        requestSeries.set(key, series);
      }
      series.count.inc();
      series.duration.observe(seconds);
    },
    render: () => registry.metrics(),
  };
}
