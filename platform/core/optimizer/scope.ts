/**
 * The footprint scope: the candidates a platform actually offers, built once per (footprint,
 * catalog) pair and sorted by unit price like the global list, so a footprint quote is the same
 * exact scan over a smaller list. Inside a footprint the candidates are:
 * - its existing pools, at their node price: the catalog offer of the pool's instance type and
 *   capacity, or the pool's declared `nodeHourlyUsd` (a brought cluster's chargeback price, labelled
 *   `pricing.basis: "declared"`; its storage and weights move stay unpriced); neither → unpriced;
 * - a dedicated pool of any catalog instance type in a footprint cluster's region (clusters with
 *   `dedicatedPools`), on-demand or spot; where an existing pool of that shape holds the request,
 *   the quote keeps the pool only (`dropShadowed`);
 * - the serverless SKUs a cluster offers, at the catalog's price; a SKU the catalog lacks → unpriced.
 * Unpriced pools (a brought pool without `nodeHourlyUsd`, a cloud pool the catalog cannot price)
 * are never ranked by cost: they come back as `PoolOption`s beside the ranking, and an explicit
 * placement may still choose one (`poolPlacement`).
 */
import { GPU_MEMORY_GIB } from "../gpus";
import type { Footprint, FootprintCloud, FootprintCluster, FootprintPool } from "../footprint";
import type { PlacementPricing } from "../placement";
import { findGpuOffer, findServerlessOffer } from "../pricing/lookup";
import { unitHourlyUsd } from "../pricing/cost-model";
import type { Catalog } from "../pricing/types";
import { CLOUDS, type Cloud, type GpuType } from "../types";
import { candidatesOf, compareCandidates, placeIndex, type Candidate } from "./candidates";
import type { Feasible } from "./rank";

/** A candidate inside a footprint: which cluster it lands on, and the existing pool when it is one. */
export interface ScopedCandidate extends Candidate {
  /** The footprint cluster's name. */
  cluster?: string;
  /** The existing pool's name (absent: a dedicated pool or a serverless SKU). */
  pool?: string;
  /** `cloud|region|instanceType|capacity`: an existing pool and a dedicated pool of its shape share it. */
  shape?: string;
  /** On a cluster the engineer brought: no catalog prices there (storage and weights moves unpriced). */
  brought?: true;
  /** Set when the node price is declared by the pool, not the catalog's. */
  pricing?: PlacementPricing;
}

/** A pool that fits but cannot be ranked: it has no price (declared or from the catalog). */
export interface PoolOption {
  cluster: string;
  pool: string;
  cloud: FootprintCloud;
  region: string;
  gpuType: string;
  gpuCount: number;
  capacity: "on-demand" | "spot" | "serverless";
  replicas: number;
  /** One node (or serverless instance), USD/hour; null when unpriced. */
  nodeHourlyUsd: number | null;
  /** All replicas, USD/hour; null when unpriced. */
  hourlyUsd: number | null;
  /** Nodes bill 24 h a day: hourlyUsd × 730, USD/month; null when unpriced. */
  monthlyUsd: number | null;
  note: string;
}

/** A pool option before a request prices it for its replicas. */
export interface PoolSeed extends Omit<PoolOption, "replicas" | "hourlyUsd" | "monthlyUsd"> {
  holdsGiB: number;
  maxNodes: number;
}

export interface Scope {
  /** Ranked candidates of the footprint, sorted by unit price. */
  candidates: ScopedCandidate[];
  /** Unpriced pools and serverless SKUs. */
  pools: PoolSeed[];
  /** `cloud|region` of every footprint cluster. */
  regions: Set<string>;
}

const isCloud = (c: FootprintCloud): c is Cloud => (CLOUDS as readonly string[]).includes(c);
/** The GPU table's memory for `g`, or undefined when the table does not know the GPU. */
const memoryOf = (g: GpuType): number | undefined => GPU_MEMORY_GIB[g];

/** The instance type a placement on an existing pool names: the declared one, else `<cluster>/<pool>`. */
export function poolInstanceType(cl: FootprintCluster, p: FootprintPool): string {
  return p.instanceType ?? `${cl.name}/${p.name}`;
}

