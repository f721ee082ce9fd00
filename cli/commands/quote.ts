/**
 * `modelplane quote FILE [--json] [--catalog FILE] [--max-age-days N] [--limit N]`: the cheapest
 * placements for the quote request in FILE (the same JSON `POST /v1/quotes` takes).
 * Exit 0 with placements, 1 when nothing is feasible (the explanation is printed), 2 bad input.
 */
import type { Command } from "../main";
import { readJsonFile } from "../../platform/core/files";
import { ValidationError } from "../../platform/core/validation";
import { parseQuoteRequest, quote, type QuoteResult } from "../../platform/core/optimizer";
import { catalogFrom, parseFlags, processIO, singlePositional, type CommandIO } from "./catalog";

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(flag, `must be a whole number ≥ 0, got "${value}"`);
  return n;
}

const money = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(n < 10 ? 4 : 2));

/** The human table of a quote. */
export function formatQuote(result: QuoteResult): string {
  const r = result.requirement;
  const lines = [
    `${result.request.model.name}: needs ${r.totalGiB.toFixed(1)} GiB of GPU memory per replica ` +
      `(weights ${r.weightsGiB.toFixed(1)} + KV cache ${r.kvCacheGiB.toFixed(1)} + overhead ${r.overheadGiB.toFixed(1)}, at ${Math.round(r.utilization * 100)}% utilization)`,
    `catalog ${result.catalog.version}, prices as of ${result.catalog.asOf}`,
    "",
  ];
  if (result.infeasible) {
    lines.push(`no feasible placement: ${result.infeasible.message}`);
  } else {
    const header = ["#", "cloud", "region", "instance", "gpus", "capacity", "$/hour", "$/month"];
    const rows = result.placements.map((p, i) => [
      String(i + 1),
      p.cloud,
      p.region,
      p.instanceType,
      `${p.gpuCount}×${p.gpuType}`,
      p.capacity,
      money(p.hourlyUsd),
      money(p.monthlyUsd),
    ]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
    const fmt = (row: string[]): string =>
      row.map((cell, c) => (c >= 6 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ");
    lines.push(fmt(header), ...rows.map(fmt), "");
    lines.push(
      `${result.feasibleCount} feasible placements; ${result.placements.length} shown (${result.request.replicas} replica(s), ${result.request.activeHoursPerDay} active h/day)`,
    );
    const top = result.placements[0];
    if (top?.why) lines.push(`why #1: ${top.why}`);
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}

export async function runQuote(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    catalog: { type: "string" },
    "max-age-days": { type: "string" },
    limit: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out("usage: modelplane quote FILE [--json] [--catalog FILE] [--max-age-days N] [--limit N]\n");
    return 0;
  }
  const file = singlePositional(positionals, "FILE", "pass the path of a quote request JSON file");
  const request = parseQuoteRequest(readJsonFile(file, "FILE"));
  const result = quote(request, catalogFrom(values.catalog), {
    now: new Date(),
    maxCatalogAgeDays: positiveInt(values["max-age-days"], "--max-age-days"),
    limit: positiveInt(values.limit, "--limit"),
  });
  io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatQuote(result));
  return result.infeasible ? 1 : 0;
}

export const command: Command = {
  summary: "quote the cheapest GPU placements for a model (FILE: quote request JSON)",
  run: (argv) => runQuote(argv, processIO),
};
