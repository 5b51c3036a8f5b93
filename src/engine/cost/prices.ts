/**
 * The one price table for cost estimates. Public on-demand list prices in USD, Linux, no
 * discounts (no Savings Plans, reserved instances, committed-use or sustained-use discounts),
 * transcribed from the providers' public pricing pages for the base regions (AWS us-east-1,
 * GCP us-central1). Other regions are priced as base price × the regional index below, which
 * is the typical ratio of that region's on-demand compute prices to the base region's on the
 * same pages; regions missing from the index fall back to the base price with a note.
 *
 * Update: change the prices, then `asOf`. Every instance type `src/engine/model/profiles.ts`
 * can produce must have a price here (test/engine/cost checks it).
 */
export interface PriceTable {
  /** The date the prices were read. */
  asOf: string;
  currency: 'USD';
  /** Hours billed per month (AWS and GCP both use 730). */
  hoursPerMonth: number;
  sources: { aws: string[]; gcp: string[] };
  aws: AwsPrices;
  gcp: GcpPrices;
}

export interface AwsPrices {
  baseRegion: string;
  /** Regional price index relative to the base region. */
  regionIndex: Record<string, number>;
  /** EKS cluster, standard support, per hour. */
  eksControlPlaneHourly: number;
  /** EKS cluster in extended support (a Kubernetes version past standard support), per hour. */
  eksExtendedSupportHourly: number;
  natGatewayHourly: number;
  natGatewayPerGb: number;
  /** EC2 on-demand, per hour. */
  ec2Hourly: Record<string, number>;
  /** RDS for PostgreSQL, Single-AZ, per hour (Multi-AZ with one standby is twice this). */
  rdsPostgresHourly: Record<string, number>;
  /** ElastiCache (Redis OSS), per node-hour. */
  elasticacheHourly: Record<string, number>;
  ebsGp3PerGbMonth: number;
  /** RDS gp3 storage, Single-AZ (Multi-AZ is twice this). */
  rdsGp3PerGbMonth: number;
  s3StandardPerGbMonth: number;
}

export interface GcpPrices {
  baseRegion: string;
  regionIndex: Record<string, number>;
  /** GKE cluster management fee per cluster-hour (regional clusters; the free tier covers one zonal). */
  gkeClusterHourly: number;
  /** Cloud NAT gateway: per VM-hour, up to the cap per gateway-hour. */
  cloudNatPerVmHourly: number;
  cloudNatMaxHourly: number;
  cloudNatPerGb: number;
  /** Compute Engine on-demand machine prices per hour (a2/a3/g2 include their GPUs). */
  computeHourly: Record<string, number>;
  /** Separately attached GPUs (n1 machines), per GPU-hour. */
  gpuHourly: Record<string, number>;
  /** Cloud SQL for PostgreSQL (Enterprise edition) per vCPU-hour and per GB-hour of memory. HA doubles both. */
  cloudSqlVcpuHourly: number;
  cloudSqlMemoryGbHourly: number;
  /** Cloud SQL SSD storage; HA doubles it. */
  cloudSqlSsdPerGbMonth: number;
  /** Memorystore for Redis per GB-hour by tier and capacity band (upper bound of the band in GB). */
  memorystoreGbHourly: { BASIC: Array<[number, number]>; STANDARD_HA: Array<[number, number]> };
  pdBalancedPerGbMonth: number;
  gcsStandardPerGbMonth: number;
}

