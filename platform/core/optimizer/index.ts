/**
 * The cost optimizer: size the model, then find the cheapest feasible placements in the catalog,
 * then explain them. Estimate → solve → report (SkyPilot's shape). Reads no global state: the
 * catalog and the options are arguments; no cloud SDK, no branching on cloud names.
 *
 * Exactness: every (offer, capacity) pair is a candidate; a candidate is feasible when it passes
 * every constraint and its node's GPU memory (gpuCount × per-GPU GiB) holds the requirement. The
 * scan visits candidates in unit-price order, so the first feasible one is the true minimum of
 * hourlyUsd (= unit × replicas, the same factor for all). optimizer.test.ts cross-checks this
 * against a brute force over generated requests.
 */
import type { Capacity, Cloud } from "../types";
import type { Placement } from "../placement";
import type { Catalog } from "../pricing/types";
import { catalogAgeDays } from "../pricing/catalog";
import { artifactSizeGiB, placementCost, storageMonthlyUsd } from "../pricing/cost-model";
import { sizeModel, type Requirement } from "../sizing";
import { candidatesOf, type Candidate } from "./candidates";
import { explainInfeasible, matchesConstraints, type Infeasible } from "./explain";
import { describePlacements } from "./why";
import type { QuoteRequest } from "./schema";

export { QuoteRequestSchema, parseQuoteRequest, type QuoteRequest, type QuoteRequestInput } from "./schema";
export type { Infeasible } from "./explain";

export interface QuoteOptions {
  /** The time the quote is made (for the catalog-age warning). Default: new Date(). */
  now?: Date;
  /** A catalog older than this many days adds a warning to the quote. Default 30. */
  maxCatalogAgeDays?: number;
  /** Most placements to return (the best per cloud is always added). Default 10. */
  limit?: number;
  /** Object-storage tier the artifact is priced at. Default: each cloud's standard tier. */
  storageTier?: string;
}

export interface QuoteResult {
  /** The request as validated (defaults applied). */
  request: QuoteRequest;
  /** GPU memory one replica needs, with its breakdown. */
  requirement: Requirement;
  /** Feasible placements, cheapest hourlyUsd first. Empty only when `infeasible` is set. */
  placements: Placement[];
  /** How many feasible placements the catalog holds for this request (before `limit`). */
  feasibleCount: number;
  catalog: { version: string; asOf: string; ageDays: number };
  warnings: string[];
  /** Set when no placement is feasible: which constraint excluded what, and what would fit. */
  infeasible?: Infeasible;
}

export const DEFAULT_MAX_CATALOG_AGE_DAYS = 30;
export const DEFAULT_LIMIT = 10;

/** Turn a candidate into a priced Placement (the one place the shared cost model is applied). */
export function toPlacement(c: Candidate, request: QuoteRequest, storageUsd: number): Placement {
  const cost = placementCost({
    unitHourlyUsd: c.unit,
    replicas: request.replicas,
    capacity: c.capacity,
    activeHoursPerDay: request.activeHoursPerDay,
    storageMonthlyUsd: storageUsd,
  });
  const p: Placement = {
    cloud: c.cloud,
    region: c.region,
    instanceType: c.instanceType,
    gpuType: c.gpuType,
    gpuCount: c.gpuCount,
    gpuMemoryGiB: c.gpuMemoryGiB,
    capacity: c.capacity,
    replicas: request.replicas,
    unitHourlyUsd: c.unit,
    hourlyUsd: cost.hourlyUsd,
    monthlyUsd: cost.monthlyUsd,
    storageMonthlyUsd: storageUsd,
    onDemandUnitHourlyUsd: c.onDemandUnit,
  };
  if (c.serverlessProduct !== undefined) p.serverlessProduct = c.serverlessProduct;
  return p;
}

/** Rank order of placements: hourlyUsd, then monthlyUsd, then cloud/region/type/capacity. */
export function comparePlacements(a: Placement, b: Placement): number {
  return (
    a.hourlyUsd - b.hourlyUsd ||
    a.monthlyUsd - b.monthlyUsd ||
    a.cloud.localeCompare(b.cloud) ||
    a.region.localeCompare(b.region) ||
    a.instanceType.localeCompare(b.instanceType) ||
    a.capacity.localeCompare(b.capacity)
  );
}

