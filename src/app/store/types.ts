import type { InfraModel } from '../../engine/model/types.js';
import type { MetaConfig } from '../../engine/config/types.js';
import type { Status, PlanCounts } from '../../engine/report/types.js';

/** One row of the index: what the API serves for an environment. */
export interface EnvironmentRecord {
  name: string;
  /** `owner/repo` that declares the environment. */
  repo: string;
  /** Path of the file in that repository, e.g. `environments/ml-staging.yaml`. */
  path: string;
  cloud: 'aws' | 'gcp';
  region: string;
  /** AWS account id or GCP project id. */
  account: string;
  status: Status;
  /** True when the environment has sat in a transitional status longer than the stale threshold. */
  stale: boolean;
  drift: { detected: boolean; checked_at: string } | null;
  /** Terraform outputs without sensitive values. */
  outputs: Record<string, string | number | boolean>;
  meta_config: MetaConfig | null;
  infra_model: InfraModel | null;
  state_backend: InfraModel['stateBackend'] | null;
  error_message: string | null;
  last_counts: PlanCounts | null;
  created_at: string;
  updated_at: string;
  provisioned_at: string | null;
  destroyed_at: string | null;
  /** When the current status was entered (for staleness). */
  status_changed_at: string;
  last_commit: string | null;
  last_run_url: string | null;
  last_pr: { number: number; url: string } | null;
  /** Highest deployment id seen; a newer deployment supersedes an older one. */
  deployment_id: number | null;
  /** Highest deployment status id applied for `deployment_id`. */
  deployment_status_id: number | null;
}

export interface StatusEvent {
  id: number;
  environment: string;
  status: Status;
  previous_status: Status | null;
  description: string | null;
  at: string;
  deployment_id: number | null;
  deployment_status_id: number | null;
  delivery_id: string | null;
  run_url: string | null;
}

export interface EnvironmentFilter {
  status?: Status;
  cloud?: 'aws' | 'gcp';
  region?: string;
  repo?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Emitted after a committed write that changed an environment's status. */
export interface StatusChange {
  environment: string;
  event: StatusEvent;
}

/** Per-environment bookkeeping of the App (ordering state and where the file came from); not served by the API. */
export interface SyncRecord {
  name: string;
  /** Git blob sha of the environment file last indexed, to tell a changed file on push. */
  file_sha: string | null;
  installation_id: number | null;
  /** What the last applied lifecycle event was: `push` or `deployment`. */
  source: 'push' | 'deployment' | null;
  /** Time of the last applied lifecycle event. */
  source_at: string | null;
  run_id: number | null;
  operation: 'apply' | 'destroy' | null;
  /** Time of the push or deployment the indexed file content comes from; older content never overwrites newer. */
  file_at: string | null;
  /** Position (deployment id, status id) of the event that gave `last_run_url`. */
  run_url_deployment: number | null;
  run_url_seq: number | null;
  /** Deployment whose run report gave the outputs, counts and drift; an older report never overwrites them. */
  report_deployment: number | null;
}

/** A run report still to fetch (the status is already right; only outputs, timings and counts wait). */
export interface ReportFetch {
  environment: string;
  deployment_id: number;
  repo: string;
  sha: string;
  installation_id: number | null;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
}

export interface StoreOptions {
  /** Transitional statuses older than this read as stale (default: never on read). */
  staleAfterMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
}
