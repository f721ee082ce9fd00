/**
 * What a cloud implements for `SpotPool`: one GPU node pool (spot or on-demand) on a cluster,
 * and the labels/taints a workload needs to land on it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type { GpuType } from "../../platform/core/types";
import type { ClusterRef } from "./cluster";

/** A Kubernetes toleration, in the shape a pod spec takes it. */
export interface Toleration {
  key: string;
  operator: "Equal" | "Exists";
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Capacity kinds a node pool can buy. */
export type PoolCapacity = "spot" | "on-demand";

/** What `SpotPool` hands a cloud, already validated and with cost tags merged. */
export interface PoolCreateArgs {
  /** Child resource name, e.g. `${name}-spot` or `${name}-fallback`. */
  name: string;
  cluster: ClusterRef;
  /** The node pool's name on the cloud (from `poolName`). Also the `modelplane.dev/pool` label. */
  poolName: string;
  gpu: GpuType;
  /** Instance / VM size / machine type. */
  instanceType: string;
  /** GPUs per node. */
  gpuCount: number;
  minNodes: number;
  maxNodes: number;
  capacity: PoolCapacity;
  /** Node labels modelplane sets (pool, pool group, gpu, capacity). */
  labels: Record<string, string>;
  /** Cost tags (GCP derives labels from them). */
  tags: Record<string, string>;
  /** AWS only: `AL2023_x86_64_NVIDIA` (default) or `BOTTLEROCKET_x86_64_NVIDIA`. */
  amiType?: string;
  /** Root disk size, GiB (model images are large). */
  diskSizeGiB: number;
  /** Resources the pool must wait for (the GpuCluster, so node roles and policies exist first). */
  dependsOn?: pulumi.Resource[];
  /**
   * The group's ordering object (`PoolProvider.groupOrder`) the pool belongs to, by name: the pool
   * carries what ties it to that object (GKE: the ComputeClass node label and taint).
   */
  orderedBy?: string;
}

export interface PoolCreated {
  /** The node pool resource. */
  resource: pulumi.CustomResource;
  /** Labels a pod must select to land on this pool. */
  nodeSelector: Record<string, string>;
  /** Tolerations a pod needs for this pool's taints. */
  tolerations: Toleration[];
}

/**
 * A cloud object that makes the autoscaler try the pools of one pool group in order, spot first
 * (GKE: a custom ComputeClass). Clouds whose autoscaler reads a cluster-wide priority list instead
 * (EKS, AKS: the priority expander) have none.
 */
export interface PoolGroupOrder {
  /** The object's name for a pool group label (also what pools and pods carry). */
  name(group: string): string;
  /** The node selector pods add to request the object's pools. */
  selector(name: string): Record<string, string>;
  /** Create it through the cluster's Kubernetes provider. */
  create(
    resourceName: string,
    args: {
      name: string;
      pools: readonly { poolName: string; capacity: PoolCapacity }[];
      tags: Readonly<Record<string, string>>;
      provider: k8s.Provider;
      dependsOn?: pulumi.Resource[];
    },
    parent: pulumi.Resource,
  ): pulumi.Resource;
}

export interface PoolProvider {
  /** The object that orders a group's pools, on clouds that have one (GKE). */
  readonly groupOrder?: PoolGroupOrder;
  /**
   * True when the cloud rejects a node-pool write while another one on the same cluster is in
   * progress (AKS answers 409 `OperationNotAllowed`), so pools of one cluster must be created one
   * after another.
   */
  readonly serialCreates?: boolean;
  /** A valid, deterministic node pool name on this cloud for `base` (e.g. the component name). */
  poolName(base: string, capacity: PoolCapacity): string;
  /** Plain checks of cloud-specific args; throws a ValidationError naming the argument. */
  validate(args: { amiType?: string; gpu: GpuType }): void;
  create(args: PoolCreateArgs, parent: pulumi.Resource): PoolCreated;
}
