import { gkeNodeCapacity } from '../model/network.js';
import { PROFILES } from '../model/profiles.js';
import { isPrivate, parseCidr, type Cidr } from './cidr.js';
import type { Problem } from './messages.js';
import { GPU_TYPES, REGIONS } from './regions.js';
import { ENVIRONMENT_SCHEMA } from './schema.js';
import type { SourceMap } from './source.js';
import { closest } from './suggest.js';
import type { CloudProvider } from './types.js';

/** Tags the provisioner sets itself; a file may not override them. */
export const RESERVED_TAG_KEYS = ['beta9:environment', 'managed-by'] as const;

export const MIN_CIDR_PREFIX = 16;
export const MAX_CIDR_PREFIX = 20;

type Data = Record<string, unknown>;

/** The environment name rule, taken from the schema (its single source). */
const VALID_NAME = new RegExp(
  String((ENVIRONMENT_SCHEMA.properties as Record<string, { pattern: string }>).name!.pattern),
);

/**
 * The rules the schema cannot express. They run on the data after the schema check (with defaults
 * applied) and are defensive: each checks only values of the right type, so every problem in a file
 * is reported at once, even when the schema check failed elsewhere.
 */
export function crossFieldProblems(data: Data, stem: string, source: SourceMap): Problem[] {
  const problems: Problem[] = [];
  const cloud = asRecord(data.cloud);
  const provider =
    cloud?.provider === 'aws' || cloud?.provider === 'gcp' ? (cloud.provider as CloudProvider) : undefined;

  // name must equal the file's stem: the name keys the Terraform state, the file is what people see.
  if (typeof data.name === 'string' && data.name !== stem) {
    // Offer renaming the file only to a valid name: never suggest a path like ../../etc/passwd.yaml.
    const rename = VALID_NAME.test(data.name) ? `rename the file to ${data.name}.yaml or ` : '';
    problems.push({
      ...source.valueAt(['name']),
      message: `name "${data.name}" must equal the file name "${stem}"; ${rename}set name: ${stem}`,
    });
  }

  if (cloud !== undefined && provider !== undefined) {
    if (
      typeof cloud.region === 'string' &&
      cloud.region !== '' &&
      !REGIONS[provider].includes(cloud.region)
    ) {
      problems.push({
        ...source.valueAt(['cloud', 'region']),
        message: regionMessage(provider, cloud.region),
      });
    }

    const accountId = cloud.account_id;
    const roleArn = cloud.role_arn;
    if (provider === 'aws' && typeof accountId === 'string' && typeof roleArn === 'string') {
      const roleAccount = /^arn:aws:iam::([0-9]{12}):role\//.exec(roleArn)?.[1];
      if (/^[0-9]{12}$/.test(accountId) && roleAccount !== undefined && roleAccount !== accountId) {
        problems.push({
          ...source.valueAt(['cloud', 'role_arn']),
          message: `cloud.role_arn is in account ${roleAccount}, but cloud.account_id is ${accountId}; use a role in account ${accountId} (the provisioner works inside one account)`,
        });
      }
    }
  }

  const gpu = asRecord(asRecord(data.cluster)?.gpu);
  if (gpu !== undefined) {
    if (provider !== undefined && typeof gpu.type === 'string' && !GPU_TYPES[provider].includes(gpu.type)) {
      // Types unknown on both clouds are reported by the schema (enum) already.
      if (GPU_TYPES.aws.includes(gpu.type) || GPU_TYPES.gcp.includes(gpu.type)) {
        problems.push({
          ...source.valueAt(['cluster', 'gpu', 'type']),
          message: `cluster.gpu.type ${gpu.type} is not available on ${provider}; choose one of ${GPU_TYPES[provider].join(', ')}`,
        });
      }
    }
    if (isWhole(gpu.min_nodes) && isWhole(gpu.max_nodes) && gpu.max_nodes < gpu.min_nodes) {
      problems.push({
        ...source.valueAt(['cluster', 'gpu', 'max_nodes']),
        message: `cluster.gpu.max_nodes (${gpu.max_nodes}) must be at least min_nodes (${gpu.min_nodes})`,
      });
    }
  }

  const beta9 = asRecord(data.beta9);
  if (beta9 !== undefined && typeof beta9.domain === 'string' && beta9.tls_email === undefined) {
    problems.push({
      ...source.keyAt(['beta9', 'domain']),
      message:
        "beta9.domain is set, so beta9.tls_email is required (Let's Encrypt sends certificate notices there); add tls_email: you@example.com under beta9",
    });
  }

  const cidrText = asRecord(data.network)?.cidr;
  if (typeof cidrText === 'string') {
    const problem = cidrProblem(cidrText);
    if (problem !== undefined) problems.push({ ...source.valueAt(['network', 'cidr']), message: problem });
  }

  const capacity = gkeCapacityProblem(data, provider, source);
  if (capacity !== undefined) problems.push(capacity);

  const tags = asRecord(data.tags);
  for (const key of RESERVED_TAG_KEYS) {
    if (tags !== undefined && key in tags) {
      problems.push({
        ...source.keyAt(['tags', key]),
        message: `tags.${key} is set by the provisioner; remove it`,
      });
    }
  }

  return problems;
}

