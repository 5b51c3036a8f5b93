/**
 * Reads what the bootstrap needs from the Terraform outputs (DESIGN.md names), accepting either
 * `terraform output -json` (`{ name: { value, sensitive, type } }`) or a flat name→value map.
 * Every missing output is reported at once, with its name.
 */
import type { InfraModel } from '../model/types.js';
import { BootstrapError } from './types.js';

export type OutputMap = Record<string, unknown>;

/** Flattens `terraform output -json` into name→value. */
export function normalizeOutputs(raw: OutputMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return out;
}

/** Where the database password lives; read at bootstrap time, never copied into outputs. */
export type PasswordSource =
  { kind: 'aws-secrets-manager'; secretArn: string } | { kind: 'gcp-secret-manager'; secretName: string };

export interface ConnectionInfo {
  clusterName: string;
  /** GKE location (region or zone); the region for EKS. */
  clusterLocation: string;
  database: {
    host: string;
    port: number;
    /** From the outputs when known; otherwise read from the secret (AWS RDS-managed secrets hold it). */
    username?: string;
    name?: string;
    passwordSource: PasswordSource;
  };
  /** `redis_ca_certificate` on GCP: the PEM of Memorystore's server CA (public). */
  redis: { host: string; port: number; caCertificate?: string };
  bucketName?: string;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

function port(v: unknown, fallback: number): number | 'bad' {
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : 'bad';
}

/** `host:port` (aws_db_instance.endpoint) or a bare host. */
export function splitHostPort(endpoint: string, defaultPort: number): { host: string; port: number } {
  const m = /^(.*):(\d{1,5})$/.exec(endpoint);
  if (m && m[1] && !m[1].includes(':')) return { host: m[1], port: Number(m[2]) };
  return { host: endpoint, port: defaultPort };
}

function first(o: Record<string, unknown>, names: string[]): string | undefined {
  for (const n of names) {
    const v = str(o[n]);
    if (v) return v;
  }
  return undefined;
}

/** GCP output names (src/engine/stacks/gcp/stack.ts), with the older spellings still accepted. */
export const GCP_DB_HOST_OUTPUTS = ['database_private_ip', 'database_host'];
export const GCP_DB_SECRET_OUTPUTS = ['database_secret_id', 'database_password_secret'];

export function connectionFromOutputs(model: InfraModel, raw: OutputMap): ConnectionInfo {
  const o = normalizeOutputs(raw);
  const missing: string[] = [];
  const need = (names: string[]): string => {
    const v = first(o, names);
    if (!v) missing.push(names.join(' or '));
    return v ?? '';
  };
  const clusterName = need(['cluster_name']);
  const redisHost = need(['redis_endpoint']);
  const redisPort = port(o.redis_port, 6379);
  let database: ConnectionInfo['database'];
  if (model.cloud.provider === 'aws') {
    const endpoint = need(['rds_endpoint']);
    const secretArn = need(['rds_master_user_secret_arn']);
    const hp = splitHostPort(endpoint, 5432);
    const explicitPort = port(o.rds_port, hp.port);
    database = {
      host: hp.host,
      port: explicitPort === 'bad' ? hp.port : explicitPort,
      name: first(o, ['database_name', 'rds_database_name']),
      username: first(o, ['database_user', 'rds_username']),
      passwordSource: { kind: 'aws-secrets-manager', secretArn },
    };
  } else {
    const host = need(GCP_DB_HOST_OUTPUTS);
    const secretName = need(GCP_DB_SECRET_OUTPUTS);
    const p = port(o.database_port, 5432);
    database = {
      host,
      port: p === 'bad' ? 5432 : p,
      name: first(o, ['database_name']),
      username: first(o, ['database_user']),
      passwordSource: { kind: 'gcp-secret-manager', secretName },
    };
  }
  if (redisPort === 'bad') missing.push(`redis_port (a port number, got ${JSON.stringify(o.redis_port)})`);
  if (missing.length > 0) {
    throw new BootstrapError(
      'config',
      `Terraform outputs are missing what the bootstrap needs: ${missing.join(', ')}.`,
      'Run apply to completion (the outputs are written at the end), or check that the stack declares these outputs.',
    );
  }
  return {
    clusterName,
    clusterLocation: first(o, ['cluster_location']) ?? model.cloud.region,
    database,
    redis: {
      host: redisHost,
      port: redisPort as number,
      ...(str(o.redis_ca_certificate) ? { caCertificate: String(o.redis_ca_certificate) } : {}),
    },
    bucketName: first(o, ['bucket_name']),
  };
}
