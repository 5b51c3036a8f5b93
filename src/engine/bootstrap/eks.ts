/**
 * EKS access without the aws CLI or aws-iam-authenticator: the bearer token is a presigned
 * STS GetCallerIdentity URL (DESIGN.md "Facts worth knowing"), and the endpoint and CA come
 * from DescribeCluster.
 */
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { BootstrapError } from './types.js';
import type { KubeTarget } from './kubeconfig.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header EKS reads to bind the token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** Lifetime of the presigned URL, as aws-iam-authenticator uses; EKS itself accepts the token for 15 minutes. */
export const EKS_TOKEN_EXPIRES_SECONDS = 60;

/** The STS endpoint for a region (regional endpoints work in every partition-commercial region). */
export function stsHost(region: string): string {
  return region.startsWith('cn-') ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

/** RFC 3986 escaping, the form SigV4 canonicalises query values to. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `k8s-aws-v1.` + base64url (no padding) of a presigned STS GetCallerIdentity URL, valid for
 * 60 seconds, whose signed headers include `x-k8s-aws-id: <cluster>`.
 */
export async function eksToken(
  cluster: string,
  region: string,
  credentials: AwsCredentials,
  now: Date = new Date(),
): Promise<string> {
  if (!cluster)
    throw new BootstrapError(
      'config',
      'eksToken: the cluster name is empty (Terraform output cluster_name).',
    );
  if (!region)
    throw new BootstrapError(
      'config',
      'eksToken: the region is empty (cloud.region in the environment file).',
    );
  if (!credentials.accessKeyId || !credentials.secretAccessKey) {
    throw new BootstrapError(
      'credentials',
      'eksToken: AWS credentials are missing an access key id or secret access key.',
    );
  }
  const host = stsHost(region);
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'sts',
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, [CLUSTER_ID_HEADER]: cluster },
    },
    { signingDate: now, expiresIn: EKS_TOKEN_EXPIRES_SECONDS },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([k, v]) => `${escapeUri(k)}=${escapeUri(String(v))}`)
    .join('&');
  const url = `https://${host}/?${query}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

/** The inverse of eksToken, for tests and diagnostics: the presigned URL inside a token. */
export function decodeEksToken(token: string): URL {
  if (!token.startsWith(EKS_TOKEN_PREFIX))
    throw new Error(`not an EKS token: expected prefix ${EKS_TOKEN_PREFIX}`);
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

/** The part of EKSClient the bootstrap uses (inject `new EKSClient({ region, credentials })`). */
export interface EksClientLike {
  send(command: DescribeClusterCommand): Promise<{
    cluster?: { endpoint?: string; certificateAuthority?: { data?: string }; status?: string };
  }>;
}

/** Endpoint, CA and a fresh token for an EKS cluster. */
export async function eksKubeTarget(
  eks: EksClientLike,
  cluster: string,
  region: string,
  credentials: AwsCredentials,
  now: Date = new Date(),
): Promise<KubeTarget> {
  let described;
  try {
    described = await eks.send(new DescribeClusterCommand({ name: cluster }));
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (name === 'ResourceNotFoundException') {
      throw new BootstrapError(
        'config',
        `EKS cluster '${cluster}' was not found in ${region}.`,
        'Check the Terraform output cluster_name and that apply finished; then re-run bootstrap.',
      );
    }
    if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/.test(name)) {
      throw new BootstrapError(
        'credentials',
        `EKS DescribeCluster for '${cluster}' was refused (${name}).`,
        'Give the provisioner role eks:DescribeCluster on the cluster.',
      );
    }
    throw new BootstrapError(
      'network',
      `EKS DescribeCluster for '${cluster}' failed: ${(err as Error).message}`,
    );
  }
  const c = described.cluster;
  if (!c?.endpoint || !c.certificateAuthority?.data) {
    throw new BootstrapError(
      'kube_unreachable',
      `EKS cluster '${cluster}' has no endpoint or CA yet (status ${c?.status ?? 'unknown'}).`,
      'Wait until the cluster is ACTIVE, then re-run bootstrap.',
    );
  }
  return {
    name: cluster,
    server: c.endpoint,
    caData: c.certificateAuthority.data,
    token: await eksToken(cluster, region, credentials, now),
  };
}
