/**
 * The optimizer's view of a catalog: every (offer, capacity) pair as one candidate, sorted by unit
 * price once per catalog object (kept in a WeakMap), so a quote is one linear scan that stops
 * early at `maxHourlyUsd`. Pure data; no cloud-specific code.
 */
import type { Capacity, Cloud } from "../types";
import { unitHourlyUsd } from "../pricing/cost-model";
import type { Placement } from "../placement";
import type { Catalog, GpuShape } from "../pricing/types";

/** A placement before it is priced for a request: the shape, its capacity, and its unit prices. */
export interface Candidate extends Pick<Placement, keyof GpuShape | "instanceType" | "capacity" | "serverlessProduct"> {
  /** gpuCount × gpuMemoryGiB. */
  holdsGiB: number;
  /** One replica, USD/hour. */
  unit: number;
  /** Spot: the same shape on-demand, USD/hour; else null. */
  onDemandUnit: number | null;
  /** Stable tie-break key. */
  key: string;
  /** `cloud|region`: the key of what is priced per place (storage, weights moves). */
  where: string;
  /** A small integer per `where` of the catalog (`placeIndex`), so per-place prices are an array lookup. */
  whereIndex: number;
  /** Most replicas it holds: an existing pool's node ceiling; Infinity for a new pool or serverless. */
  maxNodes: number;
  /** Set (true) when the offer is suspect (pricing/anomaly.ts); left out unless `allowSuspect`. */
  suspect?: true;
}

/** A candidate of the catalog itself: always a catalog cloud's offer. */
export interface CatalogCandidate extends Candidate {
  cloud: Cloud;
}

const places = new WeakMap<Catalog, Map<string, number>>();

/** The index of a `cloud|region` place for `catalog` (assigned on first sight, stable per catalog object). */
export function placeIndex(catalog: Catalog, where: string): number {
  let map = places.get(catalog);
  if (!map) {
    map = new Map();
    places.set(catalog, map);
  }
  let i = map.get(where);
  if (i === undefined) {
    i = map.size;
    map.set(where, i);
  }
  return i;
}

const CAPACITY_ORDER: Readonly<Record<Capacity, number>> = { "on-demand": 0, spot: 1, serverless: 2 };

/** Order by unit price, then a stable key (so equal prices rank the same on every run). */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return a.unit - b.unit || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * One candidate, every field written in one order by one literal: objects built by spreading
 * (`{ ...base, unit }`) each got a hidden class of their own in V8 (1,523 for 1,556 candidates),
 * which made every property read in the scan a megamorphic lookup. Optional fields are added
 * after, so the candidates share a handful of hidden classes.
 */
function candidate(
  o: { cloud: Cloud; region: string; gpuType: string; gpuCount: number; gpuMemoryGiB: number },
  instanceType: string,
  capacity: Capacity,
  unit: number,
  onDemandUnit: number | null,
  where: string,
  whereIndex: number,
): CatalogCandidate {
  return {
    cloud: o.cloud,
    region: o.region,
    instanceType,
    gpuType: o.gpuType,
    gpuCount: o.gpuCount,
    gpuMemoryGiB: o.gpuMemoryGiB,
    holdsGiB: o.gpuCount * o.gpuMemoryGiB,
    capacity,
    unit,
    onDemandUnit,
    key: `${o.cloud}|${o.region}|${instanceType}|${CAPACITY_ORDER[capacity]}`,
    where,
    whereIndex,
    maxNodes: Number.POSITIVE_INFINITY,
  };
}

function build(catalog: Catalog): CatalogCandidate[] {
  const out: CatalogCandidate[] = [];
  for (const o of catalog.gpuOffers) {
    const where = `${o.cloud}|${o.region}`;
    const whereIndex = placeIndex(catalog, where);
    const onDemand = unitHourlyUsd(o, "on-demand");
    const spot = unitHourlyUsd(o, "spot");
    for (const [capacity, unit] of [
      ["on-demand", onDemand],
      ["spot", spot],
    ] as const) {
      if (unit === null) continue;
      const cand = candidate(
        o,
        o.instanceType,
        capacity,
        unit,
        capacity === "spot" ? onDemand : null,
        where,
        whereIndex,
      );
      if (o.suspect === true) cand.suspect = true;
      out.push(cand);
    }
  }
  for (const s of catalog.serverless) {
    const unit = unitHourlyUsd(s, "serverless");
    if (unit === null) continue;
    const where = `${s.cloud}|${s.region}`;
    const cand = candidate(s, s.sku, "serverless", unit, null, where, placeIndex(catalog, where));
    cand.serverlessProduct = s.product;
    out.push(cand);
  }
  return out.sort(compareCandidates);
}

const cache = new WeakMap<Catalog, CatalogCandidate[]>();

/** Every candidate of the catalog, sorted by unit price (built once per catalog object). */
export function candidatesOf(catalog: Catalog): readonly CatalogCandidate[] {
  let list = cache.get(catalog);
  if (!list) {
    list = build(catalog);
    cache.set(catalog, list);
  }
  return list;
}
