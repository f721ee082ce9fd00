/**
 * A placement: where one model deployment runs and what it costs. Produced by the optimizer,
 * consumed by the per-model stack program, the offline plan and the API.
 */
import type { GpuShape } from "./pricing/types";
import type { Capacity } from "./types";

export interface Placement extends GpuShape {
  /** Instance/VM/machine type of one node; for serverless, the product SKU or workload profile. */
  instanceType: string;
  capacity: Capacity;
  /** Serverless product (`cloud-run`, `container-apps`, ...); absent for cluster placements. */
  serverlessProduct?: string;
  /** Replicas the price covers. */
  replicas: number;
  /** One replica's compute, USD/hour (a node, or one active serverless instance). */
  unitHourlyUsd: number;
  /** All replicas' compute, USD/hour. */
  hourlyUsd: number;
  /** Compute for the month (730 h; serverless: active hours only) plus artifact storage, USD. */
  monthlyUsd: number;
  /** The artifact-storage part of `monthlyUsd`, USD/month. */
  storageMonthlyUsd: number;
  /** Spot placements: the on-demand price of the same shape (the fallback floor), USD/hour per replica. */
  onDemandUnitHourlyUsd: number | null;
  /** A short reason this placement ranks where it does. */
  why?: string;
}
