import type { StateBackend } from '../model/types.js';

export type TerraformOperation =
  'version' | 'init' | 'plan' | 'show' | 'apply' | 'output' | 'destroy' | 'force-unlock';

/**
 * What went wrong, in terms a user can act on. `unknown` is the unexpected case (an Error in
 * Atlantis terms); every other class is a Failure with a known next step.
 */
export type FailureClass =
  'lock_held' | 'credentials' | 'quota' | 'network' | 'config' | 'timeout' | 'cancelled' | 'unknown';

/** The lock block Terraform prints when the state is locked (`Lock Info:`). */
export interface LockInfo {
  id: string;
  path?: string;
  operation?: string;
  who?: string;
  version?: string;
  /** As printed, e.g. `2026-11-26 01:02:03.456789 +0000 UTC`. */
  created?: string;
  /** `created` as an ISO 8601 time, when it could be read. */
  createdAt?: string;
  info?: string;
}

/** One diagnostic of Terraform's machine-readable UI (or parsed from its text output). */
export interface TerraformDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  address?: string;
}

export interface TerraformFailure {
  class: FailureClass;
  operation: TerraformOperation;
  /** What happened, redacted, in one or a few sentences. */
  message: string;
  /** What the user can do about it. */
  nextStep: string;
  /** Running the same operation again may succeed (network errors, throttling). */
  retryable: boolean;
  exitCode: number | null;
  lock?: LockInfo;
  diagnostics: TerraformDiagnostic[];
}

/** One line of Terraform output, timestamped when it arrived. */
export interface OutputLine {
  time: string;
  operation: TerraformOperation;
  stream: 'stdout' | 'stderr';
  /** The human text: `@message` for machine-readable lines, the raw line otherwise (redacted). */
  text: string;
  /** `@level` of a machine-readable line (`info`, `warn`, `error`). */
  level?: string;
  /** `type` of a machine-readable line (`planned_change`, `diagnostic`, `change_summary`…). */
  type?: string;
}

export type Result<T> =
  ({ ok: true; durationMs: number } & T) | { ok: false; durationMs: number; failure: TerraformFailure };

export interface InitOptions {
  /** The state backend from the InfraModel: passed as `-backend-config` values. */
  backend?: StateBackend;
  /** Extra or overriding backend settings (`-backend-config=key=value`). */
  backendConfig?: Record<string, string | number | boolean>;
  upgrade?: boolean;
  reconfigure?: boolean;
}

export interface PlanOptions {
  /** Where the plan file is written (`-out`), relative to the working directory. */
  out: string;
  destroy?: boolean;
  /** How long to wait for the state lock (`-lock-timeout`, e.g. `60s`). */
  lockTimeout?: string;
  vars?: Record<string, string>;
}

export interface PlanResult {
  /** `-detailed-exitcode`: 0 no changes, 2 changes. */
  exitCode: 0 | 2;
  planFile: string;
  hasChanges: boolean;
}

export interface TerraformOutputValue {
  value: unknown;
  sensitive: boolean;
  type: unknown;
}

export interface TerraformRunner {
  readonly binary: string;
  version(): Promise<Result<{ version: string }>>;
  init(opts?: InitOptions): Promise<Result<object>>;
  plan(opts: PlanOptions): Promise<Result<PlanResult>>;
  /** `show -json <planfile>`: the plan JSON, ready for `summarizePlan`. */
  show(planFile: string): Promise<Result<{ plan: unknown }>>;
  apply(planFile: string): Promise<Result<object>>;
  /** `output -json`. Holds sensitive values: drop them before reporting (`publicOutputs`). */
  output(): Promise<Result<{ outputs: Record<string, TerraformOutputValue> }>>;
  destroy(opts?: { lockTimeout?: string }): Promise<Result<object>>;
  forceUnlock(lockId: string): Promise<Result<object>>;
}

/** A process runner: the seam between the runner and `child_process`, replaced in tests. */
export type Exec = (command: string, args: string[], opts: ExecOptions) => Promise<ExecResult>;

export interface ExecOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Stop the process (and its children) after this long: SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs?: number;
  killGraceMs?: number;
  /** Stops the process (and its children) like a timeout when aborted, e.g. when the job is cancelled. */
  signal?: AbortSignal;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Stopped because `signal` was aborted. */
  cancelled?: boolean;
  stdout: string;
  stderr: string;
  /** The process could not be started (e.g. ENOENT: binary not found). */
  spawnError?: { code?: string; message: string };
}
