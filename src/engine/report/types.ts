/**
 * Status lifecycle (contract: DESIGN.md "Status lifecycle") and the run report the
 * Action publishes and the App fetches once an operation finishes.
 */
export const STATUSES = [
  'pending',
  'queued',
  'provisioning',
  'bootstrapping',
  'ready',
  'destroy_queued',
  'destroying',
  'destroyed',
  'failed',
] as const;
export type Status = (typeof STATUSES)[number];

export type Operation = 'apply' | 'destroy';

/** `payload.beta9` of a GitHub Deployment created by the Action. */
export interface DeploymentPayload {
  beta9: { environment: string; operation: Operation };
}

export interface PlanCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  read: number;
  no_op: number;
}

/**
 * The full report of one apply or destroy, published by the Action as the output of a
 * check run named `beta9 / report / <environment>` (its `output.text` is this JSON) and as
 * a workflow artifact. Never holds a secret: sensitive outputs are dropped before it is written.
 */
export interface RunReport {
  version: 1;
  environment: string;
  operation: Operation;
  status: 'ready' | 'destroyed' | 'failed';
  commit: string;
  run_url?: string;
  started_at: string;
  finished_at: string;
  /** Seconds spent per phase: synth, init, plan, apply, bootstrap, destroy. */
  timings: Record<string, number>;
  counts?: PlanCounts;
  /** Non-sensitive Terraform outputs (DESIGN.md names). */
  outputs: Record<string, string | number | boolean>;
  error?: { class: string; message: string; next_step?: string };
  drift?: { detected: boolean; checked_at: string };
}
