import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat/index.js';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router/index.js';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection/index.js';
import type { InfraModel } from '../../model/types.js';
import { Construct, type ITerraformDependable } from '../cdktf.js';

export interface GcpNetworkConfig {
  name: string;
  region: string;
  network: InfraModel['network'];
  dependsOn?: ITerraformDependable[];
}

export const PODS_RANGE = 'pods';
export const SERVICES_RANGE = 'services';

/**
 * A custom-mode VPC with one regional subnet for the nodes and secondary ranges for pods and
 * services (VPC-native GKE), Private Google Access, flow logs, a Cloud Router with Cloud NAT so
 * that private nodes reach the internet without public addresses, and a private services access
 * range peered through `servicenetworking.googleapis.com`, which Cloud SQL and Memorystore use to
 * get private IPs in this VPC.
 */
export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnetwork: ComputeSubnetwork;
  readonly router: ComputeRouter;
  readonly nat: ComputeRouterNat;
  readonly privateServicesRange: ComputeGlobalAddress;
  readonly privateServicesConnection: ServiceNetworkingConnection;

  constructor(scope: Construct, id: string, config: GcpNetworkConfig) {
    super(scope, id);
    const {
      name,
      region,
      network: { privateSubnets, podsCidr, servicesCidr },
      dependsOn,
    } = config;
    const nodesCidr = privateSubnets[0];
    if (!nodesCidr)
      throw new Error(`Environment ${name}: the network model has no private subnet for the GKE nodes.`);

    this.network = new ComputeNetwork(this, 'vpc', {
      name,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      dependsOn,
    });
    this.subnetwork = new ComputeSubnetwork(this, 'nodes', {
      name: `${name}-nodes`,
      region,
      network: this.network.id,
      ipCidrRange: nodesCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: PODS_RANGE, ipCidrRange: podsCidr },
        { rangeName: SERVICES_RANGE, ipCidrRange: servicesCidr },
      ],
      logConfig: {
        aggregationInterval: 'INTERVAL_10_MIN',
        flowSampling: 0.5,
        metadata: 'INCLUDE_ALL_METADATA',
      },
    });
    this.router = new ComputeRouter(this, 'router', { name, region, network: this.network.id });
    this.nat = new ComputeRouterNat(this, 'nat', {
      name,
      region,
      router: this.router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });

    this.privateServicesRange = new ComputeGlobalAddress(this, 'private-services', {
      name: `${name}-private-services`,
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      prefixLength: 20,
      network: this.network.id,
    });
    this.privateServicesConnection = new ServiceNetworkingConnection(this, 'private-services-connection', {
      network: this.network.id,
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [this.privateServicesRange.name],
      // Google keeps the peering busy for a while after Cloud SQL is deleted, which fails a plain
      // delete; abandoning it lets destroy finish, and the VPC's deletion removes the peering.
      deletionPolicy: 'ABANDON',
    });
  }
}
