import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * Terraform state buckets (DESIGN.md "Terraform"): made to exist before `init`, idempotently, with
 * versioning, encryption, no public access and TLS-only access. Clients are passed in.
 */
export interface EnsureResult {
  bucket: string;
  created: boolean;
}

export class StateBackendError extends Error {
  constructor(
    message: string,
    readonly nextStep: string,
  ) {
    super(message);
    this.name = 'StateBackendError';
  }
}

function errorName(err: unknown): string {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e.name ?? e.Code ?? '';
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export function tlsOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

export async function ensureS3StateBucket(
  s3: S3Client,
  bucket: string,
  region: string,
): Promise<EnsureResult> {
  let created = false;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const status = statusOf(err);
    if (status === 403) {
      throw new StateBackendError(
        `The state bucket ${bucket} exists but this role may not use it (403).`,
        `Another account may own ${bucket}, or the role lacks s3:ListBucket on it; grant it (docs/action.md, "AWS").`,
      );
    }
    if (status !== 404 && errorName(err) !== 'NotFound' && errorName(err) !== 'NoSuchBucket') throw err;
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ObjectOwnership: 'BucketOwnerEnforced',
          // us-east-1 rejects an explicit LocationConstraint.
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
      created = true;
    } catch (createErr) {
      // A parallel job of another environment of the same account and region may have won the race.
      if (errorName(createErr) !== 'BucketAlreadyOwnedByYou') {
        if (errorName(createErr) === 'BucketAlreadyExists') {
          throw new StateBackendError(
            `The state bucket name ${bucket} is taken by another AWS account.`,
            'S3 bucket names are global; check account_id and region in the environment file.',
          );
        }
        throw createErr;
      }
    }
  }
  // Settings are re-applied on every run: PUTs are idempotent and repair a bucket someone loosened.
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }],
      },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: tlsOnlyPolicy(bucket) }));
  return { bucket, created };
}

export interface GcsOptions {
  bucket: string;
  project: string;
  location: string;
  accessToken: string;
  fetch?: typeof fetch;
  /** Storage JSON API root; overridable for tests. */
  baseUrl?: string;
}

const GCS_SETTINGS = {
  versioning: { enabled: true },
  iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
};

export async function ensureGcsStateBucket(options: GcsOptions): Promise<EnsureResult> {
  const doFetch = options.fetch ?? fetch;
  const base = (options.baseUrl ?? 'https://storage.googleapis.com').replace(/\/$/, '');
  const headers = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' };
  const url = `${base}/storage/v1/b/${encodeURIComponent(options.bucket)}`;
  const fail = async (what: string, res: Response) =>
    new StateBackendError(
      `${what} the state bucket ${options.bucket} failed: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`,
      `Check that the service account may administer buckets in ${options.project} (roles/storage.admin) (docs/action.md, "GCP").`,
    );

  const get = await doFetch(url, { headers });
  let created = false;
  if (get.status === 404) {
    const res = await doFetch(`${base}/storage/v1/b?project=${encodeURIComponent(options.project)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: options.bucket, location: options.location, ...GCS_SETTINGS }),
    });
    if (res.ok) return { bucket: options.bucket, created: true };
    if (res.status !== 409) throw await fail('Creating', res);
    created = false;
  } else if (!get.ok) {
    throw await fail('Reading', get);
  }
  const patch = await doFetch(url, { method: 'PATCH', headers, body: JSON.stringify(GCS_SETTINGS) });
  if (!patch.ok) throw await fail('Securing', patch);
  return { bucket: options.bucket, created };
}