// prettier-ignore
export const PRICES: PriceTable = {
  asOf: '2025-11-01',
  currency: 'USD',
  hoursPerMonth: 730,
  sources: {
    aws: [
      'https://aws.amazon.com/eks/pricing/',
      'https://aws.amazon.com/ec2/pricing/on-demand/',
      'https://aws.amazon.com/vpc/pricing/ (NAT gateway)',
      'https://aws.amazon.com/rds/postgresql/pricing/',
      'https://aws.amazon.com/elasticache/pricing/',
      'https://aws.amazon.com/ebs/pricing/',
      'https://aws.amazon.com/s3/pricing/',
    ],
    gcp: [
      'https://cloud.google.com/kubernetes-engine/pricing',
      'https://cloud.google.com/compute/vm-instance-pricing',
      'https://cloud.google.com/compute/gpus-pricing',
      'https://cloud.google.com/nat/pricing',
      'https://cloud.google.com/sql/pricing',
      'https://cloud.google.com/memorystore/docs/redis/pricing',
      'https://cloud.google.com/compute/disks-image-pricing',
      'https://cloud.google.com/storage/pricing',
    ],
  },
  aws: {
    baseRegion: 'us-east-1',
    regionIndex: {
      'us-east-1': 1.0, 'us-east-2': 1.0, 'us-west-2': 1.0, 'us-west-1': 1.17,
      'ca-central-1': 1.1, 'ca-west-1': 1.1, 'mx-central-1': 1.1, 'sa-east-1': 1.58,
      'eu-west-1': 1.1, 'eu-west-2': 1.16, 'eu-west-3': 1.16, 'eu-central-1': 1.17, 'eu-central-2': 1.28,
      'eu-north-1': 1.06, 'eu-south-1': 1.17, 'eu-south-2': 1.12,
      'ap-northeast-1': 1.28, 'ap-northeast-2': 1.22, 'ap-northeast-3': 1.28,
      'ap-southeast-1': 1.24, 'ap-southeast-2': 1.25, 'ap-southeast-3': 1.24, 'ap-southeast-4': 1.25,
      'ap-south-1': 1.05, 'ap-south-2': 1.05, 'ap-east-1': 1.37,
      'me-south-1': 1.21, 'me-central-1': 1.21, 'il-central-1': 1.16, 'af-south-1': 1.3,
    },
    eksControlPlaneHourly: 0.1,
    eksExtendedSupportHourly: 0.6,
    natGatewayHourly: 0.045,
    natGatewayPerGb: 0.045,
    ec2Hourly: {
      'm7i.xlarge': 0.2016, 'm7i.2xlarge': 0.4032, 'm7i.4xlarge': 0.8064,
      'g4dn.xlarge': 0.526, 'g5.xlarge': 1.006, 'g6.xlarge': 0.8048, 'g6e.xlarge': 1.861,
      // P4d and P5 after AWS's June 2025 on-demand price reduction.
      'p4d.24xlarge': 21.958, 'p5.48xlarge': 55.04,
    },
    rdsPostgresHourly: {
      'db.m7g.large': 0.168, 'db.m7g.xlarge': 0.337, 'db.m7g.2xlarge': 0.674,
      'db.r6g.large': 0.225, 'db.r6g.xlarge': 0.449, 'db.r6g.2xlarge': 0.898, 'db.r6g.4xlarge': 1.796,
    },
    elasticacheHourly: {
      'cache.t4g.medium': 0.065, 'cache.r7g.large': 0.219, 'cache.r7g.xlarge': 0.437, 'cache.r7g.2xlarge': 0.873,
    },
    ebsGp3PerGbMonth: 0.08,
    rdsGp3PerGbMonth: 0.115,
    s3StandardPerGbMonth: 0.023,
  },
  gcp: {
    baseRegion: 'us-central1',
    regionIndex: {
      'us-central1': 1.0, 'us-east1': 1.0, 'us-west1': 1.0, 'us-east4': 1.13, 'us-east5': 1.0, 'us-south1': 1.18,
      'us-west2': 1.2, 'us-west3': 1.2, 'us-west4': 1.13,
      'northamerica-northeast1': 1.1, 'northamerica-northeast2': 1.1, 'southamerica-east1': 1.59, 'southamerica-west1': 1.42,
      'europe-west1': 1.1, 'europe-west2': 1.29, 'europe-west3': 1.29, 'europe-west4': 1.1, 'europe-west6': 1.4,
      'europe-west8': 1.15, 'europe-west9': 1.15, 'europe-north1': 1.1, 'europe-central2': 1.29, 'europe-southwest1': 1.18,
      'asia-east1': 1.16, 'asia-east2': 1.4, 'asia-northeast1': 1.29, 'asia-northeast2': 1.29, 'asia-northeast3': 1.29,
      'asia-south1': 1.2, 'asia-south2': 1.2, 'asia-southeast1': 1.23, 'asia-southeast2': 1.33,
      'australia-southeast1': 1.42, 'australia-southeast2': 1.42, 'me-west1': 1.24, 'africa-south1': 1.3,
    },
    gkeClusterHourly: 0.1,
    cloudNatPerVmHourly: 0.0014,
    cloudNatMaxHourly: 0.044,
    cloudNatPerGb: 0.045,
    computeHourly: {
      'e2-standard-4': 0.134012, 'n2-standard-8': 0.388472, 'n2-standard-16': 0.776944,
      'n1-standard-8': 0.379998,
      // GPU included in the machine price.
      'g2-standard-8': 0.853982, 'a2-highgpu-1g': 3.673385, 'a3-highgpu-8g': 88.490000,
    },
    gpuHourly: { 'nvidia-tesla-t4': 0.35 },
    cloudSqlVcpuHourly: 0.0413,
    cloudSqlMemoryGbHourly: 0.007,
    cloudSqlSsdPerGbMonth: 0.17,
    memorystoreGbHourly: {
      BASIC: [[4, 0.049], [10, 0.027], [35, 0.023], [100, 0.019], [Infinity, 0.016]],
      STANDARD_HA: [[4, 0.064], [10, 0.054], [35, 0.046], [100, 0.038], [Infinity, 0.03]],
    },
    pdBalancedPerGbMonth: 0.1,
    gcsStandardPerGbMonth: 0.02,
  },
};
