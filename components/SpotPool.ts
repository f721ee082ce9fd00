/**
 * SpotPool: a GPU node pool on a GpuCluster, spot/preemptible by default, scaling from zero, with
 * an optional on-demand fallback pool of the same shape. Outputs the node selector and
 * tolerations a workload needs to land on it.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type { Catalog } from "../platform/core/pricing/types";
import type { GpuType } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { providerFor } from "../providers/registry";
import type { ClusterRef } from "../providers/types/cluster";
import type { PoolCapacity, Toleration } from "../providers/types/pool";
import { assertCloud } from "./clusterPlan";
import { GpuCluster } from "./GpuCluster";
import { layoutPools, placementsFor, planSpotPool, POOL_GROUP_LABEL, type FallbackInput } from "./poolPlan";
import type { CostTagInput } from "../platform/core/tags";

export type { Toleration, PoolCapacity };

/** Arguments of a SpotPool; the cost-tag arguments (`model`, `owner`, `costCenter`, `tags`) are `CostTagInput`'s. */
export interface SpotPoolArgs extends CostTagInput {
  /** The cluster: a `GpuCluster`, or a `ClusterRef` rebuilt from a platform stack's outputs. */
  cluster: GpuCluster | ClusterRef;
  /**
   * The cluster's Kubernetes provider when `cluster` is a `ClusterRef` (a deployment stack's
   * dedicated pools). With it, a pool group with a fallback gets its cloud's ordering object (GKE:
   * a ComputeClass) as on a `GpuCluster`; without it, the group is selected without an order.
   * Ignored for a `GpuCluster` (its own provider is used).
   */
  provider?: k8s.Provider;
  /**
   * Region code, for catalog lookups. Default: the cluster's region when it is a plain string;
   * required when `cluster.region` is an Output (e.g. from a StackReference).
   */
  region?: string;
  /** GPU type, e.g. `L4`. Must be offered on the cluster's cloud per the catalog. */
  gpu: GpuType;
  /** Instance / VM size / machine type. Default: the catalog's smallest, cheapest one carrying `gpu`. */
  instanceType?: string;
  /** GPUs per node. Default: from the catalog offer; must match it when both are known. */
  gpuCount?: number;
  /** Minimum nodes. Default 0 (scale from zero). Must be ≤ maxNodes. */
  minNodes?: number;
  /** Maximum nodes, 1–100. Default 1 (or minNodes when larger). */
  maxNodes?: number;
  /**
   * Buy spot/preemptible capacity. Default true. An on-demand pool outside production fails the
   * policy pack's `spot-required-outside-production` unless `tags` sets
   * `modelplane-allow-on-demand: "true"`.
   */
  spot?: boolean;
  /**
   * Add an on-demand pool of the same shape the autoscaler can use when spot capacity is gone.
   * `true` (same node counts) or `{ minNodes, maxNodes }`. Default false. Requires spot and an
   * on-demand offer of the instance type in the region. The fallback pool is tagged
   * `modelplane-allow-on-demand: "true"` (GCP: resource label), the policy pack's opt-out for
   * on-demand GPU pools outside production: it is on-demand capacity asked for explicitly.
   */
  fallback?: FallbackInput;
  /** Root disk, GiB, 20–4096. Default 200 (model server images are large). */
  diskSizeGiB?: number;
  /** AWS only: `AL2023_x86_64_NVIDIA` (default; needs the device plugin) or `BOTTLEROCKET_x86_64_NVIDIA`. */
  amiType?: string;
  /** Price catalog for validation and instance selection. Default: the shipped catalog. */
  catalog?: Catalog;
  /** Extra tags, as `CostTagInput.tags`. Default: the GpuCluster's tags when given a GpuCluster. */
  tags?: Readonly<Record<string, string>>;
}

/** One node pool as a workload sees it. */
export interface PoolShape {
  /** The pool's name on the cloud (also its `modelplane.dev/pool` label). */
  poolName: string;
  gpuType: GpuType;
  /** GPUs per node. */
  gpuCount: number;
  instanceType: string;
  capacity: PoolCapacity;
  minNodes: number;
  maxNodes: number;
  /**
   * Labels a pod selects to run here. The primary's selects the whole pool group (the primary and its
   * on-demand fallback); the fallback's adds `modelplane.dev/capacity: on-demand`.
   */
  nodeSelector: Record<string, string>;
  /** Tolerations a pod needs for the taints of every pool its selector reaches. */
  tolerations: Toleration[];
}

export class SpotPool extends pulumi.ComponentResource {
  readonly cloud: ClusterRef["cloud"];
  readonly poolName: string;
  readonly gpuType: GpuType;
  readonly gpuCount: number;
  readonly instanceType: string;
  readonly capacity: PoolCapacity;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Toleration[];
  /** The on-demand fallback pool, when asked for. */
  readonly fallback?: PoolShape;
  /** Every pool this component created, primary first. */
  readonly pools: PoolShape[];
  /** The node pool resources, primary first. */
  readonly nodePools: pulumi.CustomResource[];

