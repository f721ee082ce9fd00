/**
 * GCP catalog facts (no Google SDK). SkyPilot's `catalogs/v8/gcp/vms.csv` lists host machine rows
 * (InstanceType set, no accelerator) and GPU rows (InstanceType EMPTY, priced per GPU) separately,
 * because GCP bills them separately. We combine them per zone: offer = host + gpuCount × per-GPU.
 *
 * Repairs specific to this data:
 * - a GPU row whose spot price is ≥ its on-demand price (A100-80GB in us-central1, europe-west4)
 *   loses its spot price;
 * - a host machine listed at $0 (a4-highgpu-8g: SkyPilot has no A4 vCPU/memory price) gives no
 *   offer: the instance type is kept as an unpriced offer with the reason, never priced from the
 *   GPU row alone (that would claim the host is free);
 * - a per-GPU on-demand price below half the median of the same GPU in other regions is rejected:
 *   it is a discounted SKU (Flex-start/DWS or commitment) picked as on-demand. Example: H100 at
 *   $4.20076 in us-central1, while a3-highgpu-1g on-demand there is $10.9791 = host $1.18251 +
 *   GPU $9.7966 (Cloud Billing catalog, read 2026-09-26, tgarg01/silybench-data gpu_prices.csv),
 *   the same GPU price as us-east4's $9.79655.
 */
import type { CloudPricing, ImportContext, ImportNote, ImportResult } from "../../../platform/core/pricing/provider";
import type { UnpricedGpuOffer } from "../../../platform/core/pricing/types";
import type { CsvRecord } from "../../../platform/core/pricing/csv";
import type { GpuType } from "../../../platform/core/types";
import { finalizeOffers, num, roundUsd, type RawOffer } from "../../../platform/core/pricing/sanitize";
import { gpuMemoryGiB } from "../../../platform/core/gpu-specs";
import { rawOffer, skypilotGpuType, unknownGpuNote } from "../../../platform/core/pricing/skypilot-row";
import { GCP_GPU_NAMES, GCP_HOST_SHAPES } from "./shapes";
import { refreshGcp, GCP_BILLING_HOST } from "./refresh";

export const GCP_SKYPILOT_COLUMNS = [
  "InstanceType",
  "vCPUs",
  "MemoryGiB",
  "AcceleratorName",
  "AcceleratorCount",
  "GpuInfo",
  "Region",
  "AvailabilityZone",
  "Price",
  "SpotPrice",
] as const;

/** Below this fraction of the cross-region median, a per-GPU on-demand price is not trusted. */
export const GCP_GPU_OUTLIER_FRACTION = 0.5;

