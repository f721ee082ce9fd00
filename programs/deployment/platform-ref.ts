/**
 * Reading the platform stack: its `clusters` output (plain, keyed by cluster name) and its
 * `kubeconfigs` output (secret), written by the platform program. The per-model stack validates
 * what it reads with zod, so a platform stack that lacks a cluster or a store fails here with the
 * missing key named, not deep inside a provider. The cluster is the one whose cloud and region
 * match the placement; none matching is a ValidationError naming `placement.region` and listing
 * the footprint. Pool selection is a pure function of those outputs and the placement.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Placement } from "../../platform/core/placement";
import { requireCluster, type Footprint, type FootprintCloud } from "../../platform/core/footprint";
import { ValidationError } from "../../platform/core/validation";
import { isCatalogCloud } from "../../platform/core/types";
import type { ClusterRef } from "../../providers/types/cluster";
import { footprintFromOutputs } from "../platform/footprint";
import { parsePlatformClusters, type PlatformCluster, type PlatformPool } from "../platform/output-schema";
import { CLUSTERS_OUTPUT, KUBECONFIGS_OUTPUT } from "../platform/outputs";
import { defined } from "../../components/defined";
import { workerKubeconfig } from "../../providers/kube-token";

export { PlatformPoolSchema, PlatformClusterSchema } from "../platform/output-schema";
export type { PlatformPool, PlatformCluster } from "../platform/output-schema";

/** `lab (kubernetes onprem-fra), aws-us-east-1 (aws us-east-1)`: the footprint's clusters by name. */
function describeFootprintNames(fp: Footprint): string {
  return fp.clusters.map((c) => `${c.name} (${c.cloud} ${c.region})`).join(", ") || "(no clusters)";
}

/** The ClusterRef a SpotPool takes, rebuilt from the plain output; a ValidationError when the cluster takes no pools. */
export function clusterRefOf(out: PlatformCluster): ClusterRef {
  const r = out.clusterRef;
  if (!r || !out.dedicatedPools) {
    throw new ValidationError(
      "placement.instanceType",
      `the platform's cluster "${out.name}" (${out.cloud} ${out.region}) is an existing cluster: model stacks add no node pools there; place on one of its pools (${out.pools.map((p) => p.name).join(", ") || "none declared"})`,
    );
  }
  return {
    cloud: r.cloud,
    region: r.region,
    clusterName: r.clusterName,
    ...defined({
      nodeRoleArn: r.nodeRoleArn,
      subnetIds: r.subnetIds,
      kubernetesVersion: r.kubernetesVersion,
      project: r.project,
      location: r.location,
      resourceGroupName: r.resourceGroupName,
    }),
  };
}

/**
 * The platform cluster a placement lands on, from the `clusters` output: the one whose cloud and
 * region match. None → ValidationError naming `placement.region` and listing the footprint. A
 * placement that names its `cluster` must name that one (else `placement.cluster`). Pure.
 */
export function pickCluster(
  clustersOutput: unknown,
  stackName: string,
  cloud: FootprintCloud,
  region: string,
  clusterName?: string,
): PlatformCluster {
  const clusters = parsePlatformClusters(clustersOutput, `platformStack(${stackName})`);
  const footprint = footprintFromOutputs({ [CLUSTERS_OUTPUT]: clustersOutput }, stackName);
  const chosen = requireCluster(footprint, cloud, region);
  if (clusterName !== undefined && clusterName !== chosen.name) {
    throw new ValidationError(
      "placement.cluster",
      `the platform has no cluster "${clusterName}" in ${cloud} ${region} (its cluster there is "${chosen.name}"); its footprint is: ${describeFootprintNames(footprint)}`,
    );
  }
  const out = clusters.find((c) => c.name === chosen.name);
  if (!out) throw new Error(`unreachable: cluster ${chosen.name} is in the footprint but not in the outputs`);
  return out;
}

/**
 * Read the platform stack's `clusters` output and pick the placement's cluster (plain values, for
 * decisions such as which pool to use). The kubeconfig is read separately with `kubeconfigOf`,
 * which keeps it secret.
 */
export async function readPlatformCluster(
  ref: pulumi.StackReference,
  stackName: string,
  cloud: FootprintCloud,
  region: string,
  clusterName?: string,
): Promise<PlatformCluster> {
  const details = await ref.getOutputDetails(CLUSTERS_OUTPUT);
  const value: unknown = details.value ?? details.secretValue;
  if (value === undefined || value === null) {
    throw new ValidationError(
      "platformStack",
      `stack "${stackName}" has no "${CLUSTERS_OUTPUT}" output; is it a modelplane platform stack after \`pulumi up\`?`,
    );
  }
  return pickCluster(value, stackName, cloud, region, clusterName);
}

/** The named cluster's kubeconfig as a secret Output (from the platform's secret `kubeconfigs` output). */
export function kubeconfigOf(ref: pulumi.StackReference, clusterName: string): pulumi.Output<string> {
  return pulumi.secret(
    ref.requireOutput(KUBECONFIGS_OUTPUT).apply((o: unknown) => {
      const k = typeof o === "object" && o !== null ? (o as Record<string, unknown>)[clusterName] : undefined;
      if (typeof k !== "string" || k === "") {
        throw new ValidationError(
          "platformStack",
          `the platform stack exports no kubeconfig for cluster "${clusterName}"`,
        );
      }
      return k;
    }),
  );
}

