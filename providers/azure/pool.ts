/**
 * Azure SpotPool: an AKS User agent pool of GPU VMs, Spot priority by default (evicted VMs are
 * deleted, pay up to the on-demand price), autoscaling from zero. AKS adds the
 * `kubernetes.azure.com/scalesetpriority=spot:NoSchedule` taint to spot pools itself; writing it
 * in `nodeTaints` explicitly keeps the desired state equal to the actual one (no drift).
 * (AKS docs "Add an Azure Spot node pool", read 2026-11-22.)
 */
import { containerservice } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import type { PoolCapacity, PoolCreateArgs, PoolCreated, PoolProvider, Toleration } from "../types/pool";
import { ValidationError } from "../../platform/core/validation";
import { shortHash, slug } from "../../platform/core/naming";
import { toAzureTags } from "../../platform/core/tags";

export const AKS_SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule";
export const AKS_GPU_TAINT = "nvidia.com/gpu=present:NoSchedule";

export const azurePool: PoolProvider = {
  // A second AgentPool write while another pool operation on the cluster is in progress fails:
  // "(OperationNotAllowed) Operation is not allowed: Another agentpool operation (nodepool1 -
  // Creating) is in progress, please wait for it to finish before starting a new operation. See
  // https://aka.ms/aks-pending-operation" (quoted in cilium/cilium#25944, 2023-06-06; the same 409
  // fixed by sequencing pools in Azure/terraform-azurerm-avm-ptn-aks-production#25; read 2026-11-30).
  serialCreates: true,

  /**
   * AKS Linux pool names: 1–12 lowercase alphanumerics, starting with a letter. Spot pools start
   * with `sp`, on-demand ones with `od`, so the priority expander can rank VMSS `aks-sp…` first.
   */
  poolName(base: string, capacity: PoolCapacity): string {
    const body = slug(base).replace(/-/g, "").slice(0, 5);
    return `${capacity === "spot" ? "sp" : "od"}${body}${shortHash(base, 10 - body.length)}`;
  },

  validate(args): void {
    if (args.amiType !== undefined)
      throw new ValidationError("amiType", "applies to aws only; AKS picks the node image (Ubuntu with GPU drivers)");
  },

  create(args: PoolCreateArgs, parent: pulumi.Resource): PoolCreated {
    const { cluster } = args;
    if (cluster.resourceGroupName === undefined) {
      throw new ValidationError(
        "cluster.resourceGroupName",
        "is required for an Azure pool (the GpuCluster's resource group)",
      );
    }
    const spot = args.capacity === "spot";

    const agentPool = new containerservice.AgentPool(
      args.name,
      {
        resourceGroupName: cluster.resourceGroupName,
        resourceName: cluster.clusterName,
        agentPoolName: args.poolName,
        mode: "User",
        type: "VirtualMachineScaleSets",
        osType: "Linux",
        vmSize: args.instanceType,
        // The cluster's node subnet (./cluster.ts): every pool of a cluster is in its one network.
        ...(cluster.subnetIds !== undefined
          ? { vnetSubnetID: pulumi.output(cluster.subnetIds).apply((ids) => ids[0] ?? "") }
          : {}),
        osDiskSizeGB: args.diskSizeGiB,
        enableAutoScaling: true,
        minCount: args.minNodes,
        maxCount: args.maxNodes,
        count: args.minNodes,
        nodeLabels: args.labels,
        nodeTaints: spot ? [AKS_GPU_TAINT, AKS_SPOT_TAINT] : [AKS_GPU_TAINT],
        ...(spot
          ? { scaleSetPriority: "Spot", spotMaxPrice: -1, scaleSetEvictionPolicy: "Delete" }
          : { scaleSetPriority: "Regular" }),
        tags: toAzureTags(args.tags),
      },
      {
        parent,
        dependsOn: args.dependsOn ?? [],
        // The autoscaler owns the count; the pool name is fixed, so replace by delete-then-create.
        ignoreChanges: ["count"],
        deleteBeforeReplace: true,
      },
    );

    const tolerations: Toleration[] = [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      ...(spot
        ? [
            {
              key: "kubernetes.azure.com/scalesetpriority",
              operator: "Equal" as const,
              value: "spot",
              effect: "NoSchedule" as const,
            },
          ]
        : []),
    ];
    return { resource: agentPool, nodeSelector: { "modelplane.dev/pool": args.poolName }, tolerations };
  },
};
