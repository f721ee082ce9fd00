/**
 * `modelplane catalog [--json] [--catalog FILE] [--cloud CLOUD]`: the price catalog.
 * `--json` prints every GPU offer (and the serverless, storage and control-plane prices) as JSON;
 * without it, a summary per cloud and GPU type with the as-of date.
 */
import { parseArgs } from "node:util";
import type { Command } from "../main";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import { CloudSchema } from "../../platform/core/schemas";
import { CLOUDS, GPU_TYPES, type Cloud } from "../../platform/core/types";
import { defaultCatalog, loadCatalog, catalogAgeDays } from "../../platform/core/pricing/catalog";
import type { Catalog } from "../../platform/core/pricing/types";

/** Where a command writes; tests pass buffers. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (t) => {
    process.stdout.write(t);
  },
  err: (t) => {
    process.stderr.write(t);
  },
};

type FlagSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** node:util parseArgs with errors turned into ValidationError naming the flag. */
export function parseFlags<T extends FlagSpec>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1] ?? "arguments";
    throw new ValidationError(flag, message.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

/**
 * The one positional argument a command takes (`FILE`, `DIR`). Missing: an error naming it, with
 * `missing` saying what to pass; more than one: an error naming the extra words.
 */
export function singlePositional(positionals: readonly string[], name: string, missing: string, noun = "file"): string {
  const [value, ...extra] = positionals;
  if (!value) throw new ValidationError(name, `missing: ${missing}`);
  if (extra.length) throw new ValidationError(name, `one ${noun} only; unexpected "${extra.join(" ")}"`);
  return value;
}

/** Validate a --cloud value. */
export function parseCloud(value: string, flag = "--cloud"): Cloud {
  return parseOrThrow(CloudSchema, value, flag);
}

/** The catalog a command works on: --catalog FILE, else the shipped one. */
export function catalogFrom(path: string | undefined): Catalog {
  return path ? loadCatalog(path) : defaultCatalog();
}

export async function runCatalog(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      json: { type: "boolean" },
      catalog: { type: "string" },
      cloud: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    io.out("usage: modelplane catalog [--json] [--catalog FILE] [--cloud aws|gcp|azure]\n");
    return 0;
  }
  const catalog = catalogFrom(values.catalog);
  const cloud = values.cloud === undefined ? undefined : parseCloud(values.cloud);
  const pick = <T extends { cloud: Cloud }>(xs: T[]): T[] => (cloud ? xs.filter((x) => x.cloud === cloud) : xs);
  if (values.json) {
    io.out(
      `${JSON.stringify(
        {
          version: catalog.version,
          asOf: catalog.asOf,
          gpuOffers: pick(catalog.gpuOffers),
          serverless: pick(catalog.serverless),
          storage: pick(catalog.storage),
          controlPlanes: pick(catalog.controlPlanes),
          unpricedGpuOffers: pick(catalog.unpricedGpuOffers ?? []),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const lines = [
    `catalog ${catalog.version}, prices as of ${catalog.asOf} (${catalogAgeDays(catalog, new Date())} days old)`,
    "",
  ];
  lines.push(
    `${"cloud".padEnd(6)} ${"gpu".padEnd(10)} ${"offers".padStart(6)} ${"regions".padStart(7)} ${"from $/h".padStart(9)}`,
  );
  for (const c of cloud ? [cloud] : CLOUDS) {
    for (const g of GPU_TYPES) {
      const offers = catalog.gpuOffers.filter((o) => o.cloud === c && o.gpuType === g);
      if (offers.length === 0) continue;
      const regions = new Set(offers.map((o) => o.region)).size;
      const min = Math.min(...offers.map((o) => o.onDemandHourlyUsd / o.gpuCount));
      lines.push(
        `${c.padEnd(6)} ${g.padEnd(10)} ${String(offers.length).padStart(6)} ${String(regions).padStart(7)} ${min.toFixed(4).padStart(9)}`,
      );
    }
  }
  const unpriced = pick(catalog.unpricedGpuOffers ?? []);
  for (const key of new Set(unpriced.map((o) => `${o.cloud}|${o.instanceType}`))) {
    const group = unpriced.filter((o) => `${o.cloud}|${o.instanceType}` === key);
    const first = group[0]!;
    lines.push(
      `${first.cloud.padEnd(6)} ${first.gpuType.padEnd(10)} unpriced: ${first.instanceType} in ${group.length} regions, not quoted (${first.reason})`,
    );
  }
  lines.push(
    "",
    `${pick(catalog.gpuOffers).length} GPU offers (+${unpriced.length} unpriced), ${pick(catalog.serverless).length} serverless, ${pick(catalog.storage).length} storage prices, ${pick(catalog.controlPlanes).length} control-plane fees ("from $/h" is on-demand per GPU)`,
  );
  io.out(`${lines.join("\n")}\n`);
  return 0;
}

export const command: Command = {
  summary: "show the price catalog (--json for every offer)",
  run: (argv) => runCatalog(argv, processIO),
};
