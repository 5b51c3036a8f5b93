import { describe, expect, it } from 'vitest';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  ensureGcsStateBucket,
  ensureS3StateBucket,
  StateBackendError,
  tlsOnlyPolicy,
} from '../../src/engine/backend/index.js';

function fakeS3(head: 'exists' | 'missing' | 'forbidden', createError?: string) {
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name;
      calls.push({ name, input: command.input });
      if (name === 'HeadBucketCommand' && head !== 'exists') {
        throw Object.assign(new Error(head), {
          name: head === 'missing' ? 'NotFound' : 'Forbidden',
          $metadata: { httpStatusCode: head === 'missing' ? 404 : 403 },
        });
      }
      if (name === 'CreateBucketCommand' && createError)
        throw Object.assign(new Error(createError), { name: createError });
      return {};
    },
  };
  return { client: client as unknown as S3Client, calls };
}

describe('ensureS3StateBucket', () => {
  it('creates a missing bucket in its region, then versioning, encryption, public access block and a TLS-only policy', async () => {
    const { client, calls } = fakeS3('missing');
    expect(await ensureS3StateBucket(client, 'beta9-tf-state-1-eu-west-1', 'eu-west-1')).toEqual({
      bucket: 'beta9-tf-state-1-eu-west-1',
      created: true,
    });
    expect(calls.map((c) => c.name)).toEqual([
      'HeadBucketCommand',
      'CreateBucketCommand',
      'PutBucketVersioningCommand',
      'PutBucketEncryptionCommand',
      'PutPublicAccessBlockCommand',
      'PutBucketPolicyCommand',
    ]);
    expect(calls[1]?.input.CreateBucketConfiguration).toEqual({ LocationConstraint: 'eu-west-1' });
    expect(calls[4]?.input.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.parse(String(calls[5]?.input.Policy));
    expect(policy.Statement[0].Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('is idempotent: an existing bucket is not created again but its settings are re-applied', async () => {
    const { client, calls } = fakeS3('exists');
    expect((await ensureS3StateBucket(client, 'b', 'us-east-1')).created).toBe(false);
    expect(calls.some((c) => c.name === 'CreateBucketCommand')).toBe(false);
    expect(calls).toHaveLength(5);
  });

  it('omits LocationConstraint in us-east-1 and accepts losing a creation race', async () => {
    const { client, calls } = fakeS3('missing', 'BucketAlreadyOwnedByYou');
    expect((await ensureS3StateBucket(client, 'b', 'us-east-1')).created).toBe(false);
    expect(calls[1]?.input.CreateBucketConfiguration).toBeUndefined();
  });

  it('explains a bucket owned by someone else', async () => {
    await expect(ensureS3StateBucket(fakeS3('forbidden').client, 'b', 'us-east-1')).rejects.toBeInstanceOf(
      StateBackendError,
    );
    await expect(
      ensureS3StateBucket(fakeS3('missing', 'BucketAlreadyExists').client, 'b', 'us-east-1'),
    ).rejects.toThrow(/taken by another AWS account/);
  });

  it('builds a policy that covers the bucket and its objects', () => {
    expect(JSON.parse(tlsOnlyPolicy('x')).Statement[0].Resource).toEqual([
      'arn:aws:s3:::x',
      'arn:aws:s3:::x/*',
    ]);
  });
});

describe('ensureGcsStateBucket', () => {
  function fakeFetch(getStatus: number, postStatus = 200) {
    const calls: Array<{ method: string; url: string; body?: unknown }> = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const status = method === 'GET' ? getStatus : method === 'POST' ? postStatus : 200;
      return new Response(status === 200 ? '{}' : 'nope', { status });
    }) as typeof fetch;
    return { fetchImpl, calls };
  }

  it('creates a missing bucket with uniform access, versioning and public access prevention', async () => {
    const { fetchImpl, calls } = fakeFetch(404);
    const result = await ensureGcsStateBucket({
      bucket: 'beta9-tf-state-p',
      project: 'p',
      location: 'us-central1',
      accessToken: 't',
      fetch: fetchImpl,
    });
    expect(result).toEqual({ bucket: 'beta9-tf-state-p', created: true });
    expect(calls[1]).toMatchObject({
      method: 'POST',
      url: 'https://storage.googleapis.com/storage/v1/b?project=p',
      body: {
        name: 'beta9-tf-state-p',
        versioning: { enabled: true },
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      },
    });
  });

  it('re-applies the settings to an existing bucket', async () => {
    const { fetchImpl, calls } = fakeFetch(200);
    expect(
      (
        await ensureGcsStateBucket({
          bucket: 'b',
          project: 'p',
          location: 'l',
          accessToken: 't',
          fetch: fetchImpl,
        })
      ).created,
    ).toBe(false);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'PATCH']);
  });

  it('says what to grant when the API refuses', async () => {
    const { fetchImpl } = fakeFetch(403);
    await expect(
      ensureGcsStateBucket({ bucket: 'b', project: 'p', location: 'l', accessToken: 't', fetch: fetchImpl }),
    ).rejects.toThrow(/HTTP 403/);
  });
});