  constructor(name: string, args: SpotPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:compute:SpotPool", name, {}, opts);
    const isCluster = args.cluster instanceof GpuCluster;
    const ref: ClusterRef = args.cluster instanceof GpuCluster ? args.cluster.ref : args.cluster;
    const cloud = assertCloud(ref.cloud, "cluster.cloud");
    const region = args.region ?? (typeof ref.region === "string" ? ref.region : undefined);
    if (region === undefined) {
      throw new ValidationError(
        "region",
        "is required when cluster.region is not a plain string (e.g. a ClusterRef from a StackReference)",
      );
    }
    const impl = providerFor(cloud).pool;
    const inheritedTags = args.cluster instanceof GpuCluster ? args.cluster.tags : undefined;
    // Planning reads only the PoolPlanInput fields of the args.
    const plan = planSpotPool(
      {
        ...args,
        cloud,
        region,
        tags: { ...(isCluster ? inheritedTags : {}), ...(args.tags ?? {}) },
      },
      args.catalog,
    );
    impl.validate({ gpu: plan.gpu, ...(args.amiType !== undefined ? { amiType: args.amiType } : {}) });

    const shapes: PoolShape[] = [];
    const resources: pulumi.CustomResource[] = [];
    const layouts = layoutPools(name, plan, impl);
    // Clouds that reject parallel pool writes: chain every pool of the cluster, across SpotPools too.
    const chain = impl.serialCreates === true;
    let previous: pulumi.Resource | undefined =
      chain && args.cluster instanceof GpuCluster ? args.cluster.lastNodePool : undefined;
    // Clouds with an object that orders a group's pools (GKE: a ComputeClass) get one per group with
    // a fallback, through the cluster's Kubernetes provider (a ClusterRef's is `args.provider`;
    // without one, no object).
    const order = impl.groupOrder;
    const k8sProvider = args.cluster instanceof GpuCluster ? args.cluster.provider : args.provider;
    const orderedBy =
      order && layouts.length > 1 && k8sProvider !== undefined
        ? order.name(layouts[0]?.labels[POOL_GROUP_LABEL] ?? name)
        : undefined;
    for (const layout of layouts) {
      const after = [
        ...(args.cluster instanceof GpuCluster ? [args.cluster] : []),
        ...(chain && previous ? [previous] : []),
      ];
      const created = impl.create(
        {
          name: `${name}-${layout.role}`,
          cluster: ref,
          poolName: layout.poolName,
          gpu: plan.gpu,
          instanceType: plan.instanceType,
          gpuCount: plan.gpuCount,
          minNodes: layout.minNodes,
          maxNodes: layout.maxNodes,
          capacity: layout.capacity,
          labels: layout.labels,
          tags: layout.tags,
          diskSizeGiB: plan.diskSizeGiB,
          ...(args.amiType !== undefined ? { amiType: args.amiType } : {}),
          ...(after.length > 0 ? { dependsOn: after } : {}),
          ...(orderedBy !== undefined ? { orderedBy } : {}),
        },
        this,
      );
      resources.push(created.resource);
      previous = created.resource;
      shapes.push({
        poolName: layout.poolName,
        gpuType: plan.gpu,
        gpuCount: plan.gpuCount,
        instanceType: plan.instanceType,
        capacity: layout.capacity,
        minNodes: layout.minNodes,
        maxNodes: layout.maxNodes,
        nodeSelector: created.nodeSelector,
        tolerations: created.tolerations,
      });
    }
    // Workloads select the pool group, not one pool, and tolerate every pool of it: when spot
    // capacity is gone, the autoscaler's priority expander grows the on-demand fallback and the
    // pending pods land there (issue 12, #11). An on-demand floor stays on on-demand nodes.
    const placements = placementsFor(layouts, shapes);
    const extra = order && orderedBy !== undefined ? order.selector(orderedBy) : {};
    shapes.forEach((shape, i) => {
      const p = placements[i];
      if (p) Object.assign(shape, { ...p, nodeSelector: { ...p.nodeSelector, ...extra } });
    });
    if (order && orderedBy !== undefined && k8sProvider !== undefined) {
      order.create(
        `${name}-order`,
        {
          name: orderedBy,
          pools: layouts.map((l) => ({ poolName: l.poolName, capacity: l.capacity })),
          tags: layouts[0]?.tags ?? {},
          provider: k8sProvider,
          // On a GpuCluster, after the cluster; on a ClusterRef (the cluster exists), after the pools it names.
          dependsOn: args.cluster instanceof GpuCluster ? [args.cluster] : [...resources],
        },
        this,
      );
    }
    if (chain && args.cluster instanceof GpuCluster && previous) args.cluster.lastNodePool = previous;
    const [primary, fallback] = shapes;
    if (!primary) throw new Error(`${name}: planning produced no pool`);

    this.cloud = cloud;
    this.poolName = primary.poolName;
    this.gpuType = primary.gpuType;
    this.gpuCount = primary.gpuCount;
    this.instanceType = primary.instanceType;
    this.capacity = primary.capacity;
    this.nodeSelector = primary.nodeSelector;
    this.tolerations = primary.tolerations;
    if (fallback) this.fallback = fallback;
    this.pools = shapes;
    this.nodePools = resources;

    this.registerOutputs({
      gpuType: this.gpuType,
      gpuCount: this.gpuCount,
      instanceType: this.instanceType,
      capacity: this.capacity,
      nodeSelector: this.nodeSelector,
      tolerations: this.tolerations,
      fallback: this.fallback,
    });
  }
}
