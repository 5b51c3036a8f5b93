import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import type { InfraModel } from '../../model/types.js';
import { Construct } from '../cdktf.js';

export interface AwsStorageConfig {
  storage: InfraModel['storage'];
  deletionProtection: boolean;
}

/**
 * The Beta9 object store: an S3 bucket with every public-access switch blocked, ACLs disabled
 * (bucket-owner-enforced), default server-side encryption with an S3 bucket key, versioning as
 * the file says, a policy that denies any request not made over TLS, and a lifecycle that expires
 * noncurrent versions after the file's number of days and cleans up abandoned multipart uploads.
 * With deletion protection off, destroy also empties the bucket (`force_destroy`).
 */
export class AwsStorage extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, config: AwsStorageConfig) {
    super(scope, id);
    const {
      storage: { bucketName, versioning, noncurrentVersionExpirationDays },
      deletionProtection,
    } = config;
    if (!Number.isInteger(noncurrentVersionExpirationDays) || noncurrentVersionExpirationDays < 1) {
      throw new Error(
        `Bucket ${bucketName}: storage.noncurrent_version_expiration_days must be a whole number of days ≥ 1, got ${noncurrentVersionExpirationDays}.`,
      );
    }

    this.bucket = new S3Bucket(this, 'bucket', { bucket: bucketName, forceDestroy: !deletionProtection });
    const bucket = this.bucket.id;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    // "Suspended" (not "Disabled") so that turning versioning off later is an update AWS accepts.
    const versioningConfig = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: versioning ? 'Enabled' : 'Suspended' },
    });

    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    // After the public-access block: a policy put first could race the block and be refused as public.
    new S3BucketPolicy(this, 'policy', { bucket, policy: tlsOnly.json, dependsOn: [this.publicAccessBlock] });

    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionExpirationDays }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      // Lifecycle rules on versions need versioning configured first.
      dependsOn: [versioningConfig],
    });
  }
}