/** The label of a pool's declared price (`unit` USD/node-hour; `undefined`: the pool declares none). */
export function declared(
  cl: FootprintCluster,
  p: FootprintPool,
  unit: number | undefined,
  brought: boolean,
): PlacementPricing {
  const unknown = brought ? "; artifact storage and moving the weights to a brought cluster are unpriced" : "";
  return unit === undefined
    ? {
        basis: "unpriced",
        note: `pool ${p.name} of ${cl.name} declares no nodeHourlyUsd: its cost is unknown (every USD figure is 0 and means unpriced)${unknown}`,
      }
    : {
        basis: "declared",
        note: `the pool's declared chargeback price, $${unit}/node-hour (nodeHourlyUsd of ${cl.name}/${p.name}), not a market price${unknown}`,
      };
}

/**
 * A brought pool as a candidate: at its declared node price (`unit`; undefined → unpriced at 0, for
 * an explicit placement only: the ranking never holds it). `gpuMemoryGiB` from the GPU table.
 */
export function broughtCandidate(
  catalog: Catalog,
  cl: FootprintCluster,
  p: FootprintPool,
  unit: number | undefined,
  gpuMemoryGiB: number,
): ScopedCandidate {
  const instanceType = poolInstanceType(cl, p);
  const where = `${cl.cloud}|${cl.region}`;
  return {
    cloud: cl.cloud,
    region: cl.region,
    instanceType,
    gpuType: p.gpu,
    gpuCount: p.gpusPerNode,
    gpuMemoryGiB,
    holdsGiB: p.gpusPerNode * gpuMemoryGiB,
    capacity: p.capacity,
    unit: unit ?? 0,
    onDemandUnit: null,
    key: `${where}|${instanceType}|${p.capacity}|pool:${cl.name}/${p.name}`,
    where,
    whereIndex: placeIndex(catalog, where),
    cluster: cl.name,
    pool: p.name,
    maxNodes: p.maxNodes,
    brought: true,
    pricing: declared(cl, p, unit, true),
  };
}

/**
 * A catalog candidate placed on a footprint cluster: a copy written field by field (a spread copy
 * gets a hidden class of its own in V8, which makes the scan's property reads megamorphic).
 */
function inCluster(cand: Candidate, cluster: string, shape: string | undefined): ScopedCandidate {
  const out: ScopedCandidate = {
    cloud: cand.cloud,
    region: cand.region,
    instanceType: cand.instanceType,
    gpuType: cand.gpuType,
    gpuCount: cand.gpuCount,
    gpuMemoryGiB: cand.gpuMemoryGiB,
    holdsGiB: cand.holdsGiB,
    capacity: cand.capacity,
    unit: cand.unit,
    onDemandUnit: cand.onDemandUnit,
    key: cand.key,
    where: cand.where,
    whereIndex: cand.whereIndex,
    maxNodes: cand.maxNodes,
    cluster,
  };
  if (shape !== undefined) out.shape = shape;
  if (cand.serverlessProduct !== undefined) out.serverlessProduct = cand.serverlessProduct;
  if (cand.suspect === true) out.suspect = true;
  return out;
}

