/**
 * What the offline plan checks on Azure resources: name inputs and their limits, the add-ons an
 * AKS cluster installs by itself (the managed KEDA add-on), the Consumption-GPU workload profiles
 * an environment asks for (and where), and an agent pool's OS disk. Property names follow
 * @pulumi/azure-native 3.x. azure-native's own auto-naming is not modelled: a name the program
 * leaves out is reported as not checked. Credentials on one identity and pools on one cluster
 * must be written one at a time (providers/limits/serial-writes.ts).
 */
import { bool, isRecord, list, num, str } from "../../platform/core/resources/read";
import type { AddonName } from "../limits/addons";
import type { PlanCheckModule, ServerlessGpuUse } from "../types/plan-checks";

const LINUX = { field: "osType", equals: "Linux" } as const;

export const azurePlanChecks: PlanCheckModule = {
  platform: "azure",
  nameChecks: [
    {
      type: "azure-native:containerservice:AgentPool",
      field: "agentPoolName",
      kind: "aks-linux-node-pool",
      when: LINUX,
    },
    {
      type: "azure-native:containerservice:ManagedCluster",
      field: "agentPoolProfiles[].name",
      kind: "aks-linux-node-pool",
    },
    { type: "azure-native:containerservice:ManagedCluster", field: "resourceName", kind: "aks-cluster" },
    { type: "azure-native:resources:ResourceGroup", field: "resourceGroupName", kind: "azure-resource-group" },
    { type: "azure-native:storage:StorageAccount", field: "accountName", kind: "azure-storage-account" },
    {
      type: "azure-native:managedidentity:FederatedIdentityCredential",
      field: "federatedIdentityCredentialResourceName",
      kind: "azure-federated-identity-credential",
    },
    {
      type: "azure-native:managedidentity:UserAssignedIdentity",
      field: "resourceName",
      kind: "azure-user-assigned-identity",
    },
    { type: "azure-native:app:ContainerApp", field: "containerAppName", kind: "azure-container-app" },
  ],
  // Azure refuses concurrent writes of credentials under one identity and of pools on one cluster.
  serialWrites: [
    {
      type: "azure-native:managedidentity:FederatedIdentityCredential",
      kind: "azure-federated-identity-credential",
      parentFields: ["resourceGroupName", "resourceName"],
      nameField: "federatedIdentityCredentialResourceName",
    },
    {
      type: "azure-native:containerservice:AgentPool",
      kind: "aks-agent-pool",
      parentFields: ["resourceGroupName", "resourceName"],
      nameField: "agentPoolName",
    },
  ],
  installedAddons(r): readonly AddonName[] {
    if (r.type !== "azure-native:containerservice:ManagedCluster") return [];
    // AKS's KEDA add-on (ManagedClusterWorkloadAutoScalerProfileKeda.enabled) installs KEDA's CRDs.
    return bool(r.inputs, "workloadAutoScalerProfile.keda.enabled") === true ? ["keda"] : [];
  },
  serverlessGpus(r): readonly ServerlessGpuUse[] {
    if (r.type !== "azure-native:app:ManagedEnvironment") return [];
    const region = str(r.inputs, "location") ?? r.providerRegion;
    if (!region) return [];
    return list(r.inputs, "workloadProfiles").flatMap((p, i): ServerlessGpuUse[] => {
      const type = isRecord(p) ? str(p, "workloadProfileType") : undefined;
      return type?.startsWith("Consumption-GPU-")
        ? [{ cloud: "azure", region, gpu: type, field: `workloadProfiles[${i}].workloadProfileType` }]
        : [];
    });
  },
  nodeDiskGiB(r) {
    if (r.type !== "azure-native:containerservice:AgentPool") return undefined;
    const gib = num(r.inputs, "osDiskSizeGB");
    return gib === undefined ? undefined : { gib, field: "osDiskSizeGB" };
  },
};
