/**
 * A placement: where one model deployment runs and what it costs. Produced by the optimizer,
 * consumed by the per-model stack program, the offline plan and the API.
 *
 * `cloud` is a catalog cloud, or `kubernetes` for a pool of a cluster the engineer brought: then
 * `cluster` and `pool` name it in the footprint, `instanceType` is the pool's declared node type
 * (or `<cluster>/<pool>` when it declares none), and `pricing` says the figures are the pool's
 * declared chargeback price (or that it has none), not a market price.
 */
import type { GpuShape } from "./pricing/types";
import type { Capacity, PlacementCloud } from "./types";

/** How a placement's figures were priced, when not from the catalog. */
export interface PlacementPricing {
  /**
   * `declared`: the pool's declared `nodeHourlyUsd` (chargeback), not a market price;
   * `unpriced`: the pool declares no price, so every USD figure is 0 and means "unknown".
   */
  basis: "declared" | "unpriced";
  /** What is and is not priced, in words (shown by quotes and plans). */
  note: string;
}

export interface Placement extends Omit<GpuShape, "cloud"> {
  /** The catalog cloud, or `kubernetes` for a brought cluster. */
  cloud: PlacementCloud;
  /** Instance/VM/machine type of one node; for serverless, the product SKU or workload profile. */
  instanceType: string;
  capacity: Capacity;
  /** Serverless product (`cloud-run`, `container-apps`, ...); absent for cluster placements. */
  serverlessProduct?: string;
  /** The footprint cluster it lands on (by name); absent outside a footprint. */
  cluster?: string;
  /** The existing platform pool it runs on; absent for a dedicated pool or a serverless SKU. */
  pool?: string;
  /** Replicas the price covers. */
  replicas: number;
  /** One replica's compute, USD/hour (a node, or one active serverless instance); with `replicasPerNode`, one node's. */
  unitHourlyUsd: number;
  /**
   * An existing pool whose node carries several replicas (a node of 8 GPUs, replicas of `gpuCount`
   * = 1): floor(GPUs per node / gpuCount). `hourlyUsd` bills ceil(replicas / replicasPerNode) nodes
   * at `unitHourlyUsd`. Absent: one node per replica.
   */
  replicasPerNode?: number;
  /** All replicas' compute, USD/hour (the nodes they need × `unitHourlyUsd`). */
  hourlyUsd: number;
  /** Compute for the month (730 h; serverless: active hours only) plus artifact storage, USD. */
  monthlyUsd: number;
  /** The artifact-storage part of `monthlyUsd`, USD/month. */
  storageMonthlyUsd: number;
  /** Spot placements: the on-demand price of the same shape (the fallback floor), USD/hour per replica. */
  onDemandUnitHourlyUsd: number | null;
  /** Set when the figures are not catalog prices (a brought cluster's pool). */
  pricing?: PlacementPricing;
  /** A short reason this placement ranks where it does. */
  why?: string;
}
