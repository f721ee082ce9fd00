/**
 * Azure GpuCluster: a resource group and an AKS managed cluster with a System agent pool,
 * system-assigned managed identity and OIDC issuer + workload identity. KEDA is installed from the
 * pinned chart like on every cloud (`installPlatformAddons`), not as the AKS managed add-on: the
 * add-on's KEDA version follows the cluster's Kubernetes version (it cannot be pinned), and only one
 * external-metrics server may run per cluster, so the two must not both be on
 * (https://learn.microsoft.com/azure/aks/keda-about, "Add-on limitations", read 2026-11-30).
 */
import { resources, containerservice } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterCreateArgs, ClusterCreated, ClusterProvider } from "../types/cluster";
import { toAzureTags } from "../../platform/core/tags";
import { shortHash, slug } from "../../platform/core/naming";
import { MAX_NODE_PROVISION_TIME, priorityExpanderConfigMap } from "../kubernetes/priority-expander";

/** VMSS names are `aks-<pool>-<n>-vmss`; spot pools are named `sp…` (see ./pool.ts). */
export const AKS_EXPANDER_PRIORITIES: Readonly<Record<number, readonly string[]>> = {
  50: ["^aks-sp.*"],
  10: [".*"],
};

/** AKS DNS prefix: 1–54 characters, alphanumerics and hyphens, starts and ends alphanumeric. */
export function aksDnsPrefix(name: string): string {
  const base = slug(name).slice(0, 45).replace(/-+$/, "") || "mp";
  return `${/^[a-z]/.test(base) ? base : `mp-${base}`.slice(0, 45)}-${shortHash(name, 6)}`;
}

export const azureCluster: ClusterProvider = {
  options: ["resourceGroupName"],
  defaultSystemInstanceType: "Standard_D4s_v5",
  needsNvidiaDevicePlugin: true,

  create(args: ClusterCreateArgs, parent: pulumi.Resource): ClusterCreated {
    const { name, region } = args;
    const tags = toAzureTags(args.tags);

    const resourceGroupName: pulumi.Output<string> =
      args.resourceGroupName !== undefined
        ? pulumi.output(args.resourceGroupName)
        : new resources.ResourceGroup(`${name}-rg`, { location: region, tags }, { parent }).name;

    const cluster = new containerservice.ManagedCluster(
      `${name}-aks`,
      {
        resourceGroupName,
        location: region,
        dnsPrefix: aksDnsPrefix(name),
        kubernetesVersion: args.kubernetesVersion,
        identity: { type: "SystemAssigned" },
        enableRBAC: true,
        sku: { name: "Base", tier: "Free" },
        agentPoolProfiles: [
          {
            name: "system",
            mode: "System",
            type: "VirtualMachineScaleSets",
            osType: "Linux",
            vmSize: args.systemInstanceType,
            count: args.systemNodeCount,
            nodeLabels: { "modelplane.dev/role": "system" },
            tags,
          },
        ],
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        // Off: the pinned KEDA chart is installed instead (see the file comment).
        workloadAutoScalerProfile: { keda: { enabled: false } },
        // Grow spot pools before their on-demand fallbacks (reads the priority ConfigMap below).
        // and give up on a spot pool without capacity after MAX_NODE_PROVISION_TIME (AKS default 15m).
        autoScalerProfile: { expander: "priority", maxNodeProvisionTime: MAX_NODE_PROVISION_TIME },
        tags,
      },
      {
        parent,
        // GPU pools are separate AgentPool resources; do not let this resource fight over them.
        ignoreChanges: ["agentPoolProfiles"],
      },
    );

    const kubeconfig = containerservice
      .listManagedClusterUserCredentialsOutput({ resourceGroupName, resourceName: cluster.name }, { parent })
      .apply((creds) => {
        const first = creds.kubeconfigs[0];
        if (!first) throw new Error(`${name}: AKS returned no user kubeconfig`);
        return Buffer.from(first.value, "base64").toString("utf8");
      });

    return {
      clusterName: cluster.name,
      endpoint: cluster.fqdn.apply((fqdn) => `https://${fqdn}`),
      kubeconfig,
      ref: { cloud: "azure", region, clusterName: cluster.name, resourceGroupName },
      ready: [cluster],
      installAddons: (provider) => [
        priorityExpanderConfigMap(`${name}-autoscaler-priorities`, {
          provider,
          parent,
          priorities: AKS_EXPANDER_PRIORITIES,
          tags: args.tags,
          dependsOn: [cluster],
        }),
      ],
    };
  },
};
