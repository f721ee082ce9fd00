/**
 * Explicit placements of a deployment request on the footprint: the footprint check (422
 * outside_footprint), the request's own constraints, and a placement on a named pool (always so on
 * a brought cluster, `cloud: kubernetes`), priced by `poolPlacement`. Pure.
 */
import type { z } from "zod";
import { InfeasibleError, OutsideFootprintError } from "../platform/core/errors";
import { clusterAt, type Footprint } from "../platform/core/footprint";
import { basePlacement, type QuoteRequest } from "../platform/core/optimizer";
import { poolPlacement } from "../platform/core/optimizer/pool-placement";
import type { Catalog } from "../platform/core/pricing/types";
import { ValidationError } from "../platform/core/validation";
import type { ChosenPlacement, ExplicitPlacementSchema } from "./deployment-request";
import type { Placement } from "../platform/core/placement";
import { onDemandFloorPremiumUsd } from "../platform/core/pricing/cost-model";

/** The on-demand floor's premium over spot for the month, USD (the cost model's `onDemandFloorPremiumUsd`). */
export function floorPremiumUsd(p: Placement, floor: number): number {
  return onDemandFloorPremiumUsd(p, floor);
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

export type ExplicitPlacement = z.output<typeof ExplicitPlacementSchema>;

/** An explicit placement must land on a footprint cluster: else 422 outside_footprint naming the regions. */
export function requireInFootprint(footprint: Footprint, explicit: ExplicitPlacement): void {
  if (clusterAt(footprint, explicit.cloud, explicit.region)) return;
  const regions = footprint.clusters.map((cl) => `${cl.cloud} ${cl.region}`);
  throw new OutsideFootprintError(
    `placement.region: the platform has no cluster in ${explicit.cloud} ${explicit.region}; it runs in ${regions.join(", ") || "(no clusters)"}`,
    regions,
  );
}

/** The request's own constraints must admit the explicit placement (else infeasible, naming the constraint). */
export function refuseExcluded(c: QuoteRequest["constraints"], explicit: ExplicitPlacement): void {
  const excludedBy =
    c.clouds && !(c.clouds as readonly string[]).includes(explicit.cloud)
      ? "constraints.clouds"
      : c.regions && !c.regions.includes(explicit.region)
        ? "constraints.regions"
        : c.capacity !== "any" && c.capacity !== explicit.capacity
          ? "constraints.capacity"
          : null;
  if (excludedBy) {
    const what = explicit.pool ?? explicit.instanceType ?? "";
    throw new InfeasibleError(
      `the explicit placement ${explicit.cloud} ${explicit.region} ${what} (${explicit.capacity}) is excluded by ${excludedBy}; drop one of them`,
    );
  }
}

/** What a deployment request says of its replicas: the scaling bounds and the on-demand floor. */
export interface ReplicaAsk {
  scaling?: { minReplicas?: number | undefined; maxReplicas?: number | undefined; scaleToZero: boolean } | undefined;
  onDemandFloorReplicas: number;
}

/**
 * The most replicas the deployment program runs on the placement's pool: `scaling.maxReplicas`
 * (default max(1, minReplicas); without `scaling`, the priced `replicas`), less a spot placement's
 * on-demand floor, which runs on an on-demand pool (planReplicas' primary maximum).
 */
export function replicasOnPoolAtMax(ask: ReplicaAsk, replicas: number, capacity: string): number {
  const s = ask.scaling;
  if (!s) return replicas;
  const min = s.minReplicas ?? (s.scaleToZero ? 0 : 1);
  const max = s.maxReplicas ?? Math.max(1, min);
  const floor = capacity === "spot" && !s.scaleToZero ? ask.onDemandFloorReplicas : 0;
  return floor > 0 ? Math.max(Math.max(1, min - floor), max - floor) : max;
}

/**
 * An explicit placement on a named pool of the footprint (always so on a brought cluster): priced
 * at the pool's node price, a brought pool's declared price, or carried as unpriced (with a warning)
 * when the brought pool declares none.
 */
export function placeOnPool(
  request: QuoteRequest,
  explicit: ExplicitPlacement,
  catalog: Catalog,
  footprint: Footprint | undefined,
  floor: number,
  /** The most replicas the program runs on the pool (`replicasOnPoolAtMax`): the pool must hold them. */
  maxReplicas?: number,
): ChosenPlacement {
  if (!footprint) {
    throw new ValidationError(
      "placement.pool",
      "a placement on an existing pool (or a brought cluster, cloud kubernetes) needs the platform's footprint: start the server with MODELPLANE_PLATFORM_CONFIG or MODELPLANE_PLATFORM_STACK",
    );
  }
  requireInFootprint(footprint, explicit);
  const cluster = clusterAt(footprint, explicit.cloud, explicit.region);
  if (explicit.pool === undefined) {
    throw new ValidationError(
      "placement.pool",
      `a brought cluster is placed on one of its declared pools: name one (${cluster?.pools.map((p) => p.name).join(", ") || "none declared"})`,
    );
  }
  refuseExcluded(request.constraints, explicit);
  const warnings: string[] = [];
  const quoted = poolPlacement(
    request,
    catalog,
    footprint,
    {
      cloud: explicit.cloud,
      region: explicit.region,
      pool: explicit.pool,
      ...(explicit.cluster !== undefined ? { cluster: explicit.cluster } : {}),
      ...(maxReplicas !== undefined ? { maxReplicas } : {}),
    },
    warnings,
  );
  if (quoted.capacity !== explicit.capacity) {
    throw new ValidationError(
      "placement.capacity",
      `pool ${explicit.pool} runs ${quoted.capacity} nodes, not ${explicit.capacity}`,
    );
  }
  if (explicit.instanceType !== undefined && explicit.instanceType !== quoted.instanceType) {
    throw new ValidationError(
      "placement.instanceType",
      `pool ${explicit.pool} runs ${quoted.instanceType}, not ${explicit.instanceType}; drop instanceType or fix it`,
    );
  }
  const placement = basePlacement(quoted);
  placement.why = "explicit placement from the request";
  return {
    placement,
    estimatedMonthlyUsd: round2(placement.monthlyUsd + floorPremiumUsd(placement, floor)),
    warnings,
  };
}
