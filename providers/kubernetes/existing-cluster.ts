/**
 * What the platform installs on an existing Kubernetes cluster the engineer brings
 * (`modelplane:clouds[].cloud: kubernetes`): the cluster and its GPU nodes are theirs, the add-ons
 * model stacks rely on are ours — the same platform add-ons every managed cluster gets
 * (`installPlatformAddons`: KEDA, its HTTP add-on, Prometheus and its adapter), plus the NVIDIA
 * device plugin scheduled onto the declared GPU pools' nodes by their node selectors (an existing
 * cluster's nodes do not carry the `modelplane.dev/gpu` label our own pools set).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ADDONS } from "../limits/addons";
import { devicePluginValues } from "./device-plugin";
import { installPlatformAddons } from "./platform-addons";

export interface ExistingClusterAddonsArgs {
  /** The cluster's Kubernetes provider (from its kubeconfig). */
  provider: k8s.Provider;
  /** Parent component. */
  parent: pulumi.Resource;
  /** Node selectors of the declared GPU pools: the device plugin runs on nodes matching any. */
  gpuNodeSelectors: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Install the NVIDIA device plugin (false when the GPU operator runs there). */
  nvidiaDevicePlugin: boolean;
}

/** Device-plugin chart values for an existing cluster: tolerate GPU taints, run on the pools' nodes. Pure. */
export function existingClusterDevicePluginValues(
  gpuNodeSelectors: ReadonlyArray<Readonly<Record<string, string>>>,
): Record<string, unknown> {
  const terms = gpuNodeSelectors
    .filter((s) => Object.keys(s).length > 0)
    .map((s) => ({
      matchExpressions: Object.entries(s).map(([key, value]) => ({ key, operator: "In", values: [value] })),
    }));
  return {
    ...devicePluginValues(),
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
  };
}

/** Install the add-ons model stacks need on an existing cluster; children are named `${name}-<addon>`. */
export function installExistingClusterAddons(name: string, args: ExistingClusterAddonsArgs): pulumi.Resource[] {
  const installed: pulumi.Resource[] = Object.values(
    installPlatformAddons(name, { provider: args.provider, parent: args.parent, gpu: "none" }),
  );
  if (args.nvidiaDevicePlugin) {
    const row = ADDONS["nvidia-device-plugin"];
    installed.push(
      new k8s.helm.v3.Release(
        `${name}-nvidia-device-plugin`,
        {
          name: row.chart,
          chart: row.chart,
          version: row.version,
          repositoryOpts: { repo: row.repo },
          namespace: row.namespace,
          values: existingClusterDevicePluginValues(args.gpuNodeSelectors),
          // GPU nodes may be scaled down: the DaemonSet may have no pods yet.
          skipAwait: true,
        },
        { parent: args.parent, provider: args.provider },
      ),
    );
  }
  return installed;
}
