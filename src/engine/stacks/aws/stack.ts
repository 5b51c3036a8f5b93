import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import type { InfraModel } from '../../model/types.js';
import { S3Backend, TerraformOutput, type TerraformStack } from '../cdktf.js';
import { AwsCache } from './cache.js';
import { AwsCluster } from './cluster.js';
import { AwsDatabase } from './database.js';
import { AwsNetwork } from './network.js';
import { AwsStorage } from './storage.js';

/** The outputs of an AWS environment (contract: DESIGN.md "Terraform"). */
export const AWS_OUTPUTS = [
  'vpc_id',
  'cluster_name',
  'cluster_endpoint',
  'rds_endpoint',
  'rds_master_user_secret_arn',
  'redis_endpoint',
  'redis_port',
  'bucket_name',
  'bucket_arn',
] as const;

/** Fills `stack` with the AWS environment described by `model`. */
export function buildAwsStack(stack: TerraformStack, model: InfraModel): void {
  const { name, cloud, stateBackend, tags } = model;
  if (cloud.provider !== 'aws')
    throw new Error(`buildAwsStack: environment ${name} is on ${cloud.provider}, not aws.`);
  if (stateBackend.type !== 's3') {
    throw new Error(
      `Environment ${name}: an AWS environment keeps its state in S3, but the model has a ${stateBackend.type} backend.`,
    );
  }
  if (!cloud.roleArn) {
    throw new Error(
      `Environment ${name}: cloud.role_arn is required for AWS (the role the provisioner assumes).`,
    );
  }

  // The same role and external id for the provider and the state backend: one identity per environment.
  const assumeRole = {
    roleArn: cloud.roleArn,
    sessionName: `beta9-provisioner-${name}`,
    ...(cloud.externalId ? { externalId: cloud.externalId } : {}),
  };
  new AwsProvider(stack, 'aws', {
    region: cloud.region,
    allowedAccountIds: [cloud.account],
    assumeRole: [assumeRole],
    defaultTags: [{ tags }],
  });
  const backend = new S3Backend(stack, {
    bucket: stateBackend.bucket,
    key: stateBackend.key,
    region: stateBackend.region,
    encrypt: stateBackend.encrypt,
    assumeRole,
  });
  // S3-native locking (Terraform ≥ 1.11, OpenTofu ≥ 1.10); cdktf 0.21's S3BackendConfig predates it.
  backend.addOverride('use_lockfile', stateBackend.useLockfile);
  stack.addOverride('terraform.required_version', '>= 1.11');
  // The binding pins the exact provider version it was generated from; name its source in full.
  stack.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');

  const network = new AwsNetwork(stack, 'network', { name, network: model.network });
  const privateSubnetIds = network.privateSubnets.map((s) => s.id);
  const cluster = new AwsCluster(stack, 'cluster', {
    name,
    cluster: model.cluster,
    subnetIds: privateSubnetIds,
    deletionProtection: model.deletionProtection,
  });
  const database = new AwsDatabase(stack, 'database', {
    name,
    database: model.database,
    vpcId: network.vpc.id,
    subnetIds: privateSubnetIds,
    clientSecurityGroupId: cluster.nodeSecurityGroupId,
  });
  const cache = new AwsCache(stack, 'cache', {
    name,
    cache: model.cache,
    vpcId: network.vpc.id,
    subnetIds: privateSubnetIds,
    clientSecurityGroupId: cluster.nodeSecurityGroupId,
    deletionProtection: model.deletionProtection,
  });
  const storage = new AwsStorage(stack, 'storage', {
    storage: model.storage,
    deletionProtection: model.deletionProtection,
  });

  const outputs: Record<(typeof AWS_OUTPUTS)[number], { value: unknown; description: string }> = {
    vpc_id: { value: network.vpc.id, description: 'VPC id' },
    cluster_name: { value: cluster.cluster.name, description: 'EKS cluster name' },
    cluster_endpoint: { value: cluster.cluster.endpoint, description: 'EKS API server URL' },
    rds_endpoint: {
      value: database.instance.address,
      description: 'PostgreSQL host name (port 5432, TLS required)',
    },
    rds_master_user_secret_arn: {
      value: database.instance.masterUserSecret.get(0).secretArn,
      description:
        'ARN of the Secrets Manager secret RDS keeps the master credentials in (the ARN, not the secret)',
    },
    redis_endpoint: {
      value: cache.replicationGroup.primaryEndpointAddress,
      description: 'Redis primary endpoint host name (TLS required)',
    },
    redis_port: { value: cache.replicationGroup.port, description: 'Redis port' },
    bucket_name: { value: storage.bucket.bucket, description: 'S3 bucket name' },
    bucket_arn: { value: storage.bucket.arn, description: 'S3 bucket ARN' },
  };
  for (const [id, output] of Object.entries(outputs)) new TerraformOutput(stack, id, output);
}
