/**
 * Mixes of two GPU types (`workload.allowMix`). Mélange (Griggs et al., 2024, arXiv 2404.14527)
 * found that a heterogeneous set of GPUs can carry a workload cheaper than the best single type.
 * Here a mix is two shapes in one place (same cloud, region, capacity and cluster, so one route
 * splits the traffic): n₁ replicas of shape A and n₂ of shape B, each replica loaded at most to
 * the most it carries within the objectives (`maxLoadPerReplica`), so the route's weights are
 * n₁·L₁ : n₂·L₂ and every replica meets the SLO on its share.
 *
 * Exact over what it searches: every pair of feasible shapes in a place and every split n₁ ≥ 1,
 * n₂ ≥ 1 up to `MAX_MIX_REPLICAS` per part; the cheapest by monthly cost wins, and it is returned
 * only when it beats the cheapest single-type placement of the quote. mix.test.ts checks it
 * against brute force.
 *
 * Limits: both parts passed every per-shape rule (region, GPU type, capacity) as feasible
 * candidates, and a returned mix costs less a month than the best single type, whose at-max month
 * passed the policy's monthly budget; a node's month is its at-max month, so the mix passes it too.
 * Its hour is implied only without per-replica weights moves (a mix of fewer replicas than a
 * single type may then cost more an hour for less a month), so the search skips every split above
 * `constraints.maxHourlyUsd` and the policy's hourly limit.
 */
import { latencies } from "../performance/model";
import { HOURS_PER_MONTH } from "../types";
import type { Workload } from "../performance/model";
import type { PlacementPolicy } from "./policy";
import { toQuotedPlacement, type Pricer, type QuotedPlacement } from "./price";
import type { ScopedCandidate } from "./scope";
import type { QuoteRequest } from "./schema";
import type { ShapeLoad, WorkloadSizer } from "./workload";

/** A mix is returned only when it saves at least this much a month (ties are not savings). */
export const MIN_MIX_SAVING_USD = 0.01;

/** Most replicas one part of a mix is searched over. */
export const MAX_MIX_REPLICAS = 1000;

/** One GPU shape of a mix and the share of the rate it carries. */
export interface MixPart {
  cloud: string;
  region: string;
  instanceType: string;
  gpuType: string;
  gpuCount: number;
  capacity: string;
  unitHourlyUsd: number;
  replicas: number;
  /** Requests/s this part carries (its route weight is this over the workload's rate). */
  loadRps: number;
  /** Per replica at that share. */
  predicted: { ttftMs: number; tpotMs: number };
}

/** What a mix saves against the quote's cheapest single-type placement. */
export interface MixSaving {
  /** The single-type placement compared against. */
  versus: {
    cloud: string;
    region: string;
    instanceType: string;
    gpuType: string;
    replicas: number;
    monthlyUsd: number;
  };
  monthlyUsd: number;
  /** Percent of the single type's monthly cost. */
  percent: number;
}

/** A mix placement: the first part's shape fields, the mix's totals, and both parts. */
export type MixPlacement = QuotedPlacement & { mix: MixPart[]; mixSaving: MixSaving };

export interface MixInput {
  /** Feasible candidates of the quote (each passed every constraint, precision rule and the policy). */
  cands: readonly ScopedCandidate[];
  /** The quote's cheapest single-type placement. */
  best: QuotedPlacement;
  sizer: WorkloadSizer;
  pricer: Pricer;
  request: QuoteRequest;
  workload: Workload;
  policy?: PlacementPolicy;
}

interface Split {
  a: ScopedCandidate;
  b: ScopedCandidate;
  la: ShapeLoad;
  lb: ShapeLoad;
  na: number;
  nb: number;
  monthly: number;
}

const placeOf = (c: ScopedCandidate): string => `${c.cloud}|${c.region}|${c.capacity}|${c.cluster ?? ""}`;

/** The cheapest split of `rate` over shapes a and b, both used, within each part's node limit. */
function bestSplit(
  a: ScopedCandidate,
  la: ShapeLoad,
  b: ScopedCandidate,
  lb: ShapeLoad,
  rate: number,
  minTotal: number,
  maxHourly: number,
  pricer: Pricer,
): Split | undefined {
  let best: Split | undefined;
  const maxA = Math.min(a.maxNodes, MAX_MIX_REPLICAS);
  for (let na = 1; na <= maxA && na * la.loadRps < rate; na += 1) {
    const nb = Math.max(Math.ceil((rate - na * la.loadRps) / lb.loadRps), minTotal - na, 1);
    if (nb > Math.min(b.maxNodes, MAX_MIX_REPLICAS)) continue;
    const hourly = na * a.unit + nb * b.unit;
    if (hourly > maxHourly) continue;
    const monthly = hourly * HOURS_PER_MONTH + pricer.fixed(a, na + nb);
    if (best === undefined || monthly < best.monthly) best = { a, b, la, lb, na, nb, monthly };
  }
  return best;
}

