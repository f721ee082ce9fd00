/**
 * The ONE cost model. The optimizer's quote, the policy pack's resource pricing and the offline
 * plan all price a placement with these functions, so the same placement gets the same number
 * everywhere. All functions are pure: catalog and inputs are arguments, nothing is global.
 *
 * Conventions (stated once, used everywhere):
 * - A month is HOURS_PER_MONTH = 730 hours (the clouds' own monthly-estimate convention).
 * - Instances (on-demand, spot) bill every hour of the month whether busy or not.
 * - Serverless bills only while an instance is active: `activeHoursPerDay / 24` of the month.
 * - Storage is priced per GB-month where the clouds' "GB" is 2^30 bytes (AWS and GCP both bill
 *   storage in binary GB), so a size in GiB multiplies the listed price directly.
 */
import { HOURS_PER_MONTH } from "../types";
import type { Capacity, Cloud, Precision } from "../types";
import { BYTES_PER_PARAM } from "../sizing/precision";
import { geographyOf, inGeography, type Geography } from "../geography";
import { storagePrice } from "./lookup";
import type { Catalog, GpuOffer, ServerlessOffer } from "./types";

/** USD per hour of one active serverless instance: the per-second list price × 3600. */
export function serverlessHourlyUsd(offer: Pick<ServerlessOffer, "perSecondUsd">): number {
  return offer.perSecondUsd * 3600;
}

/**
 * USD per hour of ONE replica (one node, or one active serverless instance) of `offer` bought as
 * `capacity`. `null` when the offer is not sold that way (no trusted spot price; an instance
 * offer asked for as serverless or the reverse).
 */
export function unitHourlyUsd(offer: GpuOffer | ServerlessOffer, capacity: Capacity): number | null {
  if ("perSecondUsd" in offer) return capacity === "serverless" ? serverlessHourlyUsd(offer) : null;
  if (capacity === "on-demand") return offer.onDemandAvailable === false ? null : offer.onDemandHourlyUsd;
  if (capacity === "spot") return offer.spotHourlyUsd;
  return null;
}

/**
 * Hours billed per month: 730 for instances, 730 × activeHoursPerDay/24 for serverless. With a
 * hibernation schedule (`scheduledHoursPerMonth`, platform/core/schedule.ts) instances bill only
 * the scheduled hours (0 replicas outside them) and serverless at most those.
 */
export function billedHoursPerMonth(
  capacity: Capacity,
  activeHoursPerDay: number,
  scheduledHoursPerMonth?: number,
): number {
  const cap = scheduledHoursPerMonth ?? HOURS_PER_MONTH;
  return capacity === "serverless" ? Math.min(cap, (HOURS_PER_MONTH * activeHoursPerDay) / 24) : cap;
}

/** Compute USD per month for an hourly price (already × replicas) bought as `capacity`. */
export function monthlyComputeUsd(
  hourlyUsd: number,
  capacity: Capacity,
  activeHoursPerDay: number,
  scheduledHoursPerMonth?: number,
): number {
  return hourlyUsd * billedHoursPerMonth(capacity, activeHoursPerDay, scheduledHoursPerMonth);
}

/** Size of a model's weights artifact in object storage, GiB (parameters × bytes per parameter). */
export function artifactSizeGiB(model: { parametersBillions: number; precision: Precision }): number {
  return (model.parametersBillions * 1e9 * BYTES_PER_PARAM[model.precision]) / 2 ** 30;
}

/**
 * USD per month to keep `sizeGiB` in the cloud's object storage (`tier` default: the cloud's
 * standard tier, listed first in the catalog). `undefined` when the catalog has no price for it.
 */
export function storageMonthlyUsd(catalog: Catalog, cloud: Cloud, sizeGiB: number, tier?: string): number | undefined {
  const price = storagePrice(catalog, cloud, tier);
  return price ? sizeGiB * price.perGbMonthUsd : undefined;
}

/** The figures of one placement, from its unit price. */
export interface PlacementCost {
  /** All replicas' compute, USD/hour. */
  hourlyUsd: number;
  /** Expected month: compute for the billed hours, artifact storage, weights moves, USD. */
  monthlyUsd: number;
  /** Month with no traffic: nodes still bill 730 h; serverless scales to zero (storage only), USD. */
  atRestMonthlyUsd: number;
  /** Month with every replica running 24 h a day, USD (what the budget policy checks). */
  atMaxMonthlyUsd: number;
}

/**
 * Price a placement: `unitHourlyUsd` per replica × `replicas` per hour (on an existing pool whose
 * nodes carry `replicasPerNode` replicas each, per node × the ceil(replicas / replicasPerNode)
 * nodes they need); per month, the billed
 * hours of that capacity plus the artifact storage (stored once per deployment, not per replica)
 * plus one move of the weights per replica (`transferUsd` per copy; each replica pulls them once
 * at least). A node bills 24 h a day whatever `activeHoursPerDay` says; only serverless stops.
 */