/**
 * GKE takes each node's pod addresses from the pod range (a /24 per node by default), so the
 * network must hold the largest the cluster can grow to: the system pool's maximum plus the GPU pool's.
 */
function gkeCapacityProblem(
  data: Data,
  provider: CloudProvider | undefined,
  source: SourceMap,
): Problem | undefined {
  const cluster = asRecord(data.cluster);
  const size = cluster?.size;
  const cidrText = asRecord(data.network)?.cidr;
  if (provider !== 'gcp' || (size !== 'small' && size !== 'medium' && size !== 'large')) return undefined;
  if (typeof cidrText !== 'string' || cidrProblem(cidrText) !== undefined) return undefined;
  const gpuMax = asRecord(cluster?.gpu)?.max_nodes;
  const systemMax = PROFILES.gcp[size].cluster.maxNodes;
  const largest = systemMax + (isWhole(gpuMax) ? gpuMax : 0);
  const capacity = gkeNodeCapacity((parseCidr(cidrText) as { cidr: Cidr }).cidr);
  if (largest <= capacity) return undefined;
  const where = source.lookup(['network', 'cidr']).complete
    ? source.valueAt(['network', 'cidr'])
    : source.lookup(['cluster', 'gpu', 'max_nodes']).complete
      ? source.valueAt(['cluster', 'gpu', 'max_nodes'])
      : source.keyAt(['cluster']);
  const gpuPart = isWhole(gpuMax) ? ` (${systemMax} system + ${gpuMax} GPU)` : '';
  return {
    ...where,
    message: `network.cidr ${cidrText} has pod addresses for ${capacity} GKE nodes, but the cluster can grow to ${largest}${gpuPart}; use a larger network (a /16 holds 64 nodes) or lower cluster.gpu.max_nodes`,
  };
}

function regionMessage(provider: CloudProvider, region: string): string {
  const other: CloudProvider = provider === 'aws' ? 'gcp' : 'aws';
  if (REGIONS[other].includes(region)) {
    const example = provider === 'aws' ? 'us-east-1' : 'us-central1';
    return `cloud.region "${region}" is a region of ${other}, but cloud.provider is ${provider}; ${provider} regions look like ${example}`;
  }
  const suggestion = closest(region, REGIONS[provider]);
  const hint = suggestion !== undefined ? `did you mean "${suggestion}"? ` : '';
  return `cloud.region "${region}" is not a region of ${provider}; ${hint}known regions: ${REGIONS[provider].join(', ')}`;
}

export function cidrProblem(text: string): string | undefined {
  const parsed = parseCidr(text);
  if ('error' in parsed) return `network.cidr ${parsed.error}`;
  const { cidr } = parsed;
  if (!isPrivate(cidr)) {
    return `network.cidr ${text} is not a private range; use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)`;
  }
  if (cidr.prefix < MIN_CIDR_PREFIX || cidr.prefix > MAX_CIDR_PREFIX) {
    return `network.cidr ${text} is a /${cidr.prefix}; use a prefix from /${MIN_CIDR_PREFIX} (65,536 addresses) to /${MAX_CIDR_PREFIX} (4,096 addresses)`;
  }
  return undefined;
}

function asRecord(value: unknown): Data | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : undefined;
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
