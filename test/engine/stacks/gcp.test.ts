import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controlPlaneCidr } from '../../../src/engine/stacks/gcp/cluster.js';
import { toGcpLabels } from '../../../src/engine/stacks/gcp/labels.js';
import { GCP_OUTPUTS, synthToJson } from '../../../src/engine/stacks/index.js';
import { gcpModel, SIZES } from './fixtures.js';
import { one, refTarget, resources, type Json } from './helpers.js';

const googleBinding = JSON.parse(
  readFileSync(new URL('../../../node_modules/@cdktf/provider-google/package.json', import.meta.url), 'utf8'),
) as { cdktf: { provider: { version: string } } };

const LABELS = { team: 'ml', 'beta9-environment': '', 'managed-by': 'beta9-provisioner' };

describe.each(SIZES)('GCP stack, %s', (size) => {
  const model = gcpModel(size);
  const tf = synthToJson(model) as Json;
  const labels = { ...LABELS, 'beta9-environment': `gcp-${size}` };
  const expected = {
    small: { zones: 2, replicas: 0, ha: false },
    medium: { zones: 3, replicas: 1, ha: false },
    large: { zones: 3, replicas: 2, ha: true },
  }[size];

  it('keeps state in the GCS backend DESIGN.md names', () => {
    const terraform = tf.terraform as Json;
    expect((terraform.backend as Json).gcs).toEqual({
      bucket: 'beta9-tf-state-my-gcp-project',
      prefix: `environments/gcp-${size}`,
      impersonate_service_account: 'sa@my-gcp-project.iam.gserviceaccount.com',
    });
    expect(terraform.required_providers).toEqual({
      google: { source: 'hashicorp/google', version: googleBinding.cdktf.provider.version },
    });
  });

  it('impersonates the file service account and labels everything with GCP-safe labels', () => {
    const [provider] = (tf.provider as { google: Json[] }).google;
    expect(provider).toMatchObject({
      project: 'my-gcp-project',
      region: 'us-central1',
      impersonate_service_account: 'sa@my-gcp-project.iam.gserviceaccount.com',
      default_labels: labels,
    });
    expect(one(tf, 'google_sql_database_instance').settings).toMatchObject({ user_labels: labels });
    expect(one(tf, 'google_redis_instance').labels).toEqual(labels);
    expect(one(tf, 'google_storage_bucket').labels).toEqual(labels);
  });

  it('builds a VPC-native subnet with pod and service ranges, a router and one Cloud NAT', () => {
    const subnet = one(tf, 'google_compute_subnetwork');
    expect(subnet).toMatchObject({
      ip_cidr_range: model.network.privateSubnets[0],
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: 'pods', ip_cidr_range: '10.100.0.0/16' },
        { range_name: 'services', ip_cidr_range: '10.101.0.0/20' },
      ],
    });
    expect(one(tf, 'google_compute_network').auto_create_subnetworks).toBe(false);
    expect(resources(tf, 'google_compute_router')).toHaveLength(1);
    expect(one(tf, 'google_compute_router_nat')).toMatchObject({
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
    expect(one(tf, 'google_service_networking_connection').service).toBe('servicenetworking.googleapis.com');
    expect(one(tf, 'google_compute_global_address')).toMatchObject({
      purpose: 'VPC_PEERING',
      address_type: 'INTERNAL',
    });
  });

  it(`runs a private, regional GKE cluster over ${expected.zones} zones with Workload Identity`, () => {
    const cluster = one(tf, 'google_container_cluster');
    expect(cluster).toMatchObject({
      location: 'us-central1',
      networking_mode: 'VPC_NATIVE',
      remove_default_node_pool: true,
      deletion_protection: true,
      min_master_version: '1.33',
      ip_allocation_policy: {
        cluster_secondary_range_name: 'pods',
        services_secondary_range_name: 'services',
      },
      private_cluster_config: { enable_private_nodes: true, master_ipv4_cidr_block: '172.16.0.0/28' },
      workload_identity_config: { workload_pool: 'my-gcp-project.svc.id.goog' },
    });
    expect(cluster.node_locations).toHaveLength(expected.zones);
    for (const pool of resources(tf, 'google_container_node_pool')) {
      expect(pool.node_locations).toEqual(cluster.node_locations);
      const nodeConfig = pool.node_config as Json;
      expect(refTarget(nodeConfig.service_account)).toMatch(/^google_service_account\.cluster_nodes-sa/);
      expect(nodeConfig.workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
      expect(nodeConfig.shielded_instance_config).toMatchObject({ enable_secure_boot: true });
    }
    const roles = resources(tf, 'google_project_iam_member').map((m) => m.role);
    expect(roles).not.toContain('roles/editor');
    expect(roles).not.toContain('roles/owner');
  });

  it('adds the GPU node pool with its accelerator and driver installation', () => {
    const gpu = resources(tf, 'google_container_node_pool').find((p) => p.name === 'gpu')!;
    expect(gpu).toMatchObject({
      autoscaling: { total_min_node_count: 0, total_max_node_count: 2 },
      initial_node_count: 0,
      node_config: {
        machine_type: 'n1-standard-4',
        guest_accelerator: [
          {
            type: 'nvidia-tesla-t4',
            count: 1,
            gpu_driver_installation_config: { gpu_driver_version: 'LATEST' },
          },
        ],
        taint: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
      },
    });
    const system = resources(tf, 'google_container_node_pool').find((p) => p.name === 'system')!;
    expect((system.node_config as Json).guest_accelerator).toBeUndefined();
  });

  it('puts Cloud SQL on a private IP only, TLS-only, backed up, REGIONAL when HA', () => {
    const sql = one(tf, 'google_sql_database_instance');
    expect(sql).toMatchObject({
      database_version: 'POSTGRES_16',
      deletion_protection: true,
      settings: {
        availability_type: expected.ha ? 'REGIONAL' : 'ZONAL',
        deletion_protection_enabled: true,
        ip_configuration: { ipv4_enabled: false, ssl_mode: 'ENCRYPTED_ONLY' },
        backup_configuration: { enabled: true, point_in_time_recovery_enabled: true },
      },
    });
    const settings = sql.settings as Json;
    expect(refTarget((settings.ip_configuration as Json).private_network)).toMatch(
      /^google_compute_network\./,
    );
    const retention = (settings.backup_configuration as Json).backup_retention_settings as Json;
    expect(retention.retained_backups as number).toBeGreaterThanOrEqual(7);
    expect(sql.depends_on).toContainEqual(expect.stringMatching(/^google_service_networking_connection\./));
  });

  it('keeps the database password out of configuration, state and outputs', () => {
    const user = one(tf, 'google_sql_user');
    expect(user.password).toBeUndefined();
    expect(user.password_wo).toMatch(/^\$\{local\.database_password_\w+\}$/);
    const version = one(tf, 'google_secret_manager_secret_version');
    expect(version.secret_data).toBeUndefined();
    expect(version.secret_data_wo).toBe(user.password_wo);
    const locals = tf.locals as Record<string, string>;
    expect(Object.values(locals)).toEqual(['${sha256("${uuid()}${uuid()}")}']);
    for (const output of Object.values(tf.output as Record<string, Json>)) {
      expect(String(output.value)).not.toMatch(/local\.|password_wo|secret_data|auth_string/);
    }
  });

  it('runs Memorystore with TLS and key-space events, HA when the profile has replicas', () => {
    const redis = one(tf, 'google_redis_instance');
    expect(redis).toMatchObject({
      tier: expected.replicas > 0 ? 'STANDARD_HA' : 'BASIC',
      transit_encryption_mode: 'SERVER_AUTHENTICATION',
      connect_mode: 'PRIVATE_SERVICE_ACCESS',
      redis_configs: { 'notify-keyspace-events': 'AKE' },
      redis_version: 'REDIS_7_2',
    });
    expect(refTarget(redis.authorized_network)).toMatch(/^google_compute_network\./);
    expect(redis.replica_count).toBe(expected.replicas > 1 ? expected.replicas : undefined);
  });

  it('locks the bucket down: uniform access, public access prevention, versioning, noncurrent expiry', () => {
    expect(one(tf, 'google_storage_bucket')).toMatchObject({
      name: `beta9-gcp-${size}-my-gcp-project`,
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: true },
      force_destroy: false,
      lifecycle_rule: expect.arrayContaining([
        { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 30, with_state: 'ARCHIVED' } },
      ]),
    });
  });

  it('declares the common outputs plus the documented GCP ones', () => {
    const outputs = tf.output as Record<string, Json>;
    expect(Object.keys(outputs).sort()).toEqual([...GCP_OUTPUTS].sort());
    for (const common of [
      'vpc_id',
      'cluster_name',
      'cluster_endpoint',
      'redis_endpoint',
      'redis_port',
      'bucket_name',
    ]) {
      expect(outputs[common]).toBeDefined();
    }
    expect(outputs.cluster_endpoint!.value).toMatch(
      /^https:\/\/\$\{google_container_cluster\.\w+\.endpoint\}$/,
    );
    expect(outputs.database_secret_id!.value).toMatch(/google_secret_manager_secret\.[\w-]+\.id/);
  });
});

