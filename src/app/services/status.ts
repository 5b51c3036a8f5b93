/**
 * Webhook-driven status (DESIGN.md "Status lifecycle"): deployments, deployment statuses
 * and workflow runs move environments through the lifecycle, only when they come from the
 * trusted apply/destroy workflow on the default branch.
 */
import { basename } from 'node:path';
import type { Operation } from '../../engine/report/types.js';
import { parsePhase, TRANSITIONAL, type LifecycleEvent } from '../lifecycle.js';
import { ENVIRONMENT_FILE, readFile, splitRepo } from '../github.js';
import { iso, type DeliveryContext, type ServiceDeps } from './context.js';
import { applyLifecycleEvent, parkEvent, recordFromConfig, replayParked, type Applied } from './records.js';
import { formatDiagnostic } from '../../engine/config/types.js';
import { parseReport } from './reports.js';

/** The parts of a deployment / deployment_status / workflow_run payload the App reads. */
export interface WorkflowRunInfo {
  id: number;
  name?: string | null;
  path?: string | null;
  head_branch?: string | null;
  html_url?: string | null;
  conclusion?: string | null;
  updated_at?: string | null;
}

export interface DeploymentInfo {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
  payload: unknown;
}

export interface RepositoryInfo {
  full_name: string;
  default_branch: string;
}

export type Outcome = { result: 'accepted' | 'ignored' | 'duplicate'; reason?: string; applied?: Applied[] };

/** Whether a workflow run may report status: the trusted workflow, on the default branch. */
export function trustRun(
  run: WorkflowRunInfo | null | undefined,
  repository: RepositoryInfo,
  trusted: readonly string[],
  workflow?: { name?: string | null; path?: string | null } | null,
): string | undefined {
  if (!run) return 'it does not come from a GitHub Actions workflow run';
  if (run.head_branch !== repository.default_branch) {
    return `it comes from a run on branch '${run.head_branch ?? 'unknown'}', not the default branch '${repository.default_branch}'`;
  }
  const names = [run.name, run.path, workflow?.name, workflow?.path]
    .filter((n): n is string => typeof n === 'string' && n.length > 0)
    .flatMap((n) => [n, basename(n)]);
  if (!names.some((n) => trusted.includes(n))) {
    return `workflow '${run.name ?? run.path ?? 'unknown'}' is not a trusted apply/destroy workflow (${trusted.join(', ')}); set TRUSTED_WORKFLOWS to change that`;
  }
  return undefined;
}

/** `payload.beta9` of a Beta9 deployment (the payload may arrive as a JSON string). */
export function beta9Payload(
  deployment: DeploymentInfo,
): { environment: string; operation: Operation } | undefined {
  let payload = deployment.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  const beta9 = (payload as { beta9?: { environment?: unknown; operation?: unknown } } | null)?.beta9;
  if (!beta9 || typeof beta9.environment !== 'string') return undefined;
  if (beta9.operation !== 'apply' && beta9.operation !== 'destroy') return undefined;
  return { environment: beta9.environment, operation: beta9.operation };
}

export class StatusService {
  constructor(private readonly deps: ServiceDeps) {}

  /** `deployment.created`: the environment is queued (apply) or destroy_queued (destroy). */
  async deploymentCreated(
    delivery: DeliveryContext,
    input: {
      deployment: DeploymentInfo;
      repository: RepositoryInfo;
      run: WorkflowRunInfo | null;
      workflow?: { name?: string | null; path?: string | null } | null;
      installationId: number | null;
    },
  ): Promise<Outcome> {
    const target = this.target(delivery, input);
    if ('result' in target) return target;
    const event: LifecycleEvent = {
      kind: 'deployment',
      deploymentId: input.deployment.id,
      at: iso(input.deployment.created_at),
      operation: target.operation,
      runId: input.run?.id ?? null,
    };
    return this.apply(delivery, target.environment, event, input, target.log);
  }

  /** `deployment_status.created`: the phase word at the start of the description moves the environment. */
  async deploymentStatusCreated(
    delivery: DeliveryContext,
    input: {
      deployment: DeploymentInfo;
      status: {
        id: number;
        state: string;
        description?: string | null;
        created_at: string;
        log_url?: string | null;
      };
      repository: RepositoryInfo;
      run: WorkflowRunInfo | null;
      workflow?: { name?: string | null; path?: string | null } | null;
      installationId: number | null;
    },
  ): Promise<Outcome> {
    const target = this.target(delivery, input);
    if ('result' in target) return target;
    const phase = parsePhase(input.status.state, input.status.description, target.operation);
    if (!phase) {
      const reason = `deployment status '${input.status.state}' says nothing about the environment`;
      target.log.info(`Ignoring deployment status: ${reason}`);
      return { result: 'ignored', reason };
    }
    const event: LifecycleEvent = {
      kind: 'status',
      deploymentId: input.deployment.id,
      statusId: input.status.id,
      at: iso(input.status.created_at),
      operation: target.operation,
      phase: phase.phase,
      reason: phase.reason,
      runId: input.run?.id ?? null,
    };
    return this.apply(delivery, target.environment, event, input, target.log);
  }

