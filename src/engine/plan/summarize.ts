import type { PlanCounts } from '../report/types.js';
import { parsePlanText } from './parse.js';
import {
  SENSITIVE,
  defaultPatterns,
  nameIsSensitive,
  valueIsSensitive,
  type RedactionPatterns,
} from './redact.js';
import { statefulKind } from './stateful.js';
import {
  PlanParseError,
  type AttributeChange,
  type ChangeAction,
  type OutputChangeSummary,
  type PlanSummary,
  type ResourceChangeSummary,
  type StatefulKind,
} from './types.js';

export const KNOWN_AFTER_APPLY = '(known after apply)';

export interface SummarizeOptions {
  /** Name and value patterns for secrets the provider does not mark (defaults: `defaultPatterns()`). */
  patterns?: RedactionPatterns;
  /** Extra stateful resource types (`type` or `prefix_*` → kind). */
  statefulTypes?: Record<string, StatefulKind>;
  /** Longest rendered value before it is shortened with a note (default 200 characters). */
  maxValueLength?: number;
  /** Names the input in error messages, e.g. the file path. */
  source?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: unknown };

const ACTION_ORDER: Record<ChangeAction, number> = {
  replace: 0,
  delete: 1,
  update: 2,
  create: 3,
  forget: 4,
  read: 5,
  no_op: 6,
};

/**
 * Summarises `terraform show -json <planfile>` output (format versions 0.1 to 1.x) for people:
 * counts, every changed resource with its changed attributes, drift, output changes, and the
 * destructive changes to stateful resources first. Every value in the result is rendered and
 * redacted, so the summary itself can be logged or serialised without leaking a secret.
 * Accepts the parsed JSON or its raw text/bytes; anything that is not a plan throws a
 * `PlanParseError` that says what it is and what to run instead.
 */
export function summarizePlan(input: unknown, opts: SummarizeOptions = {}): PlanSummary {
  const source = opts.source ?? 'plan JSON';
  const json =
    typeof input === 'string' || input instanceof Uint8Array ? parsePlanText(input, source) : input;
  const plan = checkPlan(json, source);
  const ctx: Ctx = {
    patterns: opts.patterns ?? defaultPatterns(),
    maxValueLength: opts.maxValueLength ?? 200,
  };

  const counts: PlanCounts = { create: 0, update: 0, delete: 0, replace: 0, read: 0, no_op: 0 };
  const resources: ResourceChangeSummary[] = [];
  const changes = (plan.resource_changes ?? []) as unknown[];
  changes.forEach((rc, i) => {
    const summary = summarizeResource(rc, `resource_changes[${i}]`, source, ctx, opts.statefulTypes);
    if (summary.action !== 'forget') counts[summary.action]++;
    if (summary.action !== 'no_op') resources.push(summary);
  });
  const order = (r: ResourceChangeSummary) => (r.destructive ? -1 : ACTION_ORDER[r.action]);
  resources.sort((a, b) => order(a) - order(b));

  const drift = ((plan.resource_drift ?? []) as unknown[])
    .map((rc, i) => summarizeResource(rc, `resource_drift[${i}]`, source, ctx, opts.statefulTypes))
    .filter((r) => r.action !== 'no_op');

  const outputs = summarizeOutputs(plan, ctx);
  const summary: PlanSummary = {
    formatVersion: String(plan.format_version),
    ...(typeof plan.terraform_version === 'string' ? { terraformVersion: plan.terraform_version } : {}),
    counts,
    resources,
    destructive: resources.filter((r) => r.destructive),
    drift,
    outputs,
    hasChanges: resources.some((r) => r.action !== 'read') || outputs.length > 0,
  };
  if (typeof plan.applyable === 'boolean') summary.applyable = plan.applyable;
  if (typeof plan.errored === 'boolean') summary.errored = plan.errored;
  return summary;
}

function checkPlan(json: unknown, source: string): Obj {
  const showHint =
    'Pass the output of `terraform show -json <planfile>` (after `terraform plan -out <planfile>`).';
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new PlanParseError(
      'not_an_object',
      `${source} is ${Array.isArray(json) ? 'a JSON array' : json === null ? 'null' : `a JSON ${typeof json}`}, not a Terraform plan object.`,
      showHint,
    );
  }
  const obj = json as Obj;
  const isState = 'values' in obj && !('planned_values' in obj) && !('resource_changes' in obj);
  if (isState) {
    throw new PlanParseError(
      'state_not_plan',
      `${source} is a Terraform state (\`terraform show -json\` without a plan file: it has "values" and no "planned_values"), not a plan.`,
      showHint,
    );
  }
  if (typeof obj.format_version !== 'string') {
    const keys = Object.keys(obj).slice(0, 5).join(', ') || 'no keys';
    throw new PlanParseError(
      'not_a_plan',
      `${source} has no "format_version" (found ${keys}); it is not Terraform JSON output.`,
      showHint,
    );
  }
  const major = Number(obj.format_version.split('.')[0]);
  if (!(major === 0 || major === 1)) {
    throw new PlanParseError(
      'unsupported_version',
      `${source} has format_version "${obj.format_version}"; versions 0.1 to 1.x are supported.`,
      'Use a Terraform or OpenTofu release that writes format 1.x, or report the new format.',
    );
  }
  if (!('planned_values' in obj) && !('resource_changes' in obj)) {
    throw new PlanParseError(
      'not_a_plan',
      `${source} has neither "planned_values" nor "resource_changes"; it is not a plan.`,
      showHint,
    );
  }
  for (const key of ['resource_changes', 'resource_drift'] as const) {
    if (key in obj && obj[key] !== null && !Array.isArray(obj[key])) {
      throw new PlanParseError('not_a_plan', `${source}: "${key}" must be an array.`, showHint);
    }
  }
  return obj;
}

