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

interface RequestSeries {
  /** Requests counted since the last scrape, added to the prom-client counter then. */
  pending: number;
  readonly counterLabels: { method: string; endpoint: string; status: string };
  readonly latency: LatencySeries;
}

interface LatencySeries {
  readonly labels: { method: string; endpoint: string };
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/**
 * `api_request_duration_seconds`, kept as plain numbers per series and written out in
 * prom-client's histogram format at scrape time. prom-client's `observe` converts, validates
 * and hashes its label object on every call, which was the largest single cost of a cached
 * read; here a request finds its bucket and adds to three numbers. Registered with the
 * registry like any prom-client metric (it has the `get`/`reset` the registry calls).
 */
class LatencyHistogram {
  readonly name = 'api_request_duration_seconds';
  readonly help = 'REST API request latency until the response headers, by method and route pattern.';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, LatencySeries>();

  constructor(private readonly bounds: readonly number[]) {}

  /** The series of one method and route pattern, made on first use. */
  of(method: string, endpoint: string): LatencySeries {
    const key = `${method} ${endpoint}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        labels: { method, endpoint },
        counts: new Array<number>(this.bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    return series;
  }

  observe(series: LatencySeries, seconds: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]!) bucket++;
    series.counts[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += counts[i]!;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

export function createMetrics(store: MetricsStore, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  // One entry per (method, route pattern, status): a bounded key space (known methods, the
  // API's route patterns, HTTP statuses). Requests are counted here and added to the counter
  // when it is scraped, so a request costs a Map lookup and an increment.
  const requestSeries = new Map<string, RequestSeries>();
  new Counter({
    name: 'api_requests_total',
    help: 'REST API requests by method, route pattern and response status.',
    labelNames: ['method', 'endpoint', 'status'] as const,
    registers: [registry],
    collect() {
      for (const series of requestSeries.values()) {
        if (series.pending === 0) continue;
        this.inc(series.counterLabels, series.pending);
        series.pending = 0;
      }
    },
  });
  const apiDuration = new LatencyHistogram(API_BUCKETS);
  registry.registerMetric(apiDuration as unknown as Histogram);
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

  const recordError = (cloud: string, region: string): void => {
    provisioningErrors.inc({ cloud: cloud || 'unknown', region: region || 'unknown' });
  };

  return {
    registry,
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
      const key = `${m} ${endpoint} ${status}`;
      let series = requestSeries.get(key);
      if (!series) {
        series = {
          pending: 0,
          counterLabels: { method: m, endpoint, status: String(status) },
          latency: apiDuration.of(m, endpoint),
        };
        requestSeries.set(key, series);
      }
      series.pending++;
      apiDuration.observe(series.latency, seconds);
    },
    render: () => registry.metrics(),
  };
}