/** The cheapest mix that beats `input.best`, or why there is none. */
export function cheapestMix(input: MixInput): { placement: MixPlacement } | { note: string } {
  const { sizer, pricer, request, workload, best } = input;
  const rate = workload.requestsPerSecond;
  const maxHourly = Math.min(
    request.constraints.maxHourlyUsd ?? Number.POSITIVE_INFINITY,
    input.policy?.maxHourlyUsd ?? Number.POSITIVE_INFINITY,
  );
  const byPlace = new Map<string, Array<{ cand: ScopedCandidate; load: ShapeLoad }>>();
  for (const cand of input.cands) {
    if (cand.capacity === "serverless") continue;
    const load = sizer.loadOf(cand);
    if (load === null) continue;
    const key = placeOf(cand);
    byPlace.set(key, [...(byPlace.get(key) ?? []), { cand, load }]);
  }
  let found: Split | undefined;
  for (const group of byPlace.values()) {
    for (const x of group) {
      for (const y of group) {
        if (x.cand.gpuType === y.cand.gpuType) continue;
        const s = bestSplit(x.cand, x.load, y.cand, y.load, rate, request.replicas, maxHourly, pricer);
        if (s === undefined || (found !== undefined && s.monthly >= found.monthly)) continue;
        found = s;
      }
    }
  }
  if (found === undefined || found.monthly > best.monthlyUsd - MIN_MIX_SAVING_USD) {
    const cheapest = found === undefined ? "none fits" : `the cheapest costs $${found.monthly.toFixed(2)}/month`;
    return {
      note: `workload.allowMix: no mix of two GPU types in one place beats the best single type (${best.replicas}× ${best.instanceType}, $${best.monthlyUsd.toFixed(2)}/month); ${cheapest}`,
    };
  }
  return { placement: toMixPlacement(found, input) };
}

function toMixPlacement(s: Split, input: MixInput): MixPlacement {
  const rate = input.workload.requestsPerSecond;
  // The rate splits in proportion to the parts' capacities, so each replica carries the same fraction of its bound.
  const capacity = s.na * s.la.loadRps + s.nb * s.lb.loadRps;
  const part = (c: ScopedCandidate, load: ShapeLoad, n: number): MixPart => {
    const share = (rate * n * load.loadRps) / capacity;
    const l = latencies(load.replica, share / n);
    return {
      cloud: c.cloud,
      region: c.region,
      instanceType: c.instanceType,
      gpuType: c.gpuType,
      gpuCount: c.gpuCount,
      capacity: c.capacity,
      unitHourlyUsd: c.unit,
      replicas: n,
      loadRps: share,
      predicted: { ttftMs: l.ttftMs, tpotMs: l.tpotMs },
    };
  };
  // The part carrying more of the rate comes first and gives the placement its shape fields.
  const partA = part(s.a, s.la, s.na);
  const partB = part(s.b, s.lb, s.nb);
  const aFirst = partA.loadRps >= partB.loadRps;
  const parts = aFirst ? [partA, partB] : [partB, partA];
  // The one cost model prices each part; the artifact's storage is paid once per place.
  const pa = input.pricer.price(s.a, s.na);
  const pb = input.pricer.price(s.b, s.nb);
  const head = toQuotedPlacement(aFirst ? pa : pb, s.na + s.nb);
  const storage = pb.storageUsd;
  const monthly = pa.cost.monthlyUsd + pb.cost.monthlyUsd - storage;
  const best = input.best;
  const placement: MixPlacement = {
    ...head,
    hourlyUsd: pa.cost.hourlyUsd + pb.cost.hourlyUsd,
    monthlyUsd: monthly,
    atRestMonthlyUsd: pa.cost.atRestMonthlyUsd + pb.cost.atRestMonthlyUsd - storage,
    atMaxMonthlyUsd: pa.cost.atMaxMonthlyUsd + pb.cost.atMaxMonthlyUsd - storage,
    predicted: {
      ttftMs: Math.max(...parts.map((p) => p.predicted.ttftMs)),
      tpotMs: Math.max(...parts.map((p) => p.predicted.tpotMs)),
      tokensPerSecond: rate * input.workload.outputTokens,
    },
    mix: parts,
    mixSaving: {
      versus: {
        cloud: best.cloud,
        region: best.region,
        instanceType: best.instanceType,
        gpuType: best.gpuType,
        replicas: best.replicas,
        monthlyUsd: best.monthlyUsd,
      },
      monthlyUsd: best.monthlyUsd - monthly,
      percent: ((best.monthlyUsd - monthly) / best.monthlyUsd) * 100,
    },
  };
  placement.why = `mix: ${parts.map((p) => `${p.replicas}× ${p.instanceType} (${p.gpuCount}×${p.gpuType}) carrying ${p.loadRps.toFixed(2)} req/s`).join(" + ")}; saves $${placement.mixSaving.monthlyUsd.toFixed(2)}/month (${placement.mixSaving.percent.toFixed(1)}%) against ${best.replicas}× ${best.instanceType}; route weights follow the shares`;
  return placement;
}
