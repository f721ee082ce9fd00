/**
 * Cloud-neutral repairs every import applies after a cloud's module has mapped its rows:
 * reject missing/$0 on-demand prices and fractional GPUs, drop untrusted spot prices (blank, $0,
 * or ≥ on-demand), and collapse per-zone rows into one offer per region and instance type
 * (on-demand: the lowest valid price; spot: the lowest valid spot price among the zones).
 */
import type { Cloud } from "../types";
import type { ImportNote, ImportResult } from "./provider";
import type { GpuOffer } from "./types";

/** A mapped row before the neutral checks: prices may still be bad; `line` points at the source. */
export interface RawOffer extends Omit<GpuOffer, "onDemandHourlyUsd" | "spotHourlyUsd"> {
  onDemandHourlyUsd: number;
  /** NaN when blank. */
  spotHourlyUsd: number;
  line: number;
}

/** Parse a price/number cell: blank or malformed → NaN. */
export function num(cell: string | undefined): number {
  if (cell === undefined || cell.trim() === "") return Number.NaN;
  const v = Number(cell);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** Round a USD figure to 6 decimals (removes float noise from sums like host + GPU). */
export function roundUsd(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export function finalizeOffers(cloud: Cloud, raws: readonly RawOffer[], notes: ImportNote[] = []): ImportResult {
  const groups = new Map<string, GpuOffer>();
  for (const r of raws) {
    const note = (action: ImportNote["action"], reason: string): void => {
      notes.push({ cloud, line: r.line, instanceType: r.instanceType, region: r.region, action, reason });
    };
    if (!Number.isInteger(r.gpuCount) || r.gpuCount < 1) {
      note("rejected", `fractional or zero GPU count ${r.gpuCount}: only whole GPUs can hold a model`);
      continue;
    }
    if (!(r.onDemandHourlyUsd > 0)) {
      note(
        "rejected",
        `on-demand price ${Number.isNaN(r.onDemandHourlyUsd) ? "missing" : `$${r.onDemandHourlyUsd}`}: a $0 or missing list price is a catalog error`,
      );
      continue;
    }
    let spot: number | null = r.spotHourlyUsd;
    if (Number.isNaN(spot)) {
      spot = null;
    } else if (!(spot > 0)) {
      note("spot-dropped", `spot price $${spot} is not a real price`);
      spot = null;
    } else if (spot >= r.onDemandHourlyUsd) {
      note("spot-dropped", `spot $${spot} ≥ on-demand $${r.onDemandHourlyUsd}: not a spot discount, so not trusted`);
      spot = null;
    }
    const key = `${r.region}|${r.instanceType}`;
    const prev = groups.get(key);
    const { line: _line, ...rest } = r;
    void _line;
    if (!prev) {
      groups.set(key, {
        ...rest,
        onDemandHourlyUsd: roundUsd(r.onDemandHourlyUsd),
        spotHourlyUsd: spot === null ? null : roundUsd(spot),
      });
      continue;
    }
    prev.onDemandHourlyUsd = Math.min(prev.onDemandHourlyUsd, roundUsd(r.onDemandHourlyUsd));
    if (spot !== null)
      prev.spotHourlyUsd = prev.spotHourlyUsd === null ? roundUsd(spot) : Math.min(prev.spotHourlyUsd, roundUsd(spot));
  }
  const offers: GpuOffer[] = [];
  for (const o of groups.values()) {
    // Zones of a region may differ; a spot price must still be below the region's on-demand price.
    if (o.spotHourlyUsd !== null && o.spotHourlyUsd >= o.onDemandHourlyUsd) o.spotHourlyUsd = null;
    offers.push(o);
  }
  offers.sort((a, b) => a.region.localeCompare(b.region) || a.instanceType.localeCompare(b.instanceType));
  return { offers, notes };
}
