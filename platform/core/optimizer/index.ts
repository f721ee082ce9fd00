/**
 * The cost optimizer: size the model, then find the cheapest feasible placements, then explain
 * them. Estimate → solve → report (SkyPilot's shape). Reads no global state: the catalog, the
 * footprint and the policy are arguments; no cloud SDK, no branching on cloud names.
 *
 * Scope: with a footprint (the platform's clusters) a quote places only inside it (`scope.ts`) and
 * advises cheaper regions outside it (`expansions.ts`); `constraints.scope: "anywhere"`, or no
 * footprint, scans the whole catalog. A policy (`policy.ts`) leaves out what the pack would deny.
 *
 * Exactness: every candidate of the scope is visited (in unit-price order, so the scan may stop at
 * `maxHourlyUsd`); a candidate is feasible when it passes every constraint, the precision rules
 * (`precision.ts`) and the policy and its node holds the requirement; with a `workload`, its shape
 * must also carry the traffic (`workload.ts`), which sets its replicas. Feasible candidates are ranked by monthly cost (a node bills 730 h;
 * serverless only its active hours), so the first placement is the true minimum of monthlyUsd.
 * index.test.ts and scope.test.ts cross-check this against brute force over generated requests.
 */
import type { Footprint } from "../footprint";
import type { Placement } from "../placement";
import type { Catalog } from "../pricing/types";
import { catalogAgeDays } from "../pricing/catalog";
import { replicaPacking, sizeModel, type Requirement } from "../sizing";
import { HOURS_PER_MONTH, type Capacity } from "../types";
import { billedHoursPerMonth } from "../pricing/cost-model";
import { activeHoursPerMonth } from "../schedule";
import { ValidationError } from "../validation";
import { candidatesOf, type Candidate } from "./candidates";
import { explainInfeasible, type Infeasible } from "./explain";
import { findExpansions, type Expansion } from "./expansions";
import { deniedBy, ShapingCounter, type PlacementPolicy, type PolicyShaping } from "./policy";
import { packingOf, Pricer, toQuotedPlacement, type QuotedPlacement } from "./price";
import { scan } from "./scan";
import { resolveRegions } from "./regions";
import { scopeOf, type PoolOption, type ScopedCandidate } from "./scope";
import { describePlacements } from "./why";
import { PrecisionGate } from "./precision";
import { WorkloadSizer } from "./workload";
import { cheapestMix } from "./mix";
import type { QuoteRequest, QuoteScope } from "./schema";
import { exclusionIndex, type ExcludedPlacement, type PlacementExclusion } from "./exclusions";

export { WorkloadSchema } from "./schema";
export type { WorkloadFigures, WorkloadMiss } from "./workload";
export { QuoteRequestSchema, parseQuoteRequest, type QuoteRequest, type QuoteRequestInput } from "./schema";
export type { Infeasible } from "./explain";
export type { Expansion } from "./expansions";
export type { PlacementPolicy, PolicyShaping } from "./policy";
export type { QuotedPlacement } from "./price";
export type { MixPart, MixPlacement, MixSaving } from "./mix";
export { basePlacement } from "./price";
export type { PoolOption } from "./scope";
export type { ExcludedPlacement, PlacementExclusion } from "./exclusions";

export interface QuoteOptions {
  /** The time the quote is made (for the catalog-age warning). Default: new Date(). */
  now?: Date;
  /** A catalog older than this many days adds a warning to the quote. Default 30. */
  maxCatalogAgeDays?: number;
  /** Most placements to return (the best per cloud is always added). Default 10. */
  limit?: number;
  /** Object-storage tier the artifact is priced at. Default: each cloud's standard tier. */
  storageTier?: string;
  /** Where the platform runs; the default scope when given. */
  footprint?: Footprint;
  /** The cost policy the placements must pass (built from the pack's config by the caller). */
  policy?: PlacementPolicy;
  /** Placements to skip: remembered capacity/quota failures (reported back in `excluded`). */
  exclude?: readonly PlacementExclusion[];
  /**
   * Deployments: the most replicas the placement scales to (`scaling.maxReplicas`, less an on-demand
   * floor). An existing pool must hold them too: the deployment program replaces a pool without room
   * by a dedicated pool, so a quote that kept it would price a pool that is not used. Default: `replicas`.
   */
  maxReplicas?: number;
}