describe('GCP stack options', () => {
  it('turns deletion protection off everywhere when the file does', () => {
    const base = gcpModel('small');
    const tf = synthToJson({
      ...base,
      deletionProtection: false,
      database: { ...base.database, deletionProtection: false },
    }) as Json;
    expect(one(tf, 'google_sql_database_instance')).toMatchObject({
      deletion_protection: false,
      settings: { deletion_protection_enabled: false, retain_backups_on_delete: false },
    });
    expect(one(tf, 'google_container_cluster').deletion_protection).toBe(false);
    expect(one(tf, 'google_storage_bucket').force_destroy).toBe(true);
  });

  it('omits the GPU pool when the file has none', () => {
    const base = gcpModel('small');
    const tf = synthToJson({ ...base, cluster: { ...base.cluster, gpu: undefined } }) as Json;
    expect(resources(tf, 'google_container_node_pool').map((p) => p.name)).toEqual(['system']);
  });

  it('moves the control plane off a network that overlaps 172.16.0.0/28', () => {
    expect(controlPlaneCidr(['10.0.0.0/16'])).toBe('172.16.0.0/28');
    expect(controlPlaneCidr(['172.16.0.0/16', '10.100.0.0/16'])).toBe('192.168.255.240/28');
    expect(() => controlPlaneCidr(['172.16.0.0/12', '192.168.0.0/16', '10.0.0.0/8'])).toThrow(/No free \/28/);
  });

  it('folds AWS-style tags into valid GCP labels', () => {
    expect(toGcpLabels({ 'beta9:environment': 'x', Team: 'ML Ops', '9lives': 'cat.v2' })).toEqual({
      'beta9-environment': 'x',
      team: 'ml-ops',
      't-9lives': 'cat-v2',
    });
  });

  it.each([
    [
      'no GPU accelerator',
      (m: ReturnType<typeof gcpModel>) => ({
        ...m,
        cluster: { ...m.cluster, gpu: { ...m.cluster.gpu!, accelerator: undefined } },
      }),
      /no GCP accelerator type/,
    ],
    [
      'read replicas on a small instance',
      (m: ReturnType<typeof gcpModel>) => ({ ...m, cache: { ...m.cache, replicas: 2, memoryGb: 1 } }),
      /at least 5 GB/,
    ],
    [
      'no service account',
      (m: ReturnType<typeof gcpModel>) => ({ ...m, cloud: { ...m.cloud, serviceAccount: undefined } }),
      /cloud\.service_account is required/,
    ],
  ])('refuses a model with %s, naming the problem', (_, change, message) => {
    expect(() => synthToJson(change(gcpModel('small')))).toThrow(message);
  });
});
