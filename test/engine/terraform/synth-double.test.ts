import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/engine/config/index.js';
import { toInfraModel } from '../../../src/engine/model/index.js';
import { renderPlanMarkdown, summarizePlan } from '../../../src/engine/plan/index.js';
import { synthToJson } from '../../../src/engine/stacks/index.js';
import { publicOutputs } from '../../../src/engine/terraform/index.js';
import { runnerFor, workdir } from './helpers.js';

const EXAMPLES = new URL('../../../environments/', import.meta.url).pathname;

function exampleModel(file: string) {
  const { config, diagnostics } = parseEnvironment(
    `environments/${file}`,
    readFileSync(`${EXAMPLES}${file}`, 'utf8'),
  );
  if (!config) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return toInfraModel(config);
}

// The double against the stacks the engine really synthesises: plan, apply, outputs by the
// DESIGN.md names, a clean re-plan, and a destroy.
describe.each([
  [
    'ml-staging.yaml',
    [
      'vpc_id',
      'cluster_name',
      'cluster_endpoint',
      'rds_endpoint',
      'redis_endpoint',
      'redis_port',
      'bucket_name',
      'bucket_arn',
    ],
  ],
  [
    'gpu-research.yaml',
    ['vpc_id', 'cluster_name', 'cluster_endpoint', 'redis_endpoint', 'redis_port', 'bucket_name'],
  ],
])('synthesised %s through the Terraform double', (file, outputs) => {
  it('applies, outputs every contract name, re-plans clean and destroys', async () => {
    const model = exampleModel(file);
    const dir = workdir(synthToJson(model));
    const { runner } = runnerFor(dir);
    expect((await runner.init({ backend: model.stateBackend })).ok).toBe(true);
    const plan = await runner.plan({ out: 'tfplan' });
    expect(plan).toMatchObject({ ok: true, hasChanges: true });
    const show = await runner.show('tfplan');
    if (!show.ok) throw new Error(show.failure.message);
    const summary = summarizePlan(show.plan);
    expect(summary.counts.create).toBeGreaterThan(10);
    expect(summary.destructive).toEqual([]);
    expect(renderPlanMarkdown({ environment: model.name, summary }).length).toBeLessThan(65_536);

    expect((await runner.apply('tfplan')).ok).toBe(true);
    const out = await runner.output();
    if (!out.ok) throw new Error(out.failure.message);
    const pub = publicOutputs(out.outputs);
    for (const name of outputs) {
      expect(out.outputs, name).toHaveProperty(name);
      const value = out.outputs[name]!.value;
      expect(
        value === null || value === '' || String(value).includes('${'),
        `${name} = ${String(value)}`,
      ).toBe(false);
    }
    expect(pub.cluster_name).toBe(model.name);
    expect(await runner.plan({ out: 'tfplan' })).toMatchObject({ ok: true, hasChanges: false });

    // Growing the database is an in-place update, not a replacement.
    const stack = JSON.parse(readFileSync(`${dir}/cdk.tf.json`, 'utf8'));
    const dbType = model.cloud.provider === 'aws' ? 'aws_db_instance' : 'google_sql_database_instance';
    const dbName = Object.keys(stack.resource[dbType])[0]!;
    const db = stack.resource[dbType][dbName];
    if (model.cloud.provider === 'aws') db.instance_class = 'db.r6g.2xlarge';
    else
      db.settings = {
        ...(Array.isArray(db.settings) ? db.settings[0] : db.settings),
        tier: 'db-custom-8-32768',
      };
    writeFileSync(`${dir}/cdk.tf.json`, JSON.stringify(stack));
    await runner.plan({ out: 'tfplan' });
    const grow = await runner.show('tfplan');
    if (!grow.ok) throw new Error(grow.failure.message);
    expect(summarizePlan(grow.plan).counts).toMatchObject({ update: 1, replace: 0, delete: 0 });

    expect((await runner.destroy()).ok).toBe(true);
    const after = await runner.output();
    expect(after.ok && after.outputs).toEqual({});
  });
});
