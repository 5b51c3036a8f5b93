import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group/index.js';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import type { InfraModel } from '../../model/types.js';
import { Construct } from '../cdktf.js';
import { DATABASE_NAME, DATABASE_USER, POSTGRES_PORT, postgresMajor } from '../common.js';
import { ServiceSecurityGroup } from './security.js';

export interface AwsDatabaseConfig {
  name: string;
  database: InfraModel['database'];
  vpcId: string;
  subnetIds: string[];
  /** Security group of the cluster nodes: the only allowed client. */
  clientSecurityGroupId: string;
}

/**
 * RDS for PostgreSQL in the private subnets: encrypted gp3 storage with autoscaling up to the
 * profile's maximum, TLS enforced by a parameter group, the master password generated and rotated
 * by RDS in Secrets Manager (`manage_master_user_password`, so no password ever enters the
 * Terraform configuration, plan, state or outputs), automated backups, Multi-AZ when the file asks
 * for high availability, and deletion protection as the file says. When protection is on, destroy
 * leaves a final snapshot; when the file turns it off, the environment is disposable and none is kept.
 */
export class AwsDatabase extends Construct {
  readonly instance: DbInstance;
  readonly securityGroup: ServiceSecurityGroup;
  readonly subnetGroup: DbSubnetGroup;

  constructor(scope: Construct, id: string, config: AwsDatabaseConfig) {
    super(scope, id);
    const {
      name,
      database: {
        engineVersion,
        instanceClass,
        storageGb,
        maxStorageGb,
        highAvailability,
        backupRetentionDays,
        deletionProtection,
      },
      vpcId,
      subnetIds,
      clientSecurityGroupId,
    } = config;
    if (backupRetentionDays < 7 || backupRetentionDays > 35) {
      throw new Error(
        `Environment ${name}: database backups must be kept 7 to 35 days (RDS allows up to 35), got ${backupRetentionDays}.`,
      );
    }
    const major = postgresMajor(engineVersion);

    this.securityGroup = new ServiceSecurityGroup(this, 'sg', {
      name: `${name}-postgres`,
      description: `PostgreSQL for Beta9 environment ${name}`,
      vpcId,
      port: POSTGRES_PORT,
      sourceSecurityGroupId: clientSecurityGroupId,
    });
    this.subnetGroup = new DbSubnetGroup(this, 'subnets', {
      name: `${name}-postgres`,
      description: `Private subnets of Beta9 environment ${name}`,
      subnetIds,
    });
    const parameters = new DbParameterGroup(this, 'parameters', {
      name: `${name}-postgres${major}`,
      family: `postgres${major}`,
      description: `TLS-only PostgreSQL ${major} for Beta9 environment ${name}`,
      parameter: [{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }],
      lifecycle: { createBeforeDestroy: true },
    });

    this.instance = new DbInstance(this, 'postgres', {
      identifier: `${name}-postgres`,
      engine: 'postgres',
      engineVersion,
      instanceClass,
      dbName: DATABASE_NAME,
      username: DATABASE_USER,
      manageMasterUserPassword: true,
      port: POSTGRES_PORT,
      allocatedStorage: storageGb,
      maxAllocatedStorage: maxStorageGb,
      storageType: 'gp3',
      storageEncrypted: true,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.securityGroup.id],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      multiAz: highAvailability,
      backupRetentionPeriod: backupRetentionDays,
      backupWindow: '03:00-04:00',
      maintenanceWindow: 'sun:04:30-sun:05:30',
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !deletionProtection,
      deletionProtection,
      skipFinalSnapshot: !deletionProtection,
      finalSnapshotIdentifier: deletionProtection ? `${name}-postgres-final` : undefined,
      autoMinorVersionUpgrade: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      caCertIdentifier: 'rds-ca-rsa2048-g1',
    });
  }
}
