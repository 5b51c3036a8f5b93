import type { AwsGpuType, CloudProvider, GcpGpuType } from './types.js';

/**
 * Regions the provisioner accepts, per provider. Sources: the AWS "Regions and Availability Zones"
 * page and `gcloud compute regions list` (public region lists, checked 2026). Only the commercial
 * AWS partition (arn:aws) is supported; GovCloud and China use other ARN partitions.
 * Opt-in AWS regions (af-south-1, ap-east-1, me-south-1, ...) must be enabled on the account first.
 */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];

export const GCP_REGIONS: readonly string[] = [
  'africa-south1',
  'asia-east1',
  'asia-east2',
  'asia-northeast1',
  'asia-northeast2',
  'asia-northeast3',
  'asia-south1',
  'asia-south2',
  'asia-southeast1',
  'asia-southeast2',
  'australia-southeast1',
  'australia-southeast2',
  'europe-central2',
  'europe-north1',
  'europe-north2',
  'europe-southwest1',
  'europe-west1',
  'europe-west2',
  'europe-west3',
  'europe-west4',
  'europe-west6',
  'europe-west8',
  'europe-west9',
  'europe-west10',
  'europe-west12',
  'me-central1',
  'me-central2',
  'me-west1',
  'northamerica-northeast1',
  'northamerica-northeast2',
  'northamerica-south1',
  'southamerica-east1',
  'southamerica-west1',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-east5',
  'us-south1',
  'us-west1',
  'us-west2',
  'us-west3',
  'us-west4',
];

export const REGIONS: Record<CloudProvider, readonly string[]> = { aws: AWS_REGIONS, gcp: GCP_REGIONS };

/** GPU models each cloud offers as a node pool (AWS: g4dn, g5, g6, g6e, p4d, p5; GCP: n1+T4, g2, a2, a3). */
export const AWS_GPU_TYPES: readonly AwsGpuType[] = ['T4', 'A10G', 'L4', 'L40S', 'A100', 'H100'];
export const GCP_GPU_TYPES: readonly GcpGpuType[] = ['T4', 'L4', 'A100', 'H100'];
export const GPU_TYPES: Record<CloudProvider, readonly string[]> = { aws: AWS_GPU_TYPES, gcp: GCP_GPU_TYPES };