interface Ctx {
  patterns: RedactionPatterns;
  maxValueLength: number;
}

function summarizeResource(
  raw: unknown,
  where: string,
  source: string,
  ctx: Ctx,
  statefulTypes?: Record<string, StatefulKind>,
): ResourceChangeSummary {
  if (!isObj(raw) || !isObj(raw.change) || !Array.isArray(raw.change.actions)) {
    throw new PlanParseError(
      'not_a_plan',
      `${source}: ${where} has no "change.actions" list.`,
      'The file may have been edited by hand; re-create it with `terraform show -json <planfile>`.',
    );
  }
  const change = raw.change;
  const actions = (change.actions as unknown[]).map(String);
  const action = foldActions(actions);
  const type = String(raw.type ?? '');
  const mode = raw.mode === 'data' ? 'data' : 'managed';
  const stateful = mode === 'managed' ? statefulKind(type, statefulTypes) : undefined;
  const address = String(raw.address ?? `${type}.${String(raw.name ?? '')}`);
  const summary: ResourceChangeSummary = {
    address,
    mode,
    type,
    name: String(raw.name ?? ''),
    action,
    actions,
    destructive: stateful !== undefined && (action === 'delete' || action === 'replace'),
    changes: [],
  };
  if (typeof raw.previous_address === 'string' && raw.previous_address !== address) {
    summary.previousAddress = raw.previous_address;
  }
  if (typeof raw.module_address === 'string') summary.module = raw.module_address;
  if (typeof raw.action_reason === 'string') summary.reason = raw.action_reason;
  if (isObj(change.importing)) summary.importing = true;
  if (stateful) summary.stateful = stateful;

  if (action === 'delete' || action === 'forget' || action === 'no_op') return summary;
  const out: AttributeChange[] = [];
  const showAll =
    action === 'create' || action === 'read' || change.before === null || change.before === undefined;
  walk(
    {
      before: showAll ? undefined : (change.before as Json | undefined),
      after: change.after as Json | undefined,
      unknown: change.after_unknown,
      beforeSensitive: change.before_sensitive,
      afterSensitive: change.after_sensitive,
    },
    [],
    false,
    showAll,
    out,
    ctx,
  );
  const replacePaths = Array.isArray(raw.change.replace_paths) ? (raw.change.replace_paths as unknown[]) : [];
  for (const rp of replacePaths) {
    if (!Array.isArray(rp)) continue;
    const prefix = formatPath(rp.map((p) => (typeof p === 'number' ? p : String(p))));
    for (const c of out) {
      if (c.path === prefix || c.path.startsWith(`${prefix}.`) || c.path.startsWith(`${prefix}[`)) {
        c.forcesReplacement = true;
      }
    }
  }
  summary.changes = out;
  return summary;
}

export function foldActions(actions: string[]): ChangeAction {
  if (actions.length === 2 && actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.length === 1) {
    switch (actions[0]) {
      case 'create':
        return 'create';
      case 'update':
        return 'update';
      case 'delete':
        return 'delete';
      case 'read':
        return 'read';
      case 'no-op':
        return 'no_op';
      case 'forget':
        return 'forget';
    }
  }
  if (actions.includes('delete')) return 'delete';
  // An action list this version does not know (a newer Terraform): show it, never hide it.
  return 'update';
}

interface Sides {
  before: Json | undefined;
  after: Json | undefined;
  unknown: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
}

