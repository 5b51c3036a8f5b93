import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Construct } from '../cdktf.js';

export interface ServiceSecurityGroupConfig {
  name: string;
  description: string;
  vpcId: string;
  port: number;
  /** The only source allowed in: the cluster nodes' security group. */
  sourceSecurityGroupId: string;
}

/**
 * A security group for a stateful service: one TCP port, reachable only from members of
 * `sourceSecurityGroupId`. There are no CIDR rules at all, and no egress rules (Terraform removes
 * the default allow-all egress that AWS adds to a new group): the service only answers.
 */
export class ServiceSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly ingress: VpcSecurityGroupIngressRule;

  constructor(scope: Construct, id: string, config: ServiceSecurityGroupConfig) {
    super(scope, id);
    const { name, description, vpcId, port, sourceSecurityGroupId } = config;
    this.securityGroup = new SecurityGroup(this, 'sg', {
      // A prefix, not a fixed name: a replacement is created before the old group is destroyed.
      namePrefix: `${name}-`,
      description,
      vpcId,
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
    });
    this.ingress = new VpcSecurityGroupIngressRule(this, 'from-nodes', {
      securityGroupId: this.securityGroup.id,
      description: `${description}: from the cluster nodes only`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: sourceSecurityGroupId,
    });
  }
}
