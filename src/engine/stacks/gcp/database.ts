import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version/index.js';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance/index.js';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database/index.js';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user/index.js';
import type { InfraModel } from '../../model/types.js';
import { DATABASE_NAME, DATABASE_USER, postgresMajor } from '../common.js';
import { Construct, Fn, TerraformLocal, type ITerraformDependable } from '../cdktf.js';

export interface GcpDatabaseConfig {
  name: string;
  region: string;
  database: InfraModel['database'];
  networkId: string;
  labels: Record<string, string>;
  /** The private services access connection: Cloud SQL needs it before it can take a private IP. */
  dependsOn?: ITerraformDependable[];
}

/**
 * Bump to rotate the database password: Terraform then sends a fresh value to both the Cloud SQL
 * user and the secret (write-only arguments are applied only when their version changes).
 */
export const PASSWORD_VERSION = 1;

/**
 * Cloud SQL for PostgreSQL with a private IP only (through the VPC's private services access),
 * TLS required, automated daily backups with point-in-time recovery, REGIONAL availability when
 * the file asks for high availability, and deletion protection in Terraform and in the API as the
 * file says; with protection on, backups are retained after the instance is deleted.
 *
 * The `beta9` user's password never enters the configuration, the plan or the state: a value is
 * generated at apply time from Terraform's `uuid()` (crypto/rand), hashed into 64 hex characters,
 * and passed only through write-only arguments (`password_wo` of the user and `secret_data_wo` of
 * a Secret Manager version, Terraform ≥ 1.11). The only output is the secret's id, from which the
 * bootstrap step reads it. Both consumers see the same value because a local is evaluated once
 * per run.
 */
export class GcpDatabase extends Construct {
  readonly instance: SqlDatabaseInstance;
  readonly passwordSecret: SecretManagerSecret;

  constructor(scope: Construct, id: string, config: GcpDatabaseConfig) {
    super(scope, id);
    const {
      name,
      region,
      database: {
        engineVersion,
        instanceClass,
        storageGb,
        maxStorageGb,
        highAvailability,
        backupRetentionDays,
        deletionProtection,
      },
      networkId,
      labels,
      dependsOn,
    } = config;
    if (backupRetentionDays < 7 || backupRetentionDays > 365) {
      throw new Error(
        `Environment ${name}: database backups must be kept 7 to 365 days, got ${backupRetentionDays}.`,
      );
    }

    this.instance = new SqlDatabaseInstance(this, 'postgres', {
      name: `${name}-postgres`,
      region,
      databaseVersion: `POSTGRES_${postgresMajor(engineVersion)}`,
      deletionProtection,
      settings: {
        tier: instanceClass,
        edition: 'ENTERPRISE',
        availabilityType: highAvailability ? 'REGIONAL' : 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: storageGb,
        diskAutoresize: true,
        diskAutoresizeLimit: maxStorageGb,
        deletionProtectionEnabled: deletionProtection,
        retainBackupsOnDelete: deletionProtection,
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: networkId,
          sslMode: 'ENCRYPTED_ONLY',
        },
        backupConfiguration: {
          enabled: true,
          startTime: '03:00',
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: 7,
          // One backup a day, so a count of backups is a number of days.
          backupRetentionSettings: { retainedBackups: backupRetentionDays, retentionUnit: 'COUNT' },
        },
        maintenanceWindow: { day: 7, hour: 4, updateTrack: 'stable' },
        insightsConfig: { queryInsightsEnabled: true },
        databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
        userLabels: labels,
      },
      dependsOn,
    });
    new SqlDatabase(this, 'database', { name: DATABASE_NAME, instance: this.instance.name });

    const password = new TerraformLocal(this, 'password', Fn.sha256(`${Fn.uuid()}${Fn.uuid()}`));
    new SqlUser(this, 'user', {
      name: DATABASE_USER,
      instance: this.instance.name,
      passwordWo: password.asString,
      passwordWoVersion: PASSWORD_VERSION,
      // PostgreSQL refuses to drop a role that owns objects; the instance's deletion removes it anyway.
      deletionPolicy: 'ABANDON',
    });
    this.passwordSecret = new SecretManagerSecret(this, 'password-secret', {
      secretId: `${name}-postgres-password`,
      replication: { auto: {} },
      labels,
      dependsOn,
    });
    new SecretManagerSecretVersion(this, 'password-version', {
      secret: this.passwordSecret.id,
      secretDataWo: password.asString,
      secretDataWoVersion: PASSWORD_VERSION,
    });
  }
}
