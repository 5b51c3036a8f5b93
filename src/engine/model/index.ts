import { formatCidr, parseCidr, subnet, type Cidr } from '../config/cidr.js';
import type { AwsGpuType, GcpGpuType, MetaConfig } from '../config/types.js';
import { dataBucketName, stateBackend } from './naming.js';
import { DEFAULTS, GPU_NODE_TYPES, PROFILES, ZONE_COUNT, ZONE_SUFFIXES } from './profiles.js';
import type { GpuPool, InfraModel } from './types.js';

export type * from './types.js';
export {
  PROFILES,
  GPU_NODE_TYPES,
  DEFAULTS,
  ZONE_COUNT,
  ZONE_SUFFIXES,
  type SizeProfile,
} from './profiles.js';
export { stateBackend, dataBucketName } from './naming.js';

/** Tag the provisioner adds to every resource, naming the environment. */
export const ENVIRONMENT_TAG = 'beta9:environment';
export const MANAGED_BY_TAG = 'managed-by';
export const MANAGED_BY_VALUE = 'beta9-provisioner';

/**
 * Resolves a validated MetaConfig into the InfraModel: every default filled in and every size
 * profile looked up. Pure and deterministic: the same config always gives the same model.
 * The config must have passed `parseEnvironment` (the CIDR in particular is trusted).
 */
export function toInfraModel(config: MetaConfig): InfraModel {
  const { cloud, name } = config;
  const profile = PROFILES[cloud.provider][config.cluster.size];
  const databaseProfile = PROFILES[cloud.provider][config.database.size].database;
  const cacheProfile = PROFILES[cloud.provider][config.cache.size].cache;
  const zoneCount = ZONE_COUNT[config.cluster.size];

  return {
    name,
    cloud:
      cloud.provider === 'aws'
        ? {
            provider: 'aws',
            region: cloud.region,
            account: cloud.account_id,
            roleArn: cloud.role_arn,
            ...(cloud.external_id !== undefined ? { externalId: cloud.external_id } : {}),
          }
        : {
            provider: 'gcp',
            region: cloud.region,
            account: cloud.project_id,
            serviceAccount: cloud.service_account,
          },
    network: network(config, zoneCount),
    cluster: {
      size: config.cluster.size,
      kubernetesVersion: config.cluster.kubernetes_version ?? DEFAULTS.kubernetesVersion,
      nodeGroups: [{ name: 'system', ...profile.cluster }],
      ...(config.cluster.gpu !== undefined ? { gpu: gpuPool(config) } : {}),
    },
    database: {
      size: config.database.size,
      engine: 'postgres',
      engineVersion: DEFAULTS.postgresVersion,
      instanceClass: databaseProfile.instanceClass,
      storageGb: databaseProfile.storageGb,
      maxStorageGb: databaseProfile.maxStorageGb,
      highAvailability: config.database.high_availability,
      backupRetentionDays: Math.max(7, databaseProfile.backupRetentionDays),
      deletionProtection: config.deletion_protection,
    },
    cache: {
      size: config.cache.size,
      engineVersion: DEFAULTS.redisVersion[cloud.provider],
      nodeType: cacheProfile.nodeType,
      memoryGb: cacheProfile.memoryGb,
      replicas: cacheProfile.replicas,
      tls: true,
    },
    storage: {
      bucketName: dataBucketName(config),
      versioning: config.storage.versioning,
      noncurrentVersionExpirationDays: config.storage.noncurrent_version_expiration_days,
    },
    stateBackend: stateBackend(config),
    beta9: {
      chartVersion: config.beta9.version,
      ...(config.beta9.domain !== undefined ? { domain: config.beta9.domain } : {}),
      ...(config.beta9.tls_email !== undefined ? { tlsEmail: config.beta9.tls_email } : {}),
    },
    deletionProtection: config.deletion_protection,
    tags: { ...config.tags, [ENVIRONMENT_TAG]: name, [MANAGED_BY_TAG]: MANAGED_BY_VALUE },
  };
}

/** Availability zones of a region: AWS `<region>a`, GCP `<region>-a`, skipping letters a region lacks. */
export function availabilityZones(provider: 'aws' | 'gcp', region: string, count: number): string[] {
  const suffixes = ZONE_SUFFIXES[provider][region] ?? ['a', 'b', 'c'];
  const separator = provider === 'gcp' ? '-' : '';
  return suffixes.slice(0, count).map((s) => `${region}${separator}${s}`);
}

/**
 * Address plan for a /N network (N from 16 to 20), as eighths, quarters and sixteenths of it:
 *   eighths 0-2      private subnets, one per zone (nodes and, on EKS, pods)
 *   eighth 3         public subnets, a quarter of it per zone (load balancers, NAT)
 *   quarter 2        GKE pod range
 *   sixteenth 12     GKE service range
 *   the rest         free for later use
 * For 10.0.0.0/16: private 10.0.0.0/19, 10.0.32.0/19, 10.0.64.0/19; public 10.0.96.0/21, ...;
 * pods 10.0.128.0/18; services 10.0.192.0/20.
 */
export function network(config: MetaConfig, zoneCount: number): InfraModel['network'] {
  const parsed = parseCidr(config.network.cidr);
  if ('error' in parsed) throw new Error(`toInfraModel needs a validated config: network.${parsed.error}`);
  const vpc: Cidr = parsed.cidr;
  const availabilityZones_ = availabilityZones(config.cloud.provider, config.cloud.region, zoneCount);
  const zones = availabilityZones_.length;
  const publicBlock = subnet(vpc, vpc.prefix + 3, 3);
  return {
    cidr: formatCidr(vpc),
    availabilityZones: availabilityZones_,
    privateSubnets: range(zones).map((i) => formatCidr(subnet(vpc, vpc.prefix + 3, i))),
    publicSubnets: range(zones).map((i) => formatCidr(subnet(publicBlock, publicBlock.prefix + 2, i))),
    natGateways: config.cluster.size === 'large' ? zones : 1,
    podsCidr: formatCidr(subnet(vpc, vpc.prefix + 2, 2)),
    servicesCidr: formatCidr(subnet(vpc, vpc.prefix + 4, 12)),
  };
}

function gpuPool(config: MetaConfig): GpuPool {
  const gpu = config.cluster.gpu!;
  const node =
    config.cloud.provider === 'aws'
      ? GPU_NODE_TYPES.aws[gpu.type as AwsGpuType]
      : GPU_NODE_TYPES.gcp[gpu.type as GcpGpuType];
  if (node === undefined) {
    throw new Error(
      `toInfraModel needs a validated config: GPU ${gpu.type} is not offered on ${config.cloud.provider}`,
    );
  }
  return {
    name: 'gpu',
    gpuType: gpu.type,
    instanceType: node.instanceType,
    ...(node.accelerator !== undefined ? { accelerator: node.accelerator } : {}),
    acceleratorCount: node.acceleratorCount,
    minNodes: gpu.min_nodes,
    desiredNodes: gpu.min_nodes,
    maxNodes: gpu.max_nodes,
    diskGb: node.diskGb,
  };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
