/**
 * EKS has no built-in node autoscaler for managed node groups: modelplane installs the Kubernetes
 * cluster autoscaler (Helm chart `cluster-autoscaler` 9.51.0 = autoscaler 1.33.0, per the chart
 * listing quoted in kubernetes/autoscaler#8891, read 2026-11-22) with an IAM role bound through
 * EKS Pod Identity, and the priority expander so spot node groups grow before on-demand fallbacks.
 * Scale-from-zero: managed node groups' labels and taints are read with `eks:DescribeNodegroup`.
 * IAM actions: cluster-autoscaler AWS cloud-provider README, "IAM Policy" (read 2026-11-22).
 */
import { aws } from "../sdk";
import { POD_IDENTITY_TRUST } from "./store";
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { MAX_NODE_PROVISION_TIME, priorityExpanderConfigMap } from "../kubernetes/priority-expander";

export const CLUSTER_AUTOSCALER_REPO = "https://kubernetes.github.io/autoscaler";
export const CLUSTER_AUTOSCALER_CHART = "cluster-autoscaler";
export const CLUSTER_AUTOSCALER_VERSION = "9.51.0";
const SERVICE_ACCOUNT = "cluster-autoscaler";
const NAMESPACE = "kube-system";

/** Node-group name regexes by priority: spot groups (`eks-<pool>-spot-<hash>-…`) first. */
export const AWS_EXPANDER_PRIORITIES: Readonly<Record<number, readonly string[]>> = {
  50: [".*-spot-[0-9a-f]{6}-.*"],
  10: [".*"],
};

/** The autoscaler's IAM policy document for one cluster (writes limited to its own groups). Pure. */
export function autoscalerPolicy(clusterName: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: ["*"],
      },
      {
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: ["*"],
        Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
      },
    ],
  });
}

export interface ClusterAutoscalerArgs {
  clusterName: pulumi.Output<string>;
  region: string;
  tags: Record<string, string>;
  provider: k8s.Provider;
  parent: pulumi.Resource;
  dependsOn: pulumi.Resource[];
}

/** Pod Identity agent, IAM role + policy + association, the chart, and the priority ConfigMap. */
export function installClusterAutoscaler(name: string, a: ClusterAutoscalerArgs): pulumi.Resource[] {
  const parent = a.parent;
  const agent = new aws.eks.Addon(
    `${name}-pod-identity-agent`,
    {
      region: a.region,
      clusterName: a.clusterName,
      addonName: "eks-pod-identity-agent",
      tags: a.tags,
    },
    { parent, dependsOn: a.dependsOn },
  );
  const role = new aws.iam.Role(
    `${name}-autoscaler-role`,
    {
      description: "cluster-autoscaler (EKS Pod Identity)",
      assumeRolePolicy: POD_IDENTITY_TRUST,
      tags: a.tags,
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-autoscaler-policy`,
    {
      role: role.name,
      policy: a.clusterName.apply(autoscalerPolicy),
    },
    { parent },
  );
  const association = new aws.eks.PodIdentityAssociation(
    `${name}-autoscaler-identity`,
    {
      region: a.region,
      clusterName: a.clusterName,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      roleArn: role.arn,
      tags: a.tags,
    },
    { parent, dependsOn: [agent] },
  );
  const priorities = priorityExpanderConfigMap(`${name}-autoscaler-priorities`, {
    provider: a.provider,
    parent,
    priorities: AWS_EXPANDER_PRIORITIES,
    tags: a.tags,
    namespace: NAMESPACE,
    dependsOn: a.dependsOn,
  });
  const release = new k8s.helm.v3.Release(
    `${name}-cluster-autoscaler`,
    {
      name: CLUSTER_AUTOSCALER_CHART,
      chart: CLUSTER_AUTOSCALER_CHART,
      version: CLUSTER_AUTOSCALER_VERSION,
      repositoryOpts: { repo: CLUSTER_AUTOSCALER_REPO },
      namespace: NAMESPACE,
      values: {
        cloudProvider: "aws",
        awsRegion: a.region,
        autoDiscovery: { clusterName: a.clusterName },
        rbac: { serviceAccount: { create: true, name: SERVICE_ACCOUNT } },
        extraArgs: {
          expander: "priority,least-waste",
          "balance-similar-node-groups": true,
          "skip-nodes-with-system-pods": false,
          // Give up on a spot group that cannot get capacity and let the expander try the fallback.
          "max-node-provision-time": MAX_NODE_PROVISION_TIME,
        },
        nodeSelector: { "modelplane.dev/role": "system" },
      },
    },
    { parent, provider: a.provider, dependsOn: [...a.dependsOn, association, policy, priorities] },
  );
  return [agent, role, policy, association, priorities, release];
}
