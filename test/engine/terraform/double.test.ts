import { describe, expect, it } from 'vitest';
import { summarizePlan } from '../../../src/engine/plan/index.js';
import { loadFixtures, tally } from '../plan/fixtures.js';
import { S3_BACKEND, awsStack, runnerFor, workdir, writeStack } from './helpers.js';

type Obj = Record<string, unknown>;
const plans = loadFixtures().filter((f) => !f.isState);
const union = (lists: string[][]) => new Set(lists.flat());
const keysOf = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o) : []);

const fixtureTop = union(plans.map((p) => keysOf(p.json)));
const fixtureChanges = plans.flatMap((p) => (p.json.resource_changes ?? []) as Obj[]);
const fixtureRc = union(fixtureChanges.map(keysOf));
// `replace_paths` is written by Terraform >= 1.2 for replacements caused by an attribute;
// none of the collected fixtures replaces for that reason, so it is allowed explicitly.
const fixtureChange = new Set([...union(fixtureChanges.map((rc) => keysOf(rc.change))), 'replace_paths']);
const fixturePlanned = union(
  plans
    .flatMap(
      (p) => (((p.json.planned_values as Obj)?.root_module as Obj)?.resources as Obj[] | undefined) ?? [],
    )
    .map(keysOf),
);
const fixtureOutputChange = union(
  plans.flatMap((p) => Object.values((p.json.output_changes ?? {}) as Record<string, Obj>)).map(keysOf),
);
const fixtureConfigResource = union(
  plans
    .flatMap(
      (p) => (((p.json.configuration as Obj)?.root_module as Obj)?.resources as Obj[] | undefined) ?? [],
    )
    .map(keysOf),
);

/** A plan from the double with every kind of change: create, update, replace, delete, no-op. */
async function doublePlan(): Promise<Obj> {
  const dir = workdir();
  const { runner } = runnerFor(dir);
  await runner.init({ backend: S3_BACKEND });
  await runner.plan({ out: 'p' });
  await runner.apply('p');
  const next = awsStack({ engine: 'mysql' }) as Obj & { resource: Record<string, Obj>; output: Obj };
  (next.resource.aws_vpc as Obj).main = {
    cidr_block: '10.0.0.0/16',
    tags: { Name: 'beta9-demo', team: 'ml' },
  };
  delete next.resource.aws_s3_bucket;
  delete next.output.bucket_name;
  delete next.output.bucket_arn;
  next.output.region = { value: 'us-east-1' };
  writeStack(dir, next);
  const plan = await runner.plan({ out: 'p' });
  expect(plan).toMatchObject({ ok: true, exitCode: 2 });
  const show = await runner.show('p');
  if (!show.ok) throw new Error(show.failure.message);
  return show.plan as Obj;
}

describe('the double prints show -json in the structure of real plans', () => {
  it('matches the top-level keys, resource_changes entries, planned values, outputs and configuration', async () => {
    const plan = await doublePlan();
    expect(plan.format_version).toBe('1.2');
    expect(plan.terraform_version).toMatch(/^\d+\.\d+\.\d+/);
    for (const key of [
      'format_version',
      'terraform_version',
      'planned_values',
      'resource_changes',
      'output_changes',
      'prior_state',
      'configuration',
    ]) {
      expect(plan).toHaveProperty(key);
    }
    for (const key of Object.keys(plan)) expect(fixtureTop).toContain(key);

    const changes = plan.resource_changes as Obj[];
    const allowedActions = ['no-op', 'create', 'read', 'update', 'delete', 'delete,create', 'create,delete'];
    for (const rc of changes) {
      for (const key of ['address', 'mode', 'type', 'name', 'provider_name', 'change'])
        expect(rc).toHaveProperty(key);
      for (const key of Object.keys(rc)) expect(fixtureRc).toContain(key);
      const change = rc.change as Obj;
      for (const key of [
        'actions',
        'before',
        'after',
        'after_unknown',
        'before_sensitive',
        'after_sensitive',
      ]) {
        expect(change).toHaveProperty(key);
      }
      for (const key of Object.keys(change)) expect(fixtureChange).toContain(key);
      expect(allowedActions).toContain((change.actions as string[]).join());
      expect(rc.provider_name).toMatch(/^registry\.(terraform|opentofu)\.io\/hashicorp\/\w+$/);
    }
    const planned = ((plan.planned_values as Obj).root_module as Obj).resources as Obj[];
    expect(planned.length).toBeGreaterThan(0);
    for (const r of planned) for (const key of Object.keys(r)) expect(fixturePlanned).toContain(key);
    for (const o of Object.values(plan.output_changes as Record<string, Obj>)) {
      expect(new Set(Object.keys(o))).toEqual(fixtureOutputChange);
    }
    const prior = plan.prior_state as Obj;
    expect(prior.format_version).toBe('1.0');
    expect(((prior.values as Obj).root_module as Obj).resources).toBeInstanceOf(Array);
    const config = plan.configuration as Obj;
    expect(config).toHaveProperty('provider_config.aws.full_name', 'registry.terraform.io/hashicorp/aws');
    for (const r of (config.root_module as Obj).resources as Obj[]) {
      for (const key of Object.keys(r)) expect([...fixtureConfigResource, 'count_expression']).toContain(key);
    }
  });

  it('is summarised like a real plan, with counts that match its own resource_changes', async () => {
    const plan = await doublePlan();
    const summary = summarizePlan(plan);
    expect(summary.counts).toEqual(tally(plan));
    expect(summary.counts).toMatchObject({ update: 1, delete: 1, replace: 1 });
    expect(summary.destructive.map((r) => `${r.action} ${r.address}`).sort()).toEqual([
      'delete aws_s3_bucket.main',
      'replace aws_db_instance.main',
    ]);
    expect(summary.resources.find((r) => r.address === 'aws_s3_bucket.main')?.reason).toBe(
      'delete_because_no_resource_config',
    );
    expect(summary.outputs.map((o) => `${o.action} ${o.name}`).sort()).toEqual([
      'create region',
      'delete bucket_arn',
      'delete bucket_name',
      // The database is replaced, so its address and secret are known only after apply.
      'update rds_endpoint',
      'update rds_master_user_secret_arn',
    ]);
  });
});
