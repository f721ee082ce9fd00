/**
 * CPU instance prices from SkyPilot-format rows (the same `vms.csv` files the GPU offers come
 * from). The three clouds' files share the columns read here (`InstanceType`, `vCPUs`,
 * `MemoryGiB`, `Price`, `Region`); a row with an accelerator is not a CPU row and is skipped.
 * SkyPilot lists AWS and GCP per zone: the on-demand price of one type is the same in every zone
 * of a region, and where it is not, the highest is kept (the safe bound) and the row is noted.
 * Spot prices are not imported: system pools run on-demand.
 */
import type { Cloud } from "../types";
import type { CsvRecord } from "./csv";
import type { CpuInstancePrice } from "./types";

/** Columns a CPU price file must have. */
export const CPU_ROW_COLUMNS = ["InstanceType", "vCPUs", "MemoryGiB", "Price", "Region"] as const;

/** Why a row was not taken as it was. */
export interface CpuRowNote {
  line: number;
  instanceType: string;
  region: string;
  reason: string;
}

export function cpuPricesFromRows(
  records: readonly CsvRecord[],
  ctx: { cloud: Cloud; source: string; asOf: string },
): { prices: CpuInstancePrice[]; notes: CpuRowNote[] } {
  const byKey = new Map<string, CpuInstancePrice>();
  const notes: CpuRowNote[] = [];
  for (const { line, fields: f } of records) {
    const instanceType = (f.InstanceType ?? "").trim();
    const region = (f.Region ?? "").trim();
    if (instanceType === "" || (f.AcceleratorName ?? "").trim() !== "") continue;
    const price = Number(f.Price);
    const vcpus = Number(f.vCPUs);
    const memoryGiB = Number(f.MemoryGiB);
    if (!(price > 0) || !(vcpus > 0) || !(memoryGiB > 0) || region === "") {
      notes.push({
        line,
        instanceType,
        region,
        reason: `no usable price/shape (Price "${f.Price ?? ""}", vCPUs "${f.vCPUs ?? ""}", MemoryGiB "${f.MemoryGiB ?? ""}", Region "${region}")`,
      });
      continue;
    }
    const key = `${region}|${instanceType}`;
    const seen = byKey.get(key);
    if (seen && seen.onDemandHourlyUsd !== price) {
      notes.push({
        line,
        instanceType,
        region,
        reason: `zones disagree on the on-demand price ($${seen.onDemandHourlyUsd} vs $${price}): the higher is kept`,
      });
    }
    if (!seen || price > seen.onDemandHourlyUsd)
      byKey.set(key, {
        cloud: ctx.cloud,
        region,
        instanceType,
        vcpus,
        memoryGiB,
        onDemandHourlyUsd: price,
        source: ctx.source,
        asOf: ctx.asOf,
      });
  }
  const prices = [...byKey.values()].sort(
    (a, b) => a.region.localeCompare(b.region) || a.instanceType.localeCompare(b.instanceType),
  );
  return { prices, notes };
}
