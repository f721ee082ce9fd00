/**
 * Re-quote one live deployment against a catalog (pure; no I/O). Its current placement is repriced
 * under the catalog (same offer, same replicas, the new unit price); the optimizer's cheapest
 * placement inside the footprint for the same model is the proposal. A recommendation needs the
 * saving to pass BOTH thresholds (percent of the repriced cost, and USD per month).
 *
 * Why (the first that applies):
 * - `price-change`: the current offer's unit price went up since it was placed;
 * - `new-offer`: the proposed offer was not in the previous catalog the sweep knew;
 * - `spot-drop`: the proposal is a spot placement whose price fell since the previous catalog
 *   (any spot proposal when the sweep knows no previous catalog);
 * - otherwise `price-change` (another offer's list price fell).
 *
 * The quote request is rebuilt from the spec (./spec-request.ts): the same model, workload
 * (concurrency, architecture), replicas, environment, schedule and constraints as the original
 * quote, inside the footprint.
 */
import { createHash } from "node:crypto";
import type { Footprint } from "../../core/footprint";
import { basePlacement, parseQuoteRequest, quote } from "../../core/optimizer";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Placement } from "../../core/placement";
import { unitHourlyUsd } from "../../core/pricing/cost-model";
import { findGpuOffer, findServerlessOffer } from "../../core/pricing/lookup";
import type { Catalog } from "../../core/pricing/types";
import type { Cloud } from "../../core/types";
import { ValidationError } from "../../core/validation";
import type { RecommendationReason, RequoteThresholds } from "../types";
import { quoteRequestOfSpec, type SpecForQuote } from "./spec-request";

/** The defaults of issue 15: at least 15% and at least $50/month. */
export const DEFAULT_THRESHOLDS: RequoteThresholds = { minSavingPct: 15, minSavingUsd: 50 };

/** What the re-quote needs of a deployment. */
export interface RequoteSubject {
  id: string;
  tenant: string;
  placement: Placement;
  spec: SpecForQuote;
}

export interface RequoteFinding {
  reason: RecommendationReason;
  current: { placement: Placement; monthlyUsd: number };
  proposed: { placement: Placement; monthlyUsd: number };
  savingMonthlyUsd: number;
  savingPct: number;
}

/** Why a deployment was not re-quoted (nothing is invented for it). */
export type RequoteSkip = { skipped: "unpriced" | "infeasible"; why: string };

/** Same offer: same cloud, region, instance type and capacity. */
export function sameOffer(a: Placement, b: Placement): boolean {
  return a.cloud === b.cloud && a.region === b.region && a.instanceType === b.instanceType && a.capacity === b.capacity;
}

/** One replica's price of `p`'s offer in `catalog`, USD/hour; null when the catalog does not sell it so. */
export function unitPriceIn(
  catalog: Catalog,
  p: Pick<Placement, "cloud" | "region" | "instanceType" | "capacity">,
): number | null {
  const cloud = p.cloud as Cloud;
  const offer =
    p.capacity === "serverless"
      ? findServerlessOffer(catalog, { cloud, region: p.region, sku: p.instanceType })
      : findGpuOffer(catalog, { cloud, region: p.region, instanceType: p.instanceType });
  return offer ? unitHourlyUsd(offer, p.capacity) : null;
}

/**
 * `p` repriced under a new unit price: its compute scales, its artifact storage stays. A spot
 * placement's on-demand floor unit (`onDemandUnitHourlyUsd`) takes `onDemandUnit` when given
 * (null: that catalog sells no on-demand of the shape).
 */
