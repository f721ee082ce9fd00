/**
 * Loading the catalog: the shipped, versioned data file (`data/catalog.json`) or any file a user
 * points at. Always zod-validated; errors name the field. No other module reads catalog files.
 */
import { join } from "node:path";
import { readJsonFile } from "../files";
import { parseOrThrow, ValidationError } from "../validation";
import { CatalogSchema } from "./schema";
import type { Catalog } from "./types";

/** Folder of the shipped catalog, its import notes and the recorded sources it is built from. */
export const CATALOG_DATA_DIR = join(__dirname, "data");

/** Path of the catalog shipped with modelplane. */
export const DEFAULT_CATALOG_PATH = join(CATALOG_DATA_DIR, "catalog.json");

/** Validate an already-parsed catalog object; `label` prefixes field names in errors. */
export function parseCatalog(input: unknown, label = "catalog"): Catalog {
  const catalog = parseOrThrow(CatalogSchema, input, label);
  const keys = new Set<string>();
  catalog.gpuOffers.forEach((o, i) => {
    const key = `${o.cloud}|${o.region}|${o.instanceType}`;
    if (keys.has(key)) {
      throw new ValidationError(
        `${label}.gpuOffers[${i}]`,
        `duplicate offer ${o.cloud} ${o.region} ${o.instanceType}; one row per cloud, region and instance type`,
      );
    }
    keys.add(key);
  });
  catalog.unpricedGpuOffers?.forEach((o, i) => {
    if (keys.has(`${o.cloud}|${o.region}|${o.instanceType}`)) {
      throw new ValidationError(
        `${label}.unpricedGpuOffers[${i}]`,
        `${o.cloud} ${o.region} ${o.instanceType} is also a priced offer: remove one of the two`,
      );
    }
  });
  return catalog;
}

/** Read and validate a catalog file. Throws ValidationError naming the file and the field. */
export function loadCatalog(path: string): Catalog {
  return parseCatalog(readJsonFile(path, "catalog"), path);
}

let cached: Catalog | undefined;

/** The shipped catalog, loaded and validated once per process. Treat it as read-only. */
export function defaultCatalog(): Catalog {
  if (!cached) cached = loadCatalog(DEFAULT_CATALOG_PATH);
  return cached;
}

/** Whole days between the catalog's as-of date (UTC midnight) and `now`; never negative. */
export function catalogAgeDays(catalog: Catalog, now: Date): number {
  const asOf = Date.parse(`${catalog.asOf}T00:00:00Z`);
  if (Number.isNaN(asOf)) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor((now.getTime() - asOf) / 86_400_000));
}