interface GpuPrice {
  line: number;
  region: string;
  zone: string;
  gpuType: GpuType;
  perGpu: number;
  perGpuSpot: number;
}
interface HostPrice {
  line: number;
  vcpus: number;
  memoryGiB: number;
  price: number;
  spot: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function gcpFromSkypilot(records: readonly CsvRecord[], ctx: ImportContext): ImportResult {
  const notes: ImportNote[] = [];
  const gpus: GpuPrice[] = [];
  const hosts = new Map<string, HostPrice>(); // `${zone}|${machineType}`
  const wanted = new Set(GCP_HOST_SHAPES.map((s) => s.machineType));
  for (const { line, fields: f } of records) {
    const instanceType = f.InstanceType ?? "";
    const zone = f.AvailabilityZone ?? "";
    const region = f.Region ?? "";
    if (instanceType === "") {
      const gpuType = skypilotGpuType(GCP_GPU_NAMES, f.AcceleratorName ?? "");
      if (!gpuType) {
        if (f.AcceleratorName)
          notes.push(
            unknownGpuNote("gcp", line, `${f.AcceleratorName}:${f.AcceleratorCount ?? ""}`, region, f.AcceleratorName),
          );
        continue;
      }
      const count = num(f.AcceleratorCount);
      if (!(count >= 1) || !Number.isInteger(count)) {
        notes.push({
          cloud: "gcp",
          line,
          instanceType: `${f.AcceleratorName}:${f.AcceleratorCount}`,
          region,
          action: "rejected",
          reason: `fractional or zero GPU count ${f.AcceleratorCount}`,
        });
        continue;
      }
      gpus.push({ line, region, zone, gpuType, perGpu: num(f.Price) / count, perGpuSpot: num(f.SpotPrice) / count });
    } else if (wanted.has(instanceType)) {
      hosts.set(`${zone}|${instanceType}`, {
        line,
        vcpus: num(f.vCPUs),
        memoryGiB: num(f.MemoryGiB),
        price: num(f.Price),
        spot: num(f.SpotPrice),
      });
    }
  }

  // Reject per-GPU on-demand prices far below the median of that GPU's other regions.
  const byType = new Map<GpuType, number[]>();
  const regionPrice = new Map<string, number>();
  for (const g of gpus) {
    const key = `${g.gpuType}|${g.region}`;
    if (!regionPrice.has(key) && g.perGpu > 0) {
      regionPrice.set(key, g.perGpu);
      byType.set(g.gpuType, [...(byType.get(g.gpuType) ?? []), g.perGpu]);
    }
  }
  const medians = new Map<GpuType, number>();
  for (const [t, xs] of byType) if (xs.length >= 3) medians.set(t, median(xs));

  const raws: RawOffer[] = [];
  const unpriced = new Map<string, UnpricedGpuOffer>(); // `${region}|${machineType}`
  for (const g of gpus) {
    const med = medians.get(g.gpuType);
    if (med !== undefined && g.perGpu > 0 && g.perGpu < GCP_GPU_OUTLIER_FRACTION * med) {
      notes.push({
        cloud: "gcp",
        line: g.line,
        instanceType: g.gpuType,
        region: g.region,
        action: "rejected",
        reason: `per-GPU on-demand $${g.perGpu} is below ${GCP_GPU_OUTLIER_FRACTION}× the median $${med.toFixed(5)} of other regions: a discounted SKU (Flex-start/DWS or commitment), not the on-demand list price`,
      });
      continue;
    }
    let gpuSpot = g.perGpuSpot;
    if (gpuSpot >= g.perGpu) {
      notes.push({
        cloud: "gcp",
        line: g.line,
        instanceType: g.gpuType,
        region: g.region,
        action: "spot-dropped",
        reason: `GPU spot $${gpuSpot} ≥ GPU on-demand $${g.perGpu}`,
      });
      gpuSpot = Number.NaN;
    }
    for (const shape of GCP_HOST_SHAPES) {
      if (shape.gpuType !== g.gpuType) continue;
      const host = hosts.get(`${g.zone}|${shape.machineType}`);
      if (!host) continue; // GCP bills GPU on a host: no host price in this zone → no offer
      if (!(host.price > 0)) {
        const key = `${g.region}|${shape.machineType}`;
        if (!unpriced.has(key))
          unpriced.set(key, {
            cloud: "gcp",
            region: g.region,
            instanceType: shape.machineType,
            gpuType: g.gpuType,
            gpuCount: shape.gpuCount,
            gpuMemoryGiB: gpuMemoryGiB(g.gpuType),
            vcpus: host.vcpus || shape.vcpus,
            memoryGiB: host.memoryGiB || shape.memoryGiB,
            reason: `the source lists host machine ${shape.machineType} at $${Number.isNaN(host.price) ? "(blank)" : host.price}/h in ${g.zone} (line ${host.line}): it has no price for the machine's vCPUs and memory, so the total is unknown. The ${g.gpuType} row (line ${g.line}) prices the ${shape.gpuCount} GPUs alone at $${roundUsd(shape.gpuCount * g.perGpu)}/h; that is not claimed as the machine's price`,
            source: ctx.source,
            asOf: ctx.asOf,
          });
        continue;
      }
      raws.push(
        rawOffer(
          {
            cloud: "gcp",
            region: g.region,
            instanceType: shape.machineType,
            gpuType: g.gpuType,
            gpuCount: shape.gpuCount,
            vcpus: host.vcpus || shape.vcpus,
            memoryGiB: host.memoryGiB || shape.memoryGiB,
            onDemandHourlyUsd: host.price + shape.gpuCount * g.perGpu,
            spotHourlyUsd: host.spot + shape.gpuCount * gpuSpot,
            line: g.line,
            ...(shape.spotOnly ? { onDemandAvailable: false } : {}),
          },
          ctx,
        ),
      );
    }
  }
  const result = finalizeOffers("gcp", raws, notes);
  return unpriced.size === 0
    ? result
    : {
        ...result,
        unpriced: [...unpriced.values()].sort(
          (a, b) => a.region.localeCompare(b.region) || a.instanceType.localeCompare(b.instanceType),
        ),
      };
}

export const gcpPricing: CloudPricing = {
  cloud: "gcp",
  skypilotColumns: GCP_SKYPILOT_COLUMNS,
  skypilotGpuNames: GCP_GPU_NAMES,
  fromSkypilot: gcpFromSkypilot,
  refreshHost: GCP_BILLING_HOST,
  refresh: refreshGcp,
};
