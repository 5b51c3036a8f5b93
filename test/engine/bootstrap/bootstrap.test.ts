import { describe, expect, it } from 'vitest';
import {
  bootstrapCluster,
  DATABASE_SECRET,
  GENERATED_SECRET,
  REDIS_SECRET,
} from '../../../src/engine/bootstrap/bootstrap.js';
import { decodeEksToken } from '../../../src/engine/bootstrap/eks.js';
import type { FetchLike } from '../../../src/engine/bootstrap/gke.js';
import {
  DB_PASSWORD,
  FakeKube,
  GCP_TOKEN,
  REDIS_CA_PEM,
  awsModel,
  gcpModel,
  gcpOutputs,
} from './fixtures.js';
import {
  ENCRYPTION_KEY,
  deps,
  expectNoSecrets,
  h,
  helmState,
  options,
  phasesOf,
  useHarness,
} from './harness.js';

useHarness();

describe('bootstrapCluster on AWS', () => {
  it('installs cert-manager, Traefik and Beta9 with Secrets from Secrets Manager', async () => {
    h.kube.acceptToken = (t) =>
      t.startsWith('k8s-aws-v1.') &&
      decodeEksToken(t).searchParams.get('X-Amz-SignedHeaders') === 'host;x-k8s-aws-id';
    const outcome = await bootstrapCluster(deps(), options());
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(outcome.releases.map((r) => `${r.namespace}/${r.name}@${r.chartVersion}#${r.revision}`)).toEqual([
      'cert-manager/cert-manager@1.19.1#1',
      'traefik/traefik@39.0.0#1',
      'beta9/beta9@0.1.762#1',
    ]);
    expect(phasesOf()).toEqual([
      'kubeconfig',
      'nodes',
      'namespaces',
      'secrets',
      'storage',
      'cert-manager',
      'ingress',
      'beta9',
    ]);
    expect(outcome.timings.map((t) => t.phase)).toEqual(phasesOf());

    expect([...h.kube.namespaces.keys()]).toEqual(['beta9', 'cert-manager', 'traefik']);
    expect(h.kube.secretData('beta9', DATABASE_SECRET)).toEqual({
      host: 'beta9-ml-staging.c9akciq32.us-east-1.rds.amazonaws.com',
      port: '5432',
      username: 'beta9admin',
      password: DB_PASSWORD,
      database: 'beta9',
      sslmode: 'require',
    });
    expect(h.kube.secretData('beta9', REDIS_SECRET)).toMatchObject({
      addrs: 'master.beta9-ml-staging.abc123.use1.cache.amazonaws.com:6379',
      enableTLS: 'true',
    });
    expect(h.kube.secretData('beta9', GENERATED_SECRET)).toEqual({ encryptionKey: ENCRYPTION_KEY });
    expect(h.kube.storageClasses.has('gp3')).toBe(true);
    expect(h.kube.clusterIssuers.size).toBe(0);
    // The endpoint is looked up once; tokens are minted per phase and per helm command.
    expect(h.describeCalls).toBe(1);

    const releases = helmState().releases;
    const beta9 = releases['beta9/beta9']!;
    expect(beta9.chartRef).toBe('oci://public.ecr.aws/n4e0e1y0/beta9-chart');
    expect(beta9.flags).toMatchObject({ atomic: true, wait: true, timeout: '10m' });
    expect(beta9.config).toMatchObject({
      postgresql: { enabled: false },
      redis: { enabled: false },
      config: {
        database: {
          postgres: {
            host: 'beta9-ml-staging.c9akciq32.us-east-1.rds.amazonaws.com',
            password: DB_PASSWORD,
            enableTLS: true,
            encryptionKey: ENCRYPTION_KEY,
          },
          redis: { mode: 'single', enableTLS: true },
        },
      },
      persistence: { images: { storageClass: 'gp3' } },
    });
    expect(releases['cert-manager/cert-manager']!.config).toMatchObject({ crds: { enabled: true } });
    expectNoSecrets(outcome);
  });

  it('is idempotent: a re-run upgrades in place, replaces Secrets and keeps the encryption key', async () => {
    const first = await bootstrapCluster(deps(), options());
    expect(first.ok).toBe(true);
    const postsAfterFirst = h.kube.requests.filter((r) => r.method === 'POST').length;
    const second = await bootstrapCluster(deps({ randomBytes: () => Buffer.alloc(32, 9) }), options());
    expect(second).toMatchObject({ ok: true });
    if (!second.ok) return;
    expect(second.releases.map((r) => r.revision)).toEqual([2, 2, 2]);
    // No create on the second run: namespaces and StorageClass exist, Secrets are replaced.
    expect(h.kube.requests.filter((r) => r.method === 'POST').length).toBe(postsAfterFirst);
    expect(h.kube.requests.filter((r) => r.method === 'PUT' && r.path.includes('/secrets/')).length).toBe(2);
    expect(h.kube.secretData('beta9', GENERATED_SECRET)).toEqual({ encryptionKey: ENCRYPTION_KEY });
    expect(
      (
        helmState().releases['beta9/beta9']!.config as {
          config: { database: { postgres: { encryptionKey: string } } };
        }
      ).config.database.postgres.encryptionKey,
    ).toBe(ENCRYPTION_KEY);
    expectNoSecrets(second);
  });

  it('with a domain: creates the ClusterIssuer (retrying while the webhook starts) and the TLS ingress', async () => {
    h.kube.issuerWriteStatuses = [500];
    const model = awsModel({ domain: 'beta9.example.com', tlsEmail: 'ops@example.com' });
    const outcome = await bootstrapCluster(deps(), options({ model }));
    expect(outcome).toMatchObject({ ok: true, gatewayUrl: 'https://beta9.example.com' });
    expect(phasesOf()).toEqual([
      'kubeconfig',
      'nodes',
      'namespaces',
      'secrets',
      'storage',
      'cert-manager',
      'cluster-issuer',
      'ingress',
      'beta9',
    ]);
    expect(h.kube.clusterIssuers.get('beta9-letsencrypt')).toMatchObject({
      spec: {
        acme: {
          email: 'ops@example.com',
          solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }],
        },
      },
    });
    expect(h.logLines.some((l) => l.includes('not accepted yet'))).toBe(true);
    expect(helmState().releases['beta9/beta9']!.config).toMatchObject({
      ingress: {
        gateway: {
          enabled: true,
          hosts: [{ host: 'beta9.example.com' }],
          annotations: { 'cert-manager.io/cluster-issuer': 'beta9-letsencrypt' },
        },
      },
    });
    expectNoSecrets(outcome);
  });

  it('installs a custom ingress controller and wires its class into the issuer and the Ingress', async () => {
    const model = awsModel({ domain: 'beta9.example.com', tlsEmail: 'ops@example.com' });
    const ingress = {
      release: 'contour',
      chart: 'oci://example.registry/charts/contour',
      version: '1.2.3',
      namespace: 'projectcontour',
      className: 'contour',
      values: { contour: { ingressClass: { name: 'contour', default: true } } },
    };
    const outcome = await bootstrapCluster(deps(), options({ model, ingress }));
    expect(outcome.ok).toBe(true);
    const releases = helmState().releases;
    expect(releases['projectcontour/contour']).toMatchObject({
      chartRef: 'oci://example.registry/charts/contour',
      config: ingress.values,
    });
    expect(h.kube.namespaces.has('projectcontour')).toBe(true);
    expect(h.kube.clusterIssuers.get('beta9-letsencrypt')).toMatchObject({
      spec: { acme: { solvers: [{ http01: { ingress: { ingressClassName: 'contour' } } }] } },
    });
    expect(releases['beta9/beta9']!.config).toMatchObject({ ingress: { gateway: { className: 'contour' } } });
  });

  it('skips the ingress controller when told to (no domain)', async () => {
    const outcome = await bootstrapCluster(deps(), options({ ingress: 'none' }));
    expect(outcome.ok).toBe(true);
    expect(Object.keys(helmState().releases).sort()).toEqual(['beta9/beta9', 'cert-manager/cert-manager']);
    expect(h.kube.namespaces.has('traefik')).toBe(false);
  });
});

