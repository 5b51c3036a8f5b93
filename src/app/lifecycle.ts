/**
 * The status lifecycle as a pure reducer (DESIGN.md "Status lifecycle").
 *
 * Webhooks arrive late, twice, or in any order. The reducer keeps, per environment, the
 * position of the last event it applied and applies a new event only when it is newer:
 * deployments by id (a newer deployment supersedes an older one), statuses of one
 * deployment by status id, and pushes against deployments by time. So any shuffle of a
 * lifecycle's events, with duplicates, ends in the state the in-order sequence gives.
 */
import { STATUSES, type Operation, type Status } from '../engine/report/types.js';

/** Statuses that wait on a runner; an environment stuck in one is flagged stale. */
export const TRANSITIONAL: ReadonlySet<Status> = new Set<Status>([
  'queued',
  'provisioning',
  'bootstrapping',
  'destroy_queued',
  'destroying',
]);

/** Statuses that end an operation: the run report is fetched when one is reached. */
export const FINAL: ReadonlySet<Status> = new Set<Status>(['ready', 'destroyed', 'failed']);

export interface LifecycleState {
  status: Status;
  /** Newest deployment applied; events of older deployments are ignored. */
  deploymentId: number | null;
  /** Position inside that deployment: 0 = created, then status ids; `+0.5` for a run that died after it. */
  statusSeq: number | null;
  /** Time of the last applied event, for ordering pushes against deployments. */
  at: string | null;
  /** What the last applied event was. */
  source: 'push' | 'deployment' | null;
  /** Workflow run that reported the deployment, when known. */
  runId: number | null;
  operation: Operation | null;
  errorMessage: string | null;
}

export type LifecycleEvent =
  /** A file added, changed (apply) or removed (destroy) on the default branch. */
  | { kind: 'push'; at: string; operation: Operation; commit?: string }
  /** A deployment created by the apply/destroy workflow. */
  | { kind: 'deployment'; deploymentId: number; at: string; operation: Operation; runId: number | null }
  /** One phase of a deployment. */
  | {
      kind: 'status';
      deploymentId: number;
      statusId: number;
      at: string;
      operation: Operation;
      phase: Status;
      reason: string | null;
      runId: number | null;
    }
  /** A workflow run that ended without reporting (cancelled, timed out). */
  | { kind: 'run_end'; runId: number; at: string; conclusion: string };

export interface Transition {
  status: Status;
  previous: Status;
  description: string;
  at: string;
}

export interface StepResult {
  state: LifecycleState;
  /** Status changes to record, in order (empty when the event changed nothing). */
  transitions: Transition[];
  /** Why the event was ignored, for the log. */
  ignored?: string;
}

export const INITIAL_STATE: LifecycleState = {
  status: 'pending',
  deploymentId: null,
  statusSeq: null,
  at: null,
  source: null,
  runId: null,
  operation: null,
  errorMessage: null,
};

/** Every status a deployment status can announce: all but `pending`, which only Git declares. */
const PHASES: ReadonlySet<string> = new Set(STATUSES.filter((s) => s !== 'pending'));

/**
 * Reads the phase from a deployment status: the description begins with the phase word
 * (`provisioning`, `failed: <reason>`); without one, the GitHub state decides.
 * Returns undefined for states that say nothing about the environment (`inactive`).
 */
export function parsePhase(
  state: string,
  description: string | null | undefined,
  operation: Operation,
): { phase: Status; reason: string | null } | undefined {
  const text = (description ?? '').trim();
  const match = /^([a-z_]+)\b\s*:?\s*(.*)$/s.exec(text);
  if (match && PHASES.has(match[1]!)) {
    const phase = match[1] as Status;
    const reason =
      phase === 'failed' ? match[2]!.trim() || 'the run reported a failure without a reason' : null;
    return { phase, reason };
  }
  switch (state) {
    case 'queued':
    case 'pending':
      return { phase: operation === 'destroy' ? 'destroy_queued' : 'queued', reason: null };
    case 'in_progress':
      return { phase: operation === 'destroy' ? 'destroying' : 'provisioning', reason: null };
    case 'success':
      return { phase: operation === 'destroy' ? 'destroyed' : 'ready', reason: null };
    case 'failure':
    case 'error':
      return { phase: 'failed', reason: text || `the deployment status was '${state}'` };
    default:
      return undefined;
  }
}

function isDeploymentEvent(e: LifecycleEvent): e is Extract<LifecycleEvent, { deploymentId: number }> {
  return e.kind === 'deployment' || e.kind === 'status';
}

