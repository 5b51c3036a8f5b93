import type { EnvironmentRecord, StatusEvent } from '../store/types.js';

/**
 * What the API shows of the index. Outputs are stored without sensitive values already
 * (the Action drops them); this is the second line of defence, so that a secret which slipped
 * into the index through a bug or an old row still never leaves the server.
 */

/** Output names that hold credentials. References to secrets (`*_arn`, `*_name`, `*_id`) stay. */
const SENSITIVE_NAME =
  /(pass(word|wd)?|secret|token|private[_-]?key|credential|api[_-]?key|access[_-]?key|client[_-]?key|kubeconfig|certificate|ca[_-]?data|auth)/i;
const REFERENCE_SUFFIX = /(_arn|_name|_id|_ids|_path|_url)$/i;

/** Values that are credentials whatever they are called, and what replaces them. */
const SECRET_VALUES: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, '[redacted]'], // PEM keys, certificates
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '[redacted]'], // AWS access key ids
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[redacted]'], // GitHub tokens
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted]'], // JWTs
  [/k8s-aws-v1\.[A-Za-z0-9_-]+/g, '[redacted]'], // EKS bearer tokens
  [/\bya29\.[A-Za-z0-9_-]+/g, '[redacted]'], // Google OAuth access tokens
  [/(:\/\/[^\s:/@"'\\]+:)[^\s@/"'\\]+@/g, '$1[redacted]@'], // the password in scheme://user:password@host
];

export const REDACTED = '[redacted]';

function hasSecret(value: string): boolean {
  return SECRET_VALUES.some(([pattern]) => {
    pattern.lastIndex = 0;
    return pattern.test(value);
  });
}

/** Replaces every credential-looking part of a free-text string (error messages, descriptions). */
export function scrubText(value: string): string;
export function scrubText(value: string | null): string | null;
export function scrubText(value: string | null): string | null {
  if (value === null) return null;
  let out = value;
  for (const [pattern, replacement] of SECRET_VALUES) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, replacement);
  }
  return out;
}

/** Deep copy with credential-looking strings replaced; documents like meta_config keep their shape. */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return (hasSecret(value) ? scrubText(value) : value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrubDeep(item);
    return out as T;
  }
  return value;
}

export function isSensitiveOutput(name: string, value: unknown): boolean {
  if (SENSITIVE_NAME.test(name) && !REFERENCE_SUFFIX.test(name)) return true;
  return typeof value === 'string' && hasSecret(value);
}

/** Outputs without sensitive values, and the names that were withheld. */
export function redactOutputs(outputs: Record<string, string | number | boolean> | null): {
  outputs: Record<string, string | number | boolean>;
  withheld: string[];
} {
  const kept: Record<string, string | number | boolean> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(outputs ?? {})) {
    if (isSensitiveOutput(name, value) || (typeof value === 'object' && value !== null)) withheld.push(name);
    else kept[name] = value;
  }
  return { outputs: kept, withheld: withheld.sort() };
}

/** A list item: everything but the two large documents. */
export interface EnvironmentSummary {
  name: string;
  repo: string;
  path: string;
  cloud: 'aws' | 'gcp';
  region: string;
  account: string;
  status: EnvironmentRecord['status'];
  stale: boolean;
  drift: EnvironmentRecord['drift'];
  outputs: Record<string, string | number | boolean>;
  /** Names of outputs the API withheld because they look sensitive. */
  outputs_withheld: string[];
  error_message: string | null;
  last_counts: EnvironmentRecord['last_counts'];
  created_at: string;
  updated_at: string;
  provisioned_at: string | null;
  destroyed_at: string | null;
  status_changed_at: string;
  last_commit: string | null;
  last_run_url: string | null;
  last_pr: EnvironmentRecord['last_pr'];
}

/** One environment with its parsed file, its model and its state backend. */
export interface EnvironmentView extends EnvironmentSummary {
  meta_config: EnvironmentRecord['meta_config'];
  infra_model: EnvironmentRecord['infra_model'];
  state_backend: EnvironmentRecord['state_backend'];
}

export type EventView = StatusEvent;

export function toSummary(r: EnvironmentRecord): EnvironmentSummary {
  const { outputs, withheld } = redactOutputs(r.outputs);
  return {
    name: r.name,
    repo: r.repo,
    path: r.path,
    cloud: r.cloud,
    region: r.region,
    account: r.account,
    status: r.status,
    stale: Boolean(r.stale),
    drift: r.drift ?? null,
    outputs,
    outputs_withheld: withheld,
    error_message: scrubText(r.error_message ?? null),
    last_counts: r.last_counts ?? null,
    created_at: r.created_at,
    updated_at: r.updated_at,
    provisioned_at: r.provisioned_at ?? null,
    destroyed_at: r.destroyed_at ?? null,
    status_changed_at: r.status_changed_at,
    last_commit: r.last_commit ?? null,
    last_run_url: r.last_run_url ?? null,
    last_pr: r.last_pr ?? null,
  };
}

/** Documents are scrubbed when serialised (see safeJson), not copied here. */
export function toEnvironment(r: EnvironmentRecord): EnvironmentView {
  return {
    ...toSummary(r),
    meta_config: r.meta_config ?? null,
    infra_model: r.infra_model ?? null,
    state_backend: r.state_backend ?? null,
  };
}

/**
 * JSON for the wire: the serialised text is checked for credential-looking values as a whole
 * (one scan, no copy), and only when one shows up is the value scrubbed field by field. Every
 * JSON body and event the API sends goes through here.
 */
export function safeJson(value: unknown): string {
  const text = JSON.stringify(value);
  return hasSecret(text) ? JSON.stringify(scrubDeep(value)) : text;
}

export function toEvent(e: StatusEvent): EventView {
  return { ...e, description: scrubText(e.description ?? null) };
}
