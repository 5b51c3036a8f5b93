import type { Size } from '../../../src/engine/config/types.js';
import type { InfraModel, NodeGroup } from '../../../src/engine/model/types.js';

/**
 * Hand-built InfraModels in the shape toInfraModel() produces, one per cloud and size, so the
 * stack tests pin the stacks' behaviour independently of the size profiles' exact numbers.
 */

const sizes = {
  small: { azs: 2, nats: 1, replicas: 0, ha: false, nodes: [1, 2, 3] },
  medium: { azs: 3, nats: 1, replicas: 1, ha: false, nodes: [2, 3, 6] },
  large: { azs: 3, nats: 3, replicas: 2, ha: true, nodes: [3, 3, 12] },
} as const;

export const SIZES: Size[] = ['small', 'medium', 'large'];

function group(size: Size, instanceType: string): NodeGroup {
  const [min, desired, max] = sizes[size].nodes;
  return { name: 'system', instanceType, minNodes: min, desiredNodes: desired, maxNodes: max, diskGb: 100 };
}

export function awsModel(size: Size = 'small', overrides: Partial<InfraModel> = {}): InfraModel {
  const name = overrides.name ?? `aws-${size}`;
  const s = sizes[size];
  const azs = ['us-east-1a', 'us-east-1b', 'us-east-1c'].slice(0, s.azs);
  return {
    name,
    cloud: {
      provider: 'aws',
      region: 'us-east-1',
      account: '123456789012',
      roleArn: 'arn:aws:iam::123456789012:role/Beta9Provisioner',
      externalId: 'tenant-42',
    },
    network: {
      cidr: '10.0.0.0/16',
      availabilityZones: azs,
      publicSubnets: azs.map((_, i) => `10.0.${i}.0/24`),
      privateSubnets: azs.map((_, i) => `10.0.${(i + 1) * 32}.0/19`),
      natGateways: s.nats,
      podsCidr: '10.100.0.0/16',
      servicesCidr: '10.101.0.0/20',
    },
    cluster: {
      size,
      kubernetesVersion: '1.33',
      nodeGroups: [group(size, size === 'large' ? 'm6i.2xlarge' : 'm6i.large')],
      gpu: {
        name: 'gpu',
        instanceType: 'g4dn.xlarge',
        minNodes: 0,
        desiredNodes: 0,
        maxNodes: 2,
        diskGb: 200,
        gpuType: 'T4',
        acceleratorCount: 1,
      },
    },
    database: {
      size,
      engine: 'postgres',
      engineVersion: '16.4',
      instanceClass: size === 'small' ? 'db.t4g.medium' : 'db.r6g.large',
      storageGb: 50,
      maxStorageGb: 200,
      highAvailability: s.ha,
      backupRetentionDays: size === 'small' ? 7 : 14,
      deletionProtection: true,
    },
    cache: {
      size,
      engineVersion: '7.1',
      nodeType: size === 'small' ? 'cache.t4g.small' : 'cache.r7g.large',
      memoryGb: size === 'small' ? 1.37 : 13,
      replicas: s.replicas,
      tls: true,
    },
    storage: {
      bucketName: `beta9-${name}-123456789012`,
      versioning: true,
      noncurrentVersionExpirationDays: 30,
    },
    stateBackend: {
      type: 's3',
      bucket: 'beta9-tf-state-123456789012-us-east-1',
      key: `environments/${name}/terraform.tfstate`,
      region: 'us-east-1',
      encrypt: true,
      useLockfile: true,
    },
    beta9: { chartVersion: '0.1.762' },
    deletionProtection: true,
    tags: { team: 'ml', 'beta9:environment': name, 'managed-by': 'beta9-provisioner' },
    ...overrides,
  };
}

export function gcpModel(size: Size = 'small', overrides: Partial<InfraModel> = {}): InfraModel {
  const name = overrides.name ?? `gcp-${size}`;
  const s = sizes[size];
  const zones = ['us-central1-a', 'us-central1-b', 'us-central1-c'].slice(0, s.azs);
  return {
    name,
    cloud: {
      provider: 'gcp',
      region: 'us-central1',
      account: 'my-gcp-project',
      serviceAccount: 'sa@my-gcp-project.iam.gserviceaccount.com',
    },
    network: {
      cidr: '10.0.0.0/16',
      availabilityZones: zones,
      publicSubnets: zones.map((_, i) => `10.0.${i}.0/24`),
      privateSubnets: zones.map((_, i) => `10.0.${(i + 1) * 32}.0/19`),
      natGateways: 1,
      podsCidr: '10.100.0.0/16',
      servicesCidr: '10.101.0.0/20',
    },
    cluster: {
      size,
      kubernetesVersion: '1.33',
      nodeGroups: [group(size, size === 'large' ? 'e2-standard-8' : 'e2-standard-4')],
      gpu: {
        name: 'gpu',
        instanceType: 'n1-standard-4',
        minNodes: 0,
        desiredNodes: 0,
        maxNodes: 2,
        diskGb: 200,
        gpuType: 'T4',
        accelerator: 'nvidia-tesla-t4',
        acceleratorCount: 1,
      },
    },
    database: {
      size,
      engine: 'postgres',
      engineVersion: '16',
      instanceClass: size === 'small' ? 'db-custom-2-8192' : 'db-custom-4-16384',
      storageGb: 50,
      maxStorageGb: 200,
      highAvailability: s.ha,
      backupRetentionDays: size === 'small' ? 7 : 14,
      deletionProtection: true,
    },
    cache: {
      size,
      engineVersion: '7.2',
      nodeType: s.replicas > 0 ? 'STANDARD_HA' : 'BASIC',
      memoryGb: size === 'small' ? 1 : size === 'medium' ? 5 : 13,
      replicas: s.replicas,
      tls: true,
    },
    storage: {
      bucketName: `beta9-${name}-my-gcp-project`,
      versioning: true,
      noncurrentVersionExpirationDays: 30,
    },
    stateBackend: { type: 'gcs', bucket: 'beta9-tf-state-my-gcp-project', prefix: `environments/${name}` },
    beta9: { chartVersion: '0.1.762' },
    deletionProtection: true,
    tags: { team: 'ML', 'beta9:environment': name, 'managed-by': 'beta9-provisioner' },
    ...overrides,
  };
}
