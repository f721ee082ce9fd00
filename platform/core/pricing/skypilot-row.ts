/**
 * The row logic every cloud's SkyPilot import shares. A cloud module works out its own facts
 * (which GPU and how many, which region, what a blank size cell means) and hands them here as
 * data; these build the `RawOffer` the neutral checks (`./sanitize.ts`) then repair.
 */
import { GPU_TYPES, type Cloud, type GpuType } from "../types";
import { gpuMemoryGiB, gpuSpec } from "../gpu-specs";
import type { CsvRecord } from "./csv";
import type { ImportContext, ImportNote } from "./provider";
import { num, type RawOffer } from "./sanitize";

/** What a cloud module knows about one offer; the GPU memory and provenance follow from it. */
export interface OfferFacts {
  cloud: Cloud;
  region: string;
  instanceType: string;
  gpuType: GpuType;
  gpuCount: number;
  vcpus: number;
  memoryGiB: number;
  onDemandHourlyUsd: number;
  /** NaN when blank. */
  spotHourlyUsd: number;
  /** Source line of the row the offer came from. */
  line: number;
  /** False for spot-only shapes. */
  onDemandAvailable?: boolean;
}

/** The raw offer for `facts`, with the GPU's memory and the import's provenance. */
export function rawOffer(facts: OfferFacts, ctx: Pick<ImportContext, "source" | "asOf">): RawOffer {
  return {
    cloud: facts.cloud,
    region: facts.region,
    instanceType: facts.instanceType,
    gpuType: facts.gpuType,
    gpuCount: facts.gpuCount,
    gpuMemoryGiB: gpuMemoryGiB(facts.gpuType),
    vcpus: facts.vcpus,
    memoryGiB: facts.memoryGiB,
    onDemandHourlyUsd: facts.onDemandHourlyUsd,
    spotHourlyUsd: facts.spotHourlyUsd,
    source: ctx.source,
    asOf: ctx.asOf,
    line: facts.line,
    ...(facts.onDemandAvailable === false ? { onDemandAvailable: false } : {}),
  };
}

/**
 * A `vms.csv` row that prices a whole VM (AWS, Azure): `Price`, `SpotPrice`, `vCPUs` and
 * `MemoryGiB` come from the row; a blank size cell falls back to `sizes` (documented shapes), else 0.
 */
export function vmRowOffer(
  row: CsvRecord,
  ctx: Pick<ImportContext, "source" | "asOf">,
  offer: Pick<OfferFacts, "cloud" | "region" | "instanceType" | "gpuType" | "gpuCount">,
  sizes?: { vcpus: number; memoryGiB: number },
): RawOffer {
  const f = row.fields;
  return rawOffer(
    {
      ...offer,
      vcpus: num(f.vCPUs) || sizes?.vcpus || 0,
      memoryGiB: num(f.MemoryGiB) || sizes?.memoryGiB || 0,
      onDemandHourlyUsd: num(f.Price),
      spotHourlyUsd: num(f.SpotPrice),
      line: row.line,
    },
    ctx,
  );
}

/**
 * The GPU type of a SkyPilot accelerator name: the cloud's own spelling first (`names`), else any
 * name or alias in the GPU spec table (so a new table row imports without code changes); undefined
 * when neither knows it.
 */
export function skypilotGpuType(names: Readonly<Record<string, GpuType>>, accelerator: string): GpuType | undefined {
  if (accelerator === "") return undefined;
  return names[accelerator] ?? gpuSpec(accelerator)?.name;
}

/**
 * The import note for a row whose accelerator is not in the GPU spec table: every such row is
 * named, never dropped silently.
 */
export function unknownGpuNote(
  cloud: Cloud,
  line: number,
  instanceType: string,
  region: string,
  accelerator: string,
): ImportNote {
  return {
    cloud,
    line,
    instanceType,
    region,
    action: "rejected",
    reason: `GPU "${accelerator}" not in the GPU list (the GPU spec table: ${GPU_TYPES.join(", ")}): not a GPU modelplane can size a model for; add a row to platform/core/gpu-spec-table.ts to import it`,
  };
}
