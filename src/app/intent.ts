/**
 * What a pull request does to each environment, in plain words: created, changed or
 * destroyed, the meaningful InfraModel differences, the monthly cost difference and the
 * warnings a reviewer must not miss. Pure: the comment renderer and its snapshot tests read it.
 */
import type { Diagnostic, MetaConfig } from '../engine/config/types.js';
import type { InfraModel, NodeGroup } from '../engine/model/types.js';

/** One version of an environment file, parsed and modelled. */
export interface EnvironmentVersion {
  path: string;
  config: MetaConfig;
  model: InfraModel;
  /** Estimated monthly cost in USD, when an estimate is available. */
  monthlyCost?: number;
}

export type IntentAction = 'create' | 'change' | 'destroy' | 'unchanged' | 'invalid';

export interface EnvironmentIntent {
  name: string;
  path: string;
  action: IntentAction;
  /** Human-readable differences, e.g. `database medium → large: db.r6g.large → db.r6g.xlarge`. */
  changes: string[];
  warnings: string[];
  /** Monthly cost before and after (null when absent on that side). */
  cost?: { before: number | null; after: number | null };
  /** Problems that make the file invalid or the change refused. */
  problems: Diagnostic[];
  where?: { provider: string; region: string };
}

const arrow = (a: unknown, b: unknown): string => `${String(a)} → ${String(b)}`;
const onOff = (v: boolean): string => (v ? 'on' : 'off');

function nodes(groups: NodeGroup[]): string {
  return groups.map((g) => `${g.instanceType} ×${g.desiredNodes}`).join(' + ') || 'none';
}

function gpu(model: InfraModel): string {
  const pool = model.cluster.gpu;
  return pool ? `${pool.gpuType} (${pool.instanceType}) ${pool.minNodes}–${pool.maxNodes} nodes` : 'none';
}

function tagsDiff(a: Record<string, string>, b: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(b)) if (a[k] !== v) out.push(`${k}=${v}`);
  for (const k of Object.keys(a)) if (!(k in b)) out.push(`-${k}`);
  return out;
}

/** The differences a reviewer cares about between two versions of one environment. */
export function diffModels(
  before: EnvironmentVersion,
  after: EnvironmentVersion,
): { changes: string[]; warnings: string[] } {
  const a = before.model;
  const b = after.model;
  const changes: string[] = [];
  const warnings: string[] = [];
  const replacesEverything = (what: string): void => {
    warnings.push(
      `${what} replaces every resource of \`${b.name}\`: the cluster, the database (its data is lost unless you copy it first), the cache and the bucket are destroyed and created again.`,
    );
  };

  if (a.cloud.provider !== b.cloud.provider) {
    changes.push(`cloud provider ${arrow(a.cloud.provider, b.cloud.provider)}`);
    replacesEverything('Changing the cloud provider');
  } else if (a.cloud.region !== b.cloud.region) {
    changes.push(`region ${arrow(a.cloud.region, b.cloud.region)}`);
    replacesEverything('Changing the region');
  } else if (a.cloud.account !== b.cloud.account) {
    changes.push(
      `${b.cloud.provider === 'aws' ? 'AWS account' : 'GCP project'} ${arrow(a.cloud.account, b.cloud.account)}`,
    );
    replacesEverything(`Changing the ${b.cloud.provider === 'aws' ? 'account' : 'project'}`);
  } else if (a.network.cidr !== b.network.cidr) {
    changes.push(`network ${arrow(a.network.cidr, b.network.cidr)}`);
    warnings.push(
      'Changing the network CIDR replaces the VPC and everything inside it, including the database (its data is lost unless you copy it first).',
    );
  }
  if (a.cloud.roleArn !== b.cloud.roleArn)
    changes.push(`role ${arrow(a.cloud.roleArn ?? 'none', b.cloud.roleArn ?? 'none')}`);
  if (a.cloud.serviceAccount !== b.cloud.serviceAccount)
    changes.push(
      `service account ${arrow(a.cloud.serviceAccount ?? 'none', b.cloud.serviceAccount ?? 'none')}`,
    );

  if (a.cluster.size !== b.cluster.size || nodes(a.cluster.nodeGroups) !== nodes(b.cluster.nodeGroups)) {
    changes.push(
      `cluster ${arrow(a.cluster.size, b.cluster.size)}: ${arrow(nodes(a.cluster.nodeGroups), nodes(b.cluster.nodeGroups))}`,
    );
  }
  if (a.cluster.kubernetesVersion !== b.cluster.kubernetesVersion) {
    changes.push(`Kubernetes ${arrow(a.cluster.kubernetesVersion, b.cluster.kubernetesVersion)}`);
    if (a.cluster.kubernetesVersion > b.cluster.kubernetesVersion)
      warnings.push('Kubernetes cannot be downgraded in place: the cluster would be replaced.');
  }
  if (gpu(a) !== gpu(b)) changes.push(`GPU pool ${arrow(gpu(a), gpu(b))}`);

  if (a.database.size !== b.database.size || a.database.instanceClass !== b.database.instanceClass) {
    changes.push(
      `database ${arrow(a.database.size, b.database.size)}: ${arrow(a.database.instanceClass, b.database.instanceClass)}`,
    );
  }
  if (a.database.highAvailability !== b.database.highAvailability)
    changes.push(
      `database high availability ${arrow(onOff(a.database.highAvailability), onOff(b.database.highAvailability))}`,
    );
  if (a.database.storageGb !== b.database.storageGb) {
    changes.push(`database storage ${arrow(`${a.database.storageGb} GB`, `${b.database.storageGb} GB`)}`);
    if (b.database.storageGb < a.database.storageGb)
      warnings.push(
        'Database storage cannot shrink in place: the database would be replaced and its data lost.',
      );
  }
  if (a.database.engineVersion !== b.database.engineVersion)
    changes.push(`PostgreSQL ${arrow(a.database.engineVersion, b.database.engineVersion)}`);

  if (a.cache.size !== b.cache.size || a.cache.nodeType !== b.cache.nodeType) {
    changes.push(`cache ${arrow(a.cache.size, b.cache.size)}: ${arrow(a.cache.nodeType, b.cache.nodeType)}`);
  }
  if (a.cache.replicas !== b.cache.replicas)
    changes.push(`cache replicas ${arrow(a.cache.replicas, b.cache.replicas)}`);

  if (a.storage.versioning !== b.storage.versioning)
    changes.push(`bucket versioning ${arrow(onOff(a.storage.versioning), onOff(b.storage.versioning))}`);
  if (a.storage.noncurrentVersionExpirationDays !== b.storage.noncurrentVersionExpirationDays)
    changes.push(
      `old object versions expire after ${arrow(`${a.storage.noncurrentVersionExpirationDays} days`, `${b.storage.noncurrentVersionExpirationDays} days`)}`,
    );

  if (a.beta9.chartVersion !== b.beta9.chartVersion)
    changes.push(`Beta9 ${arrow(a.beta9.chartVersion, b.beta9.chartVersion)}`);
  if (a.beta9.domain !== b.beta9.domain)
    changes.push(`domain ${arrow(a.beta9.domain ?? 'none', b.beta9.domain ?? 'none')}`);

  if (a.deletionProtection !== b.deletionProtection) {
    changes.push(`deletion protection ${arrow(onOff(a.deletionProtection), onOff(b.deletionProtection))}`);
    if (!b.deletionProtection)
      warnings.push(
        `Once this merges, removing \`${after.path}\` destroys \`${b.name}\` and all its data. Keep deletion protection on unless you mean to destroy it.`,
      );
  }
  const tags = tagsDiff(before.config.tags, after.config.tags);
  if (tags.length > 0) changes.push(`tags: ${tags.join(', ')}`);
  if ((before.config.description ?? '') !== (after.config.description ?? '')) changes.push('description');
  return { changes, warnings };
}

