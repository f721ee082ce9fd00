/**
 * Azure catalog facts (no Azure SDK): SkyPilot's `catalogs/v8/azure/vms.csv` layout (one row per
 * size and region; no zones) and GPU-count repairs from the documented VM sizes (the catalog lists
 * Standard_ND96isr_H100_v5 with 12 GPUs; it has 8). Fractional sizes (NV6ads_A10_v5 = 1/6 A10) are
 * rejected by the neutral checks.
 */
import type { CloudPricing, ImportContext, ImportNote, ImportResult } from "../../../platform/core/pricing/provider";
import type { CsvRecord } from "../../../platform/core/pricing/csv";
import { finalizeOffers, num, type RawOffer } from "../../../platform/core/pricing/sanitize";
import { skypilotGpuType, unknownGpuNote, vmRowOffer } from "../../../platform/core/pricing/skypilot-row";
import { AZURE_GPU_NAMES, AZURE_SHAPES } from "./shapes";
import { refreshAzure, AZURE_PRICES_HOST } from "./refresh";

export const AZURE_SKYPILOT_COLUMNS = [
  "InstanceType",
  "AcceleratorName",
  "AcceleratorCount",
  "vCPUs",
  "MemoryGiB",
  "GpuInfo",
  "Price",
  "SpotPrice",
  "Region",
  "Generation",
] as const;

export function azureFromSkypilot(records: readonly CsvRecord[], ctx: ImportContext): ImportResult {
  const notes: ImportNote[] = [];
  const raws: RawOffer[] = [];
  for (const row of records) {
    const { line, fields: f } = row;
    const instanceType = f.InstanceType ?? "";
    const region = f.Region ?? "";
    const shape = AZURE_SHAPES[instanceType];
    const named = skypilotGpuType(AZURE_GPU_NAMES, f.AcceleratorName ?? "");
    if (!named) {
      if (f.AcceleratorName) notes.push(unknownGpuNote("azure", line, instanceType, region, f.AcceleratorName));
      else if (shape)
        notes.push({
          cloud: "azure",
          line,
          instanceType,
          region,
          action: "rejected",
          reason: "GPU size listed without its accelerator name/count",
        });
      continue;
    }
    let gpuCount = num(f.AcceleratorCount);
    let gpuType = named;
    if (shape && (shape.gpuCount !== gpuCount || shape.gpuType !== named)) {
      notes.push({
        cloud: "azure",
        line,
        instanceType,
        region,
        action: "repaired",
        reason: `listed as ${f.AcceleratorCount}×${f.AcceleratorName}; ${instanceType} has ${shape.gpuCount}×${shape.gpuType} (Azure VM size documentation)`,
      });
      gpuCount = shape.gpuCount;
      gpuType = shape.gpuType;
    }
    raws.push(vmRowOffer(row, ctx, { cloud: "azure", region, instanceType, gpuType, gpuCount }, shape));
  }
  return finalizeOffers("azure", raws, notes);
}

export const azurePricing: CloudPricing = {
  cloud: "azure",
  skypilotColumns: AZURE_SKYPILOT_COLUMNS,
  skypilotGpuNames: AZURE_GPU_NAMES,
  fromSkypilot: azureFromSkypilot,
  refreshHost: AZURE_PRICES_HOST,
  refresh: refreshAzure,
};
