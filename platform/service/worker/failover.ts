/**
 * Capacity and quota failover (issue 15, item 4), the pure part: given a deployment whose
 * placement just failed for capacity or quota, find the next-cheapest placement inside the
 * platform's footprint that excludes every remembered failure, within the request's own
 * constraints (`spec.placementConstraints`), and build the spec for it. The worker's step
 * (./failover-step.ts) records the failure and calls this; the worker runs the operation again,
 * at most `MAX_FAILOVER_TRIES` times, each try an event.
 */
import type { Footprint } from "../../core/footprint";
import { basePlacement, quote, type PlacementExclusion } from "../../core/optimizer";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Placement } from "../../core/placement";
import type { Catalog } from "../../core/pricing/types";
import { onDemandFloorPremiumUsd } from "../../core/pricing/cost-model";
import { parseDeploymentSpec, type DeploymentSpec } from "../../../programs/deployment/spec";
import { quoteRequestOfSpec } from "../requote/spec-request";

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

/** The next-cheapest placement for `spec` that avoids `exclude`, or why there is none. */
export function replace(
  spec: DeploymentSpec,
  exclude: readonly PlacementExclusion[],
  ctx: FailoverContext,
  now: Date,
): Replacement {
  const floor = spec.onDemandFloorReplicas;
  // The same inputs as the original quote (model, workload, replicas, schedule, constraints).
  const request = quoteRequestOfSpec(spec, ctx.footprint !== undefined);
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
    const premium = onDemandFloorPremiumUsd(placement, keepFloor);
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