/** The intent for one environment file, from its version on the default branch and in the PR. */
export function diffEnvironment(
  before: EnvironmentVersion | undefined,
  after: EnvironmentVersion | undefined,
): EnvironmentIntent {
  const version = after ?? before;
  if (!version) throw new Error('diffEnvironment needs at least one version');
  const cost =
    before?.monthlyCost !== undefined || after?.monthlyCost !== undefined
      ? { before: before?.monthlyCost ?? null, after: after?.monthlyCost ?? null }
      : undefined;
  const base = {
    name: version.model.name,
    path: version.path,
    problems: [],
    where: { provider: version.model.cloud.provider, region: version.model.cloud.region },
    ...(cost ? { cost } : {}),
  };
  if (!before) {
    const warnings = after!.model.deletionProtection
      ? []
      : [
          'Deletion protection is off: removing the file later destroys the environment and its data at once.',
        ];
    return { ...base, action: 'create', changes: describeNew(after!.model), warnings };
  }
  if (!after) {
    return {
      ...base,
      action: 'destroy',
      changes: [],
      warnings: [
        `Merging destroys \`${before.model.name}\` in ${before.model.cloud.provider} ${before.model.cloud.region}: its cluster, database (with its data), cache and bucket.`,
      ],
    };
  }
  const { changes, warnings } = diffModels(before, after);
  return { ...base, action: changes.length > 0 ? 'change' : 'unchanged', changes, warnings };
}

/** A one-line summary of what a new environment consists of. */
function describeNew(m: InfraModel): string[] {
  const lines = [
    `cluster ${m.cluster.size}: ${nodes(m.cluster.nodeGroups)} (Kubernetes ${m.cluster.kubernetesVersion})`,
    `database ${m.database.size}: ${m.database.instanceClass}${m.database.highAvailability ? ', highly available' : ''}`,
    `cache ${m.cache.size}: ${m.cache.nodeType}`,
    `bucket ${m.storage.bucketName}`,
  ];
  if (m.cluster.gpu) lines.splice(1, 0, `GPU pool ${gpu(m)}`);
  return lines;
}
