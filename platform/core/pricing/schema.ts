/**
 * zod schemas of the catalog file. `loadCatalog` validates with these, so a hand-edited or
 * imported catalog with a bad row fails with the field named (`gpuOffers[12].spotHourlyUsd: ...`).
 */
import { z } from "zod";
import { CloudSchema } from "../schemas";
import { GPU_TYPES } from "../types";
import { GEOGRAPHIES } from "../geography";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
const usd = z.number().finite().positive("must be a positive USD price (a $0 price is a catalog error)");
const cloud = CloudSchema;
const gpuType = z.enum(GPU_TYPES);
/** Where a record's numbers come from (every catalog record ends with these). */
const provenance = { source: z.string().min(1), asOf: isoDate };

/** What a GPU instance type is, priced or not: where, which GPUs, and its host. */
const instanceShape = {
  cloud,
  region: z.string().min(1),
  instanceType: z.string().min(1),
  gpuType,
  gpuCount: z.number().int("must be a whole number of GPUs").positive(),
  gpuMemoryGiB: z.number().positive(),
  vcpus: z.number().nonnegative(),
  memoryGiB: z.number().nonnegative(),
};

export const GpuOfferSchema = z
  .object({
    ...instanceShape,
    onDemandHourlyUsd: usd,
    spotHourlyUsd: usd.nullable(),
    onDemandAvailable: z.boolean().optional(),
    suspect: z.literal(true).optional(),
    note: z.string().min(1).optional(),
    ...provenance,
  })
  .strict()
  .refine((o) => o.spotHourlyUsd === null || o.spotHourlyUsd < o.onDemandHourlyUsd, {
    message: "spotHourlyUsd must be below onDemandHourlyUsd (set it to null when not trusted)",
    path: ["spotHourlyUsd"],
  })
  .refine((o) => (o.suspect === true) === (o.note !== undefined), {
    message: "a suspect offer carries a note saying why, and only a suspect offer carries one",
    path: ["note"],
  });

export const ServerlessOfferSchema = z
  .object({
    cloud,
    region: z.string().min(1),
    product: z.string().min(1),
    sku: z.string().min(1),
    gpuType,
    gpuCount: z.number().int().positive(),
    gpuMemoryGiB: z.number().positive(),
    vcpus: z.number().nonnegative(),
    memoryGiB: z.number().nonnegative(),
    perSecondUsd: usd,
    ...provenance,
  })
  .strict();

export const StoragePriceSchema = z
  .object({
    cloud,
    tier: z.string().min(1),
    perGbMonthUsd: usd,
    region: z.string().min(1),
    ...provenance,
  })
  .strict();

export const ControlPlanePriceSchema = z
  .object({
    cloud,
    product: z.string().min(1),
    hourlyUsd: z.number().finite().nonnegative(),
    ...provenance,
  })
  .strict();

export const LoadBalancerPriceSchema = z
  .object({
    cloud,
    product: z.string().min(1),
    hourlyUsd: z.number().finite().nonnegative(),
    ...provenance,
  })
  .strict();

/** A CPU instance's on-demand price (system pools, CPU node pools): priced, never assumed free. */
export const CpuInstancePriceSchema = z
  .object({
    cloud,
    region: z.string().min(1),
    instanceType: z.string().min(1),
    vcpus: z.number().positive(),
    memoryGiB: z.number().positive(),
    onDemandHourlyUsd: usd,
    ...provenance,
  })
  .strict();

export const EgressPriceSchema = z
  .object({
    cloud,
    kind: z.enum(["inter-region", "internet"]),
    geography: z.enum(GEOGRAPHIES),
    perGbUsd: usd,
    ...provenance,
  })
  .strict();

/** A GPU instance type listed without a usable price: the reason is required, a price is not allowed. */
export const UnpricedGpuOfferSchema = z
  .object({
    ...instanceShape,
    reason: z.string().min(1, "an unpriced offer says why it has no price"),
    ...provenance,
  })
  .strict();

export const CatalogSchema = z
  .object({
    version: z.string().min(1),
    asOf: isoDate,
    gpuOffers: z.array(GpuOfferSchema),
    serverless: z.array(ServerlessOfferSchema),
    storage: z.array(StoragePriceSchema),
    controlPlanes: z.array(ControlPlanePriceSchema),
    egress: z.array(EgressPriceSchema).optional(),
    loadBalancers: z.array(LoadBalancerPriceSchema).optional(),
    cpuInstances: z.array(CpuInstancePriceSchema).optional(),
    unpricedGpuOffers: z.array(UnpricedGpuOfferSchema).optional(),
  })
  .strict();