/**
 * The kubeconfig the stack's Kubernetes providers get: the platform's (`kubeconfigOf`), with the
 * cloud-CLI exec plugins (`aws eks get-token`, `gke-gcloud-auth-plugin`) replaced by
 * `<kubeTokenCommand> kube-token …` when one is given, as the control plane image does (#14,
 * providers/kube-token.ts). Without it, developers get the platform's kubeconfig unchanged.
 */
export function providerKubeconfigOf(
  ref: pulumi.StackReference,
  clusterName: string,
  kubeTokenCommand: string | undefined,
): pulumi.Output<string> {
  const kubeconfig = kubeconfigOf(ref, clusterName);
  if (kubeTokenCommand === undefined) return kubeconfig;
  return kubeconfig.apply((k) => workerKubeconfig(k, kubeTokenCommand));
}

/** A pool to use: an existing platform pool, or one to create for this deployment. */
export type PoolChoice = { kind: "existing"; pool: PlatformPool } | { kind: "create"; capacity: "spot" | "on-demand" };

export interface PoolChoices {
  /** Where the autoscaled replicas run (the placement's capacity). */
  primary: PoolChoice;
  /** Where the on-demand floor runs (spot with a floor only). */
  onDemand?: PoolChoice;
}

/**
 * Pick the platform pools for a cluster placement. A placement that names its `pool` (a quote on an
 * existing pool, always so on a brought cluster) runs on that pool: it must exist on the cluster
 * with the placement's GPU type, capacity and at least its GPUs per node, else a ValidationError
 * naming `placement.pool`. Otherwise: same instance type, same capacity, enough GPUs per node for
 * one replica, and room for the replicas (`maxReplicas` at most, when the pool says how many nodes
 * it may grow to). When none fits, ask for a dedicated pool (scaled from zero). Pure.
 */
export function choosePools(
  pools: readonly PlatformPool[],
  placement: Placement,
  onDemandFloor: number,
  maxReplicas?: number,
): PoolChoices {
  if (placement.capacity === "serverless") throw new Error("choosePools: serverless placements use no pool");
  const room = (p: PlatformPool, replicas: number | undefined): boolean =>
    replicas === undefined ||
    p.maxNodes === undefined ||
    Math.ceil(replicas / Math.max(1, Math.floor(p.gpuCount / placement.gpuCount))) <= p.maxNodes;
  const find = (capacity: "spot" | "on-demand", replicas: number | undefined): PoolChoice => {
    const match = pools.find(
      (p) =>
        p.capacity === capacity &&
        p.instanceType === placement.instanceType &&
        p.gpuType === placement.gpuType &&
        p.gpuCount >= placement.gpuCount &&
        room(p, replicas),
    );
    return match ? { kind: "existing", pool: match } : { kind: "create", capacity };
  };
  let primary = placement.pool === undefined ? find(placement.capacity, maxReplicas) : named(pools, placement);
  // A named cloud pool without room for maxReplicas is not reused (a dedicated pool is made, as for
  // an unnamed placement); a brought cluster has no dedicated pools, so its named pool stays.
  if (primary.kind === "existing" && isCatalogCloud(placement.cloud) && !room(primary.pool, maxReplicas)) {
    primary = find(placement.capacity, maxReplicas);
  }
  return onDemandFloor > 0 && placement.capacity === "spot"
    ? { primary, onDemand: find("on-demand", onDemandFloor) }
    : { primary };
}

/** The pool a placement names, checked against the placement's shape. */
function named(pools: readonly PlatformPool[], placement: Placement): PoolChoice {
  const pool = pools.find((p) => p.name === placement.pool);
  const offered = pools.map((p) => `${p.name} (${p.gpuCount}×${p.gpuType} ${p.capacity})`).join(", ") || "none";
  if (!pool) {
    throw new ValidationError(
      "placement.pool",
      `the platform's cluster in ${placement.cloud} ${placement.region} has no pool "${placement.pool}"; its pools: ${offered}`,
    );
  }
  if (
    pool.capacity !== placement.capacity ||
    pool.gpuType !== placement.gpuType ||
    pool.gpuCount < placement.gpuCount
  ) {
    throw new ValidationError(
      "placement.pool",
      `pool "${pool.name}" runs ${pool.gpuCount}×${pool.gpuType} ${pool.capacity} nodes; the placement asks ${placement.gpuCount}×${placement.gpuType} ${placement.capacity}; its pools: ${offered}`,
    );
  }
  return { kind: "existing", pool };
}

/**
 * Nodes a dedicated pool needs for `replicas` replicas of `gpusPerReplica` GPUs on nodes with
 * `gpusPerNode` GPUs (a node carries floor(gpusPerNode / gpusPerReplica) replicas).
 */
export function nodesFor(replicas: number, gpusPerReplica: number, gpusPerNode: number): number {
  const perNode = Math.floor(gpusPerNode / gpusPerReplica);
  if (perNode < 1) {
    throw new ValidationError(
      "placement.gpuCount",
      `${gpusPerReplica} GPUs per replica do not fit a node with ${gpusPerNode} GPUs`,
    );
  }
  return Math.max(1, Math.ceil(replicas / perNode));
}