function walk(
  s: Sides,
  path: Array<string | number>,
  redacted: boolean,
  showAll: boolean,
  out: AttributeChange[],
  ctx: Ctx,
) {
  const last = path[path.length - 1];
  const sensitiveByName = typeof last === 'string' && nameIsSensitive(last, ctx.patterns);
  const byName = redacted || sensitiveByName;
  const afterUnknown = s.unknown === true;

  const containers = [s.before, s.after].filter(isContainer);
  const unknownContainer = isContainer(s.unknown) ? s.unknown : undefined;
  const recurse =
    !afterUnknown &&
    !(s.beforeSensitive === true || s.afterSensitive === true) &&
    (containers.some((c) => size(c) > 0) || (unknownContainer !== undefined && size(unknownContainer) > 0));
  if (recurse) {
    const keys = new Set<string | number>();
    for (const c of [...containers, ...(unknownContainer ? [unknownContainer] : [])]) {
      for (const k of Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c)) keys.add(k);
    }
    for (const key of keys) {
      walk(
        {
          before: childValue(s.before, key),
          after: childValue(s.after, key),
          unknown: childMarker(s.unknown, key),
          beforeSensitive: childMarker(s.beforeSensitive, key),
          afterSensitive: childMarker(s.afterSensitive, key),
        },
        [...path, key],
        redacted || sensitiveByName,
        showAll,
        out,
        ctx,
      );
    }
    return;
  }
  if (path.length === 0) return;
  if (showAll) {
    if (!afterUnknown && (s.after === null || s.after === undefined)) return;
    if (!afterUnknown && isContainer(s.after) && size(s.after) === 0) return;
  } else if (!afterUnknown && deepEqual(s.before ?? null, s.after ?? null)) {
    return;
  }
  const change: AttributeChange = { path: formatPath(path) };
  if (s.before !== undefined && !showAll)
    change.before = render(s.before, s.beforeSensitive === true, byName, ctx);
  if (afterUnknown) change.after = KNOWN_AFTER_APPLY;
  else if (s.after !== undefined) change.after = render(s.after, s.afterSensitive === true, byName, ctx);
  // A sensitive value that changed still shows that it changed, never what it was.
  out.push(change);
}

/**
 * `marked`: the provider or output declared it sensitive, so nothing is shown. `byName`: its
 * name looks secret, so everything but booleans and null is hidden.
 */
function render(value: Json, marked: boolean, byName: boolean, ctx: Ctx): string {
  if (marked) return SENSITIVE;
  if (value === null) return 'null';
  if (byName && typeof value !== 'boolean') return SENSITIVE;
  if (typeof value === 'string') {
    if (valueIsSensitive(value, ctx.patterns)) return SENSITIVE;
    return clipValue(JSON.stringify(value), ctx.maxValueLength);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isContainer(value) && size(value) === 0) return Array.isArray(value) ? '[]' : '{}';
  return clipValue(JSON.stringify(redactDeep(value, ctx)), ctx.maxValueLength);
}

function redactDeep(value: Json, ctx: Ctx, name?: string): Json {
  if (
    name !== undefined &&
    nameIsSensitive(name, ctx.patterns) &&
    typeof value !== 'boolean' &&
    value !== null
  ) {
    return SENSITIVE;
  }
  if (typeof value === 'string') return valueIsSensitive(value, ctx.patterns) ? SENSITIVE : value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, ctx));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, ctx, k)]));
  }
  return value;
}

function summarizeOutputs(plan: Obj, ctx: Ctx): OutputChangeSummary[] {
  const changes = isObj(plan.output_changes) ? plan.output_changes : {};
  const planned =
    isObj(plan.planned_values) && isObj(plan.planned_values.outputs) ? plan.planned_values.outputs : {};
  const result: OutputChangeSummary[] = [];
  for (const [name, raw] of Object.entries(changes)) {
    if (!isObj(raw) || !Array.isArray(raw.actions)) continue;
    const action = foldActions(raw.actions.map(String));
    if (action === 'no_op') continue;
    const plannedOut = planned[name];
    const sensitive =
      hasTrue(raw.before_sensitive) ||
      hasTrue(raw.after_sensitive) ||
      (isObj(plannedOut) && plannedOut.sensitive === true) ||
      nameIsSensitive(name, ctx.patterns);
    const o: OutputChangeSummary = { name, action, sensitive };
    if (action !== 'create' && raw.before !== undefined)
      o.before = render(raw.before as Json, sensitive, false, ctx);
    if (raw.after_unknown === true || hasTrue(raw.after_unknown)) o.after = KNOWN_AFTER_APPLY;
    else if (action !== 'delete' && raw.after !== undefined)
      o.after = render(raw.after as Json, sensitive, false, ctx);
    result.push(o);
  }
  return result;
}

export function formatPath(path: Array<string | number>): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) s += s ? `.${p}` : p;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

function clipValue(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

function childValue(v: Json | undefined, key: string | number): Json | undefined {
  if (Array.isArray(v)) return typeof key === 'number' ? v[key] : undefined;
  if (isObj(v)) return v[String(key)] as Json | undefined;
  return undefined;
}

/** Sensitivity and unknown markers: `true` on a parent covers every child. */
function childMarker(v: unknown, key: string | number): unknown {
  if (v === true) return true;
  if (Array.isArray(v)) return typeof key === 'number' ? v[key] : undefined;
  if (isObj(v)) return v[String(key)];
  return undefined;
}

function hasTrue(v: unknown): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(hasTrue);
  if (isObj(v)) return Object.values(v).some(hasTrue);
  return false;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isContainer(v: unknown): v is Json[] | { [key: string]: Json } {
  return v !== null && typeof v === 'object';
}

function size(v: object): number {
  return Array.isArray(v) ? v.length : Object.keys(v).length;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}
