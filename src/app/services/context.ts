import type { Logger } from 'pino';
import type { AppEngine } from '../engine.js';
import type { GitHub } from '../github.js';
import type { Metrics } from '../metrics.js';
import type { Settings } from '../settings.js';
import type { IndexStore } from '../store/store.js';

/** What every service gets: the index, the engine, a clock, a logger and optional metrics. */
export interface ServiceDeps {
  store: IndexStore;
  engine: AppEngine;
  log: Logger;
  now: () => Date;
  metrics?: Pick<Metrics, 'observeRun' | 'recordError'>;
  settings: Pick<Settings, 'trustedWorkflows' | 'reportRetry' | 'staleAfterMs'>;
  /** An Octokit authenticated as an installation (Probot's `auth`). */
  auth: (installationId: number | null) => Promise<GitHub>;
}

/** One webhook delivery: its id is the correlation id of every log line about it. */
export interface DeliveryContext {
  id: string;
  event: string;
  log: Logger;
}

/** ISO-8601 in UTC with milliseconds, so stored timestamps compare as strings. */
export function iso(value: string | number | Date): string {
  const date = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`'${String(value)}' is not a timestamp`);
  return date.toISOString();
}
