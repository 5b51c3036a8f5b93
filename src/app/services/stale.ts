import type { EnvironmentRecord } from '../store/types.js';
import type { ServiceDeps } from './context.js';

/**
 * Flags environments stuck in a transitional status for longer than `staleAfterMs`, once
 * each, with a warn line an operator can alert on (the original design alerts at this point).
 */
export class StaleChecker {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: Pick<ServiceDeps, 'store' | 'log' | 'now' | 'settings'>) {}

  check(): EnvironmentRecord[] {
    const { staleAfterMs } = this.deps.settings;
    const before = new Date(this.deps.now().getTime() - staleAfterMs).toISOString();
    const stale = this.deps.store.markStale(before);
    for (const record of stale) {
      this.deps.log.warn(
        {
          environment: record.name,
          status: record.status,
          since: record.status_changed_at,
          stale_after_ms: staleAfterMs,
          run_url: record.last_run_url,
        },
        `Environment ${record.name} has been ${record.status} since ${record.status_changed_at}: flagged stale. Check its run${record.last_run_url ? ` (${record.last_run_url})` : ''}; a run that died without reporting needs a re-run.`,
      );
    }
    return stale;
  }

  /** Checks now and then every quarter of the threshold (at most every minute). */
  start(): void {
    this.check();
    const every = Math.max(1000, Math.min(this.deps.settings.staleAfterMs / 4, 60_000));
    this.timer = setInterval(() => this.check(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
