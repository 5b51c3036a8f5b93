import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import type { InfraModel } from '../../model/types.js';
import { Construct } from '../cdktf.js';
import { KEYSPACE_EVENTS, REDIS_PORT } from '../common.js';
import { ServiceSecurityGroup } from './security.js';

export interface AwsCacheConfig {
  name: string;
  cache: InfraModel['cache'];
  vpcId: string;
  subnetIds: string[];
  clientSecurityGroupId: string;
  deletionProtection: boolean;
}

/** `7.1` or `7` → `redis7`: the parameter-group family of a Redis engine version. */
export function redisFamily(engineVersion: string): string {
  const major = /^(\d+)(?:\.\d+)*$/.exec(engineVersion)?.[1];
  if (!major) {
    throw new Error(`Invalid Redis engine version '${engineVersion}'. Expected a form like '7' or '7.1'.`);
  }
  return `redis${major}`;
}

/**
 * ElastiCache for Redis as a replication group (cluster mode off, which Beta9 expects): a primary
 * plus the profile's replicas spread over the private subnets, automatic failover and Multi-AZ
 * when there is a replica, encryption at rest and in transit (TLS required), a parameter group
 * with `notify-keyspace-events = AKE`, and daily snapshots.
 */
export class AwsCache extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly parameterGroup: ElasticacheParameterGroup;
  readonly securityGroup: ServiceSecurityGroup;

  constructor(scope: Construct, id: string, config: AwsCacheConfig) {
    super(scope, id);
    const {
      name,
      cache: { engineVersion, nodeType, replicas },
      vpcId,
      subnetIds,
      clientSecurityGroupId,
      deletionProtection,
    } = config;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) {
      throw new Error(`Environment ${name}: Redis replicas must be an integer from 0 to 5, got ${replicas}.`);
    }
    const family = redisFamily(engineVersion);

    this.securityGroup = new ServiceSecurityGroup(this, 'sg', {
      name: `${name}-redis`,
      description: `Redis for Beta9 environment ${name}`,
      vpcId,
      port: REDIS_PORT,
      sourceSecurityGroupId: clientSecurityGroupId,
    });
    const subnets = new ElasticacheSubnetGroup(this, 'subnets', {
      name: `${name}-redis`,
      description: `Private subnets of Beta9 environment ${name}`,
      subnetIds,
    });
    this.parameterGroup = new ElasticacheParameterGroup(this, 'parameters', {
      name: `${name}-${family}`,
      family,
      description: `Beta9 needs key-space notifications (${KEYSPACE_EVENTS})`,
      parameter: [{ name: 'notify-keyspace-events', value: KEYSPACE_EVENTS }],
      lifecycle: { createBeforeDestroy: true },
    });

    const failover = replicas > 0;
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'redis', {
      replicationGroupId: `${name}-redis`,
      description: `Redis for Beta9 environment ${name}`,
      engine: 'redis',
      engineVersion,
      nodeType,
      port: REDIS_PORT,
      numCacheClusters: 1 + replicas,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      parameterGroupName: this.parameterGroup.name,
      subnetGroupName: subnets.name,
      securityGroupIds: [this.securityGroup.securityGroup.id],
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      autoMinorVersionUpgrade: 'true',
      snapshotRetentionLimit: 7,
      snapshotWindow: '02:00-03:00',
      maintenanceWindow: 'sun:05:30-sun:06:30',
      finalSnapshotIdentifier: deletionProtection ? `${name}-redis-final` : undefined,
      applyImmediately: false,
    });
  }
}