export interface QuoteResult {
  /** The request as validated (defaults applied). */
  request: QuoteRequest;
  /** GPU memory one replica needs, with its breakdown. */
  requirement: Requirement;
  /** Where the quote looked. */
  scope: QuoteScope;
  /** Feasible placements, cheapest monthlyUsd first. Empty only when `infeasible` is set. */
  placements: QuotedPlacement[];
  /** How many feasible placements the scope holds for this request (before `limit`). */
  feasibleCount: number;
  /** The footprint's clusters, when one is known. */
  footprint?: { clusters: Array<{ cloud: string; region: string; name: string }> };
  /** Footprint quotes: up to 3 cheaper placements outside it, net of a new control plane. */
  expansions?: Expansion[];
  /** Footprint quotes: fitting pools the ranking cannot hold (unpriced: no declared or catalog price). */
  pools?: PoolOption[];
  /** Which policies shaped the quote, when a policy was given. */
  policy?: PolicyShaping;
  catalog: { version: string; asOf: string; ageDays: number };
  warnings: string[];
  /** Set when no placement is feasible: which constraint excluded what, and what would fit. */
  infeasible?: Infeasible;
  /** Otherwise-feasible placements skipped for a remembered capacity/quota failure, with the reason. */
  excluded?: ExcludedPlacement[];
}

export const DEFAULT_MAX_CATALOG_AGE_DAYS = 30;
export const DEFAULT_LIMIT = 10;

/** Rank order of placements: monthlyUsd, then hourlyUsd, then cloud/region/type/capacity. */
export function comparePlacements(a: Placement, b: Placement): number {
  return (
    a.monthlyUsd - b.monthlyUsd ||
    a.hourlyUsd - b.hourlyUsd ||
    a.cloud.localeCompare(b.cloud) ||
    a.region.localeCompare(b.region) ||
    a.instanceType.localeCompare(b.instanceType) ||
    a.capacity.localeCompare(b.capacity)
  );
}

function scopeFor(request: QuoteRequest, footprint: Footprint | undefined): QuoteScope {
  const asked = request.constraints.scope;
  if (asked === "footprint" && !footprint) {
    throw new ValidationError(
      "constraints.scope",
      'no platform footprint is known here: pass --platform FILE (CLI) or start the server with MODELPLANE_PLATFORM_CONFIG, or use "anywhere"',
    );
  }
  return asked ?? (footprint ? "footprint" : "anywhere");
}

function pricedPools(
  fp: Footprint,
  catalog: Catalog,
  request: QuoteRequest,
  c: QuoteRequest["constraints"],
  need: number,
  policy: PlacementPolicy | undefined,
  gate: PrecisionGate,
  room: number,
): PoolOption[] {
  const out: PoolOption[] = [];
  for (const s of scopeOf(fp, catalog).pools) {
    if (s.capacity !== "serverless" && gate.refusal(s.gpuType) !== undefined) continue;
    if (c.clouds && !(c.clouds as readonly string[]).includes(s.cloud)) continue;
    if (c.regions && !c.regions.includes(s.region)) continue;
    // What a pool option shows: the seed without its sizing fields.
    const { holdsGiB: _holds, maxNodes: _max, ...shown } = s;
    if (s.capacity === "serverless") {
      if (c.capacity === "any" && !c.gpuTypes)
        out.push({ ...shown, replicas: request.replicas, hourlyUsd: null, monthlyUsd: null });
      continue;
    }
    if (s.holdsGiB < need) continue;
    // A node of several GPUs carries several replicas (replicaPacking), as the program schedules them.
    const perNode = replicaPacking({ totalGiB: need }, s.holdsGiB / s.gpuCount, s.gpuCount)?.replicasPerNode ?? 1;
    if (room > s.maxNodes * perNode) continue;
    if (c.gpuTypes && !(c.gpuTypes as readonly string[]).includes(s.gpuType)) continue;
    if (c.capacity !== "any" && c.capacity !== s.capacity) continue;
    const hourly = s.nodeHourlyUsd === null ? null : s.nodeHourlyUsd * request.replicas;
    const monthly = hourly === null ? null : hourly * 730;
    const denied = deniedBy(
      {
        region: s.region,
        gpuType: s.gpuType,
        capacity: s.capacity,
        hourlyUsd: hourly ?? 0,
        atMaxMonthlyUsd: monthly ?? 0,
        brought: s.cloud === "kubernetes",
      },
      policy,
    );
    if (denied) continue;
    out.push({ ...shown, replicas: request.replicas, hourlyUsd: hourly, monthlyUsd: monthly });
  }
  return out.sort((a, b) => (a.monthlyUsd ?? Infinity) - (b.monthlyUsd ?? Infinity));
}

