import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance/index.js';
import type { InfraModel } from '../../model/types.js';
import { KEYSPACE_EVENTS } from '../common.js';
import { Construct, type ITerraformDependable } from '../cdktf.js';

export interface GcpCacheConfig {
  name: string;
  region: string;
  cache: InfraModel['cache'];
  networkId: string;
  labels: Record<string, string>;
  dependsOn?: ITerraformDependable[];
}

/** `7.2` or `7` → `REDIS_7_2` / `REDIS_7_0`. */
export function memorystoreVersion(engineVersion: string): string {
  const match = /^(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(engineVersion);
  if (!match)
    throw new Error(`Invalid Redis engine version '${engineVersion}'. Expected a form like '7' or '7.2'.`);
  return `REDIS_${match[1]}_${match[2] ?? '0'}`;
}

/**
 * Memorystore for Redis on the VPC's private services access range: STANDARD_HA (a replica in
 * another zone with automatic failover) when the profile has replicas, BASIC otherwise; TLS
 * required (`SERVER_AUTHENTICATION`), `notify-keyspace-events = AKE`, RDB snapshots every 12 hours.
 */
export class GcpCache extends Construct {
  readonly instance: RedisInstance;

  constructor(scope: Construct, id: string, config: GcpCacheConfig) {
    super(scope, id);
    const {
      name,
      region,
      cache: { engineVersion, memoryGb, replicas },
      networkId,
      labels,
      dependsOn,
    } = config;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) {
      throw new Error(`Environment ${name}: Redis replicas must be an integer from 0 to 5, got ${replicas}.`);
    }
    if (replicas > 1 && memoryGb < 5) {
      throw new Error(
        `Environment ${name}: Memorystore read replicas need at least 5 GB of memory, got ${memoryGb} GB.`,
      );
    }
    const ha = replicas > 0;
    this.instance = new RedisInstance(this, 'redis', {
      name: `${name}-redis`,
      region,
      tier: ha ? 'STANDARD_HA' : 'BASIC',
      memorySizeGb: memoryGb,
      redisVersion: memorystoreVersion(engineVersion),
      ...(replicas > 1 ? { replicaCount: replicas, readReplicasMode: 'READ_REPLICAS_ENABLED' } : {}),
      authorizedNetwork: networkId,
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      redisConfigs: { 'notify-keyspace-events': KEYSPACE_EVENTS },
      persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWELVE_HOURS' },
      maintenancePolicy: {
        weeklyMaintenanceWindow: [{ day: 'SUNDAY', startTime: { hours: 5, minutes: 30 } }],
      },
      labels,
      dependsOn,
    });
  }
}
