/**
 * Capacity and quota failover (issue 15, item 4), the pure part: given a deployment whose
 * placement just failed for capacity or quota, find the next-cheapest placement inside the
 * platform's footprint that excludes every remembered failure, within the request's own
 * constraints (`spec.placementConstraints`), and build the spec for it. The worker's step
 * (./failover-step.ts) records the failure and calls this; the worker runs the operation again,
 * at most `MAX_FAILOVER_TRIES` times, each try an event.
 */
import type { Footprint } from "../../core/footprint";
import { basePlacement, parseQuoteRequest, quote, type PlacementExclusion } from "../../core/optimizer";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Placement } from "../../core/placement";
import type { Catalog } from "../../core/pricing/types";
import { HOURS_PER_MONTH } from "../../core/types";
import { parseDeploymentSpec, type DeploymentSpec } from "../../../programs/deployment/spec";

/** Re-placements after the first failure, at most. */
export const MAX_FAILOVER_TRIES = 3;

/** What re-placement needs from the server's edge (the same catalog and footprint the API places with). */
export interface FailoverContext {
  catalog: Catalog;
  footprint?: Footprint;
  /** The placement policy of an environment (the pack's config), when one is loaded. */
  policyFor?: (environment: string) => PlacementPolicy;
  /** How long a failure is remembered, hours (default 6). */
  ttlHours?: number;
}

export type Replacement =
  { placement: Placement; spec: DeploymentSpec; estimatedMonthlyUsd: number } | { none: string };

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Active hours per day a serverless placement was priced for (recovered from its own figures). */
function activeHoursOf(p: Placement): number {
  if (p.capacity !== "serverless" || p.hourlyUsd <= 0) return 24;
  const h = ((p.monthlyUsd - p.storageMonthlyUsd) / p.hourlyUsd / HOURS_PER_MONTH) * 24;
  return Number.isFinite(h) ? Math.min(24, Math.max(0.01, Math.round(h * 100) / 100)) : 24;
}

/** The next-cheapest placement for `spec` that avoids `exclude`, or why there is none. */
export function replace(
  spec: DeploymentSpec,
  exclude: readonly PlacementExclusion[],
  ctx: FailoverContext,
  now: Date,
): Replacement {
  const c = spec.placementConstraints ?? { capacity: "any" as const };
  const floor = spec.onDemandFloorReplicas;
  const request = parseQuoteRequest({
    model: {
      name: spec.model.name,
      parametersBillions: spec.model.parametersBillions,
      precision: spec.model.precision,
      contextTokens: spec.model.contextTokens,
    },
    replicas: Math.max(1, spec.placement.replicas),
    activeHoursPerDay: activeHoursOf(spec.placement),
    environment: spec.environment,
    constraints: {
      ...c,
      // A floor only exists on spot; a deployment always lands inside the footprint.
      ...(floor > 0 && c.capacity === "any" ? { capacity: "spot" } : {}),
      ...(ctx.footprint ? { scope: "footprint" } : {}),
    },
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
  });
  const policy = ctx.policyFor?.(spec.environment);
  const result = quote(request, ctx.catalog, {
    now,
    limit: 20,
    exclude,
    ...(ctx.footprint ? { footprint: ctx.footprint } : {}),
    ...(policy ? { policy } : {}),
  });
  let refused = "";
  for (const quoted of result.placements) {
    const placement = basePlacement(quoted);
    placement.why = `failover: ${exclude.length} placement(s) excluded after capacity/quota failures; ${placement.why ?? "next cheapest"}`;
    const keepFloor = placement.capacity === "spot" ? floor : 0;
    const premium =
      keepFloor > 0 && placement.onDemandUnitHourlyUsd !== null
        ? keepFloor * Math.max(0, placement.onDemandUnitHourlyUsd - placement.unitHourlyUsd) * HOURS_PER_MONTH
        : 0;
    try {
      const next = parseDeploymentSpec({ ...spec, placement, onDemandFloorReplicas: keepFloor });
      return { placement, spec: next, estimatedMonthlyUsd: round2(placement.monthlyUsd + premium) };
    } catch (err) {
      // e.g. a serverless placement for a spec that keeps warm replicas: try the next one.
      refused ||= err instanceof Error ? err.message : String(err);
    }
  }
  return {
    none:
      result.placements.length === 0
        ? `no other placement fits inside the footprint: ${result.infeasible?.message ?? "nothing feasible"}`
        : `no other placement suits the deployment's spec (${refused})`,
  };
}
