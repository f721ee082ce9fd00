/**
 * The NVIDIA device plugin: the DaemonSet that advertises `nvidia.com/gpu` on GPU nodes so pods
 * can request GPUs. EKS AL2023 NVIDIA AMIs ship the driver and container toolkit but not the
 * plugin, and AKS GPU nodes need it too; Bottlerocket NVIDIA variants and GKE bring their own.
 *
 * Installed as NVIDIA's Helm chart through `@pulumi/kubernetes` (`helm.v3.Release`), pinned.
 * Chart: https://nvidia.github.io/k8s-device-plugin, `nvidia-device-plugin` 0.18.0 (released
 * 2025-10, seen 2026-11-22 in a public Flux HelmRelease bumping 0.17.1 → 0.18.0).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Toleration } from "../types/pool";

export const NVIDIA_DEVICE_PLUGIN_REPO = "https://nvidia.github.io/k8s-device-plugin";
export const NVIDIA_DEVICE_PLUGIN_CHART = "nvidia-device-plugin";
export const NVIDIA_DEVICE_PLUGIN_VERSION = "0.18.0";

/** Node label every modelplane GPU pool sets; the plugin runs only where it is present. */
export const GPU_NODE_LABEL = "modelplane.dev/gpu";

/** Tolerations the plugin needs to run on tainted GPU / spot nodes of any cloud. */
export const DEVICE_PLUGIN_TOLERATIONS: Toleration[] = [
  { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
  { key: "kubernetes.azure.com/scalesetpriority", operator: "Exists", effect: "NoSchedule" },
  { key: "cloud.google.com/gke-spot", operator: "Exists", effect: "NoSchedule" },
  { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
];

export interface NvidiaDevicePluginArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** Parent component. */
  parent: pulumi.Resource;
  /** Resources to wait for (the control plane and system pool). */
  dependsOn?: pulumi.Resource[];
  /** Chart version; default `NVIDIA_DEVICE_PLUGIN_VERSION`. */
  version?: string;
  /** Namespace; default `kube-system`. */
  namespace?: string;
}

/** The chart values: run on modelplane GPU nodes only, tolerate their taints. Pure. */
export function devicePluginValues(): Record<string, unknown> {
  return {
    tolerations: DEVICE_PLUGIN_TOLERATIONS,
    // Replace the chart's default affinity (which expects Node Feature Discovery labels) with our
    // own pool label, set on every modelplane GPU pool on every cloud.
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_NODE_LABEL, operator: "Exists" }] }],
        },
      },
    },
    priorityClassName: "system-node-critical",
  };
}

/** Install the plugin as `name` (a child of `args.parent`). */
export function installNvidiaDevicePlugin(name: string, args: NvidiaDevicePluginArgs): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: NVIDIA_DEVICE_PLUGIN_CHART,
      chart: NVIDIA_DEVICE_PLUGIN_CHART,
      version: args.version ?? NVIDIA_DEVICE_PLUGIN_VERSION,
      repositoryOpts: { repo: NVIDIA_DEVICE_PLUGIN_REPO },
      namespace: args.namespace ?? "kube-system",
      values: devicePluginValues(),
      // GPU nodes scale from zero: the DaemonSet has no pods until a GPU node exists.
      skipAwait: true,
    },
    { parent: args.parent, provider: args.provider, dependsOn: args.dependsOn ?? [] },
  );
}
