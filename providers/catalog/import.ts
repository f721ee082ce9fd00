/**
 * Import SkyPilot-format catalogs (`<DIR>/<cloud>/vms.csv` or a skypilot-catalog checkout's
 * `<DIR>/catalogs/v8/<cloud>/vms.csv`) into our offers, and assemble a validated Catalog. The
 * cloud-specific reading is done by each cloud's pricing module (providers/registry.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLOUDS, type Cloud } from "../../platform/core/types";
import { pricingFor } from "../registry";
import { parseCsvRecords, type CsvRecord } from "../../platform/core/pricing/csv";
import { parseCatalog } from "../../platform/core/pricing/catalog";
import type { ImportContext, ImportNote, ImportResult } from "../../platform/core/pricing/provider";
import type {
  CpuInstancePrice,
  Catalog,
  ControlPlanePrice,
  EgressPrice,
  LoadBalancerPrice,
  GpuOffer,
  ServerlessOffer,
  StoragePrice,
  UnpricedGpuOffer,
} from "../../platform/core/pricing/types";

/** The vms.csv of each cloud found under `dir` (either layout). */
export function findSkypilotFiles(dir: string): Partial<Record<Cloud, string>> {
  const out: Partial<Record<Cloud, string>> = {};
  for (const cloud of CLOUDS) {
    for (const candidate of [join(dir, cloud, "vms.csv"), join(dir, "catalogs", "v8", cloud, "vms.csv")]) {
      if (existsSync(candidate)) {
        out[cloud] = candidate;
        break;
      }
    }
  }
  return out;
}

/** Import one cloud's vms.csv text. Throws (naming the file and column) when the header is wrong. */
export function importSkypilotCsv(
  cloud: Cloud,
  text: string,
  ctx: ImportContext,
  label = `${cloud}/vms.csv`,
): ImportResult {
  const pricing = pricingFor(cloud);
  const { records } = parseCsvRecords(text, pricing.skypilotColumns, label);
  return pricing.fromSkypilot(records, ctx);
}

export interface SkypilotDirOptions {
  asOf: string;
  /** Provenance prefix; the cloud's relative path is appended. Default: the directory. */
  source?: string;
  includeLocalZones?: boolean;
  clouds?: readonly Cloud[];
}

/**
 * Import every cloud's vms.csv under `dir` (or under each of several dirs: the records of one cloud
 * from all of them are read together, so GCP GPU rows in one file combine with host rows in
 * another). Throws when no file is found.
 */
export function importSkypilotDir(
  dir: string | readonly string[],
  opts: SkypilotDirOptions,
): ImportResult & { files: Partial<Record<Cloud, string[]>> } {
  const dirs = typeof dir === "string" ? [dir] : [...dir];
  const found = dirs.map((d) => ({ dir: d, files: findSkypilotFiles(d) }));
  const clouds = (opts.clouds ?? CLOUDS).filter((c) => found.some((f) => f.files[c]));
  if (clouds.length === 0) {
    throw new Error(
      `no SkyPilot catalog under ${dirs.join(", ")}: expected <DIR>/<cloud>/vms.csv or <DIR>/catalogs/v8/<cloud>/vms.csv for one of ${CLOUDS.join(", ")}`,
    );
  }
  const offers: GpuOffer[] = [];
  const notes: ImportNote[] = [];
  const unpriced: UnpricedGpuOffer[] = [];
  const files: Partial<Record<Cloud, string[]>> = {};
  for (const cloud of clouds) {
    const pricing = pricingFor(cloud);
    const records: CsvRecord[] = [];
    const rels: string[] = [];
    for (const f of found) {
      const file = f.files[cloud];
      if (!file) continue;
      rels.push(file.slice(f.dir.length).replace(/^[/\\]+/, ""));
      records.push(...parseCsvRecords(readFileSync(file, "utf8"), pricing.skypilotColumns, file).records);
      (files[cloud] ??= []).push(file);
    }
    const result = pricing.fromSkypilot(records, {
      source: `${opts.source ?? dirs.join(" + ")} ${[...new Set(rels)].join(" + ")}`.trim(),
      asOf: opts.asOf,
      includeLocalZones: opts.includeLocalZones ?? false,
    });
    offers.push(...result.offers);
    notes.push(...result.notes);
    unpriced.push(...(result.unpriced ?? []));
  }
  return { offers, notes, unpriced, files };
}

/**
 * Merge offer lists: one offer per (cloud, region, instance type); a later list wins over an
 * earlier one when its as-of date is the same or newer (so a refresh overrides an import).
 */
export function mergeOffers(...lists: ReadonlyArray<readonly GpuOffer[]>): GpuOffer[] {
  const byKey = new Map<string, GpuOffer>();
  for (const list of lists) {
    for (const o of list) {
      const key = `${o.cloud}|${o.region}|${o.instanceType}`;
      const prev = byKey.get(key);
      if (!prev || o.asOf >= prev.asOf) byKey.set(key, o);
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.cloud.localeCompare(b.cloud) ||
      a.region.localeCompare(b.region) ||
      a.instanceType.localeCompare(b.instanceType),
  );
}

/** Assemble and validate a catalog; `asOf` is the oldest as-of date of every price in it. */
export function assembleCatalog(parts: {
  version: string;
  gpuOffers: GpuOffer[];
  serverless: ServerlessOffer[];
  storage: StoragePrice[];
  controlPlanes: ControlPlanePrice[];
  egress?: EgressPrice[];
  loadBalancers?: LoadBalancerPrice[];
  cpuInstances?: CpuInstancePrice[];
  unpricedGpuOffers?: UnpricedGpuOffer[];
}): Catalog {
  const dates = [
    ...parts.gpuOffers,
    ...parts.serverless,
    ...parts.storage,
    ...parts.controlPlanes,
    ...(parts.egress ?? []),
    ...(parts.loadBalancers ?? []),
    ...(parts.cpuInstances ?? []),
    ...(parts.unpricedGpuOffers ?? []),
  ]
    .map((x) => x.asOf)
    .sort();
  const asOf = dates[0] ?? new Date().toISOString().slice(0, 10);
  const { unpricedGpuOffers, ...rest } = parts;
  return parseCatalog({ ...rest, ...(unpricedGpuOffers?.length ? { unpricedGpuOffers } : {}), asOf }, "catalog");
}
