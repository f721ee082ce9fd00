/**
 * CPU node prices (system and CPU pools) from the catalog's `cpuInstances`: on-demand only, a spot
 * CPU pool is priced on-demand as an upper bound, and a missing row is unpriced with its reason.
 */
import { findCpuInstance } from "../../platform/core/pricing/lookup";
import type { Catalog, CpuInstancePrice } from "../../platform/core/pricing/types";
import type { Cloud } from "../../platform/core/types";
import type { Found, NodeOffer } from "./price";

/** A CPU instance's price in a region; with no region, its most expensive region (the safe bound). */
export function cpuPriceFor(
  catalog: Catalog,
  cloud: Cloud,
  region: string | undefined,
  instanceType: string,
): Found<CpuInstancePrice> {
  if (region !== undefined) {
    const price = findCpuInstance(catalog, { cloud, region, instanceType });
    if (price) return { offer: price, note: "" };
    const elsewhere = (catalog.cpuInstances ?? []).some((c) => c.cloud === cloud && c.instanceType === instanceType);
    return {
      reason: elsewhere
        ? `${instanceType} has no CPU price in ${cloud} ${region}`
        : `${instanceType} is in neither the GPU catalog nor the CPU prices`,
    };
  }
  const worst = (catalog.cpuInstances ?? [])
    .filter((c) => c.cloud === cloud && c.instanceType === instanceType)
    .reduce<CpuInstancePrice | undefined>(
      (m, c) => (!m || c.onDemandHourlyUsd > m.onDemandHourlyUsd ? c : m),
      undefined,
    );
  return worst
    ? { offer: worst, note: `region unknown: priced at its most expensive region (${worst.region})` }
    : { reason: `${instanceType} is in neither the GPU catalog nor the CPU prices` };
}

/** One node's unit price from the CPU prices (on-demand: spot CPU prices are not in the catalog). */
export function cpuNodeUnit(
  catalog: Catalog,
  cloud: Cloud,
  region: string | undefined,
  instanceType: string,
  spot: boolean,
): { unit: number; offer: NodeOffer; notes: string[] } | { reason: string } {
  const found = cpuPriceFor(catalog, cloud, region, instanceType);
  if ("reason" in found) return found;
  const notes = [`CPU instance (${found.offer.source})`];
  if (found.note) notes.push(found.note);
  if (spot) notes.push("spot CPU prices are not in the catalog: priced on-demand (an upper bound)");
  return { unit: found.offer.onDemandHourlyUsd, offer: { ...found.offer, gpuCount: 0 }, notes };
}
