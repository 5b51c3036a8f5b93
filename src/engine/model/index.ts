import type { AwsGpuType, GcpGpuType, MetaConfig } from '../config/types.js';
import { dataBucketName, stateBackend } from './naming.js';
import { network } from './network.js';
import { DEFAULTS, GPU_NODE_TYPES, PROFILES, ZONE_COUNT } from './profiles.js';
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
export {
  availabilityZones,
  addressPlan,
  gkeNodeCapacity,
  network,
  GKE_ADDRESSES_PER_NODE,
} from './network.js';

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
