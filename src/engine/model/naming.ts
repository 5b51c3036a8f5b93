import { createHash } from 'node:crypto';
import type { MetaConfig } from '../config/types.js';
import type { StateBackend } from './types.js';

/** S3 and GCS bucket names: 3-63 characters, lowercase letters, digits and hyphens. */
export const MAX_BUCKET_NAME = 63;

/**
 * Terraform state location (contract: DESIGN.md "Terraform"). One bucket per AWS account and region
 * or per GCP project, one key/prefix per environment.
 */
export function stateBackend(config: MetaConfig): StateBackend {
  const { cloud, name } = config;
  if (cloud.provider === 'aws') {
    return {
      type: 's3',
      bucket: `beta9-tf-state-${cloud.account_id}-${cloud.region}`,
      key: `environments/${name}/terraform.tfstate`,
      region: cloud.region,
      encrypt: true,
      useLockfile: true,
    };
  }
  return { type: 'gcs', bucket: `beta9-tf-state-${cloud.project_id}`, prefix: `environments/${name}` };
}

/**
 * The environment's data bucket: `beta9-<name>-<account id or project id>`. Bucket names are global,
 * so the account or project makes them unique; when that is too long (long GCP project ids) a short
 * hash of it takes its place, keeping the name deterministic.
 */
export function dataBucketName(config: MetaConfig): string {
  const owner = config.cloud.provider === 'aws' ? config.cloud.account_id : config.cloud.project_id;
  const full = `beta9-${config.name}-${owner}`;
  if (full.length <= MAX_BUCKET_NAME) return full;
  const hash = createHash('sha256').update(owner).digest('hex').slice(0, 10);
  return `beta9-${config.name}-${hash}`;
}