function build(fp: Footprint, catalog: Catalog): Scope {
  const out: ScopedCandidate[] = [];
  const pools: PoolSeed[] = [];
  const regions = new Set(fp.clusters.map((c) => `${c.cloud}|${c.region}`));
  for (const cl of fp.clusters) {
    for (const p of cl.pools) {
      const gpuMemoryGiB = memoryOf(p.gpu);
      if (gpuMemoryGiB === undefined) continue; // a GPU the table does not know: its fit cannot be checked
      const seed: PoolSeed = {
        cluster: cl.name,
        pool: p.name,
        cloud: cl.cloud,
        region: cl.region,
        gpuType: p.gpu,
        gpuCount: p.gpusPerNode,
        capacity: p.capacity,
        nodeHourlyUsd: null,
        note: "",
        holdsGiB: p.gpusPerNode * gpuMemoryGiB,
        maxNodes: p.maxNodes,
      };
      const cloud = cl.cloud;
      if (!isCloud(cloud)) {
        if (p.nodeHourlyUsd === undefined) {
          seed.note = "brought cluster: unpriced (the pool declares no nodeHourlyUsd)";
          pools.push(seed);
        } else {
          out.push(broughtCandidate(catalog, cl, p, p.nodeHourlyUsd, gpuMemoryGiB));
        }
        continue;
      }
      const offer = p.instanceType
        ? findGpuOffer(catalog, { cloud, region: cl.region, instanceType: p.instanceType })
        : undefined;
      const unit = offer ? unitHourlyUsd(offer, p.capacity) : (p.nodeHourlyUsd ?? null);
      if (unit === null) {
        seed.note = !p.instanceType
          ? "unpriced: the pool names no instance type and declares no nodeHourlyUsd"
          : !offer
            ? `unpriced: the catalog has no ${p.instanceType} in ${cloud} ${cl.region}`
            : `unpriced: the catalog has no trusted ${p.capacity} price for ${p.instanceType} in ${cl.region}`;
        pools.push(seed);
        continue;
      }
      const instanceType = poolInstanceType(cl, p);
      const shape = `${cloud}|${cl.region}|${instanceType}|${p.capacity}`;
      out.push({
        cloud,
        region: cl.region,
        instanceType,
        gpuType: p.gpu,
        gpuCount: p.gpusPerNode,
        gpuMemoryGiB,
        holdsGiB: seed.holdsGiB,
        capacity: p.capacity,
        unit,
        onDemandUnit: p.capacity === "spot" && offer ? unitHourlyUsd(offer, "on-demand") : null,
        key: `${cloud}|${cl.region}|${instanceType}|${p.capacity}|pool:${cl.name}/${p.name}`,
        where: `${cloud}|${cl.region}`,
        whereIndex: placeIndex(catalog, `${cloud}|${cl.region}`),
        cluster: cl.name,
        pool: p.name,
        maxNodes: p.maxNodes,
        shape,
      });
      if (!offer) out[out.length - 1]!.pricing = declared(cl, p, unit, false);
    }
    const cloud = cl.cloud;
    if (!isCloud(cloud)) continue;
    for (const s of cl.serverless) {
      const offer = findServerlessOffer(catalog, { cloud, region: cl.region, sku: s.sku });
      if (!offer || memoryOf(offer.gpuType) === undefined) {
        pools.push({
          cluster: cl.name,
          pool: `${s.product}/${s.sku}`,
          cloud,
          region: cl.region,
          gpuType: "unknown",
          gpuCount: 0,
          capacity: "serverless",
          nodeHourlyUsd: null,
          note: `unpriced: the catalog has no ${s.product} SKU ${s.sku} in ${cloud} ${cl.region}`,
          holdsGiB: 0,
          maxNodes: 0,
        });
      }
    }
  }
  for (const cand of candidatesOf(catalog)) {
    const cl = fp.clusters.find((c) => c.cloud === cand.cloud && c.region === cand.region);
    if (!cl) continue;
    if (cand.capacity === "serverless") {
      if (cl.serverless.some((s) => s.sku === cand.instanceType && s.product === cand.serverlessProduct)) {
        out.push(inCluster(cand, cl.name, undefined));
      }
      continue;
    }
    if (!cl.dedicatedPools) continue;
    out.push(inCluster(cand, cl.name, `${cand.cloud}|${cand.region}|${cand.instanceType}|${cand.capacity}`));
  }
  return { candidates: out.sort(compareCandidates), pools, regions };
}

const cache = new WeakMap<Footprint, WeakMap<Catalog, Scope>>();

/** The footprint's candidates in `catalog` (built once per footprint and catalog object). */
export function scopeOf(fp: Footprint, catalog: Catalog): Scope {
  let byCatalog = cache.get(fp);
  if (!byCatalog) {
    byCatalog = new WeakMap();
    cache.set(fp, byCatalog);
  }
  let scope = byCatalog.get(catalog);
  if (!scope) {
    scope = build(fp, catalog);
    byCatalog.set(catalog, scope);
  }
  return scope;
}

/**
 * Drop dedicated-pool candidates whose shape an existing, feasible pool already offers at the same
 * node price (a model stack would add a pool the platform has). Keeps the order.
 */
export function dropShadowed(f: Feasible): Feasible {
  const pooled = new Set<string>();
  for (const c of f.cands) if (c.pool !== undefined && c.shape) pooled.add(c.shape);
  if (pooled.size === 0) return f;
  const out: Feasible = { cands: [], monthly: [], hourly: [] };
  f.cands.forEach((c, i) => {
    if (c.pool === undefined && c.shape && pooled.has(c.shape)) return;
    out.cands.push(c);
    out.monthly.push(f.monthly[i]!);
    out.hourly.push(f.hourly[i]!);
  });
  return out;
}
