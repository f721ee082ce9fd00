/**
 * `modelplane pricing import --format skypilot DIR [--out FILE] [--include-local-zones]
 *    [--as-of YYYY-MM-DD] [--source TEXT] [--notes FILE]`
 *   Read SkyPilot-format vms.csv files (DIR/<cloud>/vms.csv or a skypilot-catalog checkout's
 *   DIR/catalogs/v8/<cloud>/vms.csv) into a catalog. Serverless, storage and control-plane prices
 *   are carried over from the current catalog (--catalog FILE or the shipped one).
 * `modelplane pricing refresh [--cloud CLOUD]... [--region R]... [--out FILE]`
 *   Fetch current list prices from the clouds' public price APIs and merge them into the catalog.
 * Without --out the catalog JSON goes to stdout; the summary and notes go to stderr.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { CLOUDS, type Cloud } from "../../platform/core/types";
import { assembleCatalog, importSkypilotDir, mergeOffers } from "../../providers/catalog/import";
import { PriceSourceUnavailableError, type ImportNote } from "../../platform/core/pricing/provider";
import type { Catalog, GpuOffer } from "../../platform/core/pricing/types";
import { pricingFor } from "../../providers/registry";
import { catalogFrom, parseCloud, parseFlags, processIO, singlePositional, type CommandIO } from "./catalog";

const USAGE = [
  "usage: modelplane pricing import --format skypilot DIR [--out FILE] [--include-local-zones] [--as-of YYYY-MM-DD] [--source TEXT] [--notes FILE] [--catalog FILE]",
  "       modelplane pricing refresh [--cloud aws|gcp|azure]... [--region R]... [--out FILE] [--catalog FILE]",
].join("\n");

const today = (): string => new Date().toISOString().slice(0, 10);

function summarize(notes: readonly ImportNote[]): string {
  const counts = new Map<string, number>();
  for (const n of notes) counts.set(`${n.cloud} ${n.action}`, (counts.get(`${n.cloud} ${n.action}`) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${k}: ${v}`).join(", ") || "none";
}

function writeCatalog(catalog: Catalog, out: string | undefined, io: CommandIO): void {
  const text = `${JSON.stringify(catalog, null, 1)}\n`;
  if (out) writeFileSync(out, text);
  else io.out(text);
}

function nextVersion(asOf: string, base: Catalog): string {
  const m = /^(\d{4}-\d{2}-\d{2})\.(\d+)$/.exec(base.version);
  return m && m[1] === asOf ? `${asOf}.${Number(m[2]) + 1}` : `${asOf}.1`;
}

async function runImport(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    format: { type: "string" },
    out: { type: "string" },
    notes: { type: "string" },
    "include-local-zones": { type: "boolean" },
    "as-of": { type: "string" },
    source: { type: "string" },
    catalog: { type: "string" },
  });
  if (values.format !== "skypilot") {
    throw new ValidationError(
      "--format",
      values.format === undefined
        ? "missing: pass --format skypilot"
        : `unknown format "${values.format}"; the only format is skypilot`,
    );
  }
  const dir = singlePositional(
    positionals,
    "DIR",
    "pass a directory holding <cloud>/vms.csv or catalogs/v8/<cloud>/vms.csv",
    "directory",
  );
  const asOf = values["as-of"] ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw new ValidationError("--as-of", `must be a date YYYY-MM-DD, got "${asOf}"`);
  let result: ReturnType<typeof importSkypilotDir>;
  try {
    result = importSkypilotDir(dir, {
      asOf,
      source: values.source ?? `SkyPilot catalog at ${dir}`,
      includeLocalZones: values["include-local-zones"] ?? false,
    });
  } catch (err) {
    throw new ValidationError("DIR", err instanceof Error ? err.message : String(err));
  }
  const base = catalogFrom(values.catalog);
  const catalog = assembleCatalog({
    version: nextVersion(asOf, base),
    gpuOffers: mergeOffers(result.offers),
    serverless: base.serverless,
    storage: base.storage,
    controlPlanes: base.controlPlanes,
  });
  writeCatalog(catalog, values.out, io);
  if (values.notes) writeFileSync(values.notes, `${JSON.stringify(result.notes, null, 1)}\n`);
  const files = Object.values(result.files).flat().join(", ");
  io.err(
    `imported ${catalog.gpuOffers.length} GPU offers from ${files}${values.out ? ` into ${values.out}` : ""}; notes: ${summarize(result.notes)}\n`,
  );
  return 0;
}

async function runRefresh(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    cloud: { type: "string", multiple: true },
    region: { type: "string", multiple: true },
    out: { type: "string" },
    catalog: { type: "string" },
  });
  if (positionals.length) throw new ValidationError("arguments", `unexpected "${positionals.join(" ")}"`);
  const clouds: Cloud[] = values.cloud?.length ? values.cloud.map((c) => parseCloud(c)) : [...CLOUDS];
  const base = catalogFrom(values.catalog);
  const asOf = today();
  const fresh: GpuOffer[] = [];
  const notes: ImportNote[] = [];
  for (const cloud of clouds) {
    const pricing = pricingFor(cloud);
    try {
      const result = await pricing.refresh({ asOf, regions: values.region });
      fresh.push(...result.offers);
      notes.push(...result.notes);
      io.err(`${cloud}: ${result.offers.length} offers from ${pricing.refreshHost}\n`);
    } catch (err) {
      if (err instanceof PriceSourceUnavailableError) {
        io.err(`modelplane pricing refresh: ${cloud}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  }
  const catalog = assembleCatalog({
    version: nextVersion(asOf, base),
    gpuOffers: mergeOffers(base.gpuOffers, fresh),
    serverless: base.serverless,
    storage: base.storage,
    controlPlanes: base.controlPlanes,
  });
  writeCatalog(catalog, values.out, io);
  io.err(
    `refreshed ${fresh.length} offers; catalog now holds ${catalog.gpuOffers.length}; notes: ${summarize(notes)}\n`,
  );
  return 0;
}

export async function runPricing(argv: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "import") return runImport(rest, io);
  if (sub === "refresh") return runRefresh(rest, io);
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    io.out(`${USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  throw new ValidationError("subcommand", `unknown "${sub}"; use import or refresh\n${USAGE}`);
}

export const command: Command = {
  summary: "import a SkyPilot catalog or refresh prices from the clouds' price APIs",
  run: (argv) => runPricing(argv, processIO),
};
