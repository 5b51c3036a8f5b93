import type { StatefulKind } from './types.js';

/**
 * Resource types whose delete or replace loses data or takes an environment down. Exact
 * types first; prefixes (ending in `*`) catch families such as every ElastiCache cluster kind.
 */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulKind>> = {
  aws_db_instance: 'database',
  aws_rds_cluster: 'database',
  aws_rds_cluster_instance: 'database',
  aws_rds_global_cluster: 'database',
  aws_docdb_cluster: 'database',
  aws_neptune_cluster: 'database',
  aws_dynamodb_table: 'database',
  aws_redshift_cluster: 'database',
  aws_elasticache_cluster: 'cache',
  aws_elasticache_replication_group: 'cache',
  aws_elasticache_global_replication_group: 'cache',
  aws_elasticache_serverless_cache: 'cache',
  aws_memorydb_cluster: 'cache',
  aws_s3_bucket: 'bucket',
  aws_eks_cluster: 'cluster',
  aws_ecs_cluster: 'cluster',
  aws_vpc: 'network',
  aws_default_vpc: 'network',
  aws_ebs_volume: 'disk',
  aws_efs_file_system: 'file system',
  aws_fsx_lustre_file_system: 'file system',
  aws_secretsmanager_secret: 'secret',
  aws_kms_key: 'encryption key',
  google_sql_database_instance: 'database',
  google_sql_database: 'database',
  google_alloydb_cluster: 'database',
  google_spanner_instance: 'database',
  google_spanner_database: 'database',
  google_bigtable_instance: 'database',
  google_bigquery_dataset: 'database',
  google_firestore_database: 'database',
  google_redis_instance: 'cache',
  google_redis_cluster: 'cache',
  google_memcache_instance: 'cache',
  google_storage_bucket: 'bucket',
  google_container_cluster: 'cluster',
  google_compute_network: 'network',
  google_compute_disk: 'disk',
  google_compute_region_disk: 'disk',
  google_filestore_instance: 'file system',
  google_secret_manager_secret: 'secret',
  google_kms_crypto_key: 'encryption key',
  google_kms_key_ring: 'encryption key',
  google_project: 'project',
};

/** The stateful kind of a resource type, or undefined for types that can be recreated freely. */
export function statefulKind(
  type: string,
  extra: Record<string, StatefulKind> = {},
): StatefulKind | undefined {
  const table = { ...STATEFUL_TYPES, ...extra };
  const exact = table[type];
  if (exact) return exact;
  for (const [pattern, kind] of Object.entries(table)) {
    if (!pattern.includes('*')) continue;
    const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
    if (re.test(type)) return kind;
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
