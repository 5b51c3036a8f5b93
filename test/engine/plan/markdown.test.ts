import { describe, expect, it } from 'vitest';
import {
  COMMENT_LIMIT,
  KNOWN_AFTER_APPLY,
  renderJobSummary,
  renderPlanMarkdown,
  summarizePlan,
  type EnvironmentPlan,
} from '../../../src/engine/plan/index.js';
import { loadFixtures, planWith, rc, sensitiveValues } from './fixtures.js';

const fixtures = loadFixtures().filter((f) => !f.isState);
const fixture = (name: string) => {
  const f = fixtures.find((p) => p.file.includes(name));
  if (!f) throw new Error(`fixture ${name} missing`);
  return f;
};

function smallPlan(): EnvironmentPlan {
  return {
    environment: 'ml-staging',
    costDelta: '+$73.00/month',
    summary: summarizePlan(
      planWith(
        [
          rc(
            'aws_eks_node_group.gpu',
            ['update'],
            { scaling_config: [{ max_size: 2, min_size: 0 }] },
            { scaling_config: [{ max_size: 4, min_size: 0 }] },
          ),
          rc(
            'aws_s3_bucket_versioning.main',
            ['create'],
            null,
            { bucket: 'beta9-ml-staging', versioning_configuration: [{ status: 'Enabled' }] },
            { after_unknown: { id: true } },
          ),
        ],
        {
          output_changes: {
            bucket_name: {
              actions: ['no-op'],
              before: 'beta9-ml-staging',
              after: 'beta9-ml-staging',
              after_unknown: false,
              before_sensitive: false,
              after_sensitive: false,
            },
            db_password: {
              actions: ['update'],
              before: 'old-pass-123',
              after: 'new-pass-456',
              after_unknown: false,
              before_sensitive: true,
              after_sensitive: true,
            },
          },
        },
      ),
    ),
  };
}

function destructivePlan(): EnvironmentPlan {
  return {
    environment: 'ml-prod',
    summary: summarizePlan(
      planWith([
        rc(
          'aws_db_instance.main',
          ['delete', 'create'],
          { engine: 'postgres', identifier: 'beta9-ml-prod', password: 'p4ssw0rd!' },
          { engine: 'mysql', identifier: 'beta9-ml-prod', password: 'p4ssw0rd!' },
          {
            replace_paths: [['engine']],
            before_sensitive: { password: true },
            after_sensitive: { password: true },
          },
        ),
        rc('aws_s3_bucket.main', ['delete'], { bucket: 'beta9-ml-prod' }, null),
        rc(
          'aws_vpc.main',
          ['create', 'delete'],
          { cidr_block: '10.0.0.0/16' },
          { cidr_block: '10.1.0.0/16' },
          { replace_paths: [['cidr_block']] },
        ),
        rc('aws_security_group.db', ['update'], { description: 'db' }, { description: 'database' }),
      ]),
    ),
  };
}

function driftPlan(): EnvironmentPlan {
  const f = fixture('plan_with_target');
  return { environment: 'gpu-lab', summary: summarizePlan(f.json) };
}

/** Thousands of changed resources with long values: far past one comment. */
function hugePlan(): EnvironmentPlan[] {
  const changes = [];
  for (let i = 0; i < 3000; i++) {
    changes.push(
      rc(
        `aws_route53_record.r${i}`,
        ['create'],
        null,
        { name: `host-${i}.example.com`, records: [`10.0.${i % 250}.${i % 200}`], ttl: 300, type: 'A' },
        { after_unknown: { id: true, fqdn: true } },
      ),
    );
  }
  changes.push(
    rc('aws_elasticache_replication_group.main', ['delete'], { replication_group_id: 'beta9' }, null),
  );
  for (let i = 0; i < 50; i++) {
    changes.push(
      rc(`aws_iam_policy.p${i}`, ['update'], { policy: 'x'.repeat(150) }, { policy: 'y'.repeat(150) }),
    );
  }
  return [{ environment: 'big-one', summary: summarizePlan(planWith(changes)) }, destructivePlan()];
}

