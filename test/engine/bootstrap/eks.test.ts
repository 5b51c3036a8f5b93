import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeEksToken,
  eksKubeTarget,
  eksToken,
  type EksClientLike,
} from '../../../src/engine/bootstrap/eks.js';
import { BootstrapError } from '../../../src/engine/bootstrap/types.js';
import { AWS_SECRET_KEY, AWS_SESSION_TOKEN } from './fixtures.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: AWS_SECRET_KEY };
const now = new Date('2026-01-02T03:04:05Z');

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 query-string presigning written out from the AWS documentation, independent of @smithy. */
function expectedSignature(url: URL, cluster: string, region: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.host}\nx-k8s-aws-id:${cluster}\n`,
    'host;x-k8s-aws-id',
    sha256hex(''),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const scope = `${amzDate.slice(0, 8)}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, amzDate.slice(0, 8)), region), 'sts'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

describe('eksToken', () => {
  it('is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL', async () => {
    const token = await eksToken('demo', 'us-east-1', creds, now);
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    const encoded = token.slice('k8s-aws-v1.'.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url alphabet, no '=' padding
    const url = decodeEksToken(token);
    expect(url.origin).toBe('https://sts.us-east-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260102/us-east-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260102T030405Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    // The secret key itself never appears in the token.
    expect(Buffer.from(encoded, 'base64url').toString()).not.toContain(AWS_SECRET_KEY);
  });

  it('matches an independent SigV4 computation (known vector with a fixed clock and credentials)', async () => {
    const url = decodeEksToken(await eksToken('demo', 'us-east-1', creds, now));
    const signature = url.searchParams.get('X-Amz-Signature');
    expect(signature).toBe(expectedSignature(url, 'demo', 'us-east-1', AWS_SECRET_KEY));
    // Pinned so that a change in the signer library or in our request shape is noticed.
    expect(signature).toBe('9d9cbee2b4614b1e42d1079cf7146884d43c6e23661cb8a4d5c80d42829227ed');
  });

  it('binds the token to the cluster: another cluster name gives another signature', async () => {
    const a = decodeEksToken(await eksToken('cluster-a', 'eu-west-1', creds, now));
    const b = decodeEksToken(await eksToken('cluster-b', 'eu-west-1', creds, now));
    expect(a.searchParams.get('X-Amz-Signature')).not.toBe(b.searchParams.get('X-Amz-Signature'));
    expect(a.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(a, 'cluster-a', 'eu-west-1', AWS_SECRET_KEY),
    );
  });

  it('carries the session token of assumed-role credentials, signed', async () => {
    const url = decodeEksToken(
      await eksToken('demo', 'us-west-2', { ...creds, sessionToken: AWS_SESSION_TOKEN }, now),
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(AWS_SESSION_TOKEN);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'demo', 'us-west-2', AWS_SECRET_KEY),
    );
  });

  it('refuses empty inputs with a message naming what is missing', async () => {
    await expect(eksToken('', 'us-east-1', creds, now)).rejects.toThrow(/cluster name is empty/);
    await expect(
      eksToken('demo', 'us-east-1', { accessKeyId: '', secretAccessKey: '' }, now),
    ).rejects.toThrow(/credentials/);
  });
});

describe('eksKubeTarget', () => {
  it('takes endpoint and CA from DescribeCluster and mints a token', async () => {
    const sent: unknown[] = [];
    const eks: EksClientLike = {
      send: async (cmd) => {
        sent.push(cmd.input);
        return {
          cluster: {
            endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
            certificateAuthority: { data: 'Q0E=' },
            status: 'ACTIVE',
          },
        };
      },
    };
    const t = await eksKubeTarget(eks, 'beta9-ml-staging', 'us-east-1', creds, now);
    expect(sent).toEqual([{ name: 'beta9-ml-staging' }]);
    expect(t).toMatchObject({
      name: 'beta9-ml-staging',
      server: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
      caData: 'Q0E=',
    });
    expect(t.token).toBe(await eksToken('beta9-ml-staging', 'us-east-1', creds, now));
  });

  it('classifies a missing cluster as config and a refused call as auth', async () => {
    const failing = (name: string): EksClientLike => ({
      send: async () => {
        throw Object.assign(new Error('nope'), { name });
      },
    });
    const notFound = await eksKubeTarget(failing('ResourceNotFoundException'), 'x', 'us-east-1', creds).catch(
      (e) => e,
    );
    expect(notFound).toBeInstanceOf(BootstrapError);
    expect(notFound.failureClass).toBe('config');
    const denied = await eksKubeTarget(failing('AccessDeniedException'), 'x', 'us-east-1', creds).catch(
      (e) => e,
    );
    expect(denied.failureClass).toBe('credentials');
    expect(denied.nextStep).toMatch(/eks:DescribeCluster/);
  });

  it('reports a cluster without an endpoint yet as unreachable (retryable)', async () => {
    const eks: EksClientLike = { send: async () => ({ cluster: { status: 'CREATING' } }) };
    const err = await eksKubeTarget(eks, 'x', 'us-east-1', creds).catch((e) => e);
    expect(err.failureClass).toBe('kube_unreachable');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/CREATING/);
  });
});
