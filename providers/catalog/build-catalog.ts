/**
 * Build the shipped catalog (`data/catalog.json`) from the recorded sources:
 *   npx tsx providers/catalog/build-catalog.ts [--check]
 * `data/sources/manifest.json` lists SkyPilot-format directories (rows copied verbatim from the
 * public skypilot-org/skypilot-catalog, with commit and read date) and `extras.json` (serverless,
 * storage and control-plane prices, each with its source and date). The import notes (every
 * rejected/repaired row and why) go to `data/import-notes.json`. `--check` fails when the
 * committed catalog differs from a fresh build.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { parseOrThrow } from "../../platform/core/validation";
import { CloudSchema } from "../../platform/core/schemas";
import { assembleCatalog, importSkypilotDir, mergeOffers } from "./import";
import {
  ControlPlanePriceSchema,
  EgressPriceSchema,
  LoadBalancerPriceSchema,
  ServerlessOfferSchema,
  StoragePriceSchema,
} from "../../platform/core/pricing/schema";
import type { Catalog, GpuOffer, UnpricedGpuOffer } from "../../platform/core/pricing/types";
import type { ImportNote } from "../../platform/core/pricing/provider";
import { CATALOG_DATA_DIR } from "../../platform/core/pricing/catalog";
import { flagAnomalies } from "../../platform/core/pricing/anomaly";
import { CPU_ROW_COLUMNS, cpuPricesFromRows } from "../../platform/core/pricing/cpu-rows";
import { parseCsvRecords } from "../../platform/core/pricing/csv";
import type { CpuInstancePrice } from "../../platform/core/pricing/types";
import { CLOUDS } from "../../platform/core/types";

const DATA = CATALOG_DATA_DIR;
const SOURCES = join(DATA, "sources");

const ManifestSchema = z
  .object({
    version: z.string().min(1),
    skypilot: z.array(
      z
        .object({
          dirs: z.array(z.string().min(1)).min(1),
          source: z.string().min(1),
          /** Date the rows were read (provenance). */
          asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          /**
           * The source's own date (the commit date of the files). When given, it is the offers'
           * `asOf` (so the staleness warning measures the prices' age) and the read date moves
           * into the provenance string.
           */
          sourceDate: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
          clouds: z.array(CloudSchema).optional(),
        })
        .strict()
        .refine((s) => s.sourceDate === undefined || s.sourceDate <= s.asOf, {
          message: "sourceDate is the source's own date: it cannot be after asOf, the date the rows were read",
          path: ["sourceDate"],
        }),
    ),
    extras: z.string().min(1),
    /**
     * CPU instance prices (system and CPU pools): a directory holding `<cloud>.csv` files of
     * SkyPilot rows, read like the GPU rows (source string, read date).
     */
    cpu: z
      .array(
        z
          .object({
            dir: z.string().min(1),
            source: z.string().min(1),
            asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

const ExtrasSchema = z
  .object({
    serverless: z.array(ServerlessOfferSchema),
    storage: z.array(StoragePriceSchema),
    controlPlanes: z.array(ControlPlanePriceSchema),
    egress: z.array(EgressPriceSchema).default([]),
    loadBalancers: z.array(LoadBalancerPriceSchema).default([]),
  })
  .passthrough();

/** Build the catalog from the manifest in `sources` (default: the shipped sources). */
export function buildCatalog(sources: string = SOURCES): { catalog: Catalog; notes: ImportNote[] } {
  const manifest = parseOrThrow(
    ManifestSchema,
    JSON.parse(readFileSync(join(sources, "manifest.json"), "utf8")),
    "manifest.json",
  );
  const lists: GpuOffer[][] = [];
  const unpriced: UnpricedGpuOffer[] = [];
  const notes: ImportNote[] = [];
  for (const set of manifest.skypilot) {
    const result = importSkypilotDir(
      set.dirs.map((d) => resolve(sources, d)),
      set.sourceDate === undefined
        ? { asOf: set.asOf, source: set.source, clouds: set.clouds }
        : {
            asOf: set.sourceDate,
            source: `${set.source} (dated ${set.sourceDate}, read ${set.asOf})`,
            clouds: set.clouds,
          },
    );
    lists.push(result.offers);
    notes.push(...result.notes);
    unpriced.push(...(result.unpriced ?? []));
  }
  const extras = parseOrThrow(
    ExtrasSchema,
    JSON.parse(readFileSync(resolve(sources, manifest.extras), "utf8")),
    manifest.extras,
  );
  const cpuInstances: CpuInstancePrice[] = [];
  for (const set of manifest.cpu) {
    for (const cloud of CLOUDS) {
      const file = resolve(sources, set.dir, `${cloud}.csv`);
      if (!existsSync(file)) continue;
      const { records } = parseCsvRecords(readFileSync(file, "utf8"), CPU_ROW_COLUMNS, file);
      const rel = `${set.dir}/${cloud}.csv`;
      const result = cpuPricesFromRows(records, { cloud, source: `${set.source}: ${rel}`, asOf: set.asOf });
      cpuInstances.push(...result.prices);
      notes.push(...result.notes.map((n) => ({ cloud, ...n, action: "rejected" as const })));
    }
  }
  const catalog = assembleCatalog({
    version: manifest.version,
    gpuOffers: flagAnomalies(mergeOffers(...lists)),
    serverless: extras.serverless,
    storage: extras.storage,
    controlPlanes: extras.controlPlanes,
    egress: extras.egress,
    loadBalancers: extras.loadBalancers,
    cpuInstances,
    unpricedGpuOffers: unpriced,
  });
  return { catalog, notes };
}

if (require.main === module) {
  const { catalog, notes } = buildCatalog();
  const text = `${JSON.stringify(catalog, null, 1)}\n`;
  const target = join(DATA, "catalog.json");
  if (process.argv.includes("--check")) {
    const current = readFileSync(target, "utf8");
    if (current !== text) {
      process.stderr.write("data/catalog.json is out of date: run npx tsx providers/catalog/build-catalog.ts\n");
      process.exitCode = 1;
    }
  } else {
    writeFileSync(target, text);
    writeFileSync(join(DATA, "import-notes.json"), `${JSON.stringify(notes, null, 1)}\n`);
    process.stdout.write(
      `wrote ${target}: ${catalog.gpuOffers.length} GPU offers (+${catalog.unpricedGpuOffers?.length ?? 0} unpriced), ${catalog.serverless.length} serverless, ${catalog.storage.length} storage, ${catalog.controlPlanes.length} control planes, ${catalog.cpuInstances?.length ?? 0} CPU prices; ${notes.length} import notes; as of ${catalog.asOf}\n`,
    );
  }
}
