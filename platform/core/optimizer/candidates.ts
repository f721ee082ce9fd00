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

function build(catalog: Catalog): CatalogCandidate[] {
  const out: CatalogCandidate[] = [];
  for (const o of catalog.gpuOffers) {
    const base = {
      cloud: o.cloud,
      region: o.region,
      instanceType: o.instanceType,
      gpuType: o.gpuType,
      gpuCount: o.gpuCount,
      gpuMemoryGiB: o.gpuMemoryGiB,
      holdsGiB: o.gpuCount * o.gpuMemoryGiB,
      where: `${o.cloud}|${o.region}`,
      whereIndex: placeIndex(catalog, `${o.cloud}|${o.region}`),
      maxNodes: Number.POSITIVE_INFINITY,
      ...(o.suspect === true ? { suspect: true as const } : {}),
    };
    const onDemand = unitHourlyUsd(o, "on-demand");
    if (onDemand !== null) {
      out.push({
        ...base,
        capacity: "on-demand",
        unit: onDemand,
        onDemandUnit: null,
        key: `${o.cloud}|${o.region}|${o.instanceType}|${CAPACITY_ORDER["on-demand"]}`,
      });
    }
    const spot = unitHourlyUsd(o, "spot");
    if (spot !== null) {
      out.push({
        ...base,
        capacity: "spot",
        unit: spot,
        onDemandUnit: onDemand,
        key: `${o.cloud}|${o.region}|${o.instanceType}|${CAPACITY_ORDER.spot}`,
      });
    }
  }
  for (const s of catalog.serverless) {
    const unit = unitHourlyUsd(s, "serverless");
    if (unit === null) continue;
    out.push({
      cloud: s.cloud,
      region: s.region,
      instanceType: s.sku,
      gpuType: s.gpuType,
      gpuCount: s.gpuCount,
      gpuMemoryGiB: s.gpuMemoryGiB,
      holdsGiB: s.gpuCount * s.gpuMemoryGiB,
      capacity: "serverless",
      serverlessProduct: s.product,
      unit,
      onDemandUnit: null,
      key: `${s.cloud}|${s.region}|${s.sku}|${CAPACITY_ORDER.serverless}`,
      where: `${s.cloud}|${s.region}`,
      whereIndex: placeIndex(catalog, `${s.cloud}|${s.region}`),
      maxNodes: Number.POSITIVE_INFINITY,
    });
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
