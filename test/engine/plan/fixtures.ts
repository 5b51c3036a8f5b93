import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real `terraform show -json` files collected from public projects (see SOURCES.md there), in
 * the `shared/` folder that sits beside this checkout (`../shared`), or BETA9_PLAN_FIXTURES.
 */
export const FIXTURE_DIR = resolveFixtureDir();

function resolveFixtureDir(): string {
  if (process.env.BETA9_PLAN_FIXTURES) return process.env.BETA9_PLAN_FIXTURES;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const beside = resolve(root, '../shared/fixtures/terraform-plans');
  return existsSync(beside) ? beside : '/work/shared/fixtures/terraform-plans';
}

export interface Fixture {
  file: string;
  text: string;
  json: Record<string, unknown>;
  isState: boolean;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(FIXTURE_DIR, file), 'utf8');
      const json = JSON.parse(text) as Record<string, unknown>;
      return { file, text, json, isState: !('planned_values' in json) && 'values' in json };
    });
}

/** Counts tallied straight from the file, independently of the summariser. */
export function tally(json: Record<string, unknown>) {
  const counts = { create: 0, update: 0, delete: 0, replace: 0, read: 0, no_op: 0 };
  for (const rc of (json.resource_changes ?? []) as Array<{ change: { actions: string[] } }>) {
    const a = rc.change.actions.join(',');
    if (a === 'delete,create' || a === 'create,delete') counts.replace++;
    else if (a === 'no-op') counts.no_op++;
    else counts[a as 'create' | 'update' | 'delete' | 'read']++;
  }
  return counts;
}

/**
 * Every value the plan marks sensitive (a true leaf in before_sensitive/after_sensitive, a
 * sensitive output), plus values under names that look secret, as strings.
 */
export function sensitiveValues(json: Record<string, unknown>): string[] {
  const found: string[] = [];
  const collect = (value: unknown, marker: unknown) => {
    if (value === null || value === undefined) return;
    if (marker === true) {
      leaves(value, found);
      return;
    }
    if (marker && typeof marker === 'object' && typeof value === 'object') {
      for (const [k, m] of Object.entries(marker as object))
        collect((value as Record<string, unknown>)[k], m);
    }
  };
  const byName = (value: unknown, name = '') => {
    if (value === null || value === undefined) return;
    if (/password|secret|access_key|private_key|(^|_)token$/i.test(name) && typeof value !== 'object') {
      if (typeof value !== 'boolean') found.push(String(value));
      return;
    }
    if (typeof value === 'object')
      for (const [k, v] of Object.entries(value as object)) byName(v, Array.isArray(value) ? name : k);
  };
  const changes = [
    ...((json.resource_changes ?? []) as unknown[]),
    ...((json.resource_drift ?? []) as unknown[]),
  ];
  for (const rc of changes as Array<{ change: Record<string, unknown> }>) {
    collect(rc.change.before, rc.change.before_sensitive);
    collect(rc.change.after, rc.change.after_sensitive);
    byName(rc.change.before);
    byName(rc.change.after);
  }
  for (const out of Object.values((json.output_changes ?? {}) as Record<string, Record<string, unknown>>)) {
    if (out.before_sensitive === true) leaves(out.before, found);
    if (out.after_sensitive === true) leaves(out.after, found);
  }
  return found.filter((v) => v.length > 0);
}

function leaves(value: unknown, into: string[]) {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') for (const v of Object.values(value as object)) leaves(v, into);
  else into.push(String(value));
}

/** One resource change in the real shape, for hand-made plans. */
export function rc(
  address: string,
  actions: string[],
  before: unknown,
  after: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const [type, name] = address.split('.');
  const { replace_paths, after_unknown, ...markers } = extra;
  return {
    address,
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions,
      before,
      after,
      after_unknown: after_unknown ?? {},
      before_sensitive: false,
      after_sensitive: {},
      ...markers,
      ...(replace_paths ? { replace_paths } : {}),
    },
  };
}

/** A format 1.2 plan around the given changes. */
export function planWith(changes: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: {},
    resource_changes: changes,
    ...extra,
  };
}
