import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bootstrapCluster,
  DATABASE_SECRET,
  GENERATED_SECRET,
  REDIS_SECRET,
  type BootstrapDeps,
  type BootstrapOptions,
} from '../../../src/engine/bootstrap/bootstrap.js';
import { decodeEksToken, type EksClientLike } from '../../../src/engine/bootstrap/eks.js';
import type { ExecFn } from '../../../src/engine/bootstrap/exec.js';
import type { FetchLike } from '../../../src/engine/bootstrap/gke.js';
import type { SecretsManagerLike } from '../../../src/engine/bootstrap/secrets.js';
import type { BootstrapOutcome, BootstrapPhase } from '../../../src/engine/bootstrap/types.js';
import {
  AWS_SECRET_KEY,
  AWS_SESSION_TOKEN,
  DB_PASSWORD,
  FakeKube,
  GCP_TOKEN,
  awsModel,
  awsOutputs,
  fakeClock,
  gcpModel,
  gcpOutputs,
  REDIS_CA_PEM,
} from './fixtures.js';

const DOUBLES = resolve(__dirname, '../../doubles/bin');
const FIXED_KEY = Buffer.alloc(32, 7);
const ENCRYPTION_KEY = `sk_${FIXED_KEY.toString('base64')}`;

let dir: string;
let state: string;
let kube: FakeKube;
let events: string[];
let logLines: string[];
let secretsManagerCalls: number;
let describeCalls: number;

beforeEach(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
  state = join(dir, 'helm-state.json');
  events = [];
  logLines = [];
  secretsManagerCalls = 0;
  describeCalls = 0;
  kube = new FakeKube('https://kube.test').install();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
});

const eks: EksClientLike = {
  send: async (cmd) => {
    expect(cmd.input).toEqual({ name: 'beta9-ml-staging' });
    describeCalls++;
    return {
      cluster: {
        endpoint: 'https://kube.test',
        certificateAuthority: { data: Buffer.from('CA PEM').toString('base64') },
        status: 'ACTIVE',
      },
    };
  },
};

function secretsManager(password = DB_PASSWORD): SecretsManagerLike {
  return {
    send: async (cmd) => {
      secretsManagerCalls++;
      expect(cmd.input).toEqual({
        SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf',
      });
      return { SecretString: JSON.stringify({ username: 'beta9admin', password }) };
    },
  };
}

function deps(over: Partial<BootstrapDeps> = {}): BootstrapDeps {
  return {
    aws: {
      eks,
      secretsManager: secretsManager(),
      credentials: async () => ({
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: AWS_SECRET_KEY,
        sessionToken: AWS_SESSION_TOKEN,
      }),
    },
    reporter: {
      phaseStarted: (p, d) => events.push(`start ${p}: ${d}`),
      phaseFinished: (p) => events.push(`done ${p}`),
      log: (l) => logLines.push(l),
    },
    clock: fakeClock(),
    randomBytes: () => FIXED_KEY,
    ...over,
  };
}

function options(over: Partial<BootstrapOptions> = {}, env: Record<string, string> = {}): BootstrapOptions {
  return {
    model: awsModel(),
    outputs: awsOutputs(),
    helm: {
      env: { ...process.env, PATH: `${DOUBLES}:${process.env.PATH}`, BETA9_HELM_DOUBLE_STATE: state, ...env },
      tmpDir: dir,
    },
    nodes: { intervalMs: 1000, timeoutMs: 10_000 },
    ...over,
  };
}

function helmState() {
  return JSON.parse(readFileSync(state, 'utf8')) as {
    releases: Record<
      string,
      { revision: number; config: Record<string, unknown>; flags: Record<string, unknown>; chartRef: string }
    >;
  };
}

/** Nothing a person can read may hold a secret. */
function expectNoSecrets(outcome: BootstrapOutcome, extra: string[] = []) {
  const text = [...logLines, ...events, JSON.stringify(outcome)].join('\n');
  for (const s of [
    DB_PASSWORD,
    AWS_SECRET_KEY,
    AWS_SESSION_TOKEN,
    ENCRYPTION_KEY,
    Buffer.from(DB_PASSWORD).toString('base64'),
    ...extra,
  ]) {
    expect(text).not.toContain(s);
  }
  expect(text).not.toContain('k8s-aws-v1.');
}

const phasesOf = () =>
  events.filter((e) => e.startsWith('start ')).map((e) => e.split(':')[0]!.slice(6) as BootstrapPhase);

