/**
 * The NVIDIA device plugin: the DaemonSet that advertises `nvidia.com/gpu` on GPU nodes so pods
 * can request GPUs. EKS AL2023 NVIDIA AMIs ship the driver and container toolkit but not the
 * plugin, and AKS GPU nodes need it too; Bottlerocket NVIDIA variants and GKE bring their own.
 *
 * Installed by `installPlatformAddons` (./platform-addons.ts) as NVIDIA's Helm chart, at the
 * version pinned in `providers/limits/addons.ts`. This file holds its values. Pure.
 */
import type { Toleration } from "../types/pool";

/** Node label every modelplane GPU pool sets; the plugin runs only where it is present. */
export const GPU_NODE_LABEL = "modelplane.dev/gpu";

/**
 * Node label a GPU pool sets when its node image already runs a device plugin (EKS Bottlerocket
 * NVIDIA variants: "the NVIDIA device plugin is built in", Bottlerocket docs, read 2026-11-22).
 * A second plugin on such a node fights over `nvidia.com/gpu`, so ours stays off it.
 */
export const BUILTIN_PLUGIN_LABEL = "modelplane.dev/nvidia-device-plugin";
export const BUILTIN_PLUGIN_VALUE = "builtin";

/** Tolerations the plugin needs to run on tainted GPU / spot nodes of any cloud. */
export const DEVICE_PLUGIN_TOLERATIONS: Toleration[] = [
  { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
  { key: "kubernetes.azure.com/scalesetpriority", operator: "Exists", effect: "NoSchedule" },
  { key: "cloud.google.com/gke-spot", operator: "Exists", effect: "NoSchedule" },
  { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
];

/** The chart values: run on modelplane GPU nodes without a built-in plugin, tolerate their taints. Pure. */
export function devicePluginValues(): Record<string, unknown> {
  return {
    tolerations: DEVICE_PLUGIN_TOLERATIONS,
    // Replace the chart's default affinity (which expects Node Feature Discovery labels) with our
    // own pool label, set on every modelplane GPU pool on every cloud.
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: GPU_NODE_LABEL, operator: "Exists" },
                { key: BUILTIN_PLUGIN_LABEL, operator: "NotIn", values: [BUILTIN_PLUGIN_VALUE] },
              ],
            },
          ],
        },
      },
    },
    priorityClassName: "system-node-critical",
  };
}
