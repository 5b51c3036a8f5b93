import type { PlanCounts } from '../report/types.js';

export type { PlanCounts };

/** One action per resource: Terraform's action lists folded into what a reviewer reads. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no_op' | 'forget';

/**
 * One attribute that changes. Values are already rendered for display and redacted:
 * `"t3.micro"`, `42`, `(known after apply)`, `(sensitive)`; `undefined` means absent.
 */
export interface AttributeChange {
  path: string;
  before?: string;
  after?: string;
  /** This attribute forces the replacement (from `replace_paths`). */
  forcesReplacement?: boolean;
}

export type StatefulKind =
  | 'database'
  | 'cache'
  | 'bucket'
  | 'cluster'
  | 'network'
  | 'disk'
  | 'file system'
  | 'secret'
  | 'encryption key'
  | 'project';

export interface ResourceChangeSummary {
  address: string;
  previousAddress?: string;
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  action: ChangeAction;
  /** The raw Terraform actions, e.g. `["create","delete"]` for create-before-destroy. */
  actions: string[];
  /** Terraform's `action_reason`, e.g. `replace_because_tainted`. */
  reason?: string;
  importing?: boolean;
  /** Set when this is a stateful resource type (data may be lost on delete/replace). */
  stateful?: StatefulKind;
  /** Delete or replace of a stateful resource: leads the summary. */
  destructive: boolean;
  changes: AttributeChange[];
}

export interface OutputChangeSummary {
  name: string;
  action: ChangeAction;
  before?: string;
  after?: string;
  sensitive: boolean;
}

export interface PlanSummary {
  formatVersion: string;
  terraformVersion?: string;
  counts: PlanCounts;
  /** Every resource change except no-ops, most important first. */
  resources: ResourceChangeSummary[];
  /** The subset of `resources` that deletes or replaces stateful resources. */
  destructive: ResourceChangeSummary[];
  /** Changes made outside Terraform since the last apply (`resource_drift`). */
  drift: ResourceChangeSummary[];
  /** Output changes except no-ops. */
  outputs: OutputChangeSummary[];
  /** Any resource or output change (no-ops and drift alone do not count). */
  hasChanges: boolean;
  /** Terraform's own flags (format 1.2): false/true when present. */
  applyable?: boolean;
  errored?: boolean;
}

/** The reason a document could not be read as a plan; `hint` says what to do instead. */
export type PlanParseErrorCode =
  | 'empty'
  | 'utf16'
  | 'leading_text'
  | 'invalid_json'
  | 'truncated'
  | 'not_an_object'
  | 'state_not_plan'
  | 'not_a_plan'
  | 'unsupported_version';

export class PlanParseError extends Error {
  override readonly name = 'PlanParseError';
  constructor(
    readonly code: PlanParseErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(`${message} ${hint}`);
  }
}
