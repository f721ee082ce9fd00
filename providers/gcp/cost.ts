/**
 * How GCP resources cost money (property names of @pulumi/gcp 9.x). GKE node pools bill their
 * host machine type (the GPU is priced with it in the catalog); counts on a regional pool are
 * per zone; Cloud Run GPU services bill per active instance-second.
 */
import { at, bool, list, num, str, stringMap } from "../../platform/core/resources/read";
import { freeReader, spotFromLabel, tagsAt } from "../../platform/core/resources/readers";
import type { CloudCostModule, NodeCount, ResourceInput, TypeReader } from "../../platform/core/resources/types";

/** `us-central1-a` → `us-central1`; regions and multi-regions (`US`) pass through lowercased. */
export function gcpRegionOf(location: string): string {
  const lower = location.toLowerCase();
  const zone = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(lower);
  return zone?.[1] ?? lower;
}

function isZone(location: string): boolean {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location.toLowerCase());
}

function region(r: ResourceInput): string | undefined {
  const loc = str(r.inputs, "location") ?? str(r.inputs, "region");
  return loc ? gcpRegionOf(loc) : r.providerRegion;
}

function free(types: string[], note: string, labelPath?: string): TypeReader {
  return freeReader(types, note, { platform: "gcp", region, tagPath: labelPath || undefined });
}

/** GKE adds these node labels (GKE docs "Node labels" and "Spot VMs", read 2026-11-22). */
const GKE_POOL_LABEL = "cloud.google.com/gke-nodepool";
const GKE_SPOT_LABEL = "cloud.google.com/gke-spot";
const GKE_ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";

/**
 * Zones a pool's per-zone counts multiply by: its `nodeLocations`, else 1 for a zonal location,
 * else 3 (GKE spreads a regional cluster's pools over three zones by default).
 */
function zonesOf(r: ResourceInput): { zones: number; note?: string } {
  const locations = list(r.inputs, "nodeLocations").filter((l) => typeof l === "string");
  if (locations.length > 0) return { zones: locations.length };
  const loc = str(r.inputs, "location");
  if (loc === undefined || isZone(loc)) return { zones: 1 };
  return { zones: 3, note: `per-zone counts × 3 zones (regional location ${loc})` };
}

const times = (v: number | undefined, k: number): number | undefined => (v === undefined ? undefined : v * k);

const nodePool: TypeReader = {
  types: ["gcp:container/nodePool:NodePool"],
  read(r) {
    const spot = bool(r.inputs, "nodeConfig.spot") === true || bool(r.inputs, "nodeConfig.preemptible") === true;
    const machineType = str(r.inputs, "nodeConfig.machineType");
    const { zones, note } = zonesOf(r);
    const count: NodeCount = {
      desired: times(num(r.inputs, "nodeCount") ?? num(r.inputs, "initialNodeCount"), zones),
      min: num(r.inputs, "autoscaling.totalMinNodeCount") ?? times(num(r.inputs, "autoscaling.minNodeCount"), zones),
      max: num(r.inputs, "autoscaling.totalMaxNodeCount") ?? times(num(r.inputs, "autoscaling.maxNodeCount"), zones),
    };
    if (count.min === undefined && count.desired !== undefined && at(r.inputs, "autoscaling") === undefined)
      count.min = count.desired;
    const labels: Record<string, string> = { ...(stringMap(r.inputs, "nodeConfig.labels") ?? {}) };
    const poolName = str(r.inputs, "name");
    if (poolName) labels[GKE_POOL_LABEL] = poolName;
    if (spot) labels[GKE_SPOT_LABEL] = "true";
    const accelerator = str(list(r.inputs, "nodeConfig.guestAccelerators")[0], "type");
    if (accelerator) labels[GKE_ACCELERATOR_LABEL] = accelerator;
    if (machineType) labels["node.kubernetes.io/instance-type"] = machineType;
    const minScale = count.min === undefined ? undefined : { value: count.min, path: "autoscaling.minNodeCount" };
    const base = {
      platform: "gcp" as const,
      region: region(r),
      tags: tagsAt(r, "nodeConfig.resourceLabels"),
      minScale,
    };
    if (!machineType) return { ...base, cost: { kind: "unknown", reason: "nodeConfig.machineType is not set" } };
    return {
      ...base,
      cost: {
        kind: "nodes",
        cloud: "gcp",
        region: base.region,
        instanceTypes: [machineType],
        count,
        spot,
        nodeLabels: labels,
        spotPath: "nodeConfig.spot",
        countPath: "autoscaling",
        ...(note ? { countNote: note } : {}),
      },
    };
  },
};