/** Artifact storage per cloud for this request, USD/month (0 with a warning when unpriced). */
function storageByCloud(
  request: QuoteRequest,
  catalog: Catalog,
  tier: string | undefined,
  warnings: string[],
): Map<Cloud, number> {
  const size = artifactSizeGiB(request.model);
  const out = new Map<Cloud, number>();
  const clouds = new Set(catalog.gpuOffers.map((o) => o.cloud));
  for (const s of catalog.serverless) clouds.add(s.cloud);
  for (const cloud of clouds) {
    const usd = storageMonthlyUsd(catalog, cloud, size, tier);
    if (usd === undefined) {
      warnings.push(
        `no object-storage price for ${cloud}${tier ? ` tier ${tier}` : ""} in the catalog; its placements exclude artifact storage`,
      );
      out.set(cloud, 0);
    } else {
      out.set(cloud, usd);
    }
  }
  return out;
}

/** Quote a validated request against `catalog`. Never throws for an infeasible request. */
export function quote(request: QuoteRequest, catalog: Catalog, options: QuoteOptions = {}): QuoteResult {
  const now = options.now ?? new Date();
  const maxAge = options.maxCatalogAgeDays ?? DEFAULT_MAX_CATALOG_AGE_DAYS;
  const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
  const warnings: string[] = [];
  const ageDays = catalogAgeDays(catalog, now);
  if (ageDays > maxAge) {
    warnings.push(
      `catalog ${catalog.version} is ${ageDays} days old (as of ${catalog.asOf}; limit ${maxAge} days): prices may have changed; run \`modelplane pricing refresh\` or import a fresh SkyPilot catalog`,
    );
  }
  const requirement = sizeModel(request.model);
  if (requirement.kvEstimated) {
    const a = requirement.architecture;
    warnings.push(
      `model.architecture not given: KV cache estimated for a ${request.model.parametersBillions}B model as ${a.layers} layers × ${a.kvHeads} KV heads × ${a.headDim} head dim; pass model.architecture for an exact figure`,
    );
  }
  const storage = storageByCloud(request, catalog, options.storageTier, warnings);

  const all = candidatesOf(catalog);
  const c = request.constraints;
  const maxUnit = c.maxHourlyUsd === undefined ? Number.POSITIVE_INFINITY : c.maxHourlyUsd / request.replicas;
  const feasible: Candidate[] = [];
  for (const cand of all) {
    if (cand.unit > maxUnit) break; // sorted by unit price: nothing later is cheaper
    if (cand.holdsGiB < requirement.totalGiB) continue;
    if (!matchesConstraints(cand, c)) continue;
    feasible.push(cand);
  }

  const result: QuoteResult = {
    request,
    requirement,
    placements: [],
    feasibleCount: feasible.length,
    catalog: { version: catalog.version, asOf: catalog.asOf, ageDays },
    warnings,
  };
  if (feasible.length === 0) {
    result.infeasible = explainInfeasible(request, requirement, all, (cand) =>
      toPlacement(cand, request, storage.get(cand.cloud) ?? 0),
    );
    return result;
  }

  // The top `limit` by unit price (plus everything tied with the last), then the best per cloud.
  const chosen = new Set<Candidate>();
  const boundary = feasible[Math.min(limit, feasible.length) - 1]!.unit;
  for (const cand of feasible) {
    if (chosen.size >= limit && cand.unit > boundary) break;
    chosen.add(cand);
  }
  const bestPerCloud = new Map<Cloud, Candidate>();
  for (const cand of feasible) if (!bestPerCloud.has(cand.cloud)) bestPerCloud.set(cand.cloud, cand);
  for (const cand of bestPerCloud.values()) chosen.add(cand);

  const placements = [...chosen]
    .map((cand) => toPlacement(cand, request, storage.get(cand.cloud) ?? 0))
    .sort(comparePlacements);
  describePlacements(placements, requirement, feasible.length, request);
  result.placements = placements;
  if (placements.some((p) => p.capacity === "spot")) {
    warnings.push(
      "spot placements can be reclaimed by the cloud at short notice; each carries onDemandUnitHourlyUsd, the price of an on-demand floor of the same shape",
    );
  }
  return result;
}

/** Capacities a preference admits. */
export function capacitiesFor(pref: QuoteRequest["constraints"]["capacity"]): readonly Capacity[] {
  return pref === "any" ? ["on-demand", "spot", "serverless"] : [pref];
}
