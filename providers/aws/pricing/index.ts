/**
 * AWS catalog facts (no AWS SDK): SkyPilot's `catalogs/v8/aws/vms.csv` layout, its GPU names, and
 * opt-in zone detection. One row per instance type and availability zone; the on-demand price is
 * the region's, the spot price the zone's.
 */
import type { GpuType } from "../../../platform/core/types";
import type { CloudPricing, ImportContext, ImportNote, ImportResult } from "../../../platform/core/pricing/provider";
import type { CsvRecord } from "../../../platform/core/pricing/csv";
import { finalizeOffers, num, type RawOffer } from "../../../platform/core/pricing/sanitize";
import { skypilotGpuType, unknownGpuNote, vmRowOffer } from "../../../platform/core/pricing/skypilot-row";
import { refreshAws, AWS_PRICING_HOST } from "./refresh";

export const AWS_SKYPILOT_COLUMNS = [
  "InstanceType",
  "AcceleratorName",
  "AcceleratorCount",
  "vCPUs",
  "MemoryGiB",
  "GpuInfo",
  "Price",
  "SpotPrice",
  "Region",
  "AvailabilityZone",
  "Arch",
] as const;

/** SkyPilot accelerator names on AWS → our GPU types (p4d is A100 40 GB, p4de A100 80 GB). */
export const AWS_GPU_NAMES: Readonly<Record<string, GpuType>> = {
  T4: "T4",
  L4: "L4",
  A10G: "A10G",
  L40S: "L40S",
  A100: "A100",
  "A100-80GB": "A100-80GB",
  H100: "H100",
};

/**
 * Regular AZ ids look like `use1-az1`. Anything else (`usw2-lax1-az1` Local Zones, `use1-atl2-az1`,
 * Wavelength zones) is an opt-in zone: not enabled on an account by default, priced differently,
 * with little GPU capacity.
 */
export function isOptInZone(zoneId: string): boolean {
  return zoneId !== "" && !/^[a-z]+\d+-az\d+$/.test(zoneId);
}

/** `usw2-lax1-az1` in us-west-2 → the zone group `us-west-2-lax-1` (how AWS names Local Zone groups). */
export function optInZoneGroup(region: string, zoneId: string): string {
  const middle = zoneId.split("-")[1] ?? zoneId;
  const m = /^([a-z]+)(\d+)$/.exec(middle);
  return m ? `${region}-${m[1]}-${m[2]}` : `${region}-${middle}`;
}

export function awsFromSkypilot(records: readonly CsvRecord[], ctx: ImportContext): ImportResult {
  const notes: ImportNote[] = [];
  const raws: RawOffer[] = [];
  for (const row of records) {
    const { line, fields: f } = row;
    const accelerator = f.AcceleratorName ?? "";
    const gpuType = skypilotGpuType(AWS_GPU_NAMES, accelerator);
    const region = f.Region ?? "";
    const zone = f.AvailabilityZone ?? "";
    const instanceType = f.InstanceType ?? "";
    if (!gpuType) {
      // CPU instances (no accelerator) are not offers; an accelerator we do not place on is noted.
      if (accelerator !== "") notes.push(unknownGpuNote("aws", line, instanceType, region, accelerator));
      continue;
    }
    let offerRegion = region;
    if (isOptInZone(zone)) {
      if (!ctx.includeLocalZones) {
        notes.push({
          cloud: "aws",
          line,
          instanceType,
          region,
          action: "rejected",
          reason: `opt-in zone ${zone} (Local/Wavelength Zone; pass --include-local-zones to keep)`,
        });
        continue;
      }
      offerRegion = optInZoneGroup(region, zone);
    }
    raws.push(
      vmRowOffer(row, ctx, {
        cloud: "aws",
        region: offerRegion,
        instanceType,
        gpuType,
        gpuCount: num(f.AcceleratorCount),
      }),
    );
  }
  return finalizeOffers("aws", raws, notes);
}

export const awsPricing: CloudPricing = {
  cloud: "aws",
  skypilotColumns: AWS_SKYPILOT_COLUMNS,
  skypilotGpuNames: AWS_GPU_NAMES,
  fromSkypilot: awsFromSkypilot,
  refreshHost: AWS_PRICING_HOST,
  refresh: refreshAws,
};
