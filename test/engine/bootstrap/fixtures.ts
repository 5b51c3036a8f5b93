/**
 * Test fixtures for the bootstrap: InfraModels built by hand (until toInfraModel lands), the
 * Terraform outputs the stacks produce, and a stateful fake Kubernetes API served through nock.
 */
import nock from 'nock';
import type { InfraModel } from '../../../src/engine/model/types.js';

export const DB_PASSWORD = 'pw-Sup3r$ecret/with+chars';
export const AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
export const AWS_SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN';
export const GCP_TOKEN = 'ya29.example-access-token';

export function awsModel(overrides: Partial<InfraModel['beta9']> = {}): InfraModel {
  return {
    name: 'ml-staging',
    cloud: {
      provider: 'aws',
      region: 'us-east-1',
      account: '123456789012',
      roleArn: 'arn:aws:iam::123456789012:role/Beta9Provisioner',
    },
    network: {
      cidr: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      publicSubnets: ['10.0.0.0/20', '10.0.16.0/20'],
      privateSubnets: ['10.0.128.0/20', '10.0.144.0/20'],
      natGateways: 1,
      podsCidr: '10.1.0.0/16',
      servicesCidr: '10.2.0.0/20',
    },
    cluster: {
      size: 'small',
      kubernetesVersion: '1.33',
      nodeGroups: [
        { name: 'system', instanceType: 'm7i.large', minNodes: 2, desiredNodes: 2, maxNodes: 4, diskGb: 50 },
      ],
      gpu: {
        name: 'gpu',
        instanceType: 'g4dn.xlarge',
        minNodes: 0,
        desiredNodes: 0,
        maxNodes: 2,
        diskGb: 100,
        gpuType: 'T4',
        acceleratorCount: 1,
      },
    },
    database: {
      size: 'small',
      engine: 'postgres',
      engineVersion: '16',
      instanceClass: 'db.t4g.medium',
      storageGb: 20,
      maxStorageGb: 100,
      highAvailability: false,
      backupRetentionDays: 7,
      deletionProtection: true,
    },
    cache: {
      size: 'small',
      engineVersion: '7.1',
      nodeType: 'cache.t4g.small',
      memoryGb: 1.37,
      replicas: 0,
      tls: true,
    },
    storage: {
      bucketName: 'beta9-ml-staging-123456789012',
      versioning: true,
      noncurrentVersionExpirationDays: 30,
    },
    stateBackend: {
      type: 's3',
      bucket: 'beta9-tf-state-123456789012-us-east-1',
      key: 'environments/ml-staging/terraform.tfstate',
      region: 'us-east-1',
      encrypt: true,
      useLockfile: true,
    },
    beta9: { chartVersion: '0.1.762', ...overrides },
    deletionProtection: true,
    tags: { 'beta9:environment': 'ml-staging', 'managed-by': 'beta9-provisioner' },
  };
}

export function gcpModel(overrides: Partial<InfraModel['beta9']> = {}): InfraModel {
  const m = awsModel(overrides);
  return {
    ...m,
    name: 'gpu-lab',
    cloud: {
      provider: 'gcp',
      region: 'europe-west4',
      account: 'my-gcp-project',
      serviceAccount: 'sa@my-gcp-project.iam.gserviceaccount.com',
    },
    stateBackend: { type: 'gcs', bucket: 'beta9-tf-state-my-gcp-project', prefix: 'environments/gpu-lab' },
  };
}

/** `terraform output -json` of an AWS environment. */
export function awsOutputs(): Record<string, { value: unknown; type: string; sensitive: boolean }> {
  const o = (value: unknown, sensitive = false) => ({
    value,
    type: typeof value === 'number' ? 'number' : 'string',
    sensitive,
  });
  return {
    vpc_id: o('vpc-0abc'),
    cluster_name: o('beta9-ml-staging'),
    cluster_endpoint: o('https://kube.test'),
    rds_endpoint: o('beta9-ml-staging.c9akciq32.us-east-1.rds.amazonaws.com:5432'),
    rds_master_user_secret_arn: o(
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf',
      true,
    ),
    redis_endpoint: o('master.beta9-ml-staging.abc123.use1.cache.amazonaws.com'),
    redis_port: o(6379),
    bucket_name: o('beta9-ml-staging-123456789012'),
    bucket_arn: o('arn:aws:s3:::beta9-ml-staging-123456789012'),
  };
}