/** Why `event` is not newer than what `state` already reflects, or undefined when it is. */
function staleness(state: LifecycleState, event: LifecycleEvent): string | undefined {
  if (isDeploymentEvent(event) && state.deploymentId !== null && event.deploymentId < state.deploymentId) {
    return `deployment ${event.deploymentId} is superseded by deployment ${state.deploymentId}`;
  }
  if (isDeploymentEvent(event) && state.source === 'deployment') {
    if (event.deploymentId > state.deploymentId!) return undefined;
    const seq = event.kind === 'status' ? event.statusId : 0;
    return seq > (state.statusSeq ?? -1)
      ? undefined
      : `deployment ${event.deploymentId} is already at a later or the same status`;
  }
  if (state.at === null) return undefined;
  const a = Date.parse(event.at);
  const b = Date.parse(state.at);
  if (a > b) return undefined;
  // A deployment is created after the push it deploys; at the same second it is the newer one.
  if (a === b && isDeploymentEvent(event) && state.source === 'push') return undefined;
  return `an event from ${state.at} is already applied and this one is from ${event.at}`;
}

function describe(status: Status, reason: string | null, detail: string): string {
  return status === 'failed' && reason ? `failed: ${reason}` : `${status} (${detail})`;
}

/** Applies one event. `endedRuns` are workflow runs known to have died (cancelled, timed out). */
export function step(
  state: LifecycleState,
  event: LifecycleEvent,
  endedRuns: ReadonlyMap<number, { at: string; conclusion: string }> = new Map(),
): StepResult {
  if (event.kind === 'run_end') return endRun(state, event.runId, event);

  const why = staleness(state, event);
  if (why) return { state, transitions: [], ignored: why };

  let next: LifecycleState;
  let description: string;
  if (event.kind === 'push') {
    const status: Status = event.operation === 'destroy' ? 'destroy_queued' : 'queued';
    next = { ...state, status, at: event.at, source: 'push', operation: event.operation, errorMessage: null };
    description = `${status} (${event.operation === 'destroy' ? 'file removed' : 'file changed'} on the default branch${event.commit ? ` in ${event.commit.slice(0, 7)}` : ''})`;
  } else {
    const sameDeployment = event.deploymentId === state.deploymentId;
    const runId = event.runId ?? (sameDeployment ? state.runId : null);
    if (event.kind === 'deployment') {
      const status: Status = event.operation === 'destroy' ? 'destroy_queued' : 'queued';
      next = {
        status,
        deploymentId: event.deploymentId,
        statusSeq: 0,
        at: event.at,
        source: 'deployment',
        runId,
        operation: event.operation,
        errorMessage: null,
      };
      description = `${status} (deployment ${event.deploymentId})`;
    } else {
      next = {
        status: event.phase,
        deploymentId: event.deploymentId,
        statusSeq: event.statusId,
        at: event.at,
        source: 'deployment',
        runId,
        operation: event.operation,
        errorMessage: event.phase === 'failed' ? event.reason : null,
      };
      description = describe(event.phase, event.reason, `deployment ${event.deploymentId}`);
    }
  }

  const transitions: Transition[] = [
    { status: next.status, previous: state.status, description, at: event.at },
  ];
  const ended = next.runId !== null ? endedRuns.get(next.runId) : undefined;
  if (ended && next.source === 'deployment') {
    const after = endRun(next, next.runId!, ended);
    return { state: after.state, transitions: [...transitions, ...after.transitions] };
  }
  return { state: next, transitions };
}

/** A run that died leaves its environment failed, unless a later status of it arrives. */
function endRun(state: LifecycleState, runId: number, end: { at: string; conclusion: string }): StepResult {
  if (state.runId !== runId || state.source !== 'deployment') {
    return { state, transitions: [], ignored: `run ${runId} is not the run this environment is waiting on` };
  }
  if (!TRANSITIONAL.has(state.status)) {
    return { state, transitions: [], ignored: `the environment is already ${state.status}` };
  }
  const reason = `the workflow run was ${end.conclusion.replace(/_/g, ' ')} while ${state.status}`;
  const next: LifecycleState = {
    ...state,
    status: 'failed',
    statusSeq: (state.statusSeq ?? 0) + 0.5,
    errorMessage: reason,
  };
  return {
    state: next,
    transitions: [{ status: 'failed', previous: state.status, description: `failed: ${reason}`, at: end.at }],
  };
}

/** Replays events in the given order (what a shuffle test and `reindex` need). */
export function replay(
  events: readonly LifecycleEvent[],
  initial: LifecycleState = INITIAL_STATE,
): { state: LifecycleState; transitions: Transition[] } {
  const endedRuns = new Map<number, { at: string; conclusion: string }>();
  let state = initial;
  const transitions: Transition[] = [];
  for (const event of events) {
    if (event.kind === 'run_end') endedRuns.set(event.runId, { at: event.at, conclusion: event.conclusion });
    const result = step(state, event, endedRuns);
    state = result.state;
    transitions.push(...result.transitions);
  }
  return { state, transitions };
}
