import { describe, expect, it } from 'vitest';
import { unreviewedDestructive } from '../../src/action/commands/apply.js';
import { PLAN_COMMENT_MARKER } from '../../src/action/github.js';
import {
  COMMENT_LIMIT,
  parseReviewedPlans,
  parseSections,
  renderPlanComment,
  type EnvironmentOutcome,
} from '../../src/action/render.js';
import type { ResourceChangeSummary } from '../../src/engine/plan/types.js';

const header = { sha: 'abcdef1234567', runUrl: 'https://github.example/acme/infra/actions/runs/1' };
const counts = { create: 1, update: 0, delete: 0, replace: 1, read: 0, no_op: 0 };

function planned(
  name: string,
  details = 'details',
  destructive = [{ address: 'aws_db_instance.db', action: 'replace' }],
): EnvironmentOutcome {
  return { kind: 'planned', plan: { environment: name, headSha: 'abc', counts, destructive }, details };
}

describe('the sticky plan comment', () => {
  it('starts with the marker and keeps one section per environment', () => {
    const body = renderPlanComment(
      header,
      new Map([
        ['b', planned('b')],
        ['a', { kind: 'pending' }],
      ]),
    );
    expect(body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect([...parseSections(body).keys()]).toEqual(['a', 'b']);
    expect(body).toContain('Merging this pull request applies');
  });

  it('replaces only the named sections of the previous comment (one matrix job per environment)', () => {
    const first = renderPlanComment(
      header,
      new Map([
        ['a', { kind: 'pending' }],
        ['b', { kind: 'pending' }],
      ]),
    );
    const second = renderPlanComment(header, new Map([['a', planned('a', 'plan of a')]]), {
      previous: first,
    });
    const sections = parseSections(second);
    expect(sections.get('a')).toContain('plan of a');
    expect(sections.get('b')).toContain('Planning');
    const reset = renderPlanComment(header, new Map([['b', planned('b')]]), {
      previous: second,
      keep: ['b'],
    });
    expect([...parseSections(reset).keys()]).toEqual(['b']);
  });

  it('round-trips the reviewed plan through hidden JSON, even with --> in an address', () => {
    const body = renderPlanComment(
      header,
      new Map([['a', planned('a', 'x', [{ address: 'aws_s3_bucket.b["-->"]', action: 'delete' }])]]),
    );
    const reviewed = parseReviewedPlans(body).get('a');
    expect(reviewed?.destructive).toEqual([{ address: 'aws_s3_bucket.b["-->"]', action: 'delete' }]);
    expect(reviewed?.counts).toEqual(counts);
  });

  it('stays under GitHub’s comment limit and keeps the hidden data when plans are huge', () => {
    const huge = 'x'.repeat(40_000);
    const sections = new Map<string, EnvironmentOutcome>(
      ['a', 'b', 'c', 'd'].map((n) => [n, planned(n, huge)]),
    );
    const body = renderPlanComment(header, sections);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(parseReviewedPlans(body).size).toBe(4);
    expect(body).toContain('too large for this comment');
  });

  it('shows invalid files and blocked removals with their reason', () => {
    const body = renderPlanComment(
      header,
      new Map<string, EnvironmentOutcome>([
        ['a', { kind: 'invalid', messages: ['environments/a.yaml:3:1: unknown key'] }],
        ['b', { kind: 'destroy', allowed: false, message: 'take two steps' }],
      ]),
    );
    expect(body).toContain('environments/a.yaml:3:1: unknown key');
    expect(body).toContain('⛔ take two steps');
  });
});

describe('unreviewedDestructive', () => {
  const change = (address: string): ResourceChangeSummary => ({
    address,
    mode: 'managed',
    type: 'aws_db_instance',
    name: 'db',
    action: 'replace',
    actions: ['delete', 'create'],
    destructive: true,
    stateful: 'database',
    changes: [],
  });
  it('lets through what the reviewers saw and stops the rest', () => {
    const reviewed = {
      environment: 'a',
      headSha: 'x',
      destructive: [{ address: 'aws_db_instance.db', action: 'replace' }],
    };
    expect(unreviewedDestructive([change('aws_db_instance.db')], reviewed)).toEqual([]);
    expect(unreviewedDestructive([change('aws_vpc.main')], reviewed).map((c) => c.address)).toEqual([
      'aws_vpc.main',
    ]);
  });
  it('acknowledges nothing without a reviewed plan or when the reviewed plan failed', () => {
    expect(unreviewedDestructive([change('aws_db_instance.db')], undefined)).toHaveLength(1);
    expect(
      unreviewedDestructive([change('aws_db_instance.db')], {
        environment: 'a',
        headSha: 'x',
        destructive: [],
        error: 'boom',
      }),
    ).toHaveLength(1);
  });
});
