import { describe, expect, it } from 'vitest';
import { parseEnvironment, type MetaConfig, type Size } from '../../../src/engine/config/index.js';
import { formatCidr, overlaps, parseCidr, type Cidr } from '../../../src/engine/config/cidr.js';
import { GPU_NODE_TYPES, PROFILES, toInfraModel } from '../../../src/engine/model/index.js';

const AWS = `version: 1
name: demo
cloud:
  provider: aws
  region: us-east-1
  account_id: "123456789012"
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
`;
const GCP = `version: 1
name: demo
cloud:
  provider: gcp
  region: us-central1
  project_id: my-gcp-project
  service_account: sa@my-gcp-project.iam.gserviceaccount.com
`;

function config(text: string, file = 'environments/demo.yaml'): MetaConfig {
  const { config, diagnostics } = parseEnvironment(file, text);
  if (config === undefined)
    throw new Error(diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n'));
  return config;
}

const cidr = (text: string): Cidr => (parseCidr(text) as { cidr: Cidr }).cidr;

describe('toInfraModel', () => {
  it('resolves a minimal AWS file with every default', () => {
    expect(toInfraModel(config(AWS))).toEqual({
      name: 'demo',
      cloud: {
        provider: 'aws',
        region: 'us-east-1',
        account: '123456789012',
        roleArn: 'arn:aws:iam::123456789012:role/Beta9Provisioner',
      },
      network: {
        cidr: '10.0.0.0/16',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        privateSubnets: ['10.0.0.0/19', '10.0.32.0/19'],
        publicSubnets: ['10.0.96.0/21', '10.0.104.0/21'],
        natGateways: 1,
        podsCidr: '10.0.128.0/18',
        servicesCidr: '10.0.192.0/20',
      },
      cluster: {
        size: 'small',
        kubernetesVersion: '1.33',
        nodeGroups: [
          {
            name: 'system',
            instanceType: 'm7i.xlarge',
            minNodes: 1,
            desiredNodes: 2,
            maxNodes: 3,
            diskGb: 100,
          },
        ],
      },
      database: {
        size: 'small',
        engine: 'postgres',
        engineVersion: '16',
        instanceClass: 'db.m7g.large',
        storageGb: 20,
        maxStorageGb: 100,
        highAvailability: false,
        backupRetentionDays: 7,
        deletionProtection: true,
      },
      cache: {
        size: 'small',
        engineVersion: '7.1',
        nodeType: 'cache.t4g.medium',
        memoryGb: 3.09,
        replicas: 0,
        tls: true,
      },
      storage: {
        bucketName: 'beta9-demo-123456789012',
        versioning: true,
        noncurrentVersionExpirationDays: 30,
      },
      stateBackend: {
        type: 's3',
        bucket: 'beta9-tf-state-123456789012-us-east-1',
        key: 'environments/demo/terraform.tfstate',
        region: 'us-east-1',
        encrypt: true,
        useLockfile: true,
      },
      beta9: { chartVersion: '0.1.762' },
      deletionProtection: true,
      tags: { 'beta9:environment': 'demo', 'managed-by': 'beta9-provisioner' },
    });
  });

  it('resolves a GCP file: zones with a dash, GCS backend, accelerators', () => {
    const model = toInfraModel(
      config(`${GCP}cluster:\n  size: medium\n  gpu: { type: T4, min_nodes: 1, max_nodes: 4 }\n`),
    );
    expect(model.cloud).toEqual({
      provider: 'gcp',
      region: 'us-central1',
      account: 'my-gcp-project',
      serviceAccount: 'sa@my-gcp-project.iam.gserviceaccount.com',
    });
    expect(model.network.availabilityZones).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
    expect(model.stateBackend).toEqual({
      type: 'gcs',
      bucket: 'beta9-tf-state-my-gcp-project',
      prefix: 'environments/demo',
    });
    expect(model.cluster.gpu).toEqual({
      name: 'gpu',
      gpuType: 'T4',
      instanceType: 'n1-standard-8',
      accelerator: 'nvidia-tesla-t4',
      acceleratorCount: 1,
      minNodes: 1,
      desiredNodes: 1,
      maxNodes: 4,
      diskGb: 200,
    });
    expect(model.cache).toMatchObject({ nodeType: 'BASIC', engineVersion: '7.2', replicas: 0 });
    expect(model.storage.bucketName).toBe('beta9-demo-my-gcp-project');
  });

  it('skips zone letters a region does not have', () => {
    expect(toInfraModel(config(GCP.replace('us-central1', 'us-east1'))).network.availabilityZones).toEqual([
      'us-east1-b',
      'us-east1-c',
    ]);
    const tokyo = AWS.replace('us-east-1', 'ap-northeast-1') + 'cluster:\n  size: large\n';
    expect(toInfraModel(config(tokyo)).network.availabilityZones).toEqual([
      'ap-northeast-1a',
      'ap-northeast-1c',
      'ap-northeast-1d',
    ]);
  });

  it('uses 3 zones and one NAT gateway per zone for large', () => {
    const medium = toInfraModel(config(`${AWS}cluster:\n  size: medium\n`)).network;
    expect(medium.availabilityZones).toHaveLength(3);
    expect(medium.natGateways).toBe(1);
    const large = toInfraModel(config(`${AWS}cluster:\n  size: large\n`)).network;
    expect(large.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(large.natGateways).toBe(3);
    expect(large.privateSubnets).toEqual(['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19']);
    expect(large.publicSubnets).toEqual(['10.0.96.0/21', '10.0.104.0/21', '10.0.112.0/21']);
  });

  it('computes non-overlapping subnets inside every allowed CIDR', () => {
    for (const text of [
      '10.0.0.0/16',
      '172.16.0.0/17',
      '192.168.0.0/18',
      '10.1.16.0/20',
      '10.255.240.0/20',
    ]) {
      const net = toInfraModel(config(`${AWS}cluster:\n  size: large\nnetwork:\n  cidr: ${text}\n`)).network;
      const vpc = cidr(text);
      const all = [...net.privateSubnets, ...net.publicSubnets, net.podsCidr, net.servicesCidr].map(cidr);
      for (const [i, a] of all.entries()) {
        expect(
          a.network >= vpc.network &&
            a.network + 2 ** (32 - a.prefix) <= vpc.network + 2 ** (32 - vpc.prefix),
        ).toBe(true);
        for (const b of all.slice(i + 1))
          expect(overlaps(a, b), `${formatCidr(a)} vs ${formatCidr(b)}`).toBe(false);
      }
    }
    const small = toInfraModel(
      config(`${AWS}cluster:\n  size: large\nnetwork:\n  cidr: 10.1.16.0/20\n`),
    ).network;
    expect(small.privateSubnets).toEqual(['10.1.16.0/23', '10.1.18.0/23', '10.1.20.0/23']);
    expect(small.publicSubnets).toEqual(['10.1.22.0/25', '10.1.22.128/25', '10.1.23.0/25']);
    expect(small.podsCidr).toBe('10.1.24.0/22');
    expect(small.servicesCidr).toBe('10.1.28.0/24');
  });

  it('carries every optional input through', () => {
    const text = `${AWS.replace('/Beta9Provisioner', '/Beta9Provisioner\n  external_id: tenant-42')}cluster:
  kubernetes_version: "1.32"
database:
  size: large
  high_availability: true
cache:
  size: medium
storage:
  versioning: false
  noncurrent_version_expiration_days: 7
beta9:
  version: "0.1.800"
  domain: beta9.example.com
  tls_email: ops@example.com
deletion_protection: false
tags:
  team: ml
`;
    const model = toInfraModel(config(text));
    expect(model.cloud.externalId).toBe('tenant-42');
    expect(model.cluster.kubernetesVersion).toBe('1.32');
    expect(model.database).toMatchObject({
      instanceClass: 'db.r6g.2xlarge',
      highAvailability: true,
      backupRetentionDays: 14,
      deletionProtection: false,
    });
    expect(model.cache).toMatchObject({ nodeType: 'cache.r7g.large', replicas: 1 });
    expect(model.storage).toEqual({
      bucketName: 'beta9-demo-123456789012',
      versioning: false,
      noncurrentVersionExpirationDays: 7,
    });
    expect(model.beta9).toEqual({
      chartVersion: '0.1.800',
      domain: 'beta9.example.com',
      tlsEmail: 'ops@example.com',
    });
    expect(model.deletionProtection).toBe(false);
    expect(model.tags).toEqual({
      team: 'ml',
      'beta9:environment': 'demo',
      'managed-by': 'beta9-provisioner',
    });
  });

  it('keeps bucket names valid and deterministic for long names and project ids', () => {
    const name = 'a2345678901234567890123456789012';
    const project = 'p23456789012345678901234567890';
    const text = GCP.replace(/demo/g, name).replace(/my-gcp-project/g, project);
    const first = toInfraModel(config(text, `environments/${name}.yaml`)).storage.bucketName;
    expect(first).toMatch(/^beta9-a2345678901234567890123456789012-[0-9a-f]{10}$/);
    expect(first.length).toBeLessThanOrEqual(63);
    expect(toInfraModel(config(text, `environments/${name}.yaml`)).storage.bucketName).toBe(first);
  });

  it('is pure: the input is not changed and equal inputs give equal models', () => {
    const input = config(`${AWS}tags:\n  team: ml\n`);
    const copy = structuredClone(input);
    expect(toInfraModel(input)).toEqual(toInfraModel(copy));
    expect(input).toEqual(copy);
  });
});

describe('size profiles', () => {
  const sizes: Size[] = ['small', 'medium', 'large'];

  it.each([
    ['aws', 'small', 'm7i.xlarge', 'db.m7g.large', 'cache.t4g.medium'],
    ['aws', 'medium', 'm7i.2xlarge', 'db.r6g.xlarge', 'cache.r7g.large'],
    ['aws', 'large', 'm7i.4xlarge', 'db.r6g.2xlarge', 'cache.r7g.xlarge'],
    ['gcp', 'small', 'e2-standard-4', 'db-custom-2-8192', 'BASIC'],
    ['gcp', 'medium', 'n2-standard-8', 'db-custom-4-16384', 'STANDARD_HA'],
    ['gcp', 'large', 'n2-standard-16', 'db-custom-8-32768', 'STANDARD_HA'],
  ] as const)('%s %s resolves to %s, %s, %s', (provider, size, node, db, cache) => {
    const base = provider === 'aws' ? AWS : GCP;
    const model = toInfraModel(
      config(`${base}cluster:\n  size: ${size}\ndatabase:\n  size: ${size}\ncache:\n  size: ${size}\n`),
    );
    expect(model.cluster.nodeGroups[0]?.instanceType).toBe(node);
    expect(model.database.instanceClass).toBe(db);
    expect(model.cache.nodeType).toBe(cache);
  });

  it.each(['aws', 'gcp'] as const)(
    '%s profiles grow with size and keep backups for at least 7 days',
    (provider) => {
      for (const size of sizes) {
        const p = PROFILES[provider][size];
        expect(p.cluster.minNodes).toBeGreaterThanOrEqual(1);
        expect(p.cluster.minNodes).toBeLessThanOrEqual(p.cluster.desiredNodes);
        expect(p.cluster.desiredNodes).toBeLessThanOrEqual(p.cluster.maxNodes);
        expect(p.database.storageGb).toBeLessThan(p.database.maxStorageGb);
        expect(p.database.backupRetentionDays).toBeGreaterThanOrEqual(7);
      }
      const [small, medium, large] = sizes.map((s) => PROFILES[provider][s]);
      expect(small!.cluster.maxNodes).toBeLessThan(medium!.cluster.maxNodes);
      expect(medium!.cluster.maxNodes).toBeLessThan(large!.cluster.maxNodes);
      expect(small!.cache.memoryGb).toBeLessThan(medium!.cache.memoryGb);
      expect(medium!.cache.memoryGb).toBeLessThan(large!.cache.memoryGb);
      expect(small!.database.storageGb).toBeLessThan(large!.database.storageGb);
    },
  );

  it.each([
    ['aws', 'T4', 'g4dn.xlarge', undefined, 1],
    ['aws', 'A10G', 'g5.xlarge', undefined, 1],
    ['aws', 'L4', 'g6.xlarge', undefined, 1],
    ['aws', 'L40S', 'g6e.xlarge', undefined, 1],
    ['aws', 'A100', 'p4d.24xlarge', undefined, 8],
    ['aws', 'H100', 'p5.48xlarge', undefined, 8],
    ['gcp', 'T4', 'n1-standard-8', 'nvidia-tesla-t4', 1],
    ['gcp', 'L4', 'g2-standard-8', 'nvidia-l4', 1],
    ['gcp', 'A100', 'a2-highgpu-1g', 'nvidia-tesla-a100', 1],
    ['gcp', 'H100', 'a3-highgpu-8g', 'nvidia-h100-80gb', 8],
  ] as const)('%s GPU %s runs on %s', (provider, type, instanceType, accelerator, count) => {
    const base = provider === 'aws' ? AWS : GCP;
    const gpu = toInfraModel(config(`${base}cluster:\n  gpu: { type: ${type}, max_nodes: 2 }\n`)).cluster.gpu;
    expect(gpu).toMatchObject({
      gpuType: type,
      instanceType,
      acceleratorCount: count,
      minNodes: 0,
      maxNodes: 2,
    });
    expect(gpu?.accelerator).toBe(accelerator);
  });

  it('has a GPU node type for every GPU the schema allows on each cloud', () => {
    expect(Object.keys(GPU_NODE_TYPES.aws).sort()).toEqual(['A100', 'A10G', 'H100', 'L4', 'L40S', 'T4']);
    expect(Object.keys(GPU_NODE_TYPES.gcp).sort()).toEqual(['A100', 'H100', 'L4', 'T4']);
  });
});
