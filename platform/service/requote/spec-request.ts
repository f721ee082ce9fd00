/**
 * The quote request a live deployment was placed with, rebuilt from its stack spec: one builder for
 * every re-placement (the re-quote sweep, an explicit migration target, capacity/quota failover), so
 * each sizes for the same inputs as the original quote:
 * - the model: name, size, precision, context, and the workload it was sized for (`concurrency`,
 *   `architecture`; absent in specs written before they were kept: concurrency 1, estimated shape);
 * - the placement's replicas, and the active hours it was quoted for (kept in the spec; older
 *   specs: recovered from a serverless placement's price);
 * - the environment (its cost policy) and the hibernation schedule;
 * - the request's own constraints (`placementConstraints`: clouds, regions, GPU types, capacity,
 *   price cap), capacity `spot` when the deployment keeps an on-demand floor and asked for any, and
 *   the footprint as the scope whenever one is known (a deployment always lands inside it).
 */
import { parseQuoteRequest, type QuoteRequest } from "../../core/optimizer";
import type { Placement } from "../../core/placement";
import { HOURS_PER_MONTH } from "../../core/types";
import type { DeploymentSpec } from "../types";

/** The spec fields a re-placement reads. */
export type SpecForQuote = Pick<DeploymentSpec, "model" | "environment" | "onDemandFloorReplicas" | "placement"> &
  Partial<Pick<DeploymentSpec, "placementConstraints" | "schedule" | "activeHoursPerDay">>;

/** Serverless placements are priced for their active hours: recover them from the placement's own figures. */
export function activeHoursOf(p: Placement): number {
  if (p.capacity !== "serverless" || p.hourlyUsd <= 0) return 24;
  const hours = ((p.monthlyUsd - p.storageMonthlyUsd) / p.hourlyUsd / HOURS_PER_MONTH) * 24;
  return Number.isFinite(hours) ? Math.min(24, Math.max(0.01, Math.round(hours * 100) / 100)) : 24;
}

/**
 * The active hours per day a deployment was quoted for: as its spec keeps them, else (specs written
 * before they were kept) recovered from a serverless placement's price, else 24.
 */
export function quotedActiveHours(spec: Pick<SpecForQuote, "placement" | "activeHoursPerDay">): number {
  return spec.activeHoursPerDay ?? activeHoursOf(spec.placement);
}

/** See the module comment. `inFootprint`: the server knows its footprint (tests of other parts may not). */
export function quoteRequestOfSpec(spec: SpecForQuote, inFootprint: boolean): QuoteRequest {
  const m = spec.model;
  const c = spec.placementConstraints ?? { capacity: "any" as const };
  return parseQuoteRequest({
    model: {
      name: m.name,
      parametersBillions: m.parametersBillions,
      precision: m.precision,
      contextTokens: m.contextTokens,
      ...(m.concurrency !== undefined ? { concurrency: m.concurrency } : {}),
      ...(m.architecture ? { architecture: m.architecture } : {}),
    },
    replicas: Math.max(1, spec.placement.replicas),
    activeHoursPerDay: quotedActiveHours(spec),
    environment: spec.environment,
    constraints: {
      ...c,
      // A floor only exists on spot.
      ...(spec.onDemandFloorReplicas > 0 && c.capacity === "any" ? { capacity: "spot" } : {}),
      scope: inFootprint ? "footprint" : "anywhere",
    },
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
  });
}
