import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { InfraModel } from '../../model/types.js';
import { GcsBackend, TerraformOutput, type TerraformStack } from '../cdktf.js';
import { DATABASE_NAME, DATABASE_USER } from '../common.js';
import { GcpCache } from './cache.js';
import { GcpCluster } from './cluster.js';
import { GcpDatabase } from './database.js';
import { toGcpLabels } from './labels.js';
import { GcpNetwork } from './network.js';
import { GcpApis } from './services.js';
import { GcpStorage } from './storage.js';

/**
 * The outputs of a GCP environment: the AWS names where they mean the same thing (DESIGN.md),
 * then GCP's own (documented in docs/stacks.md).
 */
export const GCP_OUTPUTS = [
  'vpc_id',
  'cluster_name',
  'cluster_endpoint',
  'cluster_location',
  'database_connection_name',
  'database_private_ip',
  'database_secret_id',
  'database_name',
  'database_user',
  'redis_endpoint',
  'redis_port',
  'redis_ca_certificate',
  'bucket_name',
  'bucket_url',
] as const;

/** Fills `stack` with the GCP environment described by `model`. */
export function buildGcpStack(stack: TerraformStack, model: InfraModel): void {
  const { name, cloud, stateBackend } = model;
  if (cloud.provider !== 'gcp')
    throw new Error(`buildGcpStack: environment ${name} is on ${cloud.provider}, not gcp.`);
  if (stateBackend.type !== 'gcs') {
    throw new Error(
      `Environment ${name}: a GCP environment keeps its state in GCS, but the model has a ${stateBackend.type} backend.`,
    );
  }
  if (!cloud.serviceAccount) {
    throw new Error(
      `Environment ${name}: cloud.service_account is required for GCP (the account the provisioner impersonates).`,
    );
  }
  const project = cloud.account;
  const labels = toGcpLabels(model.tags);

  const provider = new GoogleProvider(stack, 'google', {
    project,
    region: cloud.region,
    impersonateServiceAccount: cloud.serviceAccount,
    addTerraformAttributionLabel: true,
  });
  // Set raw: the binding snake-cases the keys of this map (`managed-by` would become `managed_by`).
  provider.addOverride('default_labels', labels);
  new GcsBackend(stack, {
    bucket: stateBackend.bucket,
    prefix: stateBackend.prefix,
    impersonateServiceAccount: cloud.serviceAccount,
  });
  stack.addOverride('terraform.required_version', '>= 1.11');
  // The binding pins the exact provider version it was generated from; name its source in full.
  stack.addOverride('terraform.required_providers.google.source', 'hashicorp/google');

  const apis = new GcpApis(stack, 'apis', { project });
  const network = new GcpNetwork(stack, 'network', {
    name,
    region: cloud.region,
    network: model.network,
    dependsOn: apis.byConcern.network,
  });
  const cluster = new GcpCluster(stack, 'cluster', {
    name,
    project,
    region: cloud.region,
    cluster: model.cluster,
    zones: model.network.availabilityZones,
    usedCidrs: [model.network.cidr, model.network.podsCidr, model.network.servicesCidr],
    networkId: network.network.id,
    subnetworkId: network.subnetwork.id,
    labels,
    deletionProtection: model.deletionProtection,
    dependsOn: [...apis.byConcern.cluster, network.nat],
  });
  const database = new GcpDatabase(stack, 'database', {
    name,
    region: cloud.region,
    database: model.database,
    networkId: network.network.id,
    labels,
    dependsOn: [...apis.byConcern.database, network.privateServicesConnection],
  });
  const cache = new GcpCache(stack, 'cache', {
    name,
    region: cloud.region,
    cache: model.cache,
    networkId: network.network.id,
    labels,
    dependsOn: [...apis.byConcern.cache, network.privateServicesConnection],
  });
  const storage = new GcpStorage(stack, 'storage', {
    region: cloud.region,
    storage: model.storage,
    labels,
    deletionProtection: model.deletionProtection,
  });

  const outputs: Record<(typeof GCP_OUTPUTS)[number], { value: unknown; description: string }> = {
    vpc_id: {
      value: network.network.id,
      description: 'VPC network id (projects/<project>/global/networks/<name>)',
    },
    cluster_name: { value: cluster.cluster.name, description: 'GKE cluster name' },
    cluster_endpoint: {
      value: `https://${cluster.cluster.endpoint}`,
      description: 'GKE API server URL (same meaning as the EKS endpoint)',
    },
    cluster_location: { value: cluster.cluster.location, description: 'GKE cluster location (the region)' },
    database_connection_name: {
      value: database.instance.connectionName,
      description: 'Cloud SQL connection name (project:region:instance)',
    },
    database_private_ip: {
      value: database.instance.privateIpAddress,
      description: 'PostgreSQL private IP (port 5432, TLS required)',
    },
    database_secret_id: {
      value: database.passwordSecret.id,
      description: 'Secret Manager secret holding the beta9 user password (the id, not the password)',
    },
    database_name: { value: DATABASE_NAME, description: 'PostgreSQL database Beta9 uses' },
    database_user: {
      value: DATABASE_USER,
      description:
        'PostgreSQL user whose password is in database_secret_id (the secret holds only the password)',
    },
    redis_endpoint: { value: cache.instance.host, description: 'Redis host (private IP, TLS required)' },
    redis_port: { value: cache.instance.port, description: 'Redis port' },
    redis_ca_certificate: {
      value: cache.instance.serverCaCerts.get(0).cert,
      description:
        'PEM of the CA that signs the Redis server certificate (public; clients verify TLS with it)',
    },
    bucket_name: { value: storage.bucket.name, description: 'GCS bucket name' },
    bucket_url: { value: storage.bucket.url, description: 'GCS bucket URL (gs://…)' },
  };
  for (const [id, output] of Object.entries(outputs)) new TerraformOutput(stack, id, output);
}
