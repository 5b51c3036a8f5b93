import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createTerraformRunner,
  type OutputLine,
  type TerraformRunnerOptions,
} from '../../../src/engine/terraform/index.js';

export const DOUBLE_DIR = resolve(import.meta.dirname, '../../doubles/bin');
export const TERRAFORM = join(DOUBLE_DIR, 'terraform');
export const TOFU = join(DOUBLE_DIR, 'tofu');

/** A small AWS stack in the shape CDKTF synthesises (metadata keys, provider list, backend). */
export function awsStack(overrides: { cidr?: string; instanceClass?: string; engine?: string } = {}) {
  return {
    '//': { metadata: { backend: 's3', stackName: 'demo', version: '0.21.0' } },
    terraform: { backend: { s3: {} }, required_providers: { aws: { source: 'aws', version: '6.21.0' } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    data: { aws_availability_zones: { azs: { state: 'available' } } },
    resource: {
      aws_vpc: {
        main: {
          '//': { metadata: { path: 'demo/network/vpc', uniqueId: 'main' } },
          cidr_block: overrides.cidr ?? '10.0.0.0/16',
          tags: { Name: 'beta9-demo' },
        },
      },
      aws_subnet: {
        private: {
          count: 2,
          vpc_id: '${aws_vpc.main.id}',
          cidr_block: '10.0.${count.index}.0/24',
          availability_zone: '${data.aws_availability_zones.azs.names[count.index]}',
        },
      },
      aws_db_instance: {
        main: {
          identifier: 'beta9-demo',
          engine: overrides.engine ?? 'postgres',
          instance_class: overrides.instanceClass ?? 'db.t4g.medium',
          manage_master_user_password: true,
          username: 'beta9',
        },
      },
      aws_s3_bucket: { main: { bucket: 'beta9-demo-123456789012' } },
    },
    output: {
      vpc_id: { value: '${aws_vpc.main.id}' },
      rds_endpoint: { value: '${aws_db_instance.main.address}' },
      rds_master_user_secret_arn: {
        value: '${aws_db_instance.main.master_user_secret[0].secret_arn}',
        sensitive: true,
      },
      bucket_name: { value: '${aws_s3_bucket.main.bucket}' },
      bucket_arn: { value: '${aws_s3_bucket.main.arn}' },
    },
  };
}

export function gcpStack() {
  return {
    terraform: { backend: { gcs: {} } },
    provider: { google: [{ project: 'my-proj', region: 'us-central1' }] },
    resource: {
      google_compute_network: { main: { name: 'beta9-demo', auto_create_subnetworks: false } },
      google_storage_bucket: { main: { name: 'beta9-demo-my-proj', location: 'US' } },
    },
    output: { vpc_id: { value: '${google_compute_network.main.id}' } },
  };
}

export function workdir(stack: object = awsStack()): string {
  const dir = mkdtempSync(join(tmpdir(), 'beta9-tf-'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  return dir;
}

export function writeStack(dir: string, stack: object) {
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
}

export const S3_BACKEND = {
  type: 's3' as const,
  bucket: 'beta9-tf-state-123456789012-us-east-1',
  key: 'environments/demo/terraform.tfstate',
  region: 'us-east-1',
  encrypt: true as const,
  useLockfile: true as const,
};

export function runnerFor(
  cwd: string,
  doubleEnv: Record<string, string> = {},
  extra: Partial<TerraformRunnerOptions> = {},
) {
  const lines: OutputLine[] = [];
  const runner = createTerraformRunner({
    binary: TERRAFORM,
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...doubleEnv },
    onLine: (l) => lines.push(l),
    ...extra,
  });
  return { runner, lines };
}
