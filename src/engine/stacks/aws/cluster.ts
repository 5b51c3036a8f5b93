import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import type { GpuPool, InfraModel, NodeGroup } from '../../model/types.js';
import { Construct, Fn } from '../cdktf.js';
import { GPU_LABEL, GPU_TAINT, POOL_LABEL } from '../common.js';

export interface AwsClusterConfig {
  name: string;
  cluster: InfraModel['cluster'];
  /** Private subnets: the control plane's ENIs and every node live here, never in a public subnet. */
  subnetIds: string[];
  deletionProtection: boolean;
}

const assumeRoleBy = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

/**
 * An EKS cluster whose nodes run in private subnets only: IAM roles for the control plane and the
 * nodes, envelope encryption of Kubernetes secrets with a rotating KMS key, control-plane audit
 * logs, managed node groups from the size profile, an optional GPU node group on the NVIDIA
 * AL2023 AMI, the IAM OIDC provider for service-account roles (IRSA) and the EBS CSI driver
 * (through IRSA), which the gp3 storage class Beta9 uses needs.
 */
export class AwsCluster extends Construct {
  readonly cluster: EksCluster;
  readonly clusterRole: IamRole;
  readonly nodeRole: IamRole;
  readonly nodeGroups: EksNodeGroup[];
  readonly gpuNodeGroup?: EksNodeGroup;
  readonly oidcProvider: IamOpenidConnectProvider;
  /**
   * The security group EKS creates for the cluster and attaches to every managed node: the only
   * source the database and the cache accept traffic from.
   */
  readonly nodeSecurityGroupId: string;

  constructor(scope: Construct, id: string, config: AwsClusterConfig) {
    super(scope, id);
    const {
      name,
      cluster: { kubernetesVersion, nodeGroups, gpu },
      subnetIds,
      deletionProtection,
    } = config;
    if (nodeGroups.length === 0) {
      throw new Error(
        `Environment ${name}: the cluster needs at least one node group; the size profile gave none.`,
      );
    }
    const partition = new DataAwsPartition(this, 'partition').partition;
    const managedPolicy = (policy: string): string => `arn:${partition}:iam::aws:policy/${policy}`;

    this.clusterRole = new IamRole(this, 'cluster-role', {
      name: `${name}-eks-cluster`,
      assumeRolePolicy: assumeRoleBy('eks.amazonaws.com'),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: this.clusterRole.name,
      policyArn: managedPolicy('AmazonEKSClusterPolicy'),
    });

    const secretsKey = new KmsKey(this, 'secrets-key', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });

    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: kubernetesVersion,
      roleArn: this.clusterRole.arn,
      vpcConfig: {
        subnetIds,
        endpointPrivateAccess: true,
        // The API stays reachable for the Action's bootstrap step (hosted runners have no VPC
        // route); authentication is IAM, and the nodes themselves have no public address.
        endpointPublicAccess: true,
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      deletionProtection,
      dependsOn: [clusterPolicy],
    });
    this.nodeSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    // IRSA. AWS no longer checks the thumbprint for EKS OIDC issuers (it trusts its own CA), and
    // provider v6 makes thumbprint_list optional, so no TLS lookup is needed at plan time.
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
    });

    this.nodeRole = new IamRole(this, 'node-role', {
      name: `${name}-eks-node`,
      assumeRolePolicy: assumeRoleBy('ec2.amazonaws.com'),
    });
    const nodePolicies = [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
    ].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          role: this.nodeRole.name,
          policyArn: managedPolicy(policy),
        }),
    );

    const nodeGroup = (
      groupId: string,
      group: NodeGroup,
      extra: { amiType: string; gpu?: GpuPool },
    ): EksNodeGroup =>
      new EksNodeGroup(this, groupId, {
        clusterName: this.cluster.name,
        nodeGroupName: group.name,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds,
        instanceTypes: [group.instanceType],
        amiType: extra.amiType,
        capacityType: 'ON_DEMAND',
        diskSize: group.diskGb,
        scalingConfig: { minSize: group.minNodes, desiredSize: group.desiredNodes, maxSize: group.maxNodes },
        updateConfig: { maxUnavailable: 1 },
        labels: {
          [POOL_LABEL]: group.name,
          ...(extra.gpu ? { [GPU_LABEL]: extra.gpu.gpuType } : {}),
        },
        taint: extra.gpu ? [{ ...GPU_TAINT }] : undefined,
        // The cluster autoscaler owns the desired size once the group exists.
        lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
        dependsOn: nodePolicies,
      });

    this.nodeGroups = nodeGroups.map((group, i) =>
      nodeGroup(`node-group-${i}`, group, { amiType: 'AL2023_x86_64_STANDARD' }),
    );
    if (gpu) {
      if (gpu.maxNodes < 1) {
        throw new Error(
          `Environment ${name}: cluster.gpu.max_nodes must be at least 1, got ${gpu.maxNodes}.`,
        );
      }
      this.gpuNodeGroup = nodeGroup('gpu-node-group', gpu, { amiType: 'AL2023_x86_64_NVIDIA', gpu });
    }

    // The EBS CSI driver provisions gp3 volumes for Beta9's persistent claims; it assumes its
    // role through the cluster's OIDC provider, restricted to its own service account.
    const issuerHost = Fn.replace(this.oidcProvider.url, 'https://', '');
    const ebsTrust = new DataAwsIamPolicyDocument(this, 'ebs-csi-trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [this.oidcProvider.arn] }],
          condition: [
            {
              test: 'StringEquals',
              variable: `${issuerHost}:sub`,
              values: ['system:serviceaccount:kube-system:ebs-csi-controller-sa'],
            },
            { test: 'StringEquals', variable: `${issuerHost}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    const ebsRole = new IamRole(this, 'ebs-csi-role', {
      name: `${name}-ebs-csi`,
      assumeRolePolicy: ebsTrust.json,
    });
    const ebsPolicy = new IamRolePolicyAttachment(this, 'ebs-csi-policy', {
      role: ebsRole.name,
      policyArn: managedPolicy('service-role/AmazonEBSCSIDriverPolicy'),
    });
    new EksAddon(this, 'ebs-csi', {
      clusterName: this.cluster.name,
      addonName: 'aws-ebs-csi-driver',
      serviceAccountRoleArn: ebsRole.arn,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      // The controller needs nodes to run on.
      dependsOn: [ebsPolicy, ...this.nodeGroups],
    });
  }
}