/** Quote a validated request against `catalog`. Never throws for an infeasible request; a bad region or scope is a ValidationError. */
export function quote(request: QuoteRequest, catalog: Catalog, options: QuoteOptions = {}): QuoteResult {
  const now = options.now ?? new Date();
  const maxAge = options.maxCatalogAgeDays ?? DEFAULT_MAX_CATALOG_AGE_DAYS;
  const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
  const { footprint, policy } = options;
  const scope = scopeFor(request, footprint);
  const regions = resolveRegions(request.constraints.regions, request.constraints.clouds, catalog, footprint);
  const c: QuoteRequest["constraints"] = { ...request.constraints };
  if (regions) c.regions = regions;
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
  const pricer = new Pricer(request, catalog, footprint, options.storageTier, warnings);
  const all: readonly ScopedCandidate[] =
    scope === "footprint" && footprint ? scopeOf(footprint, catalog).candidates : candidatesOf(catalog);
  const shaping = new ShapingCounter();
  const replicas = request.replicas;
  // A hibernation schedule: replicas run only in its windows, so nodes bill only those hours.
  const nodeHours = request.schedule ? activeHoursPerMonth(request.schedule) : HOURS_PER_MONTH;
  // Precision rules (precision-rules.ts): a GPU that cannot serve the precision is left out.
  const gate = new PrecisionGate(request.model.precision);
  // Workload quotes: each shape's replicas come from the performance model (workload.ts).
  const workload = request.workload;
  const sizer = workload ? new WorkloadSizer(workload, request, requirement.architecture, gate) : undefined;
  const { chosen, feasibleCount, bestMonthlyUsd, feasible, workloadRefused, excluded } = scan({
    all,
    constraints: c,
    replicas,
    roomFor: Math.max(replicas, options.maxReplicas ?? 0),
    needGiB: requirement.totalGiB,
    nodeHours,
    serverlessHours: billedHoursPerMonth("serverless", request.activeHoursPerDay, nodeHours),
    limit,
    footprint: scope === "footprint",
    keepFeasible: workload?.allowMix === true,
    gate,
    pricer,
    sizer,
    policy,
    shaping,
    exclusions: exclusionIndex(options.exclude),
  });
  const top = chosen[0];

  const result: QuoteResult = {
    request,
    requirement,
    scope,
    placements: [],
    feasibleCount,
    catalog: { version: catalog.version, asOf: catalog.asOf, ageDays },
    warnings,
  };
  if (footprint) {
    result.footprint = {
      clusters: footprint.clusters.map((x) => ({ cloud: x.cloud, region: x.region, name: x.name })),
    };
  }
  if (policy) result.policy = shaping.report(policy);
  if (excluded.length > 0) result.excluded = excluded;
  const noFlops = sizer?.noFlopsWarning();
  if (noFlops) warnings.push(noFlops);
  if (scope === "footprint" && footprint) {
    const room = Math.max(request.replicas, options.maxReplicas ?? 0);
    result.pools = pricedPools(footprint, catalog, request, c, requirement.totalGiB, policy, gate, room);
  }
  if (scope === "footprint" && footprint && workload) {
    warnings.push(
      "expansion advice is not sized for a workload yet: none is given with one; quote with scope anywhere to compare regions outside the footprint",
    );
  } else if (scope === "footprint" && footprint) {
    result.expansions = findExpansions({
      all: candidatesOf(catalog),
      inFootprint: scopeOf(footprint, catalog).regions,
      request,
      constraints: { ...c, regions: request.constraints.regions ? c.regions : undefined },
      requiredGiB: requirement.totalGiB,
      pricer,
      catalog,
      policy,
      bestMonthlyUsd,
      gpuAllowed: (g) => gate.refusal(g) === undefined,
    });
  }
  for (const note of pricer.unpricedMoves) warnings.push(note);
  if (top === undefined) {
    result.infeasible = explainInfeasible(
      { ...request, constraints: c },
      requirement,
      all,
      (cand: Candidate) => toQuotedPlacement(pricer.price(cand), request.replicas),
      gate,
    );
    const why = workloadRefused > 0 ? sizer?.explain() : undefined;
    if (why) {
      result.infeasible.message = `${why.message}; relax ${why.fields.map((f) => f.field).join(" or ")}, or allow more GPU types`;
      result.infeasible.relax = why.fields.map((f) => f.field);
      result.infeasible.workload = why.fields.map(({ field, bestAchievable, shape }) => ({
        field,
        bestAchievable,
        shape,
      }));
    } else if (workloadRefused > 0 && noFlops) {
      result.infeasible.message = `no offer in scope can be sized for the workload: ${noFlops}`;
    }
    if (excluded.length > 0) {
      result.infeasible.message += `; ${excluded.length} placement(s) skipped after a recent capacity or quota failure (see excluded)`;
    }
    const shaped = result.policy?.shapedBy ?? [];
    if (shaped.length) {
      result.infeasible.message += `; the ${policy?.environment} policy left out ${shaped.map((s) => `${s.excluded} by ${s.policy}`).join(", ")}`;
    }
    return result;
  }

  const placements: QuotedPlacement[] = [];
  // Workload quotes: tokens of the month (prompt + completion) flow during the active hours only.
  const monthlyMillionTokens = workload
    ? (workload.requestsPerSecond *
        (workload.inputTokens + workload.outputTokens) *
        3600 *
        HOURS_PER_MONTH *
        request.activeHoursPerDay) /
      24 /
      1e6
    : 0;
  for (const cand of chosen) {
    // A feasible candidate's figures: the sizer's, decided once per shape during the scan.
    const fig = sizer?.fit(cand);
    const n = fig?.replicas ?? replicas;
    // An existing pool's multi-GPU node carries several replicas (not sized so for a workload yet).
    const packing = sizer ? undefined : packingOf(cand, requirement.totalGiB);
    const p = toQuotedPlacement(pricer.price(cand, n, packing), n);
    if (fig) {
      p.usdPerMillionTokens = p.monthlyUsd / monthlyMillionTokens;
      p.predicted = { ...fig.predicted };
    }
    placements.push(p);
  }
  for (const w of gate.warnings(placements.map((p) => p.gpuType))) warnings.push(w);
  describePlacements(placements, requirement, feasibleCount, request);
  result.placements = placements;
  if (workload?.allowMix && sizer && placements[0]) {
    const mixed = cheapestMix({ cands: feasible, best: placements[0], sizer, pricer, request, workload, policy });
    if ("note" in mixed) warnings.push(mixed.note);
    else {
      mixed.placement.usdPerMillionTokens = mixed.placement.monthlyUsd / monthlyMillionTokens;
      placements.unshift(mixed.placement); // cheaper than the best single type by construction
    }
  }
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
