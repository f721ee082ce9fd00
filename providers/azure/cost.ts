/**
 * How Azure resources cost money (property names of @pulumi/azure-native 3.x). AKS agent pools
 * bill their VM size × count; the control plane bills by SKU tier (Free: none); Container Apps
 * GPU workload profiles bill per active replica-second.
 */
import { at, list, num, str, stringMap } from "../../platform/core/resources/read";
import { freeReader, spotFromLabel, tagsAt } from "../../platform/core/resources/readers";
import type {
  CloudCostModule,
  NodeCount,
  NodesShape,
  ResourceFacts,
  ResourceInput,
  TypeReader,
} from "../../platform/core/resources/types";

const MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster";
const MANAGED_ENVIRONMENT = "azure-native:app:ManagedEnvironment";

const tagged = (r: ResourceInput): ResourceFacts["tags"] => tagsAt(r, "tags");

function location(r: ResourceInput): string | undefined {
  return str(r.inputs, "location")?.toLowerCase().replace(/\s+/g, "") ?? r.providerRegion;
}

function free(types: string[], note: string, taggable: boolean): TypeReader {
  return freeReader(types, note, { platform: "azure", region: location, tagPath: taggable ? "tags" : undefined });
}

/** AKS node labels (AKS docs "Use labels in an AKS cluster" and "Spot node pools", read 2026-11-22). */
const AKS_POOL_LABEL = "kubernetes.azure.com/agentpool";
const AKS_PRIORITY_LABEL = "kubernetes.azure.com/scalesetpriority";

/** A pool's counts: autoscaling pools start at `count` (when given) and keep at least `minCount`. */
function countsOf(pool: unknown): NodeCount {
  const autoscale = at(pool, "enableAutoScaling") === true;
  const count = num(pool, "count");
  return autoscale
    ? { desired: count, min: num(pool, "minCount"), max: num(pool, "maxCount") }
    : { desired: count, min: count, max: count };
}

function poolShape(
  pool: unknown,
  name: string | undefined,
  region: string | undefined,
  paths: { spot: string; count: string },
): NodesShape | undefined {
  const vmSize = str(pool, "vmSize");
  if (!vmSize) return undefined;
  const spot = str(pool, "scaleSetPriority") === "Spot";
  const labels: Record<string, string> = { ...(stringMap(pool, "nodeLabels") ?? {}) };
  if (name) labels[AKS_POOL_LABEL] = name;
  if (spot) labels[AKS_PRIORITY_LABEL] = "spot";
  labels["node.kubernetes.io/instance-type"] = vmSize;
  return {
    kind: "nodes",
    cloud: "azure",
    region,
    instanceTypes: [vmSize],
    count: countsOf(pool),
    spot,
    nodeLabels: labels,
    spotPath: paths.spot,
    countPath: paths.count,
  };
}

/** The cluster an agent pool belongs to, found among the stack's resources by name. */
function clusterOf(r: ResourceInput, stack: readonly ResourceInput[]): ResourceInput | undefined {
  const ref = str(r.inputs, "resourceName");
  const clusters = stack.filter((s) => s.type === MANAGED_CLUSTER);
  return (
    clusters.find((c) => ref !== undefined && [c.id, c.name, str(c.inputs, "resourceName")].includes(ref)) ??
    (clusters.length === 1 ? clusters[0] : undefined)
  );
}

const agentPool: TypeReader = {
  types: ["azure-native:containerservice:AgentPool"],
  read(r, stack) {
    const cluster = clusterOf(r, stack);
    const region = (cluster ? location(cluster) : undefined) ?? r.providerRegion;
    const shape = poolShape(r.inputs, str(r.inputs, "agentPoolName"), region, {
      spot: "scaleSetPriority",
      count: "count/minCount",
    });
    const count = countsOf(r.inputs);
    return {
      platform: "azure",
      region,
      tags: tagged(r),
      ...(count.min === undefined ? {} : { minScale: { value: count.min, path: "minCount" } }),
      cost: shape ?? { kind: "unknown", reason: "vmSize is not set" },
    };
  },
};

const managedCluster: TypeReader = {
  types: [MANAGED_CLUSTER],
  read(r) {
    const tier = str(r.inputs, "sku.tier") ?? "Free";
    const region = location(r);
    const inlinePools = list(r.inputs, "agentPoolProfiles")
      .map((p, i) =>
        poolShape(p, str(p, "name"), region, {
          spot: `agentPoolProfiles[${i}].scaleSetPriority`,
          count: `agentPoolProfiles[${i}].count`,
        }),
      )
      .filter((p): p is NodesShape => p !== undefined);
    // AKS pricing: Free tier has no cluster-management fee; Standard and Premium bill per cluster-hour.
    const product = tier === "Free" ? null : `aks-${tier.toLowerCase()}`;
    return {
      platform: "azure",
      region,
      tags: tagged(r),
      cost: {
        kind: "control-plane",
        cloud: "azure",
        product,
        ...(product === null ? { freeNote: "AKS Free tier: no control-plane fee" } : {}),
        inlinePools,
      },
    };
  },
};

