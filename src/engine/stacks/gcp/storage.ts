import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import type { InfraModel } from '../../model/types.js';
import { Construct, type ITerraformDependable } from '../cdktf.js';

export interface GcpStorageConfig {
  region: string;
  storage: InfraModel['storage'];
  labels: Record<string, string>;
  deletionProtection: boolean;
  dependsOn?: ITerraformDependable[];
}

/**
 * The Beta9 object store: a regional GCS bucket with uniform bucket-level access (no object ACLs),
 * public access prevention enforced, versioning as the file says, noncurrent versions deleted
 * after the file's number of days and abandoned multipart uploads cleaned up. GCS encrypts every
 * object at rest and serves its API over TLS only. With deletion protection off, destroy also
 * empties the bucket.
 */
export class GcpStorage extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, config: GcpStorageConfig) {
    super(scope, id);
    const {
      region,
      storage: { bucketName, versioning, noncurrentVersionExpirationDays },
      labels,
      deletionProtection,
      dependsOn,
    } = config;
    if (!Number.isInteger(noncurrentVersionExpirationDays) || noncurrentVersionExpirationDays < 1) {
      throw new Error(
        `Bucket ${bucketName}: storage.noncurrent_version_expiration_days must be a whole number of days ≥ 1, got ${noncurrentVersionExpirationDays}.`,
      );
    }
    this.bucket = new StorageBucket(this, 'bucket', {
      name: bucketName,
      location: region.toUpperCase(),
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: versioning },
      lifecycleRule: [
        {
          action: { type: 'Delete' },
          condition: { daysSinceNoncurrentTime: noncurrentVersionExpirationDays, withState: 'ARCHIVED' },
        },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
      ],
      forceDestroy: !deletionProtection,
      labels,
      dependsOn,
    });
  }
}
