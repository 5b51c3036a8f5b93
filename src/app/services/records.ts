/**
 * Writing the index: environment records from parsed files, and lifecycle events applied
 * through the pure reducer. Callers wrap these in one `store.transaction()` per webhook.
 */
import type { Logger } from 'pino';
import type { MetaConfig } from '../../engine/config/types.js';
import type { InfraModel } from '../../engine/model/types.js';
import { FINAL, step, type LifecycleEvent, type LifecycleState } from '../lifecycle.js';
import type { EnvironmentRecord } from '../store/types.js';
import type { IndexStore } from '../store/store.js';
import type { ServiceDeps } from './context.js';

/** The cloud's external id is a shared value for assuming the role; keep it out of the index and the API. */
export function redactConfig(config: MetaConfig): MetaConfig {
  if (config.cloud.provider !== 'aws' || config.cloud.external_id === undefined) return config;
  return { ...config, cloud: { ...config.cloud, external_id: '[redacted]' } };
}

export function redactModel(model: InfraModel): InfraModel {
  if (model.cloud.externalId === undefined) return model;
  return { ...model, cloud: { ...model.cloud, externalId: '[redacted]' } };
}

/** Names that look like secrets; dropped from outputs even though the report should never carry them. */
const SENSITIVE_OUTPUT =
  /(password|passwd|secret_value|private_key|token|credential|kubeconfig|ca_cert|client_key)/i;

