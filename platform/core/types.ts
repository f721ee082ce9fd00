/**
 * The shared vocabulary of modelplane: clouds, GPU types, capacity kinds.
 * Every module speaks these names; only `providers/` knows what they mean on a given cloud.
 */
import { GPU_NAMES } from "./gpu-specs";

/** Clouds modelplane can place a model on. */
export const CLOUDS = ["aws", "gcp", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

/**
 * Where a placement runs: a catalog cloud, or `kubernetes`, an existing cluster the platform
 * engineer brought (`modelplane:clouds[].cloud: kubernetes`), whose GPU pools are declared, not sold.
 * Catalog offers, prices and providers speak `Cloud`; only placements and the footprint use this.
 */
export const PLACEMENT_CLOUDS = [...CLOUDS, "kubernetes"] as const;
export type PlacementCloud = (typeof PLACEMENT_CLOUDS)[number];

/** True when `c` is a catalog cloud (not a brought cluster): offers, prices and providers exist for it. */
export function isCatalogCloud(c: string): c is Cloud {
  return (CLOUDS as readonly string[]).includes(c);
}

/**
 * Environments a deployment belongs to: part of its stack name and its `modelplane:environment`
 * tag, and the keys of the policy pack's per-environment limits (`staging`, `production`; `dev`
 * takes `default`). Not the service's run mode (`MODELPLANE_ENV`, see platform/service/config.ts).
 */
export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * A GPU type: any name in the GPU spec table (`gpu-spec-table.ts`), named as SkyPilot's catalog
 * names them where it has them (`A10G` is AWS's variant of the A10; `A100` is the 40 GB part,
 * `A100-80GB` the 80 GB part). The list is data, not an enum: a new row in the table makes a new
 * GPU valid everywhere (config, quotes, imports); inputs are checked against `GPU_TYPES` at the edges.
 */
export type GpuType = string;

function nonEmptyList(names: readonly string[]): readonly [GpuType, ...GpuType[]] {
  const [first, ...rest] = names;
  if (first === undefined) throw new Error("the GPU spec table is empty");
  return [first, ...rest];
}

/** Every GPU type, in GPU table order. */
export const GPU_TYPES: readonly [GpuType, ...GpuType[]] = nonEmptyList(GPU_NAMES);

/** How a placement's compute is bought. */
export const CAPACITIES = ["on-demand", "spot", "serverless"] as const;
export type Capacity = (typeof CAPACITIES)[number];

/** What a quote request may ask for: a specific capacity kind, or the cheapest of any. */
export const CAPACITY_PREFERENCES = ["on-demand", "spot", "any"] as const;
export type CapacityPreference = (typeof CAPACITY_PREFERENCES)[number];

/** Numeric precisions a model's weights can be served in. */
export const PRECISIONS = ["fp32", "fp16", "bf16", "fp8", "int8", "int4"] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Hours in the average month, the convention every cloud bills monthly estimates with. */
export const HOURS_PER_MONTH = 730;

/** The cost-allocation tag keys modelplane writes on every taggable resource. */
export const COST_TAG_KEYS = ["model", "owner", "cost-center", "managed-by"] as const;
export type CostTags = Record<string, string>;
