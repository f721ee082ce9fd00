/**
 * `modelplane quote FILE [--json] [--catalog FILE] [--platform FILE | --footprint FILE.json]
 * [--scope footprint|anywhere] [--policy-config FILE] [--environment ENV] [--max-age-days N]
 * [--limit N] [--allow-suspect]`: the cheapest placements for the quote request in FILE (the same JSON
 * `POST /v1/quotes` takes). With a platform, only inside its footprint, plus expansion advice; with
 * a policy config, only what the pack would allow. Exit 0 with placements, 1 when nothing is
 * feasible (the explanation is printed), 2 bad input. `--allow-suspect` sets
 * `constraints.allowSuspect`: offers the catalog's anomaly guard marked suspect are considered too.
 */
import type { Command } from "../main";
import { readJsonFile } from "../../platform/core/files";
import { ValidationError } from "../../platform/core/validation";
import { parseQuoteRequest, quote } from "../../platform/core/optimizer";
import { QUOTE_SCOPES, type QuoteScope } from "../../platform/core/optimizer/schema";
import { catalogFrom, parseFlags, processIO, singlePositional, type CommandIO } from "./catalog";
import { footprintFromFlags, policiesFromFile } from "./platform-inputs";
import { formatQuote } from "./quote-format";

export { formatQuote };

const USAGE =
  "usage: modelplane quote FILE [--json] [--catalog FILE] [--platform FILE | --footprint FILE.json] [--scope footprint|anywhere] [--policy-config FILE] [--environment ENV] [--max-age-days N] [--limit N] [--allow-suspect]\n";

function scopeFlag(value: string | undefined): QuoteScope | undefined {
  if (value === undefined) return undefined;
  if (!(QUOTE_SCOPES as readonly string[]).includes(value)) {
    throw new ValidationError("--scope", `"${value}" is not a scope; use one of ${QUOTE_SCOPES.join(", ")}`);
  }
  return value as QuoteScope;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(flag, `must be a whole number ≥ 0, got "${value}"`);
  return n;
}

export async function runQuote(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    catalog: { type: "string" },
    "max-age-days": { type: "string" },
    limit: { type: "string" },
    platform: { type: "string" },
    footprint: { type: "string" },
    scope: { type: "string" },
    "policy-config": { type: "string" },
    environment: { type: "string" },
    "allow-suspect": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const file = singlePositional(positionals, "FILE", "pass the path of a quote request JSON file");
  const request = parseQuoteRequest(readJsonFile(file, "FILE"));
  const scope = scopeFlag(values.scope);
  if (scope) request.constraints = { ...request.constraints, scope };
  if (values["allow-suspect"]) request.constraints = { ...request.constraints, allowSuspect: true };
  if (values.environment)
    request.environment = parseQuoteRequest({ ...request, environment: values.environment }).environment;
  const footprint = footprintFromFlags(values);
  const policies = policiesFromFile(values["policy-config"], "--policy-config");
  const result = quote(request, catalogFrom(values.catalog), {
    now: new Date(),
    maxCatalogAgeDays: positiveInt(values["max-age-days"], "--max-age-days"),
    limit: positiveInt(values.limit, "--limit"),
    ...(footprint ? { footprint } : {}),
    ...(policies ? { policy: policies.for(request.environment ?? "dev") } : {}),
  });
  io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatQuote(result));
  return result.infeasible ? 1 : 0;
}

export const command: Command = {
  summary: "quote the cheapest GPU placements for a model (FILE: quote request JSON)",
  run: (argv) => runQuote(argv, processIO),
};
