import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseEnvironment } from '../../../src/engine/config/index.js';
import type { Size } from '../../../src/engine/config/types.js';
import { toInfraModel } from '../../../src/engine/model/index.js';
import { AWS_OUTPUTS, GCP_OUTPUTS, synthToJson } from '../../../src/engine/stacks/index.js';
import { SIZES } from './fixtures.js';
import { one, resources, type Json } from './helpers.js';

const EXAMPLES = new URL('../../../environments/', import.meta.url).pathname;

/** File → MetaConfig → InfraModel → Terraform JSON, the path the CLI and the Action take. */
function synthFile(file: string, text: string): Json {
  const { config, diagnostics } = parseEnvironment(file, text);
  if (!config) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return synthToJson(toInfraModel(config)) as Json;
}

describe('the examples in environments/', () => {
  const files = readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f));

  it('exist', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s synthesises with its backend key and the outputs of its cloud', (name) => {
    const tf = synthFile(join('environments', name), readFileSync(join(EXAMPLES, name), 'utf8'));
    const stem = name.replace(/\.ya?ml$/, '');
    const backend = (tf.terraform as Json).backend as Json;
    if (backend.s3) {
      expect((backend.s3 as Json).key).toBe(`environments/${stem}/terraform.tfstate`);
      expect(Object.keys(tf.output as Json).sort()).toEqual([...AWS_OUTPUTS].sort());
    } else {
      expect((backend.gcs as Json).prefix).toBe(`environments/${stem}`);
      expect(Object.keys(tf.output as Json).sort()).toEqual([...GCP_OUTPUTS].sort());
    }
  });
});

const yaml = (cloud: 'aws' | 'gcp', size: Size, ha: boolean) => `version: 1
name: env-${cloud}-${size}
cloud:
${
  cloud === 'aws'
    ? `  provider: aws
  region: eu-west-1
  account_id: "210987654321"
  role_arn: arn:aws:iam::210987654321:role/Beta9Provisioner`
    : `  provider: gcp
  region: europe-west1
  project_id: acme-prod-1
  service_account: p@acme-prod-1.iam.gserviceaccount.com`
}
cluster:
  size: ${size}
  gpu:
    type: ${cloud === 'aws' ? 'L4' : 'T4'}
    min_nodes: 0
    max_nodes: 3
database:
  size: ${size}
  high_availability: ${ha}
cache:
  size: ${size}
`;

describe.each(SIZES)('real size profiles, %s', (size) => {
  const zones = size === 'small' ? 2 : 3;

  it('AWS: zones, NAT gateways, Multi-AZ, replicas and the GPU group follow the profile', () => {
    const tf = synthFile(`env-aws-${size}.yaml`, yaml('aws', size, size !== 'small'));
    expect(resources(tf, 'aws_subnet')).toHaveLength(zones * 2);
    expect(resources(tf, 'aws_nat_gateway')).toHaveLength(size === 'large' ? zones : 1);
    expect(one(tf, 'aws_db_instance').multi_az).toBe(size !== 'small');
    const redis = one(tf, 'aws_elasticache_replication_group');
    expect(redis.num_cache_clusters as number).toBeGreaterThanOrEqual(1);
    expect(redis.automatic_failover_enabled).toBe((redis.num_cache_clusters as number) > 1);
    const gpu = resources(tf, 'aws_eks_node_group').find((g) => g.node_group_name === 'gpu');
    expect(gpu).toMatchObject({ ami_type: 'AL2023_x86_64_NVIDIA', instance_types: ['g6.xlarge'] });
    expect((tf.terraform as Json).backend).toMatchObject({
      s3: {
        bucket: 'beta9-tf-state-210987654321-eu-west-1',
        key: `environments/env-aws-${size}/terraform.tfstate`,
      },
    });
  });

  it('GCP: zones, REGIONAL database, Memorystore tier and the GPU pool follow the profile', () => {
    const tf = synthFile(`env-gcp-${size}.yaml`, yaml('gcp', size, size !== 'small'));
    expect(one(tf, 'google_container_cluster').node_locations).toHaveLength(zones);
    expect(resources(tf, 'google_compute_router_nat')).toHaveLength(1);
    expect((one(tf, 'google_sql_database_instance').settings as Json).availability_type).toBe(
      size === 'small' ? 'ZONAL' : 'REGIONAL',
    );
    expect(one(tf, 'google_redis_instance').tier).toBe(size === 'small' ? 'BASIC' : 'STANDARD_HA');
    const gpu = resources(tf, 'google_container_node_pool').find((p) => p.name === 'gpu')!;
    expect((gpu.node_config as Json).guest_accelerator).toEqual([
      { type: 'nvidia-tesla-t4', count: 1, gpu_driver_installation_config: { gpu_driver_version: 'LATEST' } },
    ]);
    expect((tf.terraform as Json).backend).toEqual({
      gcs: {
        bucket: 'beta9-tf-state-acme-prod-1',
        prefix: `environments/env-gcp-${size}`,
        impersonate_service_account: 'p@acme-prod-1.iam.gserviceaccount.com',
      },
    });
  });
});
