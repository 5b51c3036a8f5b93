import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster/index.js';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import type { GpuPool, InfraModel, NodeGroup } from '../../model/types.js';
import { Construct, type ITerraformDependable } from '../cdktf.js';
import { GPU_LABEL, GPU_TAINT, POOL_LABEL } from '../common.js';
import { PODS_RANGE, SERVICES_RANGE } from './network.js';

export interface GcpClusterConfig {
  name: string;
  project: string;
  region: string;
  cluster: InfraModel['cluster'];
  /** Zones of the region the node pools spread over. */
  zones: string[];
  /** The environment's CIDRs: the control plane's /28 must overlap none of them. */
  usedCidrs: string[];
  networkId: string;
  subnetworkId: string;
  labels: Record<string, string>;
  deletionProtection: boolean;
  dependsOn?: ITerraformDependable[];
}

/** Roles the node service account needs to ship logs and metrics and pull images; nothing more. */
export const NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
] as const;

const CONTROL_PLANE_CANDIDATES = ['172.16.0.0/28', '192.168.255.240/28', '10.255.255.240/28'];

function toRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const octets = (ip ?? '').split('.').map(Number);
  const prefix = Number(bits);
  if (
    octets.length !== 4 ||
    octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) ||
    !(prefix >= 0 && prefix <= 32)
  ) {
    throw new Error(`Invalid CIDR '${cidr}'. Expected an IPv4 block such as 10.0.0.0/16.`);
  }
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const base = start - (start % size);
  return [base, base + size - 1];
}

/** The first control-plane /28 that overlaps none of `used`. */
export function controlPlaneCidr(used: string[]): string {
  const ranges = used.map(toRange);
  const free = CONTROL_PLANE_CANDIDATES.find((candidate) => {
    const [a, b] = toRange(candidate);
    return ranges.every(([c, d]) => b < c || d < a);
  });
  if (!free) {
    throw new Error(
      `No free /28 for the GKE control plane: all of ${CONTROL_PLANE_CANDIDATES.join(', ')} overlap the network.`,
    );
  }
  return free;
}

/**
 * A regional, VPC-native, private GKE cluster: nodes have no public IPs (egress through Cloud
 * NAT), Workload Identity, Shielded nodes with secure boot, Dataplane V2, the default node pool
 * replaced by managed pools from the size profile that run as a dedicated least-privilege service
 * account, and an optional GPU pool with its accelerators and Google-installed NVIDIA drivers.
 */
export class GcpCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;
  readonly nodePools: ContainerNodePool[];
  readonly gpuNodePool?: ContainerNodePool;

  constructor(scope: Construct, id: string, config: GcpClusterConfig) {
    super(scope, id);
    const {
      name,
      project,
      region,
      cluster: { kubernetesVersion, nodeGroups, gpu },
      zones,
      usedCidrs,
      networkId,
      subnetworkId,
      labels,
      deletionProtection,
      dependsOn,
    } = config;
    if (nodeGroups.length === 0) {
      throw new Error(
        `Environment ${name}: the cluster needs at least one node pool; the size profile gave none.`,
      );
    }
    if (zones.length === 0)
      throw new Error(`Environment ${name}: the network model lists no zones for the node pools.`);

    // Service account ids are 6-30 characters.
    this.nodeServiceAccount = new ServiceAccount(this, 'nodes-sa', {
      accountId: `${name.slice(0, 24)}-nodes`,
      displayName: `GKE nodes of Beta9 environment ${name}`,
      project,
      dependsOn,
    });
    const member = `serviceAccount:${this.nodeServiceAccount.email}`;
    const grants = NODE_ROLES.map(
      (role) => new ProjectIamMember(this, `nodes-${role.split('/')[1]}`, { project, role, member }),
    );

    this.cluster = new ContainerCluster(this, 'cluster', {
      name,
      location: region,
      nodeLocations: zones,
      network: networkId,
      subnetwork: subnetworkId,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: PODS_RANGE,
        servicesSecondaryRangeName: SERVICES_RANGE,
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        // The API stays reachable for the Action's bootstrap step; it authenticates with IAM.
        enablePrivateEndpoint: false,
        masterIpv4CidrBlock: controlPlaneCidr(usedCidrs),
      },
      minMasterVersion: kubernetesVersion,
      releaseChannel: { channel: 'REGULAR' },
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      datapathProvider: 'ADVANCED_DATAPATH',
      enableShieldedNodes: true,
      addonsConfig: { gcePersistentDiskCsiDriverConfig: { enabled: true } },
      // GKE requires a default pool at creation; it is removed at once in favour of managed pools.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      resourceLabels: labels,
      deletionProtection,
      dependsOn,
    });

    const pool = (poolId: string, group: NodeGroup, poolGpu?: GpuPool): ContainerNodePool => {
      const perZone = Math.ceil(group.desiredNodes / zones.length);
      return new ContainerNodePool(this, poolId, {
        name: group.name,
        cluster: this.cluster.id,
        location: region,
        nodeLocations: zones,
        initialNodeCount: perZone,
        autoscaling: {
          totalMinNodeCount: group.minNodes,
          totalMaxNodeCount: group.maxNodes,
          locationPolicy: poolGpu ? 'ANY' : 'BALANCED',
        },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          machineType: group.instanceType,
          diskSizeGb: group.diskGb,
          diskType: 'pd-balanced',
          imageType: 'COS_CONTAINERD',
          serviceAccount: this.nodeServiceAccount.email,
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          labels: { [POOL_LABEL]: group.name, ...(poolGpu ? { [GPU_LABEL]: poolGpu.gpuType } : {}) },
          resourceLabels: labels,
          guestAccelerator: poolGpu
            ? [
                {
                  type: poolGpu.accelerator!,
                  count: poolGpu.acceleratorCount,
                  gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' },
                },
              ]
            : undefined,
          taint: poolGpu ? [{ ...GPU_TAINT }] : undefined,
        },
        // The cluster autoscaler owns node counts after creation.
        lifecycle: { ignoreChanges: ['initial_node_count'] },
        dependsOn: grants,
      });
    };

    this.nodePools = nodeGroups.map((group, i) => pool(`node-pool-${i}`, group));
    if (gpu) {
      if (!gpu.accelerator) {
        throw new Error(
          `Environment ${name}: the GPU pool (${gpu.gpuType}) has no GCP accelerator type in the model.`,
        );
      }
      if (gpu.maxNodes < 1) {
        throw new Error(
          `Environment ${name}: cluster.gpu.max_nodes must be at least 1, got ${gpu.maxNodes}.`,
        );
      }
      this.gpuNodePool = pool('gpu-node-pool', gpu, gpu);
    }
  }
}
