/**
 * Run reports: fetched once when an operation finishes; a failed fetch leaves the status as
 * it is and is retried from a persistent queue, on a timer and at start.
 */
import type { RunReport } from '../../engine/report/types.js';
import { splitRepo, type GitHub } from '../github.js';
import type { ReportFetch } from '../store/types.js';
import type { ServiceDeps } from './context.js';
import { sanitizeOutputs } from './records.js';

/** The check run the Action publishes its report as (its `output.text` is the RunReport JSON). */
export const reportCheckName = (environment: string): string => `beta9 / report / ${environment}`;

/** Validates the shape of a report; returns a reason when it is not one for `environment`. */
export function parseReport(text: string, environment: string): RunReport | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the report is not JSON';
  }
  const r = value as Partial<RunReport> | null;
  if (!r || typeof r !== 'object' || r.version !== 1) return 'the report is not a version 1 run report';
  if (r.environment !== environment)
    return `the report is for '${String(r.environment)}', not '${environment}'`;
  if (!['ready', 'destroyed', 'failed'].includes(String(r.status)))
    return `the report status '${String(r.status)}' is unknown`;
  return r as RunReport;
}

export async function fetchReport(gh: GitHub, fetch: ReportFetch): Promise<RunReport> {
  const where = splitRepo(fetch.repo);
  const { data } = await gh.rest.checks.listForRef({
    ...where,
    ref: fetch.sha,
    check_name: reportCheckName(fetch.environment),
    filter: 'all',
    per_page: 100,
  });
  const runs = [...data.check_runs].sort((a, b) => b.id - a.id);
  let reason = `no check run '${reportCheckName(fetch.environment)}' on ${fetch.sha.slice(0, 7)} yet`;
  for (const run of runs) {
    const text = run.output?.text;
    if (!text) {
      reason = `check run ${run.id} has no report text`;
      continue;
    }
    const report = parseReport(text, fetch.environment);
    if (typeof report !== 'string') return report;
    reason = `check run ${run.id}: ${report}`;
  }
  throw new Error(reason);
}

export class ReportService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly deps: ServiceDeps) {}

  /** Fetches every due report, one pass at a time; a call during a pass makes it look again. */
  processDue(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const pass = async (): Promise<void> => {
      do {
        this.again = false;
        const due = this.deps.store.dueReportFetches(this.deps.now().toISOString());
        for (const fetch of due) await this.attempt(fetch);
      } while (this.again);
    };
    // `.finally` runs after the assignment even when the pass finishes synchronously.
    this.running = pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Starts the retry timer and retries what a previous process left behind. */
  start(): void {
    void this.processDue().catch((error) => this.deps.log.error({ err: error }, 'Report retry pass failed'));
    this.timer = setInterval(() => {
      void this.processDue().catch((error) =>
        this.deps.log.error({ err: error }, 'Report retry pass failed'),
      );
    }, this.deps.settings.reportRetry.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One fetch: applies the report, or reschedules with backoff, or gives up after the last attempt. */
  async attempt(fetch: ReportFetch): Promise<boolean> {
    const { store, log: baseLog, settings } = this.deps;
    const log = baseLog.child({ environment: fetch.environment, deployment: fetch.deployment_id });
    let report: RunReport;
    try {
      const gh = await this.deps.auth(fetch.installation_id);
      report = await fetchReport(gh, fetch);
    } catch (error) {
      const attempts = fetch.attempts + 1;
      const message = (error as Error).message;
      const retry = settings.reportRetry;
      if (attempts >= retry.maxAttempts) {
        store.transaction(() => store.deleteReportFetch(fetch.environment, fetch.deployment_id));
        log.error(
          { attempts, err: message },
          `Gave up fetching the run report of ${fetch.environment} after ${attempts} attempts; its status is unaffected. Run 'beta9-provisioner reindex' to try again.`,
        );
        return false;
      }
      const delay = Math.min(retry.baseDelayMs * 2 ** (attempts - 1), retry.maxDelayMs);
      const next = new Date(this.deps.now().getTime() + delay).toISOString();
      store.transaction(() =>
        store.rescheduleReportFetch(fetch.environment, fetch.deployment_id, attempts, next, message),
      );
      log.warn(
        { attempts, next_attempt_at: next, err: message },
        `Run report of ${fetch.environment} not fetched; retrying later`,
      );
      return false;
    }

    let observed: { cloud: string; region: string } | undefined;
    store.transaction(() => {
      store.deleteReportFetch(fetch.environment, fetch.deployment_id);
      const record = store.getEnvironment(fetch.environment);
      const reported = store.getSync(fetch.environment)?.report_deployment ?? null;
      // The newest deployment's report wins, whatever order the fetches finish in.
      if (!record || (reported !== null && reported > fetch.deployment_id)) {
        log.info("A newer deployment's report is already applied; not applying this one");
        return;
      }
      const drift =
        report.drift && (!record.drift || record.drift.checked_at < report.drift.checked_at)
          ? report.drift
          : record.drift;
      const current = record.deployment_id === fetch.deployment_id;
      store.putEnvironment({
        ...record,
        outputs: report.status === 'destroyed' ? {} : sanitizeOutputs(report.outputs),
        last_counts: report.counts ?? record.last_counts,
        drift,
        error_message:
          current && record.status === 'failed' && report.error
            ? [report.error.message, report.error.next_step].filter(Boolean).join(' ')
            : record.error_message,
        updated_at: this.deps.now().toISOString(),
      });
      store.putSync(fetch.environment, { report_deployment: fetch.deployment_id });
      observed = { cloud: record.cloud, region: record.region };
    });
    if (observed) {
      this.deps.metrics?.observeRun(report, observed);
      log.info({ timings: report.timings }, `Run report of ${fetch.environment} applied`);
    }
    return true;
  }
}
