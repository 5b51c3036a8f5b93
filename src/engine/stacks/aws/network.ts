import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import type { InfraModel } from '../../model/types.js';
import { Construct } from '../cdktf.js';

export interface AwsNetworkConfig {
  /** Environment name: prefixes resource names and tags the subnets for the EKS cluster of that name. */
  name: string;
  network: InfraModel['network'];
}

/**
 * A VPC across the model's availability zones: one public and one private subnet per AZ, an
 * internet gateway, `natGateways` NAT gateways (one per AZ for large, one otherwise) and a private
 * route table per AZ that sends egress through the NAT of its AZ (or the only one).
 * Subnets carry the tags the AWS Load Balancer Controller and EKS use to discover them.
 */
export class AwsNetwork extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly natGateways: NatGateway[];

  constructor(scope: Construct, id: string, config: AwsNetworkConfig) {
    super(scope, id);
    const {
      name,
      network: { cidr, availabilityZones, publicSubnets, privateSubnets, natGateways },
    } = config;
    if (availabilityZones.length < 2) {
      throw new Error(
        `Environment ${name}: the network needs at least two availability zones (EKS requires subnets in two), got ${availabilityZones.length}.`,
      );
    }
    if (
      publicSubnets.length !== availabilityZones.length ||
      privateSubnets.length !== availabilityZones.length
    ) {
      throw new Error(
        `Environment ${name}: expected one public and one private subnet per availability zone (${availabilityZones.length}), got ${publicSubnets.length} public and ${privateSubnets.length} private.`,
      );
    }
    if (natGateways < 1 || natGateways > availabilityZones.length) {
      throw new Error(
        `Environment ${name}: natGateways must be between 1 and the number of availability zones (${availabilityZones.length}), got ${natGateways}.`,
      );
    }
    const clusterTag = `kubernetes.io/cluster/${name}`;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });

    // The default security group allows all traffic between its members; strip every rule so that
    // nothing can rely on it by accident (CIS AWS 5.4).
    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-default-deny` },
    });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: name } });

    this.publicSubnets = availabilityZones.map(
      (az, i) =>
        new Subnet(this, `public-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: publicSubnets[i]!,
          // Nothing is launched here with a public address: load balancers get their own, NAT uses an EIP.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-public-${az}`, 'kubernetes.io/role/elb': '1', [clusterTag]: 'shared' },
        }),
    );
    this.privateSubnets = availabilityZones.map(
      (az, i) =>
        new Subnet(this, `private-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: privateSubnets[i]!,
          tags: {
            Name: `${name}-private-${az}`,
            'kubernetes.io/role/internal-elb': '1',
            [clusterTag]: 'shared',
          },
        }),
    );

    const publicRoutes = new RouteTable(this, 'public-rt', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${name}-public` },
    });
    this.publicSubnets.forEach(
      (subnet, i) =>
        new RouteTableAssociation(this, `public-rta-${i}`, {
          subnetId: subnet.id,
          routeTableId: publicRoutes.id,
        }),
    );

    this.natGateways = Array.from({ length: natGateways }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, {
        domain: 'vpc',
        tags: { Name: `${name}-nat-${availabilityZones[i]}` },
        dependsOn: [igw],
      });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.id,
        subnetId: this.publicSubnets[i]!.id,
        connectivityType: 'public',
        tags: { Name: `${name}-${availabilityZones[i]}` },
        dependsOn: [igw],
      });
    });

    this.privateSubnets.forEach((subnet, i) => {
      const nat = this.natGateways[i % this.natGateways.length]!;
      const routes = new RouteTable(this, `private-rt-${i}`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: { Name: `${name}-private-${availabilityZones[i]}` },
      });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: subnet.id, routeTableId: routes.id });
    });
  }
}
