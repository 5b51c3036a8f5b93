import { IndexStore } from '../../../src/app/store/store.js';
import type { EnvironmentRecord } from '../../../src/app/store/types.js';
import type { Status } from '../../../src/engine/report/types.js';
import { createMetrics } from '../../../src/app/metrics.js';
import type { Metrics } from '../../../src/app/metrics.js';
import { createApiApp } from '../../../src/app/api/index.js';
import type { ApiOptions } from '../../../src/app/api/index.js';

export const T0 = '2026-11-20T10:00:00.000Z';

export function record(name: string, overrides: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    name,
    repo: 'acme/infra',
    path: `environments/${name}.yaml`,
    cloud: 'aws',
    region: 'us-east-1',
    account: '123456789012',
    status: 'pending',
    stale: false,
    drift: null,
    outputs: {},
    meta_config: null,
    infra_model: null,
    state_backend: null,
    error_message: null,
    last_counts: null,
    created_at: T0,
    updated_at: T0,
    provisioned_at: null,
    destroyed_at: null,
    status_changed_at: T0,
    last_commit: null,
    last_run_url: null,
    last_pr: null,
    deployment_id: null,
    deployment_status_id: null,
    ...overrides,
  };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

export function memoryLogger() {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj: object, msg?: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => lines.push({ level: 'error', obj, msg }),
  };
}

/** Moves an environment to `status` the way the webhook handlers do (event + record). */
export function setStatus(
  store: IndexStore,
  name: string,
  status: Status,
  at: string,
  extra: { description?: string; run_url?: string } = {},
) {
  return store.recordStatus(name, status, {
    description: extra.description ?? status,
    at,
    deployment_id: 1,
    deployment_status_id: null,
    delivery_id: null,
    run_url: extra.run_url ?? null,
  });
}

export interface Harness {
  store: IndexStore;
  metrics: Metrics;
  logger: ReturnType<typeof memoryLogger>;
  app: ReturnType<typeof createApiApp>;
}

export function harness(options: Partial<ApiOptions> = {}, records: EnvironmentRecord[] = []): Harness {
  const store = new IndexStore(':memory:');
  for (const r of records) store.putEnvironment(r);
  const metrics = createMetrics(store, { processMetrics: false });
  const logger = memoryLogger();
  const app = createApiApp({ store, metrics, apiTokens: [], logger, heartbeatMs: 60_000, ...options });
  return { store, metrics, logger, app };
}

// Response bodies are checked field by field in the tests; a loose type keeps them readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  return res.json();
}
