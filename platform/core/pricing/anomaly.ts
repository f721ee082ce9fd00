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
 * - Two price tiers: the same instance type's per-GPU prices, sorted, jump by `TIER_GAP`× or more
 *   between two neighbours with at least `MIN_TIER_REGIONS` regions on each side. The lower tier
 *   is suspect. (SkyPilot's GCP file, read 2026-12-01, lists a3-megagpu-8g at $45.81–47.54/h in
 *   six regions and $92.21–117.51/h in five, a3-ultragpu-8g at $49.36–51.34/h and $86.76/h: the
 *   lower tier is about half, like the Flex-start (DWS) prices the importer already refuses;
 *   GCP's on-demand list price for a3-megagpu-8g in us-central1 is the upper tier.) Regional
 *   prices otherwise rise smoothly (AWS g5 and GCP g2 span 1.5–1.6× in steps under 1.2×).
 */
import { gpuSpec } from "../gpu-specs";
import type { GpuOffer } from "./types";

/** A per-GPU price this many times above or below the cross-region median is suspect. */
export const MEDIAN_FACTOR = 2;
/** Fewer regions than this give no meaningful median; the median rule is then skipped. */
export const MIN_REGIONS_FOR_MEDIAN = 3;
/** Neighbouring per-GPU prices of one instance type this many times apart split it into two tiers. */
export const TIER_GAP = 1.5;
/** Regions needed on each side of a gap for it to be a tier and not one odd region (rule 2's case). */
export const MIN_TIER_REGIONS = 2;

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
  // Rule 3: two tiers of one instance type's price; the lower one is suspect.
  for (const group of byType.values()) {
    const sorted = [...group].sort((a, b) => perGpu(offers[a]!) - perGpu(offers[b]!));
    for (let k = MIN_TIER_REGIONS; k <= sorted.length - MIN_TIER_REGIONS; k += 1) {
      const low = perGpu(offers[sorted[k - 1]!]!);
      const high = perGpu(offers[sorted[k]!]!);
      if (high < TIER_GAP * low) continue;
      const o = offers[sorted[0]!]!;
      for (const i of sorted.slice(0, k)) {
        add(
          i,
          `${o.cloud} lists ${o.instanceType} in two price tiers: ${k} regions at per-GPU ${money(perGpu(offers[sorted[0]!]!))}–${money(low)}/h and ${sorted.length - k} at ${money(high)}/h or more (${TIER_GAP}× or more apart); the lower tier is likely a discounted (Flex-start or committed) price, not on-demand`,
        );
      }
      break;
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
