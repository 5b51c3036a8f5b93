import { describe, expect, it } from 'vitest';
import { writeSections } from '../../src/action/commands/plan.js';
import type { CommandContext } from '../../src/action/context.js';
import { NullGitHubReporter } from '../../src/action/github.js';
import { readInputs } from '../../src/action/inputs.js';
import { MemoryIO } from '../../src/action/io.js';
import {
  parseReviewedPlans,
  parseSections,
  renderPlanComment,
  type EnvironmentOutcome,
} from '../../src/action/render.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

/** A pull request's comments as GitHub keeps them: read and write are separate calls, no compare-and-swap. */
class CommentStore extends NullGitHubReporter {
  body?: string;
  writes = 0;
  override async findPlanComment() {
    await tick();
    return this.body;
  }
  override async upsertPlanComment(_pr: number, body: string) {
    await tick();
    this.body = body;
    this.writes++;
    return { id: 1, created: false };
  }
}

function ctx(github: CommentStore): CommandContext {
  const inputs = readInputs({
    'INPUT_GITHUB-TOKEN': 't',
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SHA: 'abc1234',
  });
  return {
    inputs,
    io: new MemoryIO(),
    git: undefined as never,
    github,
    engine: undefined as never,
    now: () => new Date(),
    redact: (t) => t,
    sleep: () => new Promise((r) => setTimeout(r, 20)),
  };
}

const planned = (name: string): EnvironmentOutcome => ({
  kind: 'planned',
  plan: { environment: name, headSha: 'abc', destructive: [] },
  details: `plan of ${name}`,
});

describe('writeSections', () => {
  it('keeps both sections when two matrix jobs write the sticky comment at the same time', async () => {
    const store = new CommentStore();
    // The detect job wrote the skeleton with both environments pending.
    store.body = renderPlanComment(
      { sha: 'abc1234', runUrl: 'u' },
      new Map([
        ['a', { kind: 'pending' }],
        ['b', { kind: 'pending' }],
      ]),
    );
    await Promise.all([
      writeSections(ctx(store), 1, new Map([['a', planned('a')]])),
      writeSections(ctx(store), 1, new Map([['b', planned('b')]])),
    ]);
    const sections = parseSections(store.body ?? '');
    expect(sections.get('a')).toContain('plan of a');
    expect(sections.get('b')).toContain('plan of b');
    expect([...parseReviewedPlans(store.body ?? '').keys()].sort()).toEqual(['a', 'b']);
    // The lost update was noticed and repaired: more writes than jobs.
    expect(store.writes).toBeGreaterThan(2);
  });

  it('writes once when nobody else is writing', async () => {
    const store = new CommentStore();
    await writeSections(ctx(store), 1, new Map([['a', planned('a')]]));
    expect(store.writes).toBe(1);
  });
});