export function repriced(p: Placement, unit: number, onDemandUnit?: number | null): Placement {
  const ratio = p.unitHourlyUsd > 0 ? unit / p.unitHourlyUsd : 0;
  const compute = Math.max(0, p.monthlyUsd - p.storageMonthlyUsd);
  const monthly = p.unitHourlyUsd > 0 ? compute * ratio + p.storageMonthlyUsd : p.monthlyUsd;
  // A pool whose node carries several replicas bills the nodes they need, not one per replica.
  const nodes = p.replicasPerNode !== undefined ? Math.ceil(p.replicas / p.replicasPerNode) : p.replicas;
  return {
    ...p,
    unitHourlyUsd: unit,
    hourlyUsd: unit * nodes,
    monthlyUsd: round2(monthly),
    ...(onDemandUnit !== undefined ? { onDemandUnitHourlyUsd: onDemandUnit } : {}),
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Caches the optimizer's answer per distinct request and the price per distinct offer within one
 * sweep: 10,000 deployments of a few models cost a few quotes, not 10,000.
 */
export class RequoteContext {
  private readonly quotes = new Map<string, Placement | RequoteSkip>();
  private readonly prices = new Map<string, number | null>();
  /** Optimizer runs so far (one per distinct request). */
  optimizerRuns = 0;

  constructor(
    readonly catalog: Catalog,
    readonly footprint: Footprint | undefined,
    readonly thresholds: RequoteThresholds,
    /** The catalog before this one (for `new-offer`); undefined when the sweep knows none. */
    readonly previous: Catalog | undefined,
    readonly policy?: (environment: string) => PlacementPolicy | undefined,
    readonly now: Date = new Date(),
  ) {}

  best(spec: SpecForQuote): Placement | RequoteSkip {
    const request = quoteRequestOfSpec(spec, this.footprint !== undefined);
    const key = JSON.stringify(request);
    const hit = this.quotes.get(key);
    if (hit) return hit;
    const policy = this.policy?.(spec.environment);
    this.optimizerRuns++;
    const r = quote(request, this.catalog, {
      now: this.now,
      limit: 1,
      ...(this.footprint ? { footprint: this.footprint } : {}),
      ...(policy ? { policy } : {}),
    });
    const top = r.placements[0];
    const out: Placement | RequoteSkip = top
      ? basePlacement(top)
      : { skipped: "infeasible", why: r.infeasible?.message ?? "no placement fits inside the footprint" };
    this.quotes.set(key, out);
    return out;
  }

  price(p: Placement): number | null {
    const key = `${p.cloud}|${p.region}|${p.instanceType}|${p.capacity}`;
    if (this.prices.has(key)) return this.prices.get(key) ?? null;
    const v = unitPriceIn(this.catalog, p);
    this.prices.set(key, v);
    return v;
  }

  /** A finding when the saving passes both thresholds; null when it does not; a skip when it cannot be priced. */
  requote(d: RequoteSubject): RequoteFinding | RequoteSkip | null {
    const unit = this.price(d.placement);
    if (unit === null) {
      return {
        skipped: "unpriced",
        why: `catalog ${this.catalog.version} has no ${d.placement.capacity} price for ${d.placement.cloud} ${d.placement.region} ${d.placement.instanceType}`,
      };
    }
    const best = this.best(d.spec);
    if ("skipped" in best) return best;
    const floor = d.placement.capacity === "spot" ? this.price({ ...d.placement, capacity: "on-demand" }) : undefined;
    const current = repriced(d.placement, unit, floor);
    if (sameOffer(best, d.placement)) return null;
    const saving = round2(current.monthlyUsd - best.monthlyUsd);
    const pct = current.monthlyUsd > 0 ? (saving / current.monthlyUsd) * 100 : 0;
    if (saving < this.thresholds.minSavingUsd || pct < this.thresholds.minSavingPct) return null;
    return {
      reason: this.reason(d.placement, unit, best),
      current: { placement: current, monthlyUsd: current.monthlyUsd },
      proposed: { placement: best, monthlyUsd: round2(best.monthlyUsd) },
      savingMonthlyUsd: saving,
      savingPct: Math.round(pct * 10) / 10,
    };
  }

  private reason(placed: Placement, unitNow: number, best: Placement): RecommendationReason {
    if (unitNow > placed.unitHourlyUsd * 1.005) return "price-change";
    const before = this.previous ? unitPriceIn(this.previous, best) : undefined;
    if (before === null) return "new-offer";
    // A spot proposal is a drop when its price fell since the previous catalog (or none is known).
    if (best.capacity === "spot" && (before === undefined || best.unitHourlyUsd < before * 0.995)) return "spot-drop";
    return "price-change";
  }
}

/** SHA-256 of a catalog file's bytes: a sweep runs when it changes. */
export function contentHash(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Price an explicit migration target (one catalog offer) for a deployment's model the optimizer's
 * way: the re-quote request narrowed to that cloud, region and capacity, inside the footprint.
 * Throws ValidationError naming `placement.*` when the offer is unknown, outside the footprint or
 * does not hold the model.
 */
export function priceExplicit(
  spec: SpecForQuote,
  catalog: Catalog,
  footprint: Footprint | undefined,
  target: { cloud: string; region: string; instanceType: string; capacity: string },
  now: Date = new Date(),
): Placement {
  const request = quoteRequestOfSpec(spec, footprint !== undefined);
  const narrowed = parseQuoteRequest({
    ...request,
    constraints: {
      ...request.constraints,
      clouds: [target.cloud],
      regions: [target.region],
      capacity: target.capacity === "serverless" ? "any" : target.capacity,
    },
  });
  const r = quote(narrowed, catalog, { now, limit: 10_000, ...(footprint ? { footprint } : {}) });
  const match = r.placements.find((p) => p.instanceType === target.instanceType && p.capacity === target.capacity);
  if (!match) {
    const why =
      r.infeasible?.message ?? `it is not a feasible ${target.capacity} offer for this model inside the footprint`;
    throw new ValidationError(
      "placement",
      `${target.cloud} ${target.region} ${target.instanceType} (${target.capacity}) under catalog ${catalog.version}: ${why}; quote first (POST /v1/quotes) to see what fits`,
    );
  }
  const p = basePlacement(match);
  p.why = "explicit migration target";
  return p;
}