const storageAccount: TypeReader = {
  types: ["azure-native:storage:StorageAccount"],
  read(r) {
    const keys = [r.name, r.id, str(r.inputs, "accountName"), r.urn].filter((k): k is string => !!k);
    return {
      platform: "azure",
      region: location(r),
      tags: tagged(r),
      cost: { kind: "storage", cloud: "azure", region: location(r), tier: str(r.inputs, "accessTier") ?? "Hot" },
      store: { inlineLifecycle: false, keys },
    };
  },
};

const managementPolicy: TypeReader = {
  types: ["azure-native:storage:ManagementPolicy"],
  read(r) {
    const effective = list(r.inputs, "policy.rules").some(
      (rule) =>
        at(rule, "enabled") !== false &&
        (at(rule, "definition.actions.baseBlob") !== undefined || at(rule, "definition.actions.version") !== undefined),
    );
    const refs = [str(r.inputs, "accountName"), ...(r.dependsOn ?? [])].filter((k): k is string => !!k);
    return {
      platform: "azure",
      region: location(r),
      cost: { kind: "free", note: "lifecycle management is free" },
      lifecycle: { refs, effective },
    };
  },
};

/**
 * The profile names modelplane gives serverless GPU workload-profile types. Mirrors
 * GPU_PROFILE_NAMES in ./serverless.ts (not imported: that module loads the azure-native SDK,
 * ~0.7 s); cost.test.ts checks the two agree.
 */
export const PROFILE_TYPES_BY_NAME: Readonly<Record<string, string>> = {
  "gpu-t4": "Consumption-GPU-NC8as-T4",
  "gpu-a100": "Consumption-GPU-NC24-A100",
};

/**
 * The workload profile type (the catalog SKU) a container app runs on: from its environment when
 * that is in the stack, else from modelplane's profile naming (the platform's shared environment).
 */
function profileTypeOf(r: ResourceInput, stack: readonly ResourceInput[]): string | undefined {
  const profile = str(r.inputs, "workloadProfileName");
  if (!profile) return undefined;
  for (const env of stack.filter((s) => s.type === MANAGED_ENVIRONMENT)) {
    const match = list(env.inputs, "workloadProfiles").find((p) => str(p, "name") === profile);
    if (match) return str(match, "workloadProfileType");
  }
  return PROFILE_TYPES_BY_NAME[profile] ?? (profile.startsWith("Consumption-GPU-") ? profile : undefined);
}

const containerApp: TypeReader = {
  types: ["azure-native:app:ContainerApp"],
  read(r, stack) {
    const min = num(r.inputs, "template.scale.minReplicas") ?? 0;
    const max = num(r.inputs, "template.scale.maxReplicas");
    const sku = profileTypeOf(r, stack);
    const base = {
      platform: "azure" as const,
      region: location(r),
      tags: tagged(r),
      minScale: { value: min, path: "template.scale.minReplicas" },
    };
    if (!sku)
      return {
        ...base,
        cost: {
          kind: "unknown",
          reason:
            "no GPU workload profile found (workloadProfileName names no GPU profile of a ManagedEnvironment in this stack, nor a modelplane GPU profile)",
        },
      };
    return {
      ...base,
      cost: {
        kind: "serverless",
        cloud: "azure",
        region: base.region,
        product: "container-apps",
        sku,
        minInstances: min,
        ...(max === undefined ? {} : { maxInstances: max }),
        minPath: "template.scale.minReplicas",
      },
    };
  },
};

export const azureCost: CloudCostModule = {
  platform: "azure",
  readers: [
    agentPool,
    managedCluster,
    storageAccount,
    managementPolicy,
    containerApp,
    free(
      [
        "azure-native:resources:ResourceGroup",
        "azure-native:managedidentity:UserAssignedIdentity",
        MANAGED_ENVIRONMENT,
      ],
      "no charge of its own (consumption environments bill per app replica)",
      true,
    ),
    free(
      [
        "azure-native:storage:BlobContainer",
        "azure-native:storage:BlobServiceProperties",
        "azure-native:authorization:RoleAssignment",
        "azure-native:managedidentity:FederatedIdentityCredential",
      ],
      "configuration object, no charge",
      false,
    ),
  ],
  spotFromSelector: spotFromLabel(AKS_PRIORITY_LABEL, "spot"),
  planPlatformOutput: (region) => ({
    region,
    clusterName: "plan-aks",
    endpoint: "https://plan-aks.hcp.plan",
    kubeconfig: "apiVersion: v1\nkind: Config\n",
    clusterRef: { cloud: "azure", region, clusterName: "plan-aks", resourceGroupName: "plan-rg" },
    pools: [],
    store: {
      uri: "https://planmodels.blob.core.windows.net/models",
      readerIdentity:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/plan-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/plan-reader",
      readerClientId: "00000000-0000-0000-0000-000000000001",
      readerGrant: "plan-read",
    },
    serverless: { resourceGroupName: "plan-rg" },
  }),
};
