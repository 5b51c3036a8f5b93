import type { AwsGpuType, CloudProvider, GcpGpuType, Size } from '../config/types.js';

/**
 * Size profiles: what `small`, `medium` and `large` mean on each cloud. This file is the one place to
 * change them. Counts are totals for the cluster (regional GKE pools divide them across zones).
 *
 * Where the choices come from (public instance catalogues, 2026):
 * - EKS nodes: m7i (4th-gen Xeon, general purpose) is the current x86 family; Beta9's gateway and
 *   workers are x86 images. 4/8/16 vCPU with 4 GiB per vCPU.
 * - RDS PostgreSQL: db.m7g (Graviton3, general purpose) for small; db.r6g (memory optimised,
 *   Graviton2, widest regional availability) for medium/large where Postgres benefits from cache.
 * - ElastiCache (Redis OSS): cache.t4g.medium (burstable, 3.09 GiB) for small; cache.r7g.large /
 *   xlarge (13.07 / 26.32 GiB) for medium/large, with replicas for failover.
 * - GKE nodes: e2-standard-4 (cost-optimised) for small; n2-standard-8/16 (sustained performance)
 *   for medium/large, matching the EKS vCPU and memory.
 * - Cloud SQL: db-custom-<vCPU>-<MiB> tiers, the shape-equivalent of the RDS classes.
 * - Memorystore for Redis: BASIC (no replica) for small; STANDARD_HA (replicated, automatic
 *   failover) for medium/large, sized like the ElastiCache nodes.
 */
export interface SizeProfile {
  cluster: { instanceType: string; minNodes: number; desiredNodes: number; maxNodes: number; diskGb: number };
  database: { instanceClass: string; storageGb: number; maxStorageGb: number; backupRetentionDays: number };
  cache: { nodeType: string; memoryGb: number; replicas: number };
}

// prettier-ignore
export const PROFILES: Record<CloudProvider, Record<Size, SizeProfile>> = {
  aws: {
    //          system nodes: type, min, desired, max, disk GB     database: class, GB, max GB, backup days     cache: type, GiB, replicas
    small:  { cluster: n('m7i.xlarge',  1, 2,  3, 100), database: db('db.m7g.large',    20,  100,  7), cache: c('cache.t4g.medium',  3.09, 0) },
    medium: { cluster: n('m7i.2xlarge', 2, 3,  6, 100), database: db('db.r6g.xlarge',  100,  500,  7), cache: c('cache.r7g.large',  13.07, 1) },
    large:  { cluster: n('m7i.4xlarge', 3, 3, 12, 200), database: db('db.r6g.2xlarge', 500, 2000, 14), cache: c('cache.r7g.xlarge', 26.32, 2) },
  },
  gcp: {
    small:  { cluster: n('e2-standard-4',  1, 2,  3, 100), database: db('db-custom-2-8192',   20,  100,  7), cache: c('BASIC',        2, 0) },
    medium: { cluster: n('n2-standard-8',  2, 3,  6, 100), database: db('db-custom-4-16384', 100,  500,  7), cache: c('STANDARD_HA',  13, 1) },
    large:  { cluster: n('n2-standard-16', 3, 3, 12, 200), database: db('db-custom-8-32768', 500, 2000, 14), cache: c('STANDARD_HA',  26, 2) },
  },
};

/**
 * GPU node types: one GPU per node where the cloud offers it, so the pool scales in single GPUs.
 * AWS: g4dn (T4), g5 (A10G), g6 (L4), g6e (L40S); A100 and H100 come only as 8-GPU p4d / p5 nodes.
 * GCP: T4 attaches to n1 machines; L4 is built into g2; A100 into a2-highgpu; H100 into a3-highgpu
 * (8 GPUs; the smaller a3 shapes are Spot / DWS only).
 */
export interface GpuNodeType {
  instanceType: string;
  /** GCP accelerator type name (gcp only). */
  accelerator?: string;
  acceleratorCount: number;
  diskGb: number;
}

// prettier-ignore
export const GPU_NODE_TYPES: { aws: Record<AwsGpuType, GpuNodeType>; gcp: Record<GcpGpuType, GpuNodeType> } = {
  aws: {
    T4:   { instanceType: 'g4dn.xlarge',  acceleratorCount: 1, diskGb: 200 },
    A10G: { instanceType: 'g5.xlarge',    acceleratorCount: 1, diskGb: 200 },
    L4:   { instanceType: 'g6.xlarge',    acceleratorCount: 1, diskGb: 200 },
    L40S: { instanceType: 'g6e.xlarge',   acceleratorCount: 1, diskGb: 200 },
    A100: { instanceType: 'p4d.24xlarge', acceleratorCount: 8, diskGb: 500 },
    H100: { instanceType: 'p5.48xlarge',  acceleratorCount: 8, diskGb: 500 },
  },
  gcp: {
    T4:   { instanceType: 'n1-standard-8', accelerator: 'nvidia-tesla-t4',   acceleratorCount: 1, diskGb: 200 },
    L4:   { instanceType: 'g2-standard-8', accelerator: 'nvidia-l4',         acceleratorCount: 1, diskGb: 200 },
    A100: { instanceType: 'a2-highgpu-1g', accelerator: 'nvidia-tesla-a100', acceleratorCount: 1, diskGb: 200 },
    H100: { instanceType: 'a3-highgpu-8g', accelerator: 'nvidia-h100-80gb',  acceleratorCount: 8, diskGb: 500 },
  },
};

/** Versions used when the file does not choose one. */
export const DEFAULTS = {
  /** EKS and GKE both support 1.33 in standard support through 2026. */
  kubernetesVersion: '1.33',
  /** Keep in step with schema/environment.v1.schema.json (beta9.version default). */
  beta9ChartVersion: '0.1.762',
  /** Major version only: RDS and Cloud SQL (POSTGRES_16) pick the current minor. */
  postgresVersion: '16',
  /** ElastiCache Redis OSS 7.1; Memorystore REDIS_7_2. */
  redisVersion: { aws: '7.1', gcp: '7.2' } as Record<CloudProvider, string>,
} as const;

/** Availability zones: 2 keep a small environment cheap; medium and large spread over 3. */
export const ZONE_COUNT: Record<Size, number> = { small: 2, medium: 3, large: 3 };

/**
 * Zone suffixes where a region does not offer a/b/c. AWS zone letters are per account, but these
 * regions lack a letter for every account; GCP's us-east1 and europe-west1 have no zone a.
 */
export const ZONE_SUFFIXES: Record<CloudProvider, Record<string, readonly string[]>> = {
  aws: { 'ap-northeast-1': ['a', 'c', 'd'], 'ca-central-1': ['a', 'b', 'd'], 'us-west-1': ['a', 'c'] },
  gcp: { 'us-east1': ['b', 'c', 'd'], 'europe-west1': ['b', 'c', 'd'] },
};

function n(instanceType: string, minNodes: number, desiredNodes: number, maxNodes: number, diskGb: number) {
  return { instanceType, minNodes, desiredNodes, maxNodes, diskGb };
}

function db(instanceClass: string, storageGb: number, maxStorageGb: number, backupRetentionDays: number) {
  return { instanceClass, storageGb, maxStorageGb, backupRetentionDays };
}

function c(nodeType: string, memoryGb: number, replicas: number) {
  return { nodeType, memoryGb, replicas };
}
