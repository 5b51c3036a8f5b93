import { blockSize, formatCidr, parseCidr, subnet, type Cidr } from '../config/cidr.js';
import type { CloudProvider, MetaConfig } from '../config/types.js';
import { ZONE_SUFFIXES } from './profiles.js';
import type { InfraModel } from './types.js';

/**
 * Pod addresses GKE reserves per node: a /24 at the default of 110 pods per node
 * (cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr).
 */
export const GKE_ADDRESSES_PER_NODE = 256;

/** Availability zones of a region: AWS `<region>a`, GCP `<region>-a`, skipping letters a region lacks. */
export function availabilityZones(provider: CloudProvider, region: string, count: number): string[] {
  const suffixes = ZONE_SUFFIXES[provider][region] ?? ['a', 'b', 'c'];
  const separator = provider === 'gcp' ? '-' : '';
  return suffixes.slice(0, count).map((s) => `${region}${separator}${s}`);
}

export interface AddressPlan {
  privateSubnets: Cidr[];
  publicSubnets: Cidr[];
  pods: Cidr;
  services: Cidr;
}

/**
 * Address plan for a /N network (N from 16 to 20), as eighths, quarters and sixteenths of it:
 *   eighths 0-2      private subnets, one per zone (nodes and, on EKS, pods)
 *   eighth 3         public subnets, a quarter of it per zone (load balancers, NAT)
 *   quarter 2        GKE pod range
 *   sixteenth 12     GKE service range
 *   the rest         free for later use
 * For 10.0.0.0/16: private 10.0.0.0/19, 10.0.32.0/19, 10.0.64.0/19; public 10.0.96.0/21, ...;
 * pods 10.0.128.0/18; services 10.0.192.0/20.
 */
export function addressPlan(vpc: Cidr, zones: number): AddressPlan {
  const publicBlock = subnet(vpc, vpc.prefix + 3, 3);
  const perZone = Array.from({ length: zones }, (_, i) => i);
  return {
    privateSubnets: perZone.map((i) => subnet(vpc, vpc.prefix + 3, i)),
    publicSubnets: perZone.map((i) => subnet(publicBlock, publicBlock.prefix + 2, i)),
    pods: subnet(vpc, vpc.prefix + 2, 2),
    services: subnet(vpc, vpc.prefix + 4, 12),
  };
}

/** How many GKE nodes the pod range of this network can hold. */
export function gkeNodeCapacity(vpc: Cidr): number {
  return Math.floor(blockSize(addressPlan(vpc, 0).pods.prefix) / GKE_ADDRESSES_PER_NODE);
}

export function network(config: MetaConfig, zoneCount: number): InfraModel['network'] {
  const parsed = parseCidr(config.network.cidr);
  if ('error' in parsed)
    throw new Error(`toInfraModel needs a validated config: network.cidr ${parsed.error}`);
  const vpc = parsed.cidr;
  const zones = availabilityZones(config.cloud.provider, config.cloud.region, zoneCount);
  const plan = addressPlan(vpc, zones.length);
  return {
    cidr: formatCidr(vpc),
    availabilityZones: zones,
    privateSubnets: plan.privateSubnets.map(formatCidr),
    publicSubnets: plan.publicSubnets.map(formatCidr),
    natGateways: config.cluster.size === 'large' ? zones.length : 1,
    podsCidr: formatCidr(plan.pods),
    servicesCidr: formatCidr(plan.services),
  };
}