/** Outputs as the API may serve them: primitives only, nothing that looks like a secret. */
export function sanitizeOutputs(outputs: unknown): Record<string, string | number | boolean> {
  const clean: Record<string, string | number | boolean> = {};
  if (typeof outputs !== 'object' || outputs === null) return clean;
  for (const [key, value] of Object.entries(outputs)) {
    if (SENSITIVE_OUTPUT.test(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      clean[key] = value;
  }
  return clean;
}

/** A new or refreshed record for a declared environment; keeps status and history of an existing one. */
export function recordFromConfig(
  input: {
    repo: string;
    path: string;
    config: MetaConfig;
    model: InfraModel;
    at: string;
    commit?: string | null;
  },
  existing: EnvironmentRecord | undefined,
): EnvironmentRecord {
  const { config, model } = input;
  const account = config.cloud.provider === 'aws' ? config.cloud.account_id : config.cloud.project_id;
  const base: EnvironmentRecord = existing ?? {
    name: config.name,
    repo: input.repo,
    path: input.path,
    cloud: config.cloud.provider,
    region: config.cloud.region,
    account,
    status: 'pending',
    stale: false,
    drift: null,
    outputs: {},
    meta_config: null,
    infra_model: null,
    state_backend: null,
    error_message: null,
    last_counts: null,
    created_at: input.at,
    updated_at: input.at,
    provisioned_at: null,
    destroyed_at: null,
    status_changed_at: input.at,
    last_commit: null,
    last_run_url: null,
    last_pr: null,
    deployment_id: null,
    deployment_status_id: null,
  };
  return {
    ...base,
    repo: input.repo,
    path: input.path,
    cloud: config.cloud.provider,
    region: config.cloud.region,
    account,
    meta_config: redactConfig(config),
    infra_model: redactModel(model),
    state_backend: model.stateBackend,
    updated_at: existing ? input.at : base.updated_at,
    last_commit: input.commit ?? base.last_commit,
  };
}

export function lifecycleState(store: IndexStore, name: string): LifecycleState | undefined {
  const record = store.getEnvironment(name);
  if (!record) return undefined;
  const sync = store.getSync(name);
  return {
    status: record.status,
    deploymentId: record.deployment_id,
    statusSeq: record.deployment_status_id,
    at: sync?.source_at ?? null,
    source: sync?.source ?? null,
    runId: sync?.run_id ?? null,
    operation: sync?.operation ?? null,
    errorMessage: record.error_message,
  };
}

export interface ApplyContext {
  deliveryId: string | null;
  log: Logger;
  runUrl?: string | null;
  commit?: string | null;
  /** Where the run report of a final status is published (deployment events only). */
  report?: { repo: string; sha: string; installationId: number | null };
}

export interface Applied {
  environment: string;
  changed: boolean;
  state: LifecycleState;
  /** Set when a final status was reached and its report is to be fetched. */
  reportQueued: boolean;
}

/**
 * Applies one lifecycle event to an environment inside the caller's transaction: asks the
 * reducer whether it is newer, records each resulting transition, saves the ordering state
 * and queues the report fetch when an operation finished.
 */
export function applyLifecycleEvent(
  deps: Pick<ServiceDeps, 'store' | 'now' | 'metrics'>,
  name: string,
  event: LifecycleEvent,
  ctx: ApplyContext,
): Applied {
  const { store } = deps;
  const log = ctx.log.child({ environment: name });
  const before = lifecycleState(store, name);
  if (!before) throw new Error(`environment '${name}' is not in the index`);
  const runId = event.kind === 'run_end' ? event.runId : event.kind === 'push' ? null : event.runId;
  const ended = runId !== null ? store.getRunEnd(runId) : undefined;
  const result = step(before, event, ended && runId !== null ? new Map([[runId, ended]]) : new Map());
  // When it was last provisioned or destroyed is a maximum over every such report, applied or
  // superseded, so it does not depend on the order they arrive in.
  if (event.kind === 'status' && (event.phase === 'ready' || event.phase === 'destroyed')) {
    const column = event.phase === 'ready' ? 'provisioned_at' : 'destroyed_at';
    store.db
      .prepare(
        `UPDATE environments SET ${column} = ? WHERE name = ? AND (${column} IS NULL OR ${column} < ?)`,
      )
      .run(event.at, name, event.at);
  }
  // The last run URL comes from the newest deployment event that named one, applied or not.
  if ((event.kind === 'deployment' || event.kind === 'status') && ctx.runUrl) {
    const seq = event.kind === 'status' ? event.statusId : 0;
    const sync = store.getSync(name);
    const newer =
      sync?.run_url_deployment == null ||
      event.deploymentId > sync.run_url_deployment ||
      (event.deploymentId === sync.run_url_deployment && seq >= (sync.run_url_seq ?? -1));
    if (newer) {
      store.db.prepare('UPDATE environments SET last_run_url = ? WHERE name = ?').run(ctx.runUrl, name);
      store.putSync(name, { run_url_deployment: event.deploymentId, run_url_seq: seq });
    }
  }
  // Every finished deployment's report is fetched; the newest one fetched wins (see ReportService).
  let reportQueued = false;
  if (event.kind === 'status' && FINAL.has(event.phase) && ctx.report) {
    const reported = store.getSync(name)?.report_deployment ?? null;
    if (reported === null || event.deploymentId > reported) {
      store.enqueueReportFetch({
        environment: name,
        deployment_id: event.deploymentId,
        repo: ctx.report.repo,
        sha: ctx.report.sha,
        installation_id: ctx.report.installationId,
        next_attempt_at: deps.now().toISOString(),
        created_at: deps.now().toISOString(),
      });
      reportQueued = true;
    }
  }
  if (result.transitions.length === 0) {
    log.info({ reason: result.ignored }, `Ignoring ${event.kind} event: ${result.ignored}`);
    return { environment: name, changed: false, state: before, reportQueued };
  }

  const state = result.state;
  for (const transition of result.transitions) {
    const record = store.getEnvironment(name)!;
    const patch: Partial<EnvironmentRecord> = {
      error_message: transition.status === 'failed' ? state.errorMessage : null,
      deployment_id: state.deploymentId,
      deployment_status_id: state.statusSeq,
      last_commit: ctx.commit ?? record.last_commit,
    };
    // The original design clears outputs once the environment is gone.
    if (transition.status === 'destroyed') patch.outputs = {};
    store.recordStatus(
      name,
      transition.status,
      {
        description: transition.description,
        at: transition.at,
        deployment_id: state.deploymentId,
        deployment_status_id: state.statusSeq,
        delivery_id: ctx.deliveryId,
        run_url: ctx.runUrl ?? null,
      },
      patch,
    );
    log.info(
      { status: transition.status, previous: transition.previous, deployment: state.deploymentId },
      `Environment ${name}: ${transition.previous} → ${transition.status}`,
    );
    if (transition.status === 'failed' && event.kind === 'run_end') {
      deps.metrics?.recordError(record.cloud, record.region);
    }
  }
  store.putSync(name, {
    source: state.source,
    source_at: state.at,
    run_id: state.runId,
    operation: state.operation,
  });

  return { environment: name, changed: true, state, reportQueued };
}

/** What is kept of an ApplyContext while an event waits for its environment to be declared. */
interface ParkedContext {
  deliveryId: string | null;
  runUrl: string | null;
  commit: string | null;
  report: ApplyContext['report'] | null;
}

/** Parks an event for an environment the index does not know yet (inside the caller's transaction). */
export function parkEvent(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  name: string,
  repo: string,
  event: LifecycleEvent,
  ctx: ApplyContext,
): void {
  const parked: ParkedContext = {
    deliveryId: ctx.deliveryId,
    runUrl: ctx.runUrl ?? null,
    commit: ctx.commit ?? null,
    report: ctx.report ?? null,
  };
  deps.store.parkOrphanEvent(name, repo, event, parked, deps.now().toISOString());
  ctx.log.info(
    { environment: name },
    `Environment ${name} is not declared yet; the ${event.kind} event waits until its file is indexed`,
  );
}

/** Applies the events parked for a newly declared environment (inside the caller's transaction). */
export function replayParked(
  deps: Pick<ServiceDeps, 'store' | 'now' | 'metrics'>,
  name: string,
  repo: string,
  log: ApplyContext['log'],
): Applied[] {
  return deps.store.takeOrphanEvents(name, repo).map(({ event, context }) => {
    const parked = context as ParkedContext;
    return applyLifecycleEvent(deps, name, event as LifecycleEvent, {
      deliveryId: parked.deliveryId,
      log,
      runUrl: parked.runUrl,
      commit: parked.commit,
      report: parked.report ?? undefined,
    });
  });
}