describe('bootstrapCluster on AWS', () => {
  it('installs cert-manager, Traefik and Beta9 with Secrets from Secrets Manager', async () => {
    kube.acceptToken = (t) =>
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

    expect([...kube.namespaces.keys()]).toEqual(['beta9', 'cert-manager', 'traefik']);
    expect(kube.secretData('beta9', DATABASE_SECRET)).toEqual({
      host: 'beta9-ml-staging.c9akciq32.us-east-1.rds.amazonaws.com',
      port: '5432',
      username: 'beta9admin',
      password: DB_PASSWORD,
      database: 'beta9',
      sslmode: 'require',
    });
    expect(kube.secretData('beta9', REDIS_SECRET)).toMatchObject({
      addrs: 'master.beta9-ml-staging.abc123.use1.cache.amazonaws.com:6379',
      enableTLS: 'true',
    });
    expect(kube.secretData('beta9', GENERATED_SECRET)).toEqual({ encryptionKey: ENCRYPTION_KEY });
    expect(kube.storageClasses.has('gp3')).toBe(true);
    expect(kube.clusterIssuers.size).toBe(0);
    // The endpoint is looked up once; tokens are minted per phase and per helm command.
    expect(describeCalls).toBe(1);

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
    const postsAfterFirst = kube.requests.filter((r) => r.method === 'POST').length;
    const second = await bootstrapCluster(deps({ randomBytes: () => Buffer.alloc(32, 9) }), options());
    expect(second).toMatchObject({ ok: true });
    if (!second.ok) return;
    expect(second.releases.map((r) => r.revision)).toEqual([2, 2, 2]);
    // No create on the second run: namespaces and StorageClass exist, Secrets are replaced.
    expect(kube.requests.filter((r) => r.method === 'POST').length).toBe(postsAfterFirst);
    expect(kube.requests.filter((r) => r.method === 'PUT' && r.path.includes('/secrets/')).length).toBe(2);
    expect(kube.secretData('beta9', GENERATED_SECRET)).toEqual({ encryptionKey: ENCRYPTION_KEY });
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
    kube.issuerWriteStatuses = [500];
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
    expect(kube.clusterIssuers.get('beta9-letsencrypt')).toMatchObject({
      spec: {
        acme: {
          email: 'ops@example.com',
          solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }],
        },
      },
    });
    expect(logLines.some((l) => l.includes('not accepted yet'))).toBe(true);
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
    expect(kube.namespaces.has('projectcontour')).toBe(true);
    expect(kube.clusterIssuers.get('beta9-letsencrypt')).toMatchObject({
      spec: { acme: { solvers: [{ http01: { ingress: { ingressClassName: 'contour' } } }] } },
    });
    expect(releases['beta9/beta9']!.config).toMatchObject({ ingress: { gateway: { className: 'contour' } } });
  });

  it('skips the ingress controller when told to (no domain)', async () => {
    const outcome = await bootstrapCluster(deps(), options({ ingress: 'none' }));
    expect(outcome.ok).toBe(true);
    expect(Object.keys(helmState().releases).sort()).toEqual(['beta9/beta9', 'cert-manager/cert-manager']);
    expect(kube.namespaces.has('traefik')).toBe(false);
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

describe('bootstrapCluster failures are outcomes with a class and a next step', () => {
  it('names every missing output before touching the network', async () => {
    const outputs = awsOutputs() as Record<string, unknown>;
    delete outputs.rds_endpoint;
    delete outputs.redis_endpoint;
    const outcome = await bootstrapCluster(deps(), options({ outputs }));
    expect(outcome).toMatchObject({
      ok: false,
      phase: 'kubeconfig',
      failureClass: 'config',
      retryable: false,
    });
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/redis_endpoint, rds_endpoint/);
    expect(kube.requests).toEqual([]);
  });

  it('refuses a domain without an ingress controller', async () => {
    const outcome = await bootstrapCluster(
      deps(),
      options({ model: awsModel({ domain: 'b.example.com', tlsEmail: 'a@b.c' }), ingress: 'none' }),
    );
    expect(outcome).toMatchObject({ ok: false, failureClass: 'config' });
    if (!outcome.ok) expect(outcome.nextStep).toMatch(/Choose an ingress controller/);
  });

  it('refuses a helm timeout that is not a duration, and warns when it outlives an EKS token', async () => {
    const bad = await bootstrapCluster(deps(), options({ helmTimeout: 'ten minutes' }));
    expect(bad).toMatchObject({ ok: false, phase: 'kubeconfig', failureClass: 'config' });
    if (!bad.ok) expect(bad.message).toMatch(/'ten minutes' is not a Go duration/);
    const long = await bootstrapCluster(deps(), options({ helmTimeout: '20m', ingress: 'none' }));
    expect(long.ok).toBe(true);
    expect(
      logLines.some((l) => l.startsWith('warning: helm timeout 20m is longer than an EKS token lives')),
    ).toBe(true);
  });

  it('reports nodes that never become Ready', async () => {
    kube.nodes = [{ name: 'a', ready: false }];
    const outcome = await bootstrapCluster(deps(), options());
    expect(outcome).toMatchObject({
      ok: false,
      phase: 'nodes',
      failureClass: 'nodes_not_ready',
      retryable: true,
    });
  });

  it('reports a refused Secrets Manager read as auth in the secrets phase', async () => {
    const sm: SecretsManagerLike = {
      send: async () => {
        throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      },
    };
    const outcome = await bootstrapCluster(
      deps({
        aws: { eks, secretsManager: sm, credentials: { accessKeyId: 'A', secretAccessKey: AWS_SECRET_KEY } },
      }),
      options(),
    );
    expect(outcome).toMatchObject({ ok: false, phase: 'secrets', failureClass: 'credentials' });
    expect(kube.secrets.size).toBe(0);
  });

  it('reports refused cluster credentials as auth', async () => {
    kube.acceptToken = () => false;
    const outcome = await bootstrapCluster(deps(), options());
    expect(outcome).toMatchObject({ ok: false, phase: 'nodes', failureClass: 'credentials' });
    if (!outcome.ok) expect(outcome.nextStep).toMatch(/access entry/);
  });

  it('a helm timeout fails the beta9 phase (retryable); the re-run converges', async () => {
    const env = { BETA9_HELM_DOUBLE_FAIL: 'beta9:timeout:1' };
    const failed = await bootstrapCluster(deps(), options({}, env));
    expect(failed).toMatchObject({ ok: false, phase: 'beta9', failureClass: 'timeout', retryable: true });
    if (failed.ok) return;
    expect(failed.message).toMatch(/context deadline exceeded/);
    expect(failed.timings.map((t) => t.phase)).toContain('ingress');
    expectNoSecrets(failed);
    const again = await bootstrapCluster(deps(), options({}, env));
    expect(again).toMatchObject({ ok: true });
    expect(secretsManagerCalls).toBe(2); // the password is read afresh each run, never cached
  });

  it('a chart pull failure is retryable (network); a broken release is not', async () => {
    const pull = await bootstrapCluster(
      deps(),
      options({}, { BETA9_HELM_DOUBLE_FAIL: 'cert-manager:not_found' }),
    );
    expect(pull).toMatchObject({
      ok: false,
      phase: 'cert-manager',
      failureClass: 'network',
      retryable: true,
    });
    const broken = await bootstrapCluster(deps(), options({}, { BETA9_HELM_DOUBLE_FAIL: 'traefik:failed' }));
    expect(broken).toMatchObject({
      ok: false,
      phase: 'ingress',
      failureClass: 'release_failed',
      retryable: false,
    });
  });

  it('redacts the password when helm echoes it back', async () => {
    const exec: ExecFn = async (_file, args, opts) => {
      const fail = args[0] === 'upgrade' && args[2] === 'beta9';
      const stderr = fail
        ? `Error: UPGRADE FAILED: cannot connect with password=${DB_PASSWORD}\n`
        : `token: ${AWS_SESSION_TOKEN}\n`;
      // Like spawnExec: every stderr line goes to the sink as it arrives.
      for (const line of stderr.trimEnd().split('\n')) opts.onStderrLine?.(line);
      return fail
        ? { exitCode: 1, stdout: '', stderr, timedOut: false }
        : {
            exitCode: 0,
            stdout: JSON.stringify({
              name: args[2],
              namespace: 'x',
              version: 1,
              info: { status: 'deployed' },
              chart: { metadata: { name: 'c', version: '1' } },
            }),
            stderr,
            timedOut: false,
          };
    };
    const outcome = await bootstrapCluster(deps(), options({ helm: { exec, tmpDir: dir } }));
    expect(outcome).toMatchObject({ ok: false, phase: 'beta9', failureClass: 'release_failed' });
    if (!outcome.ok) expect(outcome.message).toContain('password=***');
    expectNoSecrets(outcome);
  });
});
