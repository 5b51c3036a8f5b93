import { describe, expect, it } from 'vitest';
import {
  PlanParseError,
  buildPatterns,
  parsePlanText,
  summarizePlan,
  type PlanSummary,
} from '../../../src/engine/plan/index.js';
import { loadFixtures, planWith, rc, tally } from './fixtures.js';

const fixtures = loadFixtures();
const plans = fixtures.filter((f) => !f.isState);
const states = fixtures.filter((f) => f.isState);

function expectParseError(fn: () => unknown, code: string): PlanParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PlanParseError);
    expect((err as PlanParseError).code).toBe(code);
    return err as PlanParseError;
  }
  throw new Error(`expected a PlanParseError ${code}`);
}

describe('summarizePlan on every real fixture plan', () => {
  it('has plans and states to read', () => {
    expect(plans.length).toBeGreaterThanOrEqual(12);
    expect(states.length).toBeGreaterThanOrEqual(2);
  });

  it.each(plans.map((f) => [f.file, f] as const))('%s: counts match the file', (_name, f) => {
    const summary = summarizePlan(f.text, { source: f.file });
    expect(summary.counts).toEqual(tally(f.json));
    expect(summary.formatVersion).toBe(f.json.format_version);
  });

  it.each(plans.map((f) => [f.file, f] as const))(
    '%s: lists every change that is not a no-op',
    (_name, f) => {
      const summary = summarizePlan(f.json);
      const expected = (
        (f.json.resource_changes ?? []) as Array<{ address: string; change: { actions: string[] } }>
      )
        .filter((rc) => rc.change.actions.join() !== 'no-op')
        .map((rc) => rc.address)
        .sort();
      expect(summary.resources.map((r) => r.address).sort()).toEqual(expected);
      const drift = (f.json.resource_drift ?? []) as unknown[];
      expect(summary.drift).toHaveLength(drift.length);
      const outputs = Object.values(
        (f.json.output_changes ?? {}) as Record<string, { actions: string[] }>,
      ).filter((o) => o.actions.join() !== 'no-op');
      expect(summary.outputs).toHaveLength(outputs.length);
    },
  );

  it.each(states.map((f) => [f.file, f] as const))('%s: a state file is rejected clearly', (_name, f) => {
    const err = expectParseError(() => summarizePlan(f.text, { source: f.file }), 'state_not_plan');
    expect(err.message).toContain(f.file);
    expect(err.message).toContain('state');
    expect(err.hint).toContain('terraform show -json <planfile>');
  });
});

describe('what the summary says', () => {
  const byFile = (name: string) => {
    const f = plans.find((p) => p.file.includes(name));
    if (!f) throw new Error(`fixture ${name} missing`);
    return summarizePlan(f.json);
  };

  it('folds delete,create and create,delete into one replace each', () => {
    const a = byFile('action_reason_plan');
    expect(a.resources[0]).toMatchObject({
      action: 'replace',
      actions: ['delete', 'create'],
      reason: 'replace_because_tainted',
    });
    const b = byFile('plan_with_deleted_resources');
    expect(b.resources[0]).toMatchObject({
      action: 'replace',
      actions: ['create', 'delete'],
      destructive: true,
      stateful: 'secret',
    });
    expect(b.destructive).toHaveLength(1);
  });

  it('shows changed attributes of an update and the drift', () => {
    const s = byFile('plan_with_target');
    expect(s.resources[0]?.changes).toEqual([
      { path: 'instance_type', before: '"t3.micro"', after: '"t3.small"' },
    ]);
    expect(s.drift[0]?.changes.map((c) => c.path)).toEqual(['root_block_device[0].tags', 'tags']);
    expect(s.hasChanges).toBe(true);
  });

  it('marks values only known after apply', () => {
    const s = byFile('120_basic_plan');
    const bar = s.resources.find((r) => r.address === 'null_resource.bar');
    expect(bar?.changes).toContainEqual({ path: 'triggers', after: '(known after apply)' });
    expect(s.outputs.find((o) => o.name === 'interpolated')?.after).toBe('(known after apply)');
  });

  it('hides sensitive outputs and provider-marked attributes', () => {
    const s = byFile('120_basic_plan');
    expect(s.outputs.find((o) => o.name === 'foo')).toEqual({
      name: 'foo',
      action: 'create',
      sensitive: true,
      after: '(sensitive)',
    });
    const pw = byFile('terraform_v0.12_plan')
      .resources.flatMap((r) => r.changes)
      .filter((c) => c.path === 'password');
    expect(pw.length).toBeGreaterThan(0);
    for (const c of pw) expect(c.after).toBe('(sensitive)');
  });

  it('reads a moved resource as a no-op and keeps data reads apart', () => {
    const moved = byFile('moved_block');
    expect(moved.counts.no_op).toBe(1);
    expect(moved.hasChanges).toBe(false);
    const read = byFile('iam_data_block');
    expect(read.resources.find((r) => r.action === 'read')?.reason).toBe('read_because_config_unknown');
  });

  it('puts destructive changes first', () => {
    const s = summarizePlan(
      planWith([
        rc('aws_iam_role.a', ['create'], null, { name: 'a' }),
        rc('aws_db_instance.main', ['delete'], { engine: 'postgres' }, null),
        rc('aws_subnet.a', ['delete'], { id: 's' }, null),
      ]),
    );
    expect(s.resources.map((r) => r.address)).toEqual([
      'aws_db_instance.main',
      'aws_subnet.a',
      'aws_iam_role.a',
    ]);
    expect(s.destructive.map((r) => r.stateful)).toEqual(['database']);
  });
});

