import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import { IdentityPoolClient } from 'google-auth-library';
import type { AwsCloud, GcpCloud } from '../engine/config/types.js';

/**
 * Short-lived cloud credentials for one environment. They live in memory only: Terraform and Helm
 * get them through `env`, SDK clients through `aws`; every value is masked before anything can print it.
 */
export interface CloudCredentials {
  provider: 'aws' | 'gcp';
  /** Environment variables for Terraform/Helm child processes. */
  env: Record<string, string>;
  /** For AWS SDK clients (state bucket, EKS token, Secrets Manager). */
  aws?: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration?: Date };
  /** For GCP REST calls (state bucket, GKE, Secret Manager). */
  gcpAccessToken?: string;
  /** Who we are, safe to print. */
  identity: string;
}

export interface CredentialDeps {
  /** `core.getIDToken`: the runner's OIDC token for an audience. */
  getIdToken(audience: string): Promise<string>;
  /** `core.setSecret`: masks a value in every later log line. */
  setSecret(value: string): void;
}

export class CredentialsError extends Error {
  constructor(
    message: string,
    readonly nextStep: string,
  ) {
    super(message);
    this.name = 'CredentialsError';
  }
}

const SESSION_SECONDS = 3600;

/** RoleSessionName allows [\w+=,.@-]{2,64}. */
export function sessionName(environment: string, runId: string): string {
  return `beta9-${environment}-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

async function oidcToken(deps: CredentialDeps, audience: string): Promise<string> {
  try {
    const token = await deps.getIdToken(audience);
    deps.setSecret(token);
    return token;
  } catch (err) {
    throw new CredentialsError(
      `The runner could not mint an OIDC token for audience '${audience}': ${(err as Error).message}`,
      "Give the job 'permissions: id-token: write' (pull requests from forks never get one).",
    );
  }
}

function mask(deps: CredentialDeps, c: Credentials | undefined, role: string) {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new CredentialsError(
      `STS returned no credentials for ${role}.`,
      'Check the role and its trust policy (docs/action.md).',
    );
  }
  deps.setSecret(c.AccessKeyId);
  deps.setSecret(c.SecretAccessKey);
  deps.setSecret(c.SessionToken);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

function stsError(err: unknown, role: string, how: string): CredentialsError {
  const e = err as { name?: string; message?: string };
  return new CredentialsError(
    `${how} into ${role} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`,
    `Check that ${role} exists and that its trust policy allows this repository and branch (docs/action.md, "AWS").`,
  );
}

export interface AwsOptions {
  environment: string;
  runId: string;
  audience: string;
  /** Role assumed with the OIDC token; the file's role_arn is then assumed from it. */
  baseRoleArn?: string;
  endpointUrl?: string;
}

/**
 * AssumeRoleWithWebIdentity with the runner's OIDC token, then AssumeRole into the file's role_arn
 * with its external_id (role chaining), both one-hour sessions.
 */
export async function awsCredentials(
  cloud: AwsCloud,
  options: AwsOptions,
  deps: CredentialDeps,
): Promise<CloudCredentials> {
  if (!options.baseRoleArn && cloud.external_id) {
    throw new CredentialsError(
      `The environment sets external_id, which AWS checks only on AssumeRole, but the Action has no 'aws-role-arn' to assume first.`,
      "Set the Action's 'aws-role-arn' input to a role the GitHub OIDC provider can assume and that may assume the file's role_arn.",
    );
  }
  const token = await oidcToken(deps, options.audience);
  const name = sessionName(options.environment, options.runId);
  const endpoint = options.endpointUrl ? { endpoint: options.endpointUrl } : {};
  const firstRole = options.baseRoleArn ?? cloud.role_arn;
  const anonymous = new STSClient({ region: cloud.region, ...endpoint });
  let first;
  try {
    const out = await anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: firstRole,
        RoleSessionName: name,
        WebIdentityToken: token,
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    first = mask(deps, out.Credentials, firstRole);
  } catch (err) {
    throw err instanceof CredentialsError ? err : stsError(err, firstRole, 'AssumeRoleWithWebIdentity');
  }

  let creds = first;
  if (options.baseRoleArn) {
    const chained = new STSClient({ region: cloud.region, credentials: first, ...endpoint });
    try {
      const out = await chained.send(
        new AssumeRoleCommand({
          RoleArn: cloud.role_arn,
          RoleSessionName: name,
          DurationSeconds: SESSION_SECONDS,
          ...(cloud.external_id ? { ExternalId: cloud.external_id } : {}),
        }),
      );
      creds = mask(deps, out.Credentials, cloud.role_arn);
    } catch (err) {
      throw err instanceof CredentialsError ? err : stsError(err, cloud.role_arn, 'AssumeRole');
    }
  }
  return {
    provider: 'aws',
    env: {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken,
      AWS_REGION: cloud.region,
      AWS_DEFAULT_REGION: cloud.region,
      ...(options.endpointUrl ? { AWS_ENDPOINT_URL: options.endpointUrl } : {}),
    },
    aws: creds,
    identity: `${cloud.role_arn} (session ${name})`,
  };
}

export interface GcpOptions {
  workloadIdentityProvider?: string;
  audience?: string;
  stsUrl?: string;
  iamCredentialsUrl?: string;
}

/** Workload identity federation from the runner's OIDC token, impersonating the file's service_account. */
export async function gcpCredentials(
  cloud: GcpCloud,
  options: GcpOptions,
  deps: CredentialDeps,
): Promise<CloudCredentials> {
  if (!options.workloadIdentityProvider || !options.audience) {
    throw new CredentialsError(
      `The environment is on GCP but the Action has no 'gcp-workload-identity-provider'.`,
      'Set \'gcp-workload-identity-provider\' to projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider> (docs/action.md, "GCP").',
    );
  }
  const token = await oidcToken(deps, options.audience);
  const iam = (options.iamCredentialsUrl ?? 'https://iamcredentials.googleapis.com').replace(/\/$/, '');
  const client = new IdentityPoolClient({
    type: 'external_account',
    audience: options.audience,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: options.stsUrl ?? 'https://sts.googleapis.com/v1/token',
    service_account_impersonation_url: `${iam}/v1/projects/-/serviceAccounts/${encodeURIComponent(cloud.service_account)}:generateAccessToken`,
    service_account_impersonation: { token_lifetime_seconds: SESSION_SECONDS },
    subject_token_supplier: { getSubjectToken: async () => token },
    scopes: ['https://www.googleapis.com/auth/cloud-platform'],
  });
  let accessToken: string | null | undefined;
  try {
    accessToken = (await client.getAccessToken()).token;
  } catch (err) {
    throw new CredentialsError(
      `Workload identity federation as ${cloud.service_account} failed: ${(err as Error).message}`,
      `Grant roles/iam.workloadIdentityUser on ${cloud.service_account} to the pool's principal for this repository (docs/action.md, "GCP").`,
    );
  }
  if (!accessToken)
    throw new CredentialsError(
      `Google STS returned no access token for ${cloud.service_account}.`,
      'Check the provider and pool.',
    );
  deps.setSecret(accessToken);
  return {
    provider: 'gcp',
    env: {
      GOOGLE_OAUTH_ACCESS_TOKEN: accessToken,
      GOOGLE_PROJECT: cloud.project_id,
      GOOGLE_REGION: cloud.region,
      CLOUDSDK_CORE_PROJECT: cloud.project_id,
    },
    gcpAccessToken: accessToken,
    identity: cloud.service_account,
  };
}
