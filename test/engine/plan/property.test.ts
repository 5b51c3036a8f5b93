import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlanParseError, renderPlanMarkdown, summarizePlan } from '../../../src/engine/plan/index.js';
import { planWith, rc } from './fixtures.js';

const ACTIONS = [
  ['create'],
  ['update'],
  ['delete'],
  ['delete', 'create'],
  ['create', 'delete'],
  ['read'],
  ['no-op'],
];
const TYPES = [
  'aws_db_instance',
  'aws_s3_bucket',
  'aws_iam_role',
  'google_sql_database_instance',
  'null_resource',
  'x_y',
];

/** A random attribute tree: what providers put in before/after. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null)),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 }),
  ),
})).node;

const change = fc
  .record({
    type: fc.constantFrom(...TYPES),
    name: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
    actions: fc.constantFrom(...ACTIONS),
    before: fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), value, { maxKeys: 6 }),
    after: fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), value, { maxKeys: 6 }),
  })
  .map((c) =>
    rc(
      `${c.type}.${c.name}`,
      c.actions,
      c.actions[0] === 'create' && c.actions.length === 1 ? null : c.before,
      c.actions.join() === 'delete' ? null : c.after,
    ),
  );

describe('properties', () => {
  it('summarizePlan never crashes: it returns a summary or throws PlanParseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.jsonValue()), (input) => {
        try {
          summarizePlan(input);
        } catch (err) {
          expect(err).toBeInstanceOf(PlanParseError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts add up and the Markdown stays under any limit', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 60 }),
        fc.integer({ min: 1200, max: 70_000 }),
        (changes, maxChars) => {
          const summary = summarizePlan(planWith(changes));
          const c = summary.counts;
          expect(c.create + c.update + c.delete + c.replace + c.read + c.no_op).toBe(changes.length);
          const md = renderPlanMarkdown(
            [
              { environment: 'a', summary },
              { environment: 'b', summary },
            ],
            { maxChars },
          );
          expect(md.length).toBeLessThan(maxChars);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a value marked sensitive never reaches the Markdown', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `S3cr3t${s}`);
    fc.assert(
      fc.property(
        secret,
        fc.stringMatching(/^[a-z_]{1,10}$/),
        fc.constantFrom(...ACTIONS.slice(0, 5)),
        (s, key, actions) => {
          const before = { [key]: `${s}-old`, keep: 'x' };
          const after = { [key]: s, nested: [{ deep: s }], keep: 'x' };
          const plan = planWith([
            rc(
              'aws_instance.a',
              actions,
              actions.join() === 'create' ? null : before,
              actions.join() === 'delete' ? null : after,
              {
                before_sensitive: { [key]: true },
                after_sensitive: { [key]: true, nested: [{ deep: true }] },
              },
            ),
          ]);
          const md = renderPlanMarkdown(
            { environment: 'p', summary: summarizePlan(plan) },
            { maxAttributesPerResource: 1000 },
          );
          expect(md).not.toContain(s);
        },
      ),
      { numRuns: 200 },
    );
  });
});
