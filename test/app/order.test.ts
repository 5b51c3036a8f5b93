import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app/engine.js';
import type { ServiceDeps } from '../../src/app/services/context.js';
import { recordFromConfig } from '../../src/app/services/records.js';
import { StatusService } from '../../src/app/services/status.js';
import { IndexStore } from '../../src/app/store/store.js';
import { awsEnvironment, REPO } from './fixtures/app.js';
import { deploymentPayload, statusPayload, workflowRunPayload } from './fixtures/deliveries.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A compact description of one delivery (a counterexample stays readable); the payload is built on delivery. */
type Delivery = {
  id: string;
  name: 'deployment' | 'deployment_status' | 'workflow_run';
  payload: () => Json;
};

function service(): { store: IndexStore; status: StatusService } {
  const store = new IndexStore(':memory:');
  const engine = createEngine();
  const { config } = engine.parse('environments/alpha.yaml', awsEnvironment('alpha'));
  const at = '2026-01-01T00:00:00.000Z';
  store.putEnvironment(
    recordFromConfig(
      { repo: REPO, path: 'environments/alpha.yaml', config: config!, model: engine.model(config!), at },
      undefined,
    ),
  );
  const deps: ServiceDeps = {
    store,
    engine,
    log: pino({ level: 'silent' }),
    now: () => new Date(at),
    settings: {
      trustedWorkflows: ['apply.yml'],
      staleAfterMs: 3_600_000,
      reportRetry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, intervalMs: 1 },
    },
    auth: () => Promise.reject(new Error('no network in this test')),
  };
  return { store, status: new StatusService(deps) };
}

async function deliver(s: StatusService, d: Delivery): Promise<void> {
  const ctx = { id: d.id, event: d.name, log: pino({ level: 'silent' }) };
  const p = d.payload();
  const common = {
    repository: p.repository,
    run: p.workflow_run ?? null,
    workflow: p.workflow ?? null,
    installationId: 1,
  };
  if (d.name === 'deployment') await s.deploymentCreated(ctx, { ...common, deployment: p.deployment });
  else if (d.name === 'deployment_status')
    await s.deploymentStatusCreated(ctx, {
      ...common,
      deployment: p.deployment,
      status: p.deployment_status,
    });
  else
    await s.workflowRunCompleted(ctx, {
      run: p.workflow_run,
      repository: p.repository,
      workflow: p.workflow,
    });
}

function lazy<A>(build: (a: A) => Record<string, unknown>, args: A): Delivery['payload'] {
  const fn = () => build(args);
  fn.toString = () => JSON.stringify(args);
  return fn as Delivery['payload'];
}

/** Two operations (apply, then destroy or re-apply), each possibly cut short, as GitHub would deliver them. */
function lifecycle(
  ops: { operation: 'apply' | 'destroy'; phases: number; ending: 'ok' | 'failed' | 'cancelled' }[],
): Delivery[] {
  const out: Delivery[] = [];
  let minute = 0;
  let statusId = 100;
  const at = () => new Date(Date.UTC(2026, 0, 1, 0, ++minute)).toISOString();
  ops.forEach((op, i) => {
    const deploymentId = 1000 + i;
    const runId = 500 + i;
    const base = { environment: 'alpha', operation: op.operation, runId };
    out.push({
      id: `d-${i}`,
      name: 'deployment',
      payload: lazy(deploymentPayload, { ...base, id: deploymentId, at: at() }),
    });
    const phases = op.operation === 'apply' ? ['provisioning', 'bootstrapping'] : ['destroying'];
    for (const phase of phases.slice(0, op.phases)) {
      out.push({
        id: `s-${++statusId}`,
        name: 'deployment_status',
        payload: lazy(statusPayload, { ...base, deploymentId, id: statusId, description: phase, at: at() }),
      });
    }
    if (op.ending === 'cancelled') {
      out.push({
        id: `w-${runId}`,
        name: 'workflow_run',
        payload: lazy(workflowRunPayload, { runId, conclusion: 'cancelled', at: at() }),
      });
    } else {
      const description =
        op.ending === 'failed' ? 'failed: quota exceeded' : op.operation === 'apply' ? 'ready' : 'destroyed';
      out.push({
        id: `s-${++statusId}`,
        name: 'deployment_status',
        payload: lazy(statusPayload, {
          ...base,
          deploymentId,
          id: statusId,
          description,
          state: op.ending === 'failed' ? 'failure' : 'success',
          at: at(),
        }),
      });
    }
  });
  return out;
}

const snapshot = (store: IndexStore) => {
  const r = store.getEnvironment('alpha')!;
  const sync = store.getSync('alpha')!;
  return {
    status: r.status,
    deployment_id: r.deployment_id,
    deployment_status_id: r.deployment_status_id,
    error_message: r.error_message,
    provisioned_at: r.provisioned_at,
    destroyed_at: r.destroyed_at,
    run: sync.run_id,
    deliveries: (store.db.prepare('SELECT COUNT(*) AS n FROM deliveries').get() as { n: number }).n,
  };
};

describe('deliveries through the status service', () => {
  it('end in the in-order state whatever the order and however often each is redelivered', async () => {
    const opArb = fc.record({
      operation: fc.constantFrom<'apply' | 'destroy'>('apply', 'destroy'),
      phases: fc.integer({ min: 0, max: 2 }),
      ending: fc.constantFrom<'ok' | 'failed' | 'cancelled'>('ok', 'failed', 'cancelled'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 3 }).chain((ops) => {
          const events = lifecycle(ops);
          const withDupes = fc
            .array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: events.length })
            .map((extra) => [...events, ...extra.map((i) => events[i]!)]);
          return fc.tuple(
            fc.constant(events),
            withDupes.chain((all) => fc.shuffledSubarray(all, { minLength: all.length })),
          );
        }),
        async ([inOrder, shuffled]) => {
          const expected = service();
          for (const d of inOrder) await deliver(expected.status, d);
          const actual = service();
          for (const d of shuffled) await deliver(actual.status, d);
          expect(snapshot(actual.store)).toEqual(snapshot(expected.store));
          expected.store.close();
          actual.store.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('index upkeep', () => {
  it('prunes delivery ids and run endings older than the cut-off, and keeps newer ones', () => {
    const store = new IndexStore(':memory:');
    store.claimDelivery('old', 'push', '2026-01-01T00:00:00.000Z');
    store.claimDelivery('new', 'push', '2026-02-01T00:00:00.000Z');
    store.recordRunEnd(1, REPO, 'cancelled', '2026-01-01T00:00:00.000Z');
    expect(store.prune('2026-01-15T00:00:00.000Z')).toBe(2);
    expect(store.hasDelivery('old')).toBe(false);
    expect(store.hasDelivery('new')).toBe(true);
    expect(store.getRunEnd(1)).toBeUndefined();
    store.close();
  });
});