export function placementCost(input: {
  unitHourlyUsd: number;
  replicas: number;
  capacity: Capacity;
  activeHoursPerDay: number;
  storageMonthlyUsd: number;
  transferUsd?: number;
  /** A hibernation schedule's hours per month: replicas run only then (default: every hour, 730). */
  scheduledHoursPerMonth?: number;
  /** Replicas one node carries (an existing pool's node shared by replicas); `unitHourlyUsd` is then one node's. Default 1. */
  replicasPerNode?: number;
}): PlacementCost {
  const per = input.replicasPerNode ?? 1;
  const hourlyUsd = input.unitHourlyUsd * (per > 1 ? Math.ceil(input.replicas / per) : input.replicas);
  const moves = (input.transferUsd ?? 0) * input.replicas;
  const fixed = input.storageMonthlyUsd + moves;
  const scheduled = input.scheduledHoursPerMonth;
  const monthlyUsd = monthlyComputeUsd(hourlyUsd, input.capacity, input.activeHoursPerDay, scheduled) + fixed;
  const atMaxMonthlyUsd = hourlyUsd * (scheduled ?? HOURS_PER_MONTH) + fixed;
  const atRestMonthlyUsd = input.capacity === "serverless" ? input.storageMonthlyUsd : atMaxMonthlyUsd;
  return { hourlyUsd, monthlyUsd, atRestMonthlyUsd, atMaxMonthlyUsd };
}

/** Where a copy of the weights comes from, and what moving it once to the serving cluster costs. */
export interface WeightsTransfer {
  /** USD for one copy of the weights; null when the move is unpriced (no egress price for it). */
  usd: number | null;
  /** The store it is read from (the cheapest to read from). */
  from: { cloud: Cloud; region: string } | null;
  note: string;
}

/**
 * What one copy of `sizeGiB` of weights costs to move from the cheapest of `stores` to a cluster in
 * (`cloud`, `region`): free in the same region; the source cloud's inter-region price within the
 * same cloud; its internet price to another cloud or a brought cluster. Undefined when no store is
 * known (nothing to price). Egress prices hold within their geography only; elsewhere: unpriced.
 */
export function weightsTransfer(
  catalog: Catalog,
  stores: ReadonlyArray<{ cloud: Cloud; region: string }>,
  to: { cloud: string; region: string },
  sizeGiB: number,
): WeightsTransfer | undefined {
  if (stores.length === 0) return undefined;
  const local = stores.find((s) => s.cloud === to.cloud && s.region === to.region);
  if (local) return { usd: 0, from: local, note: `weights read from the store in the same region (${to.region})` };
  let best: WeightsTransfer | undefined;
  for (const s of stores) {
    const sameCloud = s.cloud === to.cloud;
    const kind = sameCloud ? "inter-region" : "internet";
    const geo = geographyOf(s.cloud, s.region);
    const row = (catalog.egress ?? []).find(
      (e) =>
        e.cloud === s.cloud &&
        e.kind === kind &&
        e.geography === geo &&
        (!sameCloud || inGeography(e.geography as Geography, s.cloud, to.region)),
    );
    if (!row) continue;
    const usd = sizeGiB * row.perGbUsd;
    if (!best || (best.usd !== null && usd < best.usd)) {
      best = {
        usd,
        from: s,
        note: `weights moved from the ${s.cloud} ${s.region} store at $${row.perGbUsd}/GB ${kind} egress (${row.source.split(":")[0]})`,
      };
    }
  }
  return (
    best ?? {
      usd: null,
      from: null,
      note: `moving the weights to ${to.cloud} ${to.region} is unpriced: the catalog has no egress price from ${stores.map((s) => `${s.cloud} ${s.region}`).join(", ")} to there`,
    }
  );
}

/**
 * What an on-demand floor of `floor` replicas adds to a spot placement's month, USD: those replicas
 * run on-demand (`onDemandUnitHourlyUsd`) instead of spot, 730 h. Where a node carries several
 * replicas (`replicasPerNode`), the nodes are counted: the spot nodes the other replicas need plus
 * the on-demand nodes of the floor, less the spot nodes the placement already prices. 0 for a
 * placement that is not spot, without an on-demand price, or without a floor.
 */
export function onDemandFloorPremiumUsd(
  p: {
    capacity: Capacity;
    replicas: number;
    unitHourlyUsd: number;
    onDemandUnitHourlyUsd: number | null;
    replicasPerNode?: number;
  },
  floor: number,
): number {
  if (floor <= 0 || p.capacity !== "spot" || p.onDemandUnitHourlyUsd === null) return 0;
  const k = p.replicasPerNode ?? 1;
  if (k <= 1) return floor * Math.max(0, p.onDemandUnitHourlyUsd - p.unitHourlyUsd) * HOURS_PER_MONTH;
  const nodes = (r: number): number => Math.ceil(Math.max(0, r) / k);
  const hourly =
    p.unitHourlyUsd * nodes(p.replicas - floor) +
    p.onDemandUnitHourlyUsd * nodes(floor) -
    p.unitHourlyUsd * nodes(p.replicas);
  return Math.max(0, hourly) * HOURS_PER_MONTH;
}
