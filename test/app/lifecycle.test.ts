import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, parsePhase, replay, step, type LifecycleEvent } from '../../src/app/lifecycle.js';
import type { Operation, Status } from '../../src/engine/report/types.js';

const t = (seconds: number): string => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

/** One operation: a push, its deployment and its phases, possibly cut short by a failure or a dead run. */
interface Op {
  operation: Operation;
  ending: 'success' | 'failed' | 'cancelled';
  /** How many phases are reported before the ending (0..2). */
  phases: number;
  withPush: boolean;
}

/** The deliveries of a whole lifecycle, in the order GitHub produced them. */
function lifecycle(ops: Op[]): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  let clock = 0;
  let deploymentId = 100;
  let statusId = 1000;
  let runId = 5000;
  for (const op of ops) {
    clock += 10;
    deploymentId += 1;
    runId += 1;
    if (op.withPush) events.push({ kind: 'push', at: t(clock++), operation: op.operation });
    events.push({ kind: 'deployment', deploymentId, at: t(clock++), operation: op.operation, runId });
    const phases: Status[] = op.operation === 'apply' ? ['provisioning', 'bootstrapping'] : ['destroying'];
    for (const phase of phases.slice(0, op.phases)) {
      events.push({
        kind: 'status',
        deploymentId,
        statusId: ++statusId,
        at: t(clock++),
        operation: op.operation,
        phase,
        reason: null,
        runId,
      });
    }
    if (op.ending === 'cancelled') {
      events.push({ kind: 'run_end', runId, at: t(clock++), conclusion: 'cancelled' });
    } else {
      const phase: Status =
        op.ending === 'failed' ? 'failed' : op.operation === 'apply' ? 'ready' : 'destroyed';
      events.push({
        kind: 'status',
        deploymentId,
        statusId: ++statusId,
        at: t(clock++),
        operation: op.operation,
        phase,
        reason: op.ending === 'failed' ? 'terraform apply failed' : null,
        runId,
      });
    }
  }
  return events;
}

const opArb: fc.Arbitrary<Op> = fc.record({
  operation: fc.constantFrom<Operation>('apply', 'destroy'),
  ending: fc.constantFrom<Op['ending']>('success', 'failed', 'cancelled'),
  phases: fc.integer({ min: 0, max: 2 }),
  withPush: fc.boolean(),
});

/** A shuffle of `events` in which some deliveries arrive more than once. */
function shuffledWithDuplicates(events: LifecycleEvent[]): fc.Arbitrary<LifecycleEvent[]> {
  return fc
    .array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: events.length })
    .chain((dupes) =>
      fc.shuffledSubarray([...events, ...dupes.map((i) => events[i]!)], {
        minLength: events.length + dupes.length,
      }),
    );
}

describe('lifecycle reducer', () => {
  it('ends any shuffle with duplicates of a lifecycle in the in-order state', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 4 }).chain((ops) => {
          const events = lifecycle(ops);
          return fc.tuple(fc.constant(events), shuffledWithDuplicates(events));
        }),
        ([inOrder, shuffled]) => {
          expect(replay(shuffled).state).toEqual(replay(inOrder).state);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('walks the whole apply lifecycle in order', () => {
    const events = lifecycle([{ operation: 'apply', ending: 'success', phases: 2, withPush: true }]);
    const { state, transitions } = replay(events);
    expect(transitions.map((x) => x.status)).toEqual([
      'queued',
      'queued',
      'provisioning',
      'bootstrapping',
      'ready',
    ]);
    expect(state).toMatchObject({ status: 'ready', deploymentId: 101, errorMessage: null });
  });

  it('lets a newer deployment supersede an older one and ignores the older one afterwards', () => {
    const first = step(INITIAL_STATE, {
      kind: 'deployment',
      deploymentId: 2,
      at: t(5),
      operation: 'apply',
      runId: 1,
    });
    const late = step(first.state, {
      kind: 'status',
      deploymentId: 1,
      statusId: 9,
      at: t(6),
      operation: 'apply',
      phase: 'ready',
      reason: null,
      runId: 0,
    });
    expect(late.transitions).toEqual([]);
    expect(late.ignored).toMatch(/deployment 1 is superseded by deployment 2/);
    expect(late.state.status).toBe('queued');
  });

  it('fails an environment whose run was cancelled, even when the cancellation arrives first', () => {
    const events = lifecycle([{ operation: 'apply', ending: 'cancelled', phases: 1, withPush: false }]);
    const reversed = replay([...events].reverse());
    expect(reversed.state.status).toBe('failed');
    expect(reversed.state.errorMessage).toBe('the workflow run was cancelled while provisioning');
  });

  it('leaves a run that reported ready alone when the run is cancelled later', () => {
    const events = lifecycle([{ operation: 'apply', ending: 'success', phases: 1, withPush: false }]);
    const withCancel: LifecycleEvent[] = [
      ...events,
      { kind: 'run_end', runId: 5001, at: t(99), conclusion: 'cancelled' },
    ];
    expect(replay(withCancel).state.status).toBe('ready');
    expect(replay([...withCancel].reverse()).state.status).toBe('ready');
  });

  it('reads the phase from the description, else from the state', () => {
    expect(parsePhase('in_progress', 'bootstrapping: installing Beta9', 'apply')).toEqual({
      phase: 'bootstrapping',
      reason: null,
    });
    expect(parsePhase('failure', 'failed: Terraform apply failed (quota)', 'apply')).toEqual({
      phase: 'failed',
      reason: 'Terraform apply failed (quota)',
    });
    expect(parsePhase('success', '', 'destroy')).toEqual({ phase: 'destroyed', reason: null });
    expect(parsePhase('error', 'boom', 'apply')).toEqual({ phase: 'failed', reason: 'boom' });
    expect(parsePhase('inactive', '', 'apply')).toBeUndefined();
  });
});