/** `terraform output -json` names of the GCP stack (src/engine/stacks/gcp/stack.ts), flat. */
export const REDIS_CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBmemorystoreCA\n-----END CERTIFICATE-----\n';
export function gcpOutputs(): Record<string, unknown> {
  return {
    vpc_id: 'projects/my-gcp-project/global/networks/beta9-gpu-lab',
    cluster_name: 'beta9-gpu-lab',
    cluster_endpoint: 'https://34.90.1.2',
    cluster_location: 'europe-west4',
    database_connection_name: 'my-gcp-project:europe-west4:beta9-gpu-lab-postgres',
    database_private_ip: '10.20.0.3',
    database_secret_id: 'projects/my-gcp-project/secrets/beta9-gpu-lab-postgres-password',
    redis_endpoint: '10.20.1.4',
    redis_port: 6378,
    redis_ca_certificate: REDIS_CA_PEM,
    bucket_name: 'beta9-gpu-lab-my-gcp-project',
    bucket_url: 'gs://beta9-gpu-lab-my-gcp-project',
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  auth?: string;
  body: unknown;
}

type Obj = { metadata?: { name?: string; resourceVersion?: string }; [k: string]: unknown };

/**
 * A small in-memory Kubernetes API: nodes, namespaces, Secrets, StorageClasses and
 * cert-manager ClusterIssuers, with resourceVersion checks on replace like the real one.
 */
export class FakeKube {
  readonly requests: RecordedRequest[] = [];
  readonly namespaces = new Map<string, Obj>();
  readonly secrets = new Map<string, Obj>();
  readonly storageClasses = new Map<string, Obj>();
  readonly clusterIssuers = new Map<string, Obj>();
  nodes: { name: string; ready: boolean }[] = [
    { name: 'ip-10-0-128-10', ready: true },
    { name: 'ip-10-0-144-11', ready: true },
  ];
  /** Answers for the next listNode calls, consumed first (e.g. [503, 503]). */
  nodeListStatuses: number[] = [];
  /** Status for ClusterIssuer writes, consumed first (cert-manager webhook not ready yet). */
  issuerWriteStatuses: number[] = [];
  /** Accepted bearer tokens; undefined accepts any non-empty token. */
  acceptToken?: (token: string) => boolean;
  private rv = 100;

  constructor(readonly server = 'https://kube.test') {}

  install(): this {
    const handle = this.handle.bind(this);
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      nock(this.server)
        .persist()
        .intercept(/.*/, method)
        .reply(function (uri, body) {
          return handle(method, uri, body, this.req.headers.authorization as string | undefined);
        });
    }
    return this;
  }

  private status(code: number, reason: string, message: string): [number, unknown] {
    return [code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code }];
  }

  private put(map: Map<string, Obj>, key: string, body: Obj, kind: string): [number, unknown] {
    const existing = map.get(key);
    if (!existing) return this.status(404, 'NotFound', `${kind} "${body.metadata?.name}" not found`);
    if (
      body.metadata?.resourceVersion &&
      body.metadata.resourceVersion !== existing.metadata?.resourceVersion
    ) {
      return this.status(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${kind} "${body.metadata?.name}": the object has been modified`,
      );
    }
    const stored = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
    map.set(key, stored);
    return [200, stored];
  }

  private post(map: Map<string, Obj>, key: string, body: Obj, kind: string): [number, unknown] {
    if (map.has(key))
      return this.status(409, 'AlreadyExists', `${kind} "${body.metadata?.name}" already exists`);
    const stored = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
    map.set(key, stored);
    return [201, stored];
  }

  private get(map: Map<string, Obj>, key: string, kind: string, name: string): [number, unknown] {
    const o = map.get(key);
    return o ? [200, o] : this.status(404, 'NotFound', `${kind} "${name}" not found`);
  }

  handle(method: string, uri: string, rawBody: unknown, auth?: string): [number, unknown] {
    const body = (typeof rawBody === 'string' && rawBody ? JSON.parse(rawBody) : rawBody) as Obj;
    const path = uri.split('?')[0] ?? uri;
    this.requests.push({ method, path, auth, body });
    const token = auth?.replace(/^Bearer /, '') ?? '';
    if (!token || (this.acceptToken && !this.acceptToken(token)))
      return this.status(401, 'Unauthorized', 'Unauthorized');
    let m: RegExpExecArray | null;
    if (path === '/api/v1/nodes' && method === 'GET') {
      const forced = this.nodeListStatuses.shift();
      if (forced)
        return this.status(
          forced,
          'ServiceUnavailable',
          'the server is currently unable to handle the request',
        );
      return [
        200,
        {
          kind: 'NodeList',
          apiVersion: 'v1',
          metadata: {},
          items: this.nodes.map((n) => ({
            metadata: { name: n.name },
            status: { conditions: [{ type: 'Ready', status: n.ready ? 'True' : 'False' }] },
          })),
        },
      ];
    }
    if (path === '/api/v1/namespaces' && method === 'POST')
      return this.post(this.namespaces, body.metadata?.name ?? '', body, 'namespaces');
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path)) && method === 'GET')
      return this.get(this.namespaces, m[1]!, 'namespaces', m[1]!);
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(path)) && method === 'POST') {
      if (!this.namespaces.has(m[1]!)) return this.status(404, 'NotFound', `namespaces "${m[1]}" not found`);
      return this.post(this.secrets, `${m[1]}/${body.metadata?.name}`, body, 'secrets');
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path))) {
      const key = `${m[1]}/${m[2]}`;
      if (method === 'GET') return this.get(this.secrets, key, 'secrets', m[2]!);
      if (method === 'PUT') return this.put(this.secrets, key, body, 'secrets');
    }
    if (path === '/apis/storage.k8s.io/v1/storageclasses' && method === 'POST') {
      return this.post(this.storageClasses, body.metadata?.name ?? '', body, 'storageclasses.storage.k8s.io');
    }
    if ((m = /^\/apis\/storage\.k8s\.io\/v1\/storageclasses\/([^/]+)$/.exec(path)) && method === 'GET') {
      return this.get(this.storageClasses, m[1]!, 'storageclasses.storage.k8s.io', m[1]!);
    }
    if (path.startsWith('/apis/cert-manager.io/v1/clusterissuers')) {
      if (method !== 'GET') {
        const forced = this.issuerWriteStatuses.shift();
        if (forced) {
          return this.status(
            forced,
            'InternalError',
            'Internal error occurred: failed calling webhook "webhook.cert-manager.io": connect: connection refused',
          );
        }
      }
      const name = path.split('/')[5];
      if (method === 'POST')
        return this.post(
          this.clusterIssuers,
          body.metadata?.name ?? '',
          body,
          'clusterissuers.cert-manager.io',
        );
      if (name && method === 'GET')
        return this.get(this.clusterIssuers, name, 'clusterissuers.cert-manager.io', name);
      if (name && method === 'PUT')
        return this.put(this.clusterIssuers, name, body, 'clusterissuers.cert-manager.io');
    }
    return this.status(
      404,
      'NotFound',
      `the server could not find the requested resource (${method} ${path})`,
    );
  }

  secretData(namespace: string, name: string): Record<string, string> | undefined {
    const s = this.secrets.get(`${namespace}/${name}`) as { data?: Record<string, string> } | undefined;
    if (!s) return undefined;
    return Object.fromEntries(
      Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  }
}

/** A clock whose sleep advances time instantly. */
export function fakeClock(start = Date.parse('2026-11-26T02:00:00Z')) {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}
