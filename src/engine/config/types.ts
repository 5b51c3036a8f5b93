/**
 * The environment file, version 1 (contract: DESIGN.md "Environment file, version 1").
 * `schema/environment.v1.schema.json` is the single source of the structure; these types
 * mirror it after defaults have been applied, so every optional field with a default is
 * present here.
 */
export type CloudProvider = 'aws' | 'gcp';
export type Size = 'small' | 'medium' | 'large';
export type AwsGpuType = 'T4' | 'A10G' | 'L4' | 'L40S' | 'A100' | 'H100';
export type GcpGpuType = 'T4' | 'L4' | 'A100' | 'H100';
export type GpuType = AwsGpuType | GcpGpuType;

export interface AwsCloud {
  provider: 'aws';
  region: string;
  account_id: string;
  role_arn: string;
  external_id?: string;
}

export interface GcpCloud {
  provider: 'gcp';
  region: string;
  project_id: string;
  service_account: string;
}

export interface MetaConfig {
  version: 1;
  name: string;
  description?: string;
  cloud: AwsCloud | GcpCloud;
  cluster: {
    size: Size;
    kubernetes_version?: string;
    gpu?: { type: GpuType; min_nodes: number; max_nodes: number };
  };
  database: { size: Size; high_availability: boolean };
  cache: { size: Size };
  storage: { versioning: boolean; noncurrent_version_expiration_days: number };
  network: { cidr: string };
  beta9: { version: string; domain?: string; tls_email?: string };
  deletion_protection: boolean;
  tags: Record<string, string>;
}

/** One problem in one file, pointing at the offending key or value (1-based line and column). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  /** Optional end position, for annotations that span a value. */
  endLine?: number;
  endColumn?: number;
}

/** Renders a diagnostic the way compilers do: `path:line:col: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}