  /** `workflow_run.completed` without success: environments still waiting on that run failed. */
  async workflowRunCompleted(
    delivery: DeliveryContext,
    input: {
      run: WorkflowRunInfo;
      repository: RepositoryInfo;
      workflow?: { name?: string | null; path?: string | null } | null;
    },
  ): Promise<Outcome> {
    const { run, repository } = input;
    const conclusion = run.conclusion ?? 'unknown';
    if (!['cancelled', 'timed_out', 'failure', 'startup_failure'].includes(conclusion)) {
      const reason = `run ${run.id} concluded '${conclusion}'; its deployment statuses say how it went`;
      delivery.log.debug(`Ignoring workflow run: ${reason}`);
      return { result: 'ignored', reason };
    }
    const untrusted = trustRun(run, repository, this.deps.settings.trustedWorkflows, input.workflow);
    if (untrusted) {
      delivery.log.info({ run: run.id }, `Ignoring workflow run ${run.id}: ${untrusted}`);
      return { result: 'ignored', reason: untrusted };
    }
    const { store } = this.deps;
    const at = iso(run.updated_at ?? this.deps.now());
    const applied: Applied[] = [];
    let duplicate = false;
    store.transaction(() => {
      if (!store.claimDelivery(delivery.id, delivery.event, this.deps.now().toISOString())) {
        duplicate = true;
        return;
      }
      // Remember the ending, so statuses of this run that arrive later cannot revive it.
      store.recordRunEnd(run.id, repository.full_name, conclusion, at);
      for (const name of store.environmentsOfRun(run.id)) {
        const record = store.getEnvironment(name);
        if (!record || record.repo !== repository.full_name || !TRANSITIONAL.has(record.status)) continue;
        applied.push(
          applyLifecycleEvent(
            this.deps,
            name,
            { kind: 'run_end', runId: run.id, at, conclusion },
            {
              deliveryId: delivery.id,
              log: delivery.log,
              runUrl: run.html_url ?? null,
            },
          ),
        );
      }
    });
    if (duplicate) return this.duplicate(delivery);
    return { result: 'accepted', applied };
  }

  /**
   * `check_run.completed` named `beta9 / drift / <environment>`: the scheduled drift check's
   * report. Only GitHub Actions on the default branch is trusted; a check older than the one
   * already recorded changes nothing.
   */
  async driftChecked(
    delivery: DeliveryContext,
    input: {
      checkRun: { name: string; output?: { text?: string | null } | null; app?: { slug?: string } | null };
      headBranch: string | null | undefined;
      repository: RepositoryInfo;
    },
  ): Promise<Outcome> {
    const name = input.checkRun.name.slice('beta9 / drift / '.length);
    const log = delivery.log.child({ environment: name });
    const ignore = (reason: string): Outcome => {
      log.info(`Ignoring drift check: ${reason}`);
      return { result: 'ignored', reason };
    };
    if (input.checkRun.app?.slug !== 'github-actions')
      return ignore('it was not published by GitHub Actions');
    if (input.headBranch !== input.repository.default_branch) {
      return ignore(`it ran on '${input.headBranch ?? 'unknown'}', not the default branch`);
    }
    const report = parseReport(input.checkRun.output?.text ?? '', name);
    if (typeof report === 'string') return ignore(report);
    if (!report.drift) return ignore('the report carries no drift result');
    const drift = { detected: report.drift.detected, checked_at: iso(report.drift.checked_at) };
    const { store } = this.deps;
    let outcome: Outcome = { result: 'ignored' };
    store.transaction(() => {
      if (!store.claimDelivery(delivery.id, delivery.event, this.deps.now().toISOString())) {
        outcome = { result: 'duplicate' };
        return;
      }
      const record = store.getEnvironment(name);
      if (!record || record.repo !== input.repository.full_name) {
        outcome = ignore(`'${name}' is not an environment of ${input.repository.full_name}`);
        return;
      }
      if (record.drift && record.drift.checked_at >= drift.checked_at) {
        outcome = ignore(`a drift check from ${record.drift.checked_at} is already recorded`);
        return;
      }
      store.putEnvironment({ ...record, drift, updated_at: this.deps.now().toISOString() });
      log[drift.detected ? 'warn' : 'info'](
        { drift },
        drift.detected ? `Drift detected in ${name}: the cloud differs from the file` : `${name} is in sync`,
      );
      outcome = { result: 'accepted' };
    });
    if (outcome.result === 'duplicate') return this.duplicate(delivery);
    return outcome;
  }

