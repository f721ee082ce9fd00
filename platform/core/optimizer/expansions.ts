/**
 * Expansion advice: the cheapest placements OUTSIDE the footprint that would save money even after
 * paying for a new cluster's control plane, each with the `modelplane:clouds` entry that adds that
 * cluster. Honest by construction: only catalog offers (no serverless, which needs no cluster), the
 * request's constraints and the policy apply as inside, the saving is against the footprint's best
 * monthly figure, and a cloud without a control-plane price in the catalog is never advised.
 */
import { HOURS_PER_MONTH, type Cloud } from "../types";
import { controlPlanePrice } from "../pricing/lookup";
import { activeHoursPerMonth } from "../schedule";
import type { Catalog } from "../pricing/types";
import type { CatalogCandidate } from "./candidates";
import { matchesConstraints } from "./explain";
import { deniedBy, type PlacementPolicy } from "./policy";
import type { Pricer } from "./price";
import type { QuoteRequest } from "./schema";

/** A GPU pool entry of `modelplane:clouds[].gpuPools` (programs/platform/config.ts). */
export interface ExpansionPoolEntry {
  name: string;
  gpu: string;
  instanceType: string;
  minNodes: number;
  maxNodes: number;
  spot: boolean;
}

export interface Expansion {
  cloud: Cloud;
  region: string;
  instanceType: string;
  gpuType: string;
  gpuCount: number;
  capacity: "on-demand" | "spot";
  /** The placement's month there (compute, storage, weights moves), USD. */
  monthlyUsd: number;
  /** The new cluster's control-plane fee for the month (catalog), USD. */
  controlPlaneMonthlyUsd: number;
  /** Footprint best − (monthlyUsd + control plane), USD/month; null when nothing in the footprint fits. */
  monthlySavingsUsd: number | null;
  /** The exact `modelplane:clouds` entry to add. */
  configEntry: { cloud: Cloud; region: string; gpuPools: ExpansionPoolEntry[] };
}

export const MAX_EXPANSIONS = 3;

/** Up to 3 placements outside the footprint, one per (cloud, region), biggest saving first. */
export function findExpansions(input: {
  all: readonly CatalogCandidate[];
  inFootprint: ReadonlySet<string>;
  request: QuoteRequest;
  constraints: QuoteRequest["constraints"];
  requiredGiB: number;
  pricer: Pricer;
  catalog: Catalog;
  policy: PlacementPolicy | undefined;
  /** The footprint's best monthly figure; undefined when nothing fits inside. */
  bestMonthlyUsd: number | undefined;
  /** False for a GPU type the request cannot run on (the precision rules). Default: every type. */
  gpuAllowed?: (gpuType: string) => boolean;
}): Expansion[] {
  const { request, constraints: c, pricer, policy, bestMonthlyUsd } = input;
  const replicas = request.replicas;
  const maxUnit = c.maxHourlyUsd === undefined ? Number.POSITIVE_INFINITY : c.maxHourlyUsd / replicas;
  const fee = new Map<Cloud, number | undefined>();
  const byRegion = new Map<string, Expansion>();
  // A node bills every hour of the month, or only the scheduled ones when the deployment hibernates.
  const nodeHours = request.schedule ? activeHoursPerMonth(request.schedule) : HOURS_PER_MONTH;
  for (const cand of input.all) {
    if (cand.unit > maxUnit) break;
    // Sorted by unit price: past this point no instance's billed hours can save money.
    if (bestMonthlyUsd !== undefined && cand.unit * replicas * nodeHours >= bestMonthlyUsd) break;
    if (cand.capacity === "serverless" || cand.holdsGiB < input.requiredGiB) continue;
    const where = `${cand.cloud}|${cand.region}`;
    if (input.inFootprint.has(where) || byRegion.has(where)) continue;
    if (!matchesConstraints(cand, c)) continue;
    if (input.gpuAllowed && !input.gpuAllowed(cand.gpuType)) continue;
    if (!fee.has(cand.cloud)) {
      const cp = controlPlanePrice(input.catalog, cand.cloud);
      fee.set(cand.cloud, cp ? cp.hourlyUsd * HOURS_PER_MONTH : undefined);
    }
    const cpMonthly = fee.get(cand.cloud);
    if (cpMonthly === undefined) continue;
    const priced = pricer.price(cand);
    const denied = deniedBy(
      {
        region: cand.region,
        gpuType: cand.gpuType,
        capacity: cand.capacity,
        hourlyUsd: priced.cost.hourlyUsd,
        atMaxMonthlyUsd: priced.cost.atMaxMonthlyUsd,
      },
      policy,
    );
    if (denied) continue;
    const total = priced.cost.monthlyUsd + cpMonthly;
    const savings = bestMonthlyUsd === undefined ? null : bestMonthlyUsd - total;
    if (savings !== null && savings <= 0) continue;
    byRegion.set(where, {
      cloud: cand.cloud,
      region: cand.region,
      instanceType: cand.instanceType,
      gpuType: cand.gpuType,
      gpuCount: cand.gpuCount,
      capacity: cand.capacity,
      monthlyUsd: priced.cost.monthlyUsd,
      controlPlaneMonthlyUsd: cpMonthly,
      monthlySavingsUsd: savings,
      configEntry: {
        cloud: cand.cloud,
        region: cand.region,
        gpuPools: [
          {
            name: cand.gpuType.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
            gpu: cand.gpuType,
            instanceType: cand.instanceType,
            minNodes: 0,
            maxNodes: Math.max(1, replicas),
            spot: cand.capacity === "spot",
          },
        ],
      },
    });
  }
  return [...byRegion.values()]
    .sort(
      (a, b) =>
        (a.monthlySavingsUsd !== null && b.monthlySavingsUsd !== null
          ? b.monthlySavingsUsd - a.monthlySavingsUsd
          : a.monthlyUsd + a.controlPlaneMonthlyUsd - (b.monthlyUsd + b.controlPlaneMonthlyUsd)) ||
        a.cloud.localeCompare(b.cloud) ||
        a.region.localeCompare(b.region),
    )
    .slice(0, MAX_EXPANSIONS);
}