describe('bootstrapCluster on GCP', () => {
  it('uses the GKE access token, Secret Manager and standard-rwo', async () => {
    const gke = new FakeKube('https://34.90.1.2').install();
    gke.acceptToken = (t) => t === GCP_TOKEN;
    const urls: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      urls.push(url);
      expect(init?.headers?.authorization).toBe(`Bearer ${GCP_TOKEN}`);
      const body = url.startsWith('https://container.googleapis.com/')
        ? {
            endpoint: '34.90.1.2',
            status: 'RUNNING',
            masterAuth: { clusterCaCertificate: Buffer.from('CA').toString('base64') },
          }
        : { payload: { data: Buffer.from(DB_PASSWORD).toString('base64') } };
      return { ok: true, status: 200, json: async () => body, text: async () => JSON.stringify(body) };
    };
    const outcome = await bootstrapCluster(
      deps({ aws: undefined, gcp: { auth: { getAccessToken: async () => GCP_TOKEN }, fetch } }),
      options({ model: gcpModel(), outputs: gcpOutputs() }),
    );
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true });
    expect(urls).toContain(
      'https://container.googleapis.com/v1/projects/my-gcp-project/locations/europe-west4/clusters/beta9-gpu-lab',
    );
    expect(urls).toContain(
      'https://secretmanager.googleapis.com/v1/projects/my-gcp-project/secrets/beta9-gpu-lab-postgres-password/versions/latest:access',
    );
    // Cloud SQL's secret holds only the password: the user is the one the stack creates.
    expect(gke.secretData('beta9', DATABASE_SECRET)).toMatchObject({
      host: '10.20.0.3',
      username: 'beta9',
      password: DB_PASSWORD,
      database: 'beta9',
    });
    expect(gke.secretData('beta9', REDIS_SECRET)).toMatchObject({
      addrs: '10.20.1.4:6378',
      'ca.crt': REDIS_CA_PEM,
    });
    expect(gke.storageClasses.size).toBe(0);
    expect(helmState().releases['beta9/beta9']!.config).toMatchObject({
      persistence: { images: { storageClass: 'standard-rwo' } },
      config: { database: { redis: { addrs: ['10.20.1.4:6378'], enableTLS: true } } },
    });
    expectNoSecrets(outcome, [GCP_TOKEN]);
  });
});
