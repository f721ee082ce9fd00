/**
 * AWS SpotPool: an EKS managed node group of GPU instances, spot by default, scaling from zero.
 * The cluster autoscaler learns a zero-node group's labels, taints and GPUs from the
 * `k8s.io/cluster-autoscaler/node-template/...` tags (cluster-autoscaler AWS cloud provider README,
 * "Auto-Discovery Setup" / scaling a node group to 0, read 2026-11-22).
 */
import { aws } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import type { PoolCapacity, PoolCreateArgs, PoolCreated, PoolProvider, Toleration } from "../types/pool";
import { ValidationError } from "../../platform/core/validation";
import { shortHash, slug } from "../../platform/core/naming";
import { nodeLaunchTemplate } from "./launchTemplate";
import { BUILTIN_PLUGIN_LABEL, BUILTIN_PLUGIN_VALUE } from "../kubernetes/device-plugin";

/**
 * The node label the cluster autoscaler's AWS provider reads to know a node has a GPU
 * (`GPULabel = "k8s.amazonaws.com/accelerator"` in cluster-autoscaler/cloudprovider/aws; "Special
 * note on GPU instances" in its FAQ, read 2026-11-30). Without it (and the matching node-template tag
 * on a group at zero), the autoscaler sees a new GPU node with no `nvidia.com/gpu` yet (the device
 * plugin has not started) and scales up again for the same pending pod.
 */
export const AWS_GPU_LABEL = "k8s.amazonaws.com/accelerator";

/** `L4` → `nvidia-l4`: the label value (any non-empty value marks a GPU node). Pure. */
export function acceleratorLabelValue(gpu: string): string {
  return `nvidia-${gpu.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

/** EKS NVIDIA AMI types (EKS API `AMIType`, read 2026-11-22). AL2023 needs the device plugin; Bottlerocket ships it. */
export const AWS_GPU_AMI_TYPES = ["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"] as const;
export const DEFAULT_AWS_GPU_AMI = "AL2023_x86_64_NVIDIA";

export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present" } as const;
const CA_TEMPLATE = "k8s.io/cluster-autoscaler/node-template";

/** Cluster-autoscaler tags that let a node group scale up from zero nodes. Pure. */
export function autoscalerTemplateTags(
  clusterName: string,
  labels: Record<string, string>,
  gpuCount: number,
): Record<string, string> {
  const tags: Record<string, string> = {
    "k8s.io/cluster-autoscaler/enabled": "true",
    [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    [`${CA_TEMPLATE}/taint/${GPU_TAINT.key}`]: `${GPU_TAINT.value}:NoSchedule`,
    [`${CA_TEMPLATE}/resources/nvidia.com/gpu`]: String(gpuCount),
  };
  for (const [key, value] of Object.entries(labels)) tags[`${CA_TEMPLATE}/label/${key}`] = value;
  return tags;
}

export const awsPool: PoolProvider = {
  poolName(base: string, capacity: PoolCapacity): string {
    const body = slug(base).slice(0, 40).replace(/-+$/, "") || "pool";
    return `${body}-${capacity === "spot" ? "spot" : "od"}-${shortHash(base, 6)}`;
  },

  validate(args): void {
    if (args.amiType !== undefined && !(AWS_GPU_AMI_TYPES as readonly string[]).includes(args.amiType)) {
      throw new ValidationError(
        "amiType",
        `${JSON.stringify(args.amiType)} is not an NVIDIA EKS AMI type; use one of ${AWS_GPU_AMI_TYPES.join(", ")}`,
      );
    }
  },

  create(args: PoolCreateArgs, parent: pulumi.Resource): PoolCreated {
    const { cluster } = args;
    if (cluster.nodeRoleArn === undefined)
      throw new ValidationError("cluster.nodeRoleArn", "is required for an AWS pool (the GpuCluster's node role)");
    if (cluster.subnetIds === undefined)
      throw new ValidationError("cluster.subnetIds", "is required for an AWS pool (the GpuCluster's subnets)");

    const amiType = args.amiType ?? DEFAULT_AWS_GPU_AMI;
    const labels: Record<string, string> = {
      ...args.labels,
      [AWS_GPU_LABEL]: acceleratorLabelValue(args.gpu),
      // Bottlerocket NVIDIA variants run their own device plugin: keep ours off these nodes.
      ...(amiType.startsWith("BOTTLEROCKET") ? { [BUILTIN_PLUGIN_LABEL]: BUILTIN_PLUGIN_VALUE } : {}),
    };
    // Every label also becomes a node-template tag, so a group at zero nodes advertises it too.
    const tags = pulumi.output(cluster.clusterName).apply((clusterName) => ({
      ...args.tags,
      ...autoscalerTemplateTags(clusterName, labels, args.gpuCount),
    }));

    const template = nodeLaunchTemplate(
      `${args.name}-lt`,
      { region: cluster.region, amiType, diskSizeGiB: args.diskSizeGiB, tags: args.tags },
      parent,
    );
    const nodeGroup = new aws.eks.NodeGroup(
      args.name,
      {
        // The ASG is `eks-<this>-<uuid>`: the cluster autoscaler's priority expander ranks
        // `-spot-<hash>-` first. A fixed name means a replacement deletes the old group first.
        nodeGroupName: args.poolName,
        region: cluster.region,
        clusterName: cluster.clusterName,
        nodeRoleArn: cluster.nodeRoleArn,
        subnetIds: cluster.subnetIds,
        version: cluster.kubernetesVersion,
        capacityType: args.capacity === "spot" ? "SPOT" : "ON_DEMAND",
        instanceTypes: [args.instanceType],
        amiType,
        launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        scalingConfig: { minSize: args.minNodes, desiredSize: args.minNodes, maxSize: args.maxNodes },
        labels,
        taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NO_SCHEDULE" }],
        tags,
      },
      {
        parent,
        dependsOn: args.dependsOn ?? [],
        deleteBeforeReplace: true,
        // The cluster autoscaler owns the desired size once the group exists.
        ignoreChanges: ["scalingConfig.desiredSize"],
      },
    );

    const tolerations: Toleration[] = [{ key: GPU_TAINT.key, operator: "Exists", effect: "NoSchedule" }];
    return { resource: nodeGroup, nodeSelector: { "modelplane.dev/pool": args.poolName }, tolerations };
  },
};
