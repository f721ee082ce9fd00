/**
 * The anomaly guard: offers whose price contradicts the rest of the catalog are kept but marked
 * `suspect: true` with a `note` saying why (the optimizer leaves them out unless
 * `constraints.allowSuspect`). Two rules:
 * - Within a cloud and region, an offer of a strictly larger GPU (memory from the GPU spec table)
 *   priced below an offer of a smaller GPU type with the same GPU count on a host no larger (vCPUs
 *   and RAM). (GCP us-central1 a2-ultragpu-1g, 1×A100 80 GB, listed below a2-highgpu-1g, 1×A100
 *   40 GB.) Only hosts no larger count, so a big host around a small GPU flags nothing. Only GPUs
 *   of the same architecture are compared: an older generation listed above a newer, larger one
 *   (AWS p3 V100 above g6e L40S) is legacy pricing, not a contradiction.
 * - A per-GPU on-demand price more than `MEDIAN_FACTOR`× away from the cross-region median of the
 *   same instance type on that cloud (the same GPU type and count on the same host), when at least
 *   `MIN_REGIONS_FOR_MEDIAN` regions list it.
 */
import { gpuSpec } from "../gpu-specs";
import type { GpuOffer } from "./types";

/** A per-GPU price this many times above or below the cross-region median is suspect. */
export const MEDIAN_FACTOR = 2;
/** Fewer regions than this give no meaningful median; the median rule is then skipped. */
export const MIN_REGIONS_FOR_MEDIAN = 3;

const perGpu = (o: GpuOffer): number => o.onDemandHourlyUsd / o.gpuCount;
const money = (v: number): string => `$${Number(v.toFixed(4))}`;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Memory of one GPU from the spec table; the offer's own figure when the table does not know it. */
function memoryOf(o: GpuOffer): number {
  return gpuSpec(o.gpuType)?.memoryGB ?? o.gpuMemoryGiB;
}

/** Architecture family from the spec table; the GPU name itself when the table does not know it. */
function generationOf(o: GpuOffer): string {
  return gpuSpec(o.gpuType)?.architecture ?? o.gpuType;
}

/** The reasons each offer (by index) is suspect. */
function findReasons(offers: readonly GpuOffer[]): Map<number, string[]> {
  const reasons = new Map<number, string[]>();
  const add = (i: number, why: string): void => {
    reasons.set(i, [...(reasons.get(i) ?? []), why]);
  };
  // Rule 1: larger GPU, same count, priced below the cheapest smaller GPU in the region.
  const byPlaceCount = new Map<string, number[]>();
  offers.forEach((o, i) => {
    const key = `${o.cloud}|${o.region}|${o.gpuCount}`;
    byPlaceCount.set(key, [...(byPlaceCount.get(key) ?? []), i]);
  });
  for (const group of byPlaceCount.values()) {
    for (const i of group) {
      const big = offers[i]!;
      // Per smaller GPU type, its cheapest offer on a host no larger than `big`'s.
      const cheapestOf = new Map<string, GpuOffer>();
      for (const j of group) {
        const small = offers[j]!;
        if (memoryOf(small) >= memoryOf(big) || generationOf(small) !== generationOf(big)) continue;
        if (small.vcpus > big.vcpus || small.memoryGiB > big.memoryGiB) continue;
        const prev = cheapestOf.get(small.gpuType);
        if (!prev || small.onDemandHourlyUsd < prev.onDemandHourlyUsd) cheapestOf.set(small.gpuType, small);
      }
      for (const small of cheapestOf.values()) {
        if (big.onDemandHourlyUsd >= small.onDemandHourlyUsd) continue;
        add(
          i,
          `${big.gpuCount}×${big.gpuType} (${memoryOf(big)} GB) at ${money(big.onDemandHourlyUsd)}/h is cheaper than ${small.instanceType} with ${small.gpuCount}×${small.gpuType} (${memoryOf(small)} GB) on a host no larger, at ${money(small.onDemandHourlyUsd)}/h in ${big.cloud} ${big.region}: a larger GPU priced lower`,
        );
      }
    }
  }
  // Rule 2: per-GPU price far from the instance type's cross-region median on the cloud.
  const byType = new Map<string, number[]>();
  offers.forEach((o, i) => {
    const key = `${o.cloud}|${o.instanceType}|${o.gpuType}|${o.gpuCount}`;
    byType.set(key, [...(byType.get(key) ?? []), i]);
  });
  for (const group of byType.values()) {
    if (new Set(group.map((i) => offers[i]!.region)).size < MIN_REGIONS_FOR_MEDIAN) continue;
    const med = median(group.map((i) => perGpu(offers[i]!)));
    for (const i of group) {
      const o = offers[i]!;
      const p = perGpu(o);
      if (p > MEDIAN_FACTOR * med || p * MEDIAN_FACTOR < med) {
        add(
          i,
          `per-GPU ${money(p)}/h is more than ${MEDIAN_FACTOR}× ${p > med ? "above" : "below"} the ${o.cloud} median ${money(med)}/h of ${o.instanceType} across ${group.length} regions`,
        );
      }
    }
  }
  return reasons;
}

/**
 * The offers with every anomaly marked (`suspect: true`, `note`), in the same order. An offer
 * marked by an earlier run is re-judged from scratch, so the guard is idempotent.
 */
export function flagAnomalies(offers: readonly GpuOffer[]): GpuOffer[] {
  const clean = offers.map((o) => {
    const { suspect: _s, note: _n, ...rest } = o;
    void _s;
    void _n;
    return rest;
  });
  const reasons = findReasons(clean);
  return clean.map((o, i) => {
    const why = reasons.get(i);
    return why ? { ...o, suspect: true, note: `suspect: ${why.join("; ")}` } : o;
  });
}
