import type { CloudProvider, Size } from '../config/types.js';

/**
 * The cloud-agnostic, normalised description of one environment that the stacks,
 * the cost estimate and the intent comment consume. Produced by `toInfraModel()`
 * from a validated MetaConfig; every default is filled in and every size profile resolved.
 */
export interface InfraModel {
  name: string;
  cloud: {
    provider: CloudProvider;
    region: string;
    /** AWS account id or GCP project id. */
    account: string;
    /** AWS role to assume (aws only). */
    roleArn?: string;
    externalId?: string;
    /** GCP service account to impersonate (gcp only). */
    serviceAccount?: string;
  };
  network: {
    cidr: string;
    availabilityZones: string[];
    publicSubnets: string[];
    privateSubnets: string[];
    /** NAT gateways: one per AZ for large, one otherwise. */
    natGateways: number;
    /** GKE secondary ranges (also computed for AWS, unused there). */
    podsCidr: string;
    servicesCidr: string;
  };
  cluster: {
    size: Size;
    kubernetesVersion: string;
    nodeGroups: NodeGroup[];
    gpu?: GpuPool;
  };
  database: {
    size: Size;
    engine: 'postgres';
    engineVersion: string;
    /** `db.r6g.large` on AWS, `db-custom-2-8192` style tier on GCP. */
    instanceClass: string;
    storageGb: number;
    maxStorageGb: number;
    highAvailability: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
  };
  cache: {
    size: Size;
    engineVersion: string;
    /** `cache.r7g.large` on AWS, `STANDARD_HA`/`BASIC` tier with memory size on GCP. */
    nodeType: string;
    memoryGb: number;
    replicas: number;
    tls: true;
  };
  storage: {
    bucketName: string;
    versioning: boolean;
    noncurrentVersionExpirationDays: number;
  };
  stateBackend: StateBackend;
  beta9: { chartVersion: string; domain?: string; tlsEmail?: string };
  deletionProtection: boolean;
  /** The file's tags plus `beta9:environment` and `managed-by`. */
  tags: Record<string, string>;
}

export interface NodeGroup {
  name: string;
  instanceType: string;
  minNodes: number;
  desiredNodes: number;
  maxNodes: number;
  diskGb: number;
}

export interface GpuPool extends NodeGroup {
  gpuType: string;
  /** GCP accelerator type, e.g. `nvidia-tesla-t4` (gcp only). */
  accelerator?: string;
  acceleratorCount: number;
}

export type StateBackend =
  | { type: 's3'; bucket: string; key: string; region: string; encrypt: true; useLockfile: true }
  | { type: 'gcs'; bucket: string; prefix: string };