describe('renderPlanMarkdown snapshots', () => {
  it('small plan', async () => {
    const md = renderPlanMarkdown(smallPlan(), {
      nextStep: 'Merge to apply.',
      runUrl: 'https://github.com/o/r/actions/runs/1',
    });
    expect(md).not.toContain('old-pass-123');
    expect(md).not.toContain('new-pass-456');
    await expect(md).toMatchFileSnapshot('./__snapshots__/small.md');
  });

  it('destructive plan: warnings first', async () => {
    const md = renderPlanMarkdown(destructivePlan());
    const firstLines = md.split('\n').slice(0, 10).join('\n');
    expect(firstLines).toContain('3 destructive changes');
    expect(md.indexOf('[!CAUTION]')).toBeLessThan(md.indexOf('| Environment'));
    expect(md).toContain('**replace** `aws_db_instance.main` (database), forced by `engine`');
    expect(md).not.toContain('p4ssw0rd');
    await expect(md).toMatchFileSnapshot('./__snapshots__/destructive.md');
  });

  it('drift plan', async () => {
    const md = renderPlanMarkdown(driftPlan());
    expect(md).toContain('1 resource has drifted outside Terraform');
    expect(md).toContain('Changed outside Terraform (drift)');
    await expect(md).toMatchFileSnapshot('./__snapshots__/drift.md');
  });

  it('huge plan: stays under the limit, keeps the important parts, says where the rest is', async () => {
    const md = renderPlanMarkdown(hugePlan(), { fullPlanLocation: 'the artifact `plan-big-one`' });
    expect(md.length).toBeLessThan(COMMENT_LIMIT);
    expect(md).toContain('This plan is too large for one comment');
    expect(md).toContain('The complete plan is in the artifact `plan-big-one`');
    expect(md).toMatch(
      /_… \d+ more not shown here \(comment size limit\); see the artifact `plan-big-one`._/,
    );
    // Destructive changes of both environments and every update survive; creates are cut first.
    expect(md).toContain('- aws_elasticache_replication_group.main');
    expect(md).toContain('-/+ aws_db_instance.main');
    expect(md).toContain('! aws_iam_policy.p49');
    expect(md).toContain('| `big-one` | 3000 | 50 | **1** ⚠️ | 0 |');
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    await expect(md).toMatchFileSnapshot('./__snapshots__/huge.md');
  });

  it('job summary variant fits the whole huge plan', () => {
    const md = renderJobSummary(hugePlan());
    expect(md).not.toContain('too large');
    expect(md).toContain('+ aws_route53_record.r2999');
  });
});

describe('renderPlanMarkdown limits and failures', () => {
  it('never exceeds a small limit, and never cuts silently', () => {
    for (const maxChars of [1500, 3000, 10_000]) {
      const md = renderPlanMarkdown(hugePlan(), { maxChars });
      expect(md.length).toBeLessThan(maxChars);
      expect(md).toMatch(/too large for one comment|cut to fit GitHub's size limit/);
    }
  });

  it('renders a failed environment with its next step', () => {
    const md = renderPlanMarkdown([
      smallPlan(),
      {
        environment: 'broken',
        error: {
          class: 'credentials',
          message: 'AccessDenied for AKIAABCDEFGHIJKLMNOP',
          nextStep: 'Check the role trust policy.',
        },
      },
    ]);
    expect(md).toContain('❌ **Plan failed** for 1 of 2 environments: `broken` (credentials).');
    expect(md).toContain('| `broken` | ❌ failed: credentials |');
    expect(md).toContain('**Next step:** Check the role trust policy.');
    expect(md).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });

  it('says so when nothing changes', () => {
    const md = renderPlanMarkdown({
      environment: 'quiet',
      summary: summarizePlan(fixture('moved_block').json),
    });
    expect(md).toContain('✅ **No changes.**');
  });

  it('keeps a code fence intact when a value contains backticks', () => {
    const md = renderPlanMarkdown({
      environment: 'ticks',
      summary: summarizePlan(planWith([rc('x_y.z', ['create'], null, { doc: 'run ```rm -rf```' })])),
    });
    expect(md).toContain('````diff');
  });
});

describe('no sensitive value from the real fixtures reaches the Markdown', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s', (_name, f) => {
    const summary = summarizePlan(f.json);
    const md = renderJobSummary({ environment: 'fixture', summary }, { maxAttributesPerResource: 100_000 });
    // Longer secrets must not appear anywhere; short ones ("bar") may legitimately occur
    // elsewhere, so their own lines are checked instead.
    for (const secret of sensitiveValues(f.json).filter((v) => v.length >= 6))
      expect(md).not.toContain(secret);
    for (const o of summary.outputs.filter((o) => o.sensitive && o.after !== KNOWN_AFTER_APPLY)) {
      expect(md).toContain(`${o.name} = (sensitive)`);
    }
    expect(md).not.toMatch(/AKIA[0-9A-Z]{16}/);
  });

  it('covers the fixtures known to hold secrets', () => {
    const all = fixtures.flatMap((f) => sensitiveValues(f.json));
    expect(all).toEqual(
      expect.arrayContaining(['Aa1234321Bb', 'AKIAIOSFODNN7EXAMPLE', 'YourPwdShouldBeLongAndSecure!']),
    );
  });
});

describe('incomplete plans', () => {
  it('warns when Terraform marked the plan as errored', () => {
    const summary = summarizePlan(
      planWith([rc('x_y.z', ['create'], null, { a: 1 })], { errored: true, applyable: false }),
    );
    expect(summary).toMatchObject({ errored: true, applyable: false });
    const md = renderPlanMarkdown({ environment: 'half', summary });
    expect(md).toContain(
      '> Terraform marked the plan of `half` as errored: it is incomplete and cannot be applied.',
    );
  });
});