const gkeCluster: TypeReader = {
  types: ["gcp:container/cluster:Cluster"],
  read(r) {
    const inlinePools = [];
    // Without removeDefaultNodePool the cluster keeps a default pool of initialNodeCount e2-medium nodes.
    if (bool(r.inputs, "removeDefaultNodePool") !== true && bool(r.inputs, "enableAutopilot") !== true) {
      const { zones } = zonesOf(r);
      const n = (num(r.inputs, "initialNodeCount") ?? 1) * zones;
      inlinePools.push({
        kind: "nodes" as const,
        cloud: "gcp" as const,
        region: region(r),
        instanceTypes: [str(r.inputs, "nodeConfig.machineType") ?? "e2-medium"],
        count: { desired: n, min: n, max: n },
        spot: false,
        nodeLabels: {},
        spotPath: "nodeConfig.spot",
        countPath: "initialNodeCount",
      });
    }
    return {
      platform: "gcp",
      region: region(r),
      tags: tagsAt(r, "resourceLabels"),
      cost: { kind: "control-plane", cloud: "gcp", product: "gke", inlinePools },
    };
  },
};

const bucket: TypeReader = {
  types: ["gcp:storage/bucket:Bucket"],
  read(r) {
    const inline =
      bool(r.inputs, "autoclass.enabled") === true ||
      list(r.inputs, "lifecycleRules").some((rule) =>
        ["Delete", "SetStorageClass"].includes(str(rule, "action.type") ?? ""),
      );
    const keys = [r.name, r.id, str(r.inputs, "name"), r.urn].filter((k): k is string => !!k);
    return {
      platform: "gcp",
      region: region(r),
      tags: tagsAt(r, "labels"),
      cost: { kind: "storage", cloud: "gcp", region: region(r), tier: str(r.inputs, "storageClass") ?? "STANDARD" },
      store: { inlineLifecycle: inline, keys },
    };
  },
};

const cloudRun: TypeReader = {
  types: ["gcp:cloudrunv2/service:Service"],
  read(r) {
    const min = num(r.inputs, "scaling.minInstanceCount") ?? num(r.inputs, "template.scaling.minInstanceCount") ?? 0;
    const max = num(r.inputs, "template.scaling.maxInstanceCount") ?? num(r.inputs, "scaling.maxInstanceCount");
    const accelerator = str(r.inputs, "template.nodeSelector.accelerator");
    const base = {
      platform: "gcp" as const,
      region: region(r),
      tags: tagsAt(r, "labels"),
      minScale: { value: min, path: "template.scaling.minInstanceCount" },
    };
    if (!accelerator)
      return { ...base, cost: { kind: "unknown", reason: "CPU-only Cloud Run services are not in the GPU catalog" } };
    return {
      ...base,
      cost: {
        kind: "serverless",
        cloud: "gcp",
        region: base.region,
        product: "cloud-run",
        sku: accelerator,
        minInstances: min,
        ...(max === undefined ? {} : { maxInstances: max }),
        minPath: "template.scaling.minInstanceCount",
      },
    };
  },
};

export const gcpCost: CloudCostModule = {
  platform: "gcp",
  readers: [
    nodePool,
    gkeCluster,
    bucket,
    cloudRun,
    free(
      [
        "gcp:serviceaccount/account:Account",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "gcp:serviceaccount/iAMMember:IAMMember",
        "gcp:serviceaccount/iAMBinding:IAMBinding",
        "gcp:projects/service:Service",
      ],
      "IAM and API enablement are free",
    ),
    free(
      ["kubernetes:cloud.google.com/v1:ComputeClass"],
      'a GKE ComputeClass is free: "The ComputeClass custom resource is provided at no extra cost in GKE" (https://cloud.google.com/kubernetes-engine/docs/how-to/node-attributes-compute-classes, read 2026-12-01); its nodes are priced with their pools',
      "metadata.labels",
    ),
    free(
      ["gcp:compute/globalAddress:GlobalAddress", "gcp:servicenetworking/connection:Connection"],
      "private services access for Cloud SQL: ASSUMPTION no charge of its own (an internal range reservation and a VPC peering)",
    ),
  ],
  spotFromSelector: spotFromLabel(GKE_SPOT_LABEL, "true"),
  planPlatformOutput: (region) => ({
    region,
    clusterName: "plan-gke",
    endpoint: "https://10.0.0.1",
    kubeconfig: "apiVersion: v1\nkind: Config\n",
    clusterRef: { cloud: "gcp", region, clusterName: "plan-gke", project: "plan-project", location: region },
    pools: [],
    store: {
      uri: "gs://plan-models/models",
      readerIdentity: "plan-reader@plan-project.iam.gserviceaccount.com",
      readerClientId: "plan-reader@plan-project.iam.gserviceaccount.com",
      readerGrant: "serviceAccount:plan-reader@plan-project.iam.gserviceaccount.com",
    },
    serverless: { project: "plan-project" },
  }),
};
