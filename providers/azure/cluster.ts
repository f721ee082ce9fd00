/**
 * Azure GpuCluster: a resource group and an AKS managed cluster with a System agent pool,
 * system-assigned managed identity and OIDC issuer + workload identity. KEDA is installed from the
 * pinned chart like on every cloud (`installPlatformAddons`), not as the AKS managed add-on: the
 * add-on's KEDA version follows the cluster's Kubernetes version (it cannot be pinned), and only one
 * external-metrics server may run per cluster, so the two must not both be on
 * (https://learn.microsoft.com/azure/aks/keda-about, "Add-on limitations", read 2026-11-30).
 *
 * The cluster runs in a virtual network of its own (`${name}-vnet`, CLUSTER_NETWORK) so that other
 * resources can be placed beside its nodes: the control plane's Postgres flexible server goes into a
 * delegated subnet of it (./control-plane.ts), reachable from the pods and not from the internet.
 * Without a `vnetSubnetID`, AKS puts the nodes in a network it creates in the node resource group,
 * which nothing else may join. Facts (read 2026-12-01):
 * - Azure CNI Overlay (`networkPlugin: azure`, `networkPluginMode: overlay`): nodes take addresses
 *   from the subnet, pods from a separate private CIDR (`podCidr`), so the subnet stays small:
 *   https://learn.microsoft.com/azure/aks/concepts-network-cni-overview (https://aka.ms/aks/azure-cni-overlay).
 * - With a subnet of your own, the cluster identity needs `Microsoft.Network/virtualNetworks/subnets/join/action`
 *   and the load-balancer rights on it; the built-in role for that is Network Contributor
 *   (`4d97b98b-1d4f-4787-a291-c67834d212e7`, https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/networking#network-contributor),
 *   granted on the subnet as in the AKS baseline reference architecture (mspnp/aks-baseline).
 *   The CLI grants it itself; through ARM (Pulumi) the program must.
 * - Agent pools are given the same subnet (./pool.ts, `ClusterRef.subnetIds`).
 */
import { authorization, network, resources, containerservice } from "../sdk";
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

/** Address plan of the cluster's network: node subnet, the control plane database's delegated subnet, pods (overlay) and services. */
export const CLUSTER_NETWORK = {
  vnet: "10.224.0.0/12",
  nodes: "10.224.0.0/16",
  /** Delegated to Postgres flexible server (./control-plane.ts); /28 is the smallest it takes. */
  database: "10.225.0.0/28",
  pods: "10.244.0.0/16",
  services: "10.0.0.0/16",
  dnsServiceIP: "10.0.0.10",
} as const;

/** Built-in role Network Contributor (see the file comment). */
export const NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<v>/subnets/<n>` → the network's id and parts. Pure. */
export function virtualNetworkOfSubnet(
  subnetId: string,
): { id: string; resourceGroupName: string; name: string } | undefined {
  const m =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+))\/subnets\/[^/]+$/i.exec(
      subnetId,
    );
  return m && m[1] && m[2] && m[3] ? { id: m[1], resourceGroupName: m[2], name: m[3] } : undefined;
}

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

    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      { resourceGroupName, location: region, addressSpace: { addressPrefixes: [CLUSTER_NETWORK.vnet] }, tags },
      { parent },
    );
    const nodes = new network.Subnet(
      `${name}-nodes`,
      {
        resourceGroupName,
        virtualNetworkName: vnet.name,
        subnetName: "nodes",
        addressPrefix: CLUSTER_NETWORK.nodes,
      },
      { parent },
    );

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
            vnetSubnetID: nodes.id,
            tags,
          },
        ],
        networkProfile: {
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          podCidr: CLUSTER_NETWORK.pods,
          serviceCidr: CLUSTER_NETWORK.services,
          dnsServiceIP: CLUSTER_NETWORK.dnsServiceIP,
        },
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

    // The cluster identity joins nodes and load balancers to the subnet (see the file comment).
    const subnetGrant = new authorization.RoleAssignment(
      `${name}-nodes-network`,
      {
        principalId: cluster.identity.apply((i) => i?.principalId ?? ""),
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId: nodes.id.apply(
          (id) =>
            `${id.split("/").slice(0, 3).join("/")}/providers/Microsoft.Authorization/roleDefinitions/${NETWORK_CONTRIBUTOR}`,
        ),
        scope: nodes.id,
        description: `modelplane: ${name} joins nodes and load balancers to its subnet`,
      },
      { parent },
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
      ref: { cloud: "azure", region, clusterName: cluster.name, resourceGroupName, subnetIds: [nodes.id] },
      ready: [cluster, subnetGrant],
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
