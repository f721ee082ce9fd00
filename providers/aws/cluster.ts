/**
 * AWS GpuCluster: an EKS control plane with its IAM role, a node IAM role with the three worker
 * policies, API access entries, and a small on-demand system node group.
 * Networking: the subnets given, else the default-for-AZ subnets of the region's default VPC.
 */
import { aws } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterCreateArgs, ClusterCreated, ClusterProvider } from "../types/cluster";
import { execKubeconfig } from "../kubernetes/kubeconfig";
import { installClusterAutoscaler } from "./autoscaler";
import { nodeLaunchTemplate } from "./launchTemplate";

/** AWS managed policies every EKS worker node role needs (EKS user guide, "Amazon EKS node IAM role", read 2026-11-22). */
export const EKS_WORKER_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
] as const;

export const EKS_CLUSTER_POLICY = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";

/**
 * EKS access policy granting cluster-admin (EKS user guide, "Associate access policies with access
 * entries", policy list, read 2026-11-30).
 */
export const EKS_CLUSTER_ADMIN_ACCESS_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** `aws eks get-token` arguments for the kubeconfig; `--role-arn` when a role is given. Pure. */
export function getTokenArgs(clusterName: string, region: string, roleArn?: string): string[] {
  return [
    "eks",
    "get-token",
    "--cluster-name",
    clusterName,
    "--region",
    region,
    ...(roleArn !== undefined ? ["--role-arn", roleArn] : []),
    "--output",
    "json",
  ];
}

function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
  });
}

/**
 * Availability-zone IDs where the EKS control plane cannot place its network interfaces (EKS user
 * guide, "VPC and subnet requirements", read 2026-11-22; the failure is `UnsupportedAvailabilityZoneException`,
 * e.g. us-east-1e in eksctl#817). Zone IDs, not names: names map to different IDs per account.
 */
export const EKS_UNSUPPORTED_ZONE_IDS = ["use1-az3", "usw1-az2", "cac1-az3"] as const;

/** Default-for-AZ subnets of the region's default VPC in zones EKS supports (EKS needs ≥ 2 AZs). */
function defaultSubnetIds(region: string, parent: pulumi.Resource): pulumi.Output<string[]> {
  const vpc = aws.ec2.getVpcOutput({ default: true, region }, { parent });
  const zones = aws.getAvailabilityZonesOutput(
    { region, state: "available", excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS] },
    { parent },
  );
  return aws.ec2.getSubnetsOutput(
    {
      region,
      filters: [
        { name: "vpc-id", values: [vpc.id] },
        { name: "default-for-az", values: ["true"] },
        { name: "availability-zone", values: zones.names },
      ],
    },
    { parent },
  ).ids;
}

export const awsCluster: ClusterProvider = {
  options: ["subnetIds", "adminPrincipalArns", "kubeconfigRoleArn", "kubeconfigProfile"],
  defaultSystemInstanceType: "t3.large",
  needsNvidiaDevicePlugin: true,

  create(args: ClusterCreateArgs, parent: pulumi.Resource): ClusterCreated {
    const { name, region, tags } = args;
    const opts = { parent };

    const clusterRole = new aws.iam.Role(
      `${name}-cluster-role`,
      {
        assumeRolePolicy: assumeRolePolicy("eks.amazonaws.com"),
        description: `EKS control plane role for ${name}`,
        tags,
      },
      opts,
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      {
        role: clusterRole.name,
        policyArn: EKS_CLUSTER_POLICY,
      },
      opts,
    );

    const nodeRole = new aws.iam.Role(
      `${name}-node-role`,
      {
        assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
        description: `EKS worker node role for ${name}`,
        tags,
      },
      opts,
    );
    const roles = ["worker", "cni", "ecr"] as const;
    const nodePolicies = EKS_WORKER_POLICIES.map(
      (policyArn, i) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${roles[i] ?? String(i)}`,
          { role: nodeRole.name, policyArn },
          opts,
        ),
    );

    const subnetIds = args.subnetIds ?? defaultSubnetIds(region, parent);

    const cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        region,
        roleArn: clusterRole.arn,
        version: args.kubernetesVersion,
        vpcConfig: { subnetIds, endpointPublicAccess: true, endpointPrivateAccess: true },
        // API access entries; the identity running `pulumi up` gets cluster-admin so the
        // kubeconfig below works. Managed node groups get their access entries from EKS.
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        tags,
      },
      { parent, dependsOn: [clusterPolicy] },
    );

    // Cluster-admin for each configured principal (the creator alone is admin otherwise).
    const access = (args.adminPrincipalArns ?? []).flatMap((principalArn, i) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-access-${i}`,
        { region, clusterName: cluster.name, principalArn, type: "STANDARD", tags },
        { parent },
      );
      const policy = new aws.eks.AccessPolicyAssociation(
        `${name}-access-${i}-admin`,
        {
          region,
          clusterName: cluster.name,
          principalArn,
          policyArn: EKS_CLUSTER_ADMIN_ACCESS_POLICY,
          accessScope: { type: "cluster" },
        },
        { parent, dependsOn: [entry] },
      );
      return [entry, policy];
    });

    const systemTemplate = nodeLaunchTemplate(
      `${name}-system-lt`,
      {
        region,
        amiType: "AL2023_x86_64_STANDARD",
        diskSizeGiB: 50,
        tags,
      },
      parent,
    );
    const system = new aws.eks.NodeGroup(
      `${name}-system`,
      {
        region,
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds,
        capacityType: "ON_DEMAND",
        amiType: "AL2023_x86_64_STANDARD",
        instanceTypes: [args.systemInstanceType],
        launchTemplate: { id: systemTemplate.id, version: systemTemplate.latestVersion.apply(String) },
        scalingConfig: {
          minSize: args.systemNodeCount,
          desiredSize: args.systemNodeCount,
          maxSize: args.systemNodeCount + 1,
        },
        labels: { "modelplane.dev/role": "system" },
        tags,
      },
      { parent, dependsOn: nodePolicies },
    );

    const kubeconfig = pulumi
      .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
      .apply(([clusterName, endpoint, ca]) =>
        execKubeconfig({
          name: clusterName,
          endpoint,
          caData: ca.data,
          command: "aws",
          args: getTokenArgs(clusterName, region, args.kubeconfigRoleArn),
          ...(args.kubeconfigProfile !== undefined ? { env: { AWS_PROFILE: args.kubeconfigProfile } } : {}),
          installHint:
            "Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
        }),
      );

    return {
      clusterName: cluster.name,
      endpoint: cluster.endpoint,
      kubeconfig,
      ref: {
        cloud: "aws",
        region,
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds,
        kubernetesVersion: cluster.version,
      },
      ready: [cluster, system, ...nodePolicies, ...access],
      installAddons: (provider) =>
        installClusterAutoscaler(name, {
          clusterName: cluster.name,
          region,
          tags,
          provider,
          parent,
          dependsOn: [cluster, system],
        }),
    };
  },
};
