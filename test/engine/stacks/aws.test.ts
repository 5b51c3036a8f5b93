import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_OUTPUTS, synthToJson } from '../../../src/engine/stacks/index.js';
import { awsModel, SIZES } from './fixtures.js';
import { addressesOf, dataSources, one, refTarget, resources, type Json } from './helpers.js';

const awsBinding = JSON.parse(
  readFileSync(new URL('../../../node_modules/@cdktf/provider-aws/package.json', import.meta.url), 'utf8'),
) as { cdktf: { provider: { version: string } } };

describe.each(SIZES)('AWS stack, %s', (size) => {
  const model = awsModel(size);
  const tf = synthToJson(model) as Json;
  const expected = {
    small: { azs: 2, nats: 1, replicas: 0, ha: false },
    medium: { azs: 3, nats: 1, replicas: 1, ha: false },
    large: { azs: 3, nats: 3, replicas: 2, ha: true },
  }[size];

  it('keeps state in the S3 backend DESIGN.md names, encrypted and lock-filed', () => {
    const terraform = tf.terraform as Json;
    expect((terraform.backend as Json).s3).toMatchObject({
      bucket: 'beta9-tf-state-123456789012-us-east-1',
      key: `environments/aws-${size}/terraform.tfstate`,
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
      assume_role: { role_arn: 'arn:aws:iam::123456789012:role/Beta9Provisioner', external_id: 'tenant-42' },
    });
    expect(terraform.required_version).toBe('>= 1.11');
  });

  it('pins the provider version of the installed binding', () => {
    const required = (tf.terraform as Json).required_providers as Json;
    expect(required.aws).toEqual({ source: 'hashicorp/aws', version: awsBinding.cdktf.provider.version });
  });

  it('assumes the file role with its external id and tags everything', () => {
    const [provider] = (tf.provider as { aws: Json[] }).aws;
    expect(provider).toMatchObject({
      region: 'us-east-1',
      allowed_account_ids: ['123456789012'],
      assume_role: [
        { role_arn: 'arn:aws:iam::123456789012:role/Beta9Provisioner', external_id: 'tenant-42' },
      ],
      default_tags: [
        { tags: { team: 'ml', 'beta9:environment': `aws-${size}`, 'managed-by': 'beta9-provisioner' } },
      ],
    });
  });

  it(`spreads the VPC over ${expected.azs} AZs with ${expected.nats} NAT gateway(s)`, () => {
    const subnets = resources(tf, 'aws_subnet');
    expect(subnets).toHaveLength(expected.azs * 2);
    expect(new Set(subnets.map((s) => s.availability_zone)).size).toBe(expected.azs);
    expect(resources(tf, 'aws_nat_gateway')).toHaveLength(expected.nats);
    expect(resources(tf, 'aws_eip')).toHaveLength(expected.nats);
    for (const subnet of subnets) {
      expect(subnet.map_public_ip_on_launch ?? false).toBe(false);
      const tags = subnet.tags as Record<string, string>;
      expect(tags[`kubernetes.io/cluster/aws-${size}`]).toBe('shared');
      const role = String(tags.Name).includes('-public-')
        ? 'kubernetes.io/role/elb'
        : 'kubernetes.io/role/internal-elb';
      expect(tags[role]).toBe('1');
    }
    // Each private route table leaves through a NAT; with one per AZ, each through its own.
    const privateTables = resources(tf, 'aws_route_table').filter((rt) =>
      String((rt.tags as Json).Name).includes('private'),
    );
    expect(privateTables).toHaveLength(expected.azs);
    const nats = new Set(privateTables.map((rt) => (rt.route as Json[])[0]!.nat_gateway_id));
    expect(nats.size).toBe(expected.nats);
  });

  it('runs the cluster and every node group in private subnets only', () => {
    const privateSubnets = addressesOf(tf, 'aws_subnet', (n) => n.includes('private'));
    const cluster = one(tf, 'aws_eks_cluster');
    const vpcConfig = cluster.vpc_config as Json;
    expect((vpcConfig.subnet_ids as string[]).map(refTarget).sort()).toEqual(privateSubnets.sort());
    expect(vpcConfig.endpoint_private_access).toBe(true);
    expect(cluster.version).toBe('1.33');
    expect(cluster.deletion_protection).toBe(true);
    expect((cluster.encryption_config as Json).resources).toEqual(['secrets']);
    for (const group of resources(tf, 'aws_eks_node_group')) {
      expect((group.subnet_ids as string[]).map(refTarget).sort()).toEqual(privateSubnets.sort());
      expect(refTarget(group.node_role_arn)).toMatch(/^aws_iam_role\.cluster_node-role/);
    }
  });

  it('adds the GPU node group on the NVIDIA AMI with a taint', () => {
    const groups = resources(tf, 'aws_eks_node_group');
    const gpu = groups.find((g) => g.node_group_name === 'gpu')!;
    expect(gpu).toMatchObject({
      ami_type: 'AL2023_x86_64_NVIDIA',
      instance_types: ['g4dn.xlarge'],
      scaling_config: { min_size: 0, max_size: 2, desired_size: 0 },
      taint: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
    });
    for (const g of groups.filter((x) => x !== gpu)) expect(g.ami_type).toBe('AL2023_x86_64_STANDARD');
  });

  it('registers the cluster OIDC issuer for service-account roles', () => {
    const oidc = one(tf, 'aws_iam_openid_connect_provider');
    expect(oidc.url).toMatch(/^\$\{aws_eks_cluster\.cluster_\w+\.identity\[0\]\.oidc\[0\]\.issuer\}$/);
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    const addon = one(tf, 'aws_eks_addon');
    expect(addon.addon_name).toBe('aws-ebs-csi-driver');
  });

  it('makes PostgreSQL private, encrypted, backed up and password-less in Terraform', () => {
    const db = one(tf, 'aws_db_instance');
    expect(db).toMatchObject({
      engine: 'postgres',
      storage_encrypted: true,
      manage_master_user_password: true,
      publicly_accessible: false,
      multi_az: expected.ha,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: `aws-${size}-postgres-final`,
    });
    expect(db.password).toBeUndefined();
    expect(db.backup_retention_period as number).toBeGreaterThanOrEqual(7);
    expect(refTarget(db.db_subnet_group_name)).toMatch(/^aws_db_subnet_group\./);
    const params = one(tf, 'aws_db_parameter_group');
    expect(params.family).toBe('postgres16');
    expect(params.parameter).toContainEqual(expect.objectContaining({ name: 'rds.force_ssl', value: '1' }));
  });

  it('runs Redis as an encrypted replication group with key-space events on', () => {
    const redis = one(tf, 'aws_elasticache_replication_group');
    expect(redis).toMatchObject({
      engine: 'redis',
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      num_cache_clusters: 1 + expected.replicas,
      automatic_failover_enabled: expected.replicas > 0,
      multi_az_enabled: expected.replicas > 0,
    });
    const params = one(tf, 'aws_elasticache_parameter_group');
    expect(params.family).toBe('redis7');
    expect(params.parameter).toEqual([{ name: 'notify-keyspace-events', value: 'AKE' }]);
    expect(refTarget(redis.parameter_group_name)).toMatch(/^aws_elasticache_parameter_group\./);
    expect(refTarget(redis.subnet_group_name)).toMatch(/^aws_elasticache_subnet_group\./);
  });

  it('lets only the cluster nodes reach the database and the cache', () => {
    const groups = resources(tf, 'aws_security_group');
    expect(groups).toHaveLength(2);
    for (const sg of groups) {
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    }
    const rules = resources(tf, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => r.from_port).sort()).toEqual([5432, 6379]);
    for (const rule of rules) {
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.cidr_ipv6).toBeUndefined();
      expect(rule.to_port).toBe(rule.from_port);
      expect(rule.referenced_security_group_id).toMatch(
        /aws_eks_cluster\.\w+\.vpc_config\[0\]\.cluster_security_group_id/,
      );
    }
    expect(JSON.stringify(tf.resource)).not.toContain('0.0.0.0/0"]');
  });

  it('locks the bucket down: encryption, versioning, no public access, TLS only, noncurrent expiry', () => {
    expect(one(tf, 'aws_s3_bucket').bucket).toBe(`beta9-aws-${size}-123456789012`);
    expect(one(tf, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const sse = one(tf, 'aws_s3_bucket_server_side_encryption_configuration');
    expect((sse.rule as Json[])[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' },
      bucket_key_enabled: true,
    });
    expect(one(tf, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = dataSources(tf, 'aws_iam_policy_document').find((d) =>
      JSON.stringify(d).includes('aws:SecureTransport'),
    )!;
    expect((policy.statement as Json[])[0]).toMatchObject({
      effect: 'Deny',
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
    expect(one(tf, 'aws_s3_bucket_policy').policy).toMatch(
      /^\$\{data\.aws_iam_policy_document\.storage_tls-only_\w+\.json\}$/,
    );
    const lifecycle = one(tf, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle.rule).toContainEqual(
      expect.objectContaining({
        status: 'Enabled',
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      }),
    );
  });

  it('declares exactly the DESIGN.md outputs, none of them secret', () => {
    const outputs = tf.output as Record<string, Json>;
    expect(Object.keys(outputs).sort()).toEqual([...AWS_OUTPUTS].sort());
    expect(outputs.rds_master_user_secret_arn!.value).toMatch(/master_user_secret\[0\]\.secret_arn/);
    expect(outputs.rds_endpoint!.value).toMatch(/aws_db_instance\.\w+\.address/);
    expect(outputs.redis_port!.value).toMatch(/aws_elasticache_replication_group\.\w+\.port/);
    for (const output of Object.values(outputs))
      expect(String(output.value)).not.toMatch(/password|auth_token/);
  });
});

describe('AWS stack options', () => {
  it('drops the final snapshot and deletion protection when the file turns protection off', () => {
    const base = awsModel('small');
    const tf = synthToJson({
      ...base,
      deletionProtection: false,
      database: { ...base.database, deletionProtection: false },
    }) as Json;
    const db = one(tf, 'aws_db_instance');
    expect(db).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(db.final_snapshot_identifier).toBeUndefined();
    expect(one(tf, 'aws_eks_cluster').deletion_protection).toBe(false);
    expect(one(tf, 'aws_s3_bucket').force_destroy).toBe(true);
  });

  it('omits the GPU group and the external id when the file has none', () => {
    const base = awsModel('medium');
    const tf = synthToJson({
      ...base,
      cloud: { ...base.cloud, externalId: undefined },
      cluster: { ...base.cluster, gpu: undefined },
    }) as Json;
    expect(resources(tf, 'aws_eks_node_group').map((g) => g.node_group_name)).toEqual(['system']);
    const [provider] = (tf.provider as { aws: Json[] }).aws;
    expect((provider!.assume_role as Json[])[0]!.external_id).toBeUndefined();
  });

  it('suspends versioning when the file turns it off', () => {
    const base = awsModel('small');
    const tf = synthToJson({ ...base, storage: { ...base.storage, versioning: false } }) as Json;
    expect(one(tf, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Suspended' });
  });

  it.each([
    [
      'one availability zone',
      (m: ReturnType<typeof awsModel>) => ({
        ...m,
        network: { ...m.network, availabilityZones: ['us-east-1a'] },
      }),
      /at least two availability zones/,
    ],
    [
      'short backups',
      (m: ReturnType<typeof awsModel>) => ({ ...m, database: { ...m.database, backupRetentionDays: 3 } }),
      /7 to 35 days.*got 3/,
    ],
    [
      'a bad engine version',
      (m: ReturnType<typeof awsModel>) => ({ ...m, database: { ...m.database, engineVersion: 'latest' } }),
      /Invalid PostgreSQL engine version 'latest'/,
    ],
    [
      'a GCS backend',
      (m: ReturnType<typeof awsModel>) => ({
        ...m,
        stateBackend: { type: 'gcs' as const, bucket: 'b', prefix: 'p' },
      }),
      /keeps its state in S3/,
    ],
  ])('refuses a model with %s, naming the problem', (_, change, message) => {
    expect(() => synthToJson(change(awsModel('small')))).toThrow(message);
  });
});
