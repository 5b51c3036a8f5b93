/**
 * Reads the database credentials at bootstrap time from AWS Secrets Manager (the RDS-managed
 * master user secret) or GCP Secret Manager. The values are handed to the Redactor before
 * anything else happens with them, and never appear in errors.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { googleGet, gcpAccessToken, type FetchLike, type GcpTokenSource } from './gke.js';
import type { PasswordSource } from './outputs.js';
import type { Redactor } from './redact.js';
import { BootstrapError } from './types.js';

export interface DatabaseCredentials {
  username?: string;
  password: string;
  dbname?: string;
}

/** The part of SecretsManagerClient the bootstrap uses. */
export interface SecretsManagerLike {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string; SecretBinary?: Uint8Array }>;
}

export const SECRET_MANAGER_API = 'https://secretmanager.googleapis.com/v1';

export interface SecretDeps {
  secretsManager?: SecretsManagerLike;
  gcpAuth?: GcpTokenSource;
  fetch?: FetchLike;
}

/** Parses `{username,password}` JSON, or takes the whole payload as the password. */
function parseCredentials(text: string, where: string): DatabaseCredentials {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: { username?: unknown; password?: unknown; dbname?: unknown };
    try {
      parsed = JSON.parse(trimmed) as typeof parsed;
    } catch {
      throw new BootstrapError('secret', `${where} holds text that starts like JSON but does not parse.`);
    }
    if (typeof parsed.password !== 'string' || parsed.password === '') {
      throw new BootstrapError(
        'secret',
        `${where} has no "password" field. Expected JSON {"username": ..., "password": ...}.`,
      );
    }
    return {
      password: parsed.password,
      username: typeof parsed.username === 'string' ? parsed.username : undefined,
      dbname: typeof parsed.dbname === 'string' ? parsed.dbname : undefined,
    };
  }
  if (!trimmed) throw new BootstrapError('secret', `${where} is empty.`);
  return { password: trimmed };
}

/** `projects/p/secrets/s`, `projects/p/secrets/s/versions/v`, or a bare id resolved in `project`. */
export function secretVersionName(secret: string, project: string): string {
  if (/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/.test(secret)) return secret;
  if (/^projects\/[^/]+\/secrets\/[^/]+$/.test(secret)) return `${secret}/versions/latest`;
  if (/^[A-Za-z0-9_-]+$/.test(secret)) return `projects/${project}/secrets/${secret}/versions/latest`;
  throw new BootstrapError(
    'config',
    `'${secret}' is not a Secret Manager secret name. Expected projects/<project>/secrets/<id> or <id>.`,
  );
}

export async function readDatabaseCredentials(
  deps: SecretDeps,
  source: PasswordSource,
  redactor: Redactor,
  gcpProject = '',
): Promise<DatabaseCredentials> {
  let creds: DatabaseCredentials;
  if (source.kind === 'aws-secrets-manager') {
    if (!deps.secretsManager)
      throw new BootstrapError('unknown', 'No Secrets Manager client was passed to the bootstrap.');
    const where = `Secrets Manager secret ${source.secretArn}`;
    let res;
    try {
      res = await deps.secretsManager.send(new GetSecretValueCommand({ SecretId: source.secretArn }));
    } catch (err) {
      const name = (err as { name?: string }).name ?? 'Error';
      if (name === 'ResourceNotFoundException') {
        throw new BootstrapError(
          'config',
          `${where} does not exist.`,
          'Check the Terraform output rds_master_user_secret_arn.',
        );
      }
      if (/AccessDenied|DecryptionFailure|UnrecognizedClient|ExpiredToken/.test(name)) {
        throw new BootstrapError(
          'credentials',
          `${where} could not be read (${name}).`,
          'Give the provisioner role secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key.',
        );
      }
      // The SDK's messages never include the secret value; keep only the class name and message.
      throw new BootstrapError('network', `${where} could not be read: ${name}: ${(err as Error).message}`);
    }
    const text = res.SecretString ?? (res.SecretBinary ? Buffer.from(res.SecretBinary).toString('utf8') : '');
    creds = parseCredentials(text, where);
  } else {
    if (!deps.gcpAuth || !deps.fetch)
      throw new BootstrapError('unknown', 'No GCP auth or fetch was passed to the bootstrap.');
    const name = secretVersionName(source.secretName, gcpProject);
    const token = await gcpAccessToken(deps.gcpAuth);
    redactor.add(token);
    const body = (await googleGet(
      deps.fetch,
      `${SECRET_MANAGER_API}/${name}:access`,
      token,
      `Secret Manager ${name}`,
    )) as {
      payload?: { data?: string };
    };
    if (!body.payload?.data)
      throw new BootstrapError('secret', `Secret Manager ${name} has an empty payload.`);
    creds = parseCredentials(
      Buffer.from(body.payload.data, 'base64').toString('utf8'),
      `Secret Manager ${name}`,
    );
  }
  redactor.add(creds.password);
  return creds;
}
