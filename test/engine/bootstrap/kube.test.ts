import { CoreV1Api, CustomObjectsApi, StorageV1Api } from '@kubernetes/client-node';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterIssuer } from '../../../src/engine/bootstrap/charts.js';
import {
  ensureGp3StorageClass,
  ensureNamespace,
  readSecret,
  upsertClusterIssuer,
  upsertSecret,
  waitForNodes,
} from '../../../src/engine/bootstrap/kube.js';
import { buildKubeConfig } from '../../../src/engine/bootstrap/kubeconfig.js';
import { DB_PASSWORD, FakeKube, fakeClock } from './fixtures.js';

let kube: FakeKube;
const kc = () =>
  buildKubeConfig({ name: 'test', server: 'https://kube.test', caData: 'Q0E=', token: 'tok-abc' });

beforeEach(() => {
  nock.disableNetConnect();
  kube = new FakeKube().install();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('waitForNodes', () => {
  it('returns once enough nodes are Ready, sending the bearer token', async () => {
    const res = await waitForNodes(kc().makeApiClient(CoreV1Api), {
      minReady: 2,
      timeoutMs: 60_000,
      intervalMs: 5_000,
      clock: fakeClock(),
    });
    expect(res).toEqual({ ready: 2, total: 2 });
    expect(kube.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/nodes', auth: 'Bearer tok-abc' });
  });

  it('polls until nodes turn Ready, and retries a 503 from the API', async () => {
    kube.nodes = [
      { name: 'a', ready: true },
      { name: 'b', ready: false },
    ];
    kube.nodeListStatuses = [503];
    const clock = fakeClock();
    const core = kc().makeApiClient(CoreV1Api);
    const progress: string[] = [];
    const waiting = waitForNodes(
      {
        listNode: async (...args: Parameters<CoreV1Api['listNode']>) => {
          if (kube.requests.length >= 3) kube.nodes[1]!.ready = true;
          return core.listNode(...args);
        },
      } as Pick<CoreV1Api, 'listNode'>,
      { minReady: 2, timeoutMs: 60_000, intervalMs: 5_000, clock, onProgress: (l) => progress.push(l) },
    );
    await expect(waiting).resolves.toEqual({ ready: 2, total: 2 });
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
    expect(progress.some((l) => l.includes('waiting for the Kubernetes API'))).toBe(true);
    expect(progress).toContain('1/2 nodes Ready (2 registered)');
  });

  it('fails with nodes_not_ready at the deadline, naming the counts', async () => {
    kube.nodes = [{ name: 'a', ready: false }];
    const err = await waitForNodes(kc().makeApiClient(CoreV1Api), {
      minReady: 2,
      timeoutMs: 30_000,
      intervalMs: 10_000,
      clock: fakeClock(),
    }).catch((e) => e);
    expect(err.failureClass).toBe('nodes_not_ready');
    expect(err.message).toMatch(/Only 0 of the 2 required nodes became Ready within 30 s \(1 registered\)/);
  });

  it('fails at once on refused credentials', async () => {
    kube.acceptToken = () => false;
    const clock = fakeClock();
    const err = await waitForNodes(kc().makeApiClient(CoreV1Api), {
      minReady: 1,
      timeoutMs: 60_000,
      intervalMs: 5_000,
      clock,
    }).catch((e) => e);
    expect(err.failureClass).toBe('credentials');
    expect(clock.sleeps).toEqual([]);
  });

  it('reports an unreachable API as kube_unreachable at the deadline', async () => {
    const other = buildKubeConfig({
      name: 'x',
      server: 'https://unreachable.test',
      caData: 'Q0E=',
      token: 't',
    });
    const err = await waitForNodes(other.makeApiClient(CoreV1Api), {
      minReady: 1,
      timeoutMs: 20_000,
      intervalMs: 10_000,
      clock: fakeClock(),
    }).catch((e) => e);
    expect(err.failureClass).toBe('kube_unreachable');
  });
});

describe('namespaces, Secrets, StorageClass, ClusterIssuer', () => {
  it('creates a namespace once', async () => {
    const core = kc().makeApiClient(CoreV1Api);
    expect(await ensureNamespace(core, 'beta9')).toBe(true);
    expect(await ensureNamespace(core, 'beta9')).toBe(false);
    expect(kube.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('creates then replaces a Secret with the current resourceVersion', async () => {
    const core = kc().makeApiClient(CoreV1Api);
    await ensureNamespace(core, 'beta9');
    expect(await upsertSecret(core, 'beta9', 'beta9-database', { password: DB_PASSWORD })).toBe('created');
    expect(await upsertSecret(core, 'beta9', 'beta9-database', { password: 'rotated-pass' })).toBe(
      'replaced',
    );
    expect(kube.secretData('beta9', 'beta9-database')).toEqual({ password: 'rotated-pass' });
    expect(await readSecret(core, 'beta9', 'beta9-database')).toEqual({ password: 'rotated-pass' });
    expect(await readSecret(core, 'beta9', 'missing')).toBeUndefined();
    const put = kube.requests.find((r) => r.method === 'PUT');
    expect((put?.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toMatch(
      /^\d+$/,
    );
  });

  it('never puts Secret data into an error message', async () => {
    const core = kc().makeApiClient(CoreV1Api);
    // The namespace does not exist: the API refuses the create.
    const err = await upsertSecret(core, 'nope', 's', { password: DB_PASSWORD }).catch((e) => e);
    expect(err.message).toMatch(/writing Secret nope\/s/);
    expect(err.message).not.toContain(DB_PASSWORD);
    expect(err.message).not.toContain(Buffer.from(DB_PASSWORD).toString('base64'));
  });

  it('creates an encrypted gp3 StorageClass once and leaves an existing one alone', async () => {
    const storage = kc().makeApiClient(StorageV1Api);
    expect(await ensureGp3StorageClass(storage)).toBe(true);
    expect(await ensureGp3StorageClass(storage)).toBe(false);
    expect(kube.storageClasses.get('gp3')).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  it('creates then replaces the ClusterIssuer', async () => {
    const custom = kc().makeApiClient(CustomObjectsApi);
    expect(await upsertClusterIssuer(custom, clusterIssuer('ops@example.com', 'traefik'))).toBe('created');
    expect(await upsertClusterIssuer(custom, clusterIssuer('new@example.com', 'traefik'))).toBe('replaced');
    expect(kube.clusterIssuers.get('beta9-letsencrypt')).toMatchObject({
      spec: { acme: { email: 'new@example.com' } },
    });
  });
});