  /** Checks trust and the Beta9 payload, and finds (or indexes) the environment. */
  private target(
    delivery: DeliveryContext,
    input: {
      deployment: DeploymentInfo;
      repository: RepositoryInfo;
      run: WorkflowRunInfo | null;
      workflow?: { name?: string | null; path?: string | null } | null;
    },
  ): Outcome | { environment: string; operation: Operation; log: DeliveryContext['log'] } {
    const beta9 = beta9Payload(input.deployment);
    if (!beta9) {
      const reason = `deployment ${input.deployment.id} to '${input.deployment.environment}' is not a Beta9 deployment (no payload.beta9)`;
      delivery.log.info(`Ignoring: ${reason}`);
      return { result: 'ignored', reason };
    }
    const log = delivery.log.child({ environment: beta9.environment });
    if (beta9.environment !== input.deployment.environment) {
      const reason = `payload.beta9.environment '${beta9.environment}' differs from the deployment environment '${input.deployment.environment}'`;
      log.warn(`Ignoring deployment ${input.deployment.id}: ${reason}`);
      return { result: 'ignored', reason };
    }
    const untrusted = trustRun(
      input.run,
      input.repository,
      this.deps.settings.trustedWorkflows,
      input.workflow,
    );
    if (untrusted) {
      log.warn(
        { deployment: input.deployment.id },
        `Ignoring untrusted status for ${beta9.environment}: ${untrusted}`,
      );
      return { result: 'ignored', reason: untrusted };
    }
    return { environment: beta9.environment, operation: beta9.operation, log };
  }

  private async apply(
    delivery: DeliveryContext,
    name: string,
    event: LifecycleEvent,
    input: {
      deployment: DeploymentInfo;
      repository: RepositoryInfo;
      run: WorkflowRunInfo | null;
      installationId: number | null;
    },
    log: DeliveryContext['log'],
  ): Promise<Outcome> {
    const { store } = this.deps;
    if (store.hasDelivery(delivery.id)) return this.duplicate(delivery);
    const repo = input.repository.full_name;
    const record = store.getEnvironment(name);
    // A deployment can overtake the push that declared its environment: index the file at the deployment's commit.
    const unknown = !record || (record.repo !== repo && record.status === 'destroyed');
    const fetched = unknown ? await this.fetchDeclaration(name, input, log) : undefined;

    let outcome: Outcome = { result: 'ignored' };
    store.transaction(() => {
      if (!store.claimDelivery(delivery.id, delivery.event, this.deps.now().toISOString())) {
        outcome = { result: 'duplicate' };
        return;
      }
      const current = store.getEnvironment(name);
      if (current && current.repo !== repo && current.status !== 'destroyed') {
        const reason = `'${name}' is declared by ${current.repo}, not ${repo}`;
        log.warn(`Ignoring deployment ${input.deployment.id}: ${reason}`);
        outcome = { result: 'ignored', reason };
        return;
      }
      const replayed: Applied[] = [];
      if (fetched) {
        if (current && current.repo !== repo) store.purgeEnvironment(name);
        const existing = store.getEnvironment(name);
        store.putEnvironment(
          recordFromConfig({ repo, ...fetched, at: this.deps.now().toISOString() }, existing),
        );
        store.putSync(name, {
          installation_id: input.installationId,
          file_sha: fetched.sha,
          file_at: event.at,
        });
        replayed.push(...replayParked(this.deps, name, repo, log));
      }
      const ctx = {
        deliveryId: delivery.id,
        log: delivery.log,
        runUrl: input.run?.html_url ?? null,
        commit: input.deployment.sha,
        report: { repo, sha: input.deployment.sha, installationId: input.installationId },
      };
      if (!store.getEnvironment(name)) {
        // Its declaring push has not arrived (or it was removed before we saw it): wait for it.
        parkEvent(this.deps, name, repo, event, { ...ctx, log });
        outcome = { result: 'accepted', reason: 'parked until the environment is declared' };
        return;
      }
      const applied = applyLifecycleEvent(this.deps, name, event, ctx);
      outcome = { result: applied.changed ? 'accepted' : 'ignored', applied: [...replayed, applied] };
    });
    if (outcome.result === 'duplicate') return this.duplicate(delivery);
    return outcome;
  }

  private async fetchDeclaration(
    name: string,
    input: { deployment: DeploymentInfo; repository: RepositoryInfo; installationId: number | null },
    log: DeliveryContext['log'],
  ) {
    try {
      const gh = await this.deps.auth(input.installationId);
      const where = splitRepo(input.repository.full_name);
      for (const path of [`environments/${name}.yaml`, `environments/${name}.yml`]) {
        if (!ENVIRONMENT_FILE.test(path)) continue;
        const file = await readFile(gh, where, path, input.deployment.sha);
        if (!file) continue;
        const { config, diagnostics } = this.deps.engine.parse(path, file.text);
        if (!config || diagnostics.length > 0) {
          log.warn(
            { problems: diagnostics.map(formatDiagnostic) },
            `${path} at the deployment's commit is invalid`,
          );
          return undefined;
        }
        return {
          path,
          sha: file.sha,
          config,
          model: this.deps.engine.model(config),
          commit: input.deployment.sha,
        };
      }
    } catch (error) {
      log.warn({ err: (error as Error).message }, `Could not read the declaration of ${name}`);
    }
    return undefined;
  }

  private duplicate(delivery: DeliveryContext): Outcome {
    delivery.log.info('Delivery already applied; a redelivery changes nothing');
    return { result: 'duplicate' };
  }
}