describe('deep diff and redaction', () => {
  it('diffs nested objects and lists, with nested sensitivity markers', () => {
    const s = summarizePlan(
      planWith([
        rc(
          'aws_instance.web',
          ['update'],
          { tags: { a: '1', b: '2' }, ebs: [{ size: 10, kms: 'k1' }], note: 'x' },
          { tags: { a: '1', b: '3', c: '4' }, ebs: [{ size: 20, kms: 'k2' }], note: 'x' },
          { before_sensitive: { ebs: [{ kms: true }] }, after_sensitive: { ebs: [{ kms: true }] } },
        ),
      ]),
    );
    expect(s.resources[0]?.changes).toEqual([
      { path: 'tags.b', before: '"2"', after: '"3"' },
      { path: 'tags.c', after: '"4"' },
      { path: 'ebs[0].size', before: '10', after: '20' },
      { path: 'ebs[0].kms', before: '(sensitive)', after: '(sensitive)' },
    ]);
  });

  it('redacts by name and by value pattern, and marks the attributes forcing replacement', () => {
    const s = summarizePlan(
      planWith([
        rc(
          'aws_instance.web',
          ['delete', 'create'],
          { user_data: 'echo hi', ami: 'ami-1', cidr_block: '10.0.0.0/16' },
          {
            user_data: 'export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP',
            ami: 'ami-2',
            cidr_block: '10.1.0.0/16',
            script: 'curl -H "token=abcdef123456"',
            pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIE',
            url: 'postgres://app:hunter22@db:5432/app',
          },
          { replace_paths: [['cidr_block']] },
        ),
      ]),
    );
    const changes = s.resources[0]?.changes ?? [];
    expect(changes.find((c) => c.path === 'user_data')).toEqual({
      path: 'user_data',
      before: '(sensitive)',
      after: '(sensitive)',
    });
    expect(changes.find((c) => c.path === 'cidr_block')?.forcesReplacement).toBe(true);
    expect(changes.find((c) => c.path === 'ami')?.forcesReplacement).toBeUndefined();
    for (const path of ['script', 'pem', 'url'])
      expect(changes.find((c) => c.path === path)?.after).toBe('(sensitive)');
    expect(JSON.stringify(s)).not.toMatch(/AKIA|hunter22|abcdef123456|MIIE/);
  });

  it('takes extra patterns from the caller', () => {
    const plan = planWith([rc('x_thing.a', ['create'], null, { motto: 'open sesame', color: 'blue' })]);
    const s = summarizePlan(plan, { patterns: buildPatterns({ names: ['motto'], values: ['^blue$'] }) });
    expect(s.resources[0]?.changes).toEqual([
      { path: 'motto', after: '(sensitive)' },
      { path: 'color', after: '(sensitive)' },
    ]);
  });

  it('shortens very long values and says so', () => {
    const s = summarizePlan(planWith([rc('x_thing.a', ['create'], null, { policy: 'p'.repeat(1000) })]), {
      maxValueLength: 50,
    });
    expect(s.resources[0]?.changes[0]?.after).toMatch(/… \(952 more characters\)$/);
  });
});

describe('inputs that are not plans', () => {
  const good = JSON.stringify(planWith([rc('a_b.c', ['create'], null, { x: 1 })]));

  it('rejects UTF-16 with and without a byte order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]);
    expect(expectParseError(() => summarizePlan(le), 'utf16').hint).toContain('Out-File -Encoding utf8');
    expectParseError(() => summarizePlan(Buffer.from(good, 'utf16le')), 'utf16');
    const be = Buffer.from(good, 'utf16le').swap16();
    expectParseError(() => summarizePlan(be), 'utf16');
    expectParseError(() => summarizePlan(Buffer.from(good, 'utf16le').toString('latin1')), 'utf16');
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(summarizePlan(`\uFEFF${good}`).counts.create).toBe(1);
    expect(
      summarizePlan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)])).counts.create,
    ).toBe(1);
  });

  it('rejects text before the JSON and says where the JSON starts', () => {
    const err = expectParseError(
      () => parsePlanText(`Terraform will perform the following actions:\n\n${good}`, 'plan.json'),
      'leading_text',
    );
    expect(err.message).toContain('plan.json has text before the JSON, starting on line 1');
    expect(err.message).toContain('The JSON starts on line 3');
  });

  it('rejects empty, truncated and broken JSON', () => {
    expectParseError(() => summarizePlan(''), 'empty');
    expectParseError(() => summarizePlan('  \n'), 'empty');
    expectParseError(() => summarizePlan(good.slice(0, 40)), 'truncated');
    const err = expectParseError(() => summarizePlan('{\n  "format_version": 1.2,,\n}'), 'invalid_json');
    expect(err.message).toMatch(/line 2/);
  });

  it('rejects JSON that is not a plan', () => {
    expectParseError(() => summarizePlan([]), 'not_an_object');
    expectParseError(() => summarizePlan(null), 'not_an_object');
    expectParseError(() => summarizePlan({ hello: 'world' }), 'not_a_plan');
    expectParseError(() => summarizePlan({ format_version: '1.2', variables: {} }), 'not_a_plan');
    expectParseError(
      () => summarizePlan({ format_version: '2.0', planned_values: {} }),
      'unsupported_version',
    );
    expectParseError(
      () => summarizePlan({ format_version: '1.2', planned_values: {}, resource_changes: {} }),
      'not_a_plan',
    );
    expectParseError(
      () =>
        summarizePlan({ format_version: '1.2', planned_values: {}, resource_changes: [{ address: 'a.b' }] }),
      'not_a_plan',
    );
  });

  it('reads a plan with no changes at all', () => {
    const s: PlanSummary = summarizePlan({
      format_version: '1.2',
      terraform_version: '1.11.0',
      planned_values: {},
    });
    expect(s).toMatchObject({ hasChanges: false, resources: [], outputs: [], drift: [] });
  });
});
