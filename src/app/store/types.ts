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
