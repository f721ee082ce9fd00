/**
 * Client commands for server features that come and go with the server's version: `models`
 * (ls, show NAME, add FILE), `costs`, `recommendations`, `requote`, `migrate ID`. Each asks the server's OpenAPI document
 * first; a server without the feature gets a clear "this server has no …", never a raw 404.
 * Tables for people, `--json` for programs (the API's body as it came).
 */
import type { Command } from "../main";
import { readJsonFile } from "../../platform/core/files";
import { ValidationError } from "../../platform/core/validation";
import type { ApiClient } from "../client/api";
import { seg, withClient, type ClientDeps } from "../client/context";
import { table, usd } from "../client/table";
import { parseFlags, processIO } from "./catalog";

type Values = Record<string, string | boolean | undefined>;

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

interface Feature {
  name: string;
  /** The operation that proves the server has the feature. */
  probe: { method: string; path: string };
  summary: string;
  usage: string;
  /** The request for `argv` (after the command name). */
  request(positionals: string[], values: Values, now: Date): Request;
  /** The answer as text for people. */
  format(body: unknown, positionals: string[]): string;
}

interface ModelVersion {
  version: string;
  artifactUri: string;
  precision: string;
  parametersBillions: number;
  architecture: { layers: number; kvHeads: number; headDim: number; maxContextTokens: number; experts?: number };
}
interface Model {
  name: string;
  versions: ModelVersion[];
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

function modelsTable(items: Model[]): string {
  if (items.length === 0) return "no models registered (modelplane models add FILE)";
  return table(
    ["name", "versions", "newest", "precision", "params (B)", "artifact"],
    items.map((m) => {
      const v = m.versions[m.versions.length - 1];
      return [
        m.name,
        String(m.versions.length),
        v?.version ?? "",
        v?.precision ?? "",
        v ? String(v.parametersBillions) : "",
        v?.artifactUri ?? "",
      ];
    }),
  );
}

function modelVersions(m: Model): string {
  return [
    `${m.name}: ${m.versions.length} version${m.versions.length === 1 ? "" : "s"}`,
    table(
      ["version", "precision", "params (B)", "layers", "kv heads", "head dim", "max context", "experts", "artifact"],
      m.versions.map((v) => [
        v.version,
        v.precision,
        String(v.parametersBillions),
        String(v.architecture.layers),
        String(v.architecture.kvHeads),
        String(v.architecture.headDim),
        String(v.architecture.maxContextTokens),
        v.architecture.experts === undefined ? "—" : String(v.architecture.experts),
        v.artifactUri,
      ]),
    ),
    `deploy it: modelplane deploy --model ${m.name}@${m.versions[m.versions.length - 1]?.version ?? ""}`,
  ].join("\n");
}

/** `--placement cloud/region/instanceType/capacity` → the explicit placement body. */
function placementFlag(v: string): { cloud: string; region: string; instanceType: string; capacity: string } {
  const [cloud, region, instanceType, capacity, ...rest] = v.split("/");
  if (!cloud || !region || !instanceType || !capacity || rest.length > 0) {
    throw new ValidationError(
      "--placement",
      `"${v}" is not cloud/region/instanceType/capacity, e.g. aws/us-east-1/g6.xlarge/spot`,
    );
  }
  return { cloud, region, instanceType, capacity };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `modelplane costs` for people: the accrued total and rows, and the hour under way said apart. */
export function costsText(body: unknown): string {
  const r = body as {
    groupBy: string;
    from: string;
    to: string;
    totalUsd: number;
    rows: Array<{ key: string; usd: number; hours: number; catalogVersion: string }>;
    openHour?: { from: string; to: string; totalUsd: number; rows: Array<{ deployments: number }> };
  };
  const head = `total $${usd(r.totalUsd)} from ${r.from} to ${r.to}, by ${r.groupBy}`;
  const o = r.openHour;
  // The hour under way is not in the ledger yet: said apart, never added to the total.
  const open = o
    ? `\nhour under way (${o.from} to ${o.to}, not in the total): $${usd(o.totalUsd)} across ${o.rows.reduce((s, x) => s + x.deployments, 0)} deployment(s), charged when it ends`
    : "";
  if (r.rows.length === 0) return `${head}\nno cost accrued in this range (the ledger holds whole hours)${open}`;
  return `${head}\n${table(
    [r.groupBy, "usd", "hours", "catalog"],
    r.rows.map((x) => [x.key, usd(x.usd), String(x.hours), x.catalogVersion]),
  )}${open}`;
}

const FEATURES: Record<string, Feature> = {
  models: {
    name: "model registry",
    probe: { method: "get", path: "/v1/models" },
    summary: "the model registry: models ls, models show NAME, models add FILE",
    usage:
      "usage: modelplane models [ls | show NAME | add FILE] [--json]\n\n  add FILE posts a registration: {name, versions: [{version, artifactUri, precision, config?}]}\n",
    request: ([sub, arg, ...extra]) => {
      if (extra.length) throw new ValidationError("models", `unexpected "${extra.join(" ")}"`);
      if (sub === undefined || sub === "ls") return { method: "GET", path: "/v1/models" };
      if (sub === "show") {
        if (!arg) throw new ValidationError("NAME", "missing: the model name (modelplane models show NAME)");
        return { method: "GET", path: `/v1/models/${seg(arg)}` };
      }
      if (sub === "add") {
        if (!arg) throw new ValidationError("FILE", "missing: a JSON file with {name, versions: [...]}");
        return { method: "POST", path: "/v1/models", body: readJsonFile(arg, "FILE") };
      }
      throw new ValidationError("models", `unknown subcommand "${sub}"; use ls, show NAME or add FILE`);
    },
    format: (body, [sub]) => {
      if (sub === "show" || sub === "add") return modelVersions(body as Model);
      return modelsTable((body as { items: Model[] }).items);
    },
  },
  costs: {
    name: "cost ledger",
    probe: { method: "get", path: "/v1/costs" },
    summary: "accrued costs by tenant, cost center, model or cloud (default: this month by model)",
    usage:
      "usage: modelplane costs [--group-by tenant|costCenter|model|cloud] [--from DATE] [--to DATE] [--json]\n\n  DATE is ISO 8601 (2026-11-01 or 2026-11-01T00:00:00Z); default: the first of this month (UTC) to tomorrow\n",
    request: (positionals, v, now) => {
      if (positionals.length) throw new ValidationError("costs", `unexpected "${positionals.join(" ")}"`);
      const q = new URLSearchParams({
        groupBy: typeof v["group-by"] === "string" ? v["group-by"] : "model",
        from: typeof v.from === "string" ? v.from : day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
        to: typeof v.to === "string" ? v.to : day(new Date(now.getTime() + 86_400_000)),
      });
      return { method: "GET", path: `/v1/costs?${q.toString()}` };
    },
    format: costsText,
  },
  recommendations: {
    name: "re-quote recommendations",
    probe: { method: "get", path: "/v1/recommendations" },
    summary: "cheaper placements the server recommends for running deployments",
    usage: "usage: modelplane recommendations [--json]\n",
    request: (positionals) => {
      if (positionals.length) throw new ValidationError("recommendations", `unexpected "${positionals.join(" ")}"`);
      return { method: "GET", path: "/v1/recommendations" };
    },
    format: (body) => {
      const items: unknown[] = Array.isArray(body)
        ? body
        : isRecord(body) && Array.isArray(body.items)
          ? body.items
          : [];
      if (items.length === 0) return "no recommendations";
      return table(
        ["deployment", "now", "proposed", "$/month now", "then", "saves", "reason", "id"],
        items.map((x) => {
          const r = isRecord(x) ? x : {};
          const side = (v: unknown): { where: string; usd: string } => {
            const o = isRecord(v) ? v : {};
            const p = isRecord(o.placement) ? o.placement : {};
            return {
              where: [p.cloud, p.region, p.instanceType, p.capacity].filter((s) => typeof s === "string").join(" "),
              usd: typeof o.monthlyUsd === "number" ? usd(o.monthlyUsd) : "—",
            };
          };
          const now = side(r.current);
          const then = side(r.proposed);
          return [
            String(r.deploymentId ?? ""),
            now.where,
            then.where,
            now.usd,
            then.usd,
            typeof r.savingMonthlyUsd === "number" ? usd(r.savingMonthlyUsd) : "—",
            String(r.reason ?? ""),
            String(r.id ?? ""),
          ];
        }),
      );
    },
  },
};

FEATURES["requote"] = {
  name: "re-quote sweep",
  probe: { method: "post", path: "/v1/admin/requote" },
  summary: "run a re-quote sweep now (admin) and show what it recommended",
  usage: "usage: modelplane requote [--json]\n",
  request: (positionals) => {
    if (positionals.length) throw new ValidationError("requote", `unexpected "${positionals.join(" ")}"`);
    return { method: "POST", path: "/v1/admin/requote", body: {} };
  },
  format: (body, positionals) => {
    const r = isRecord(body) ? body : {};
    const head = `swept ${String(r.swept)} deployments under catalog ${String(r.catalogVersion)}: ${String(r.recommended)} recommended, ${String(r.skipped)} skipped`;
    return `${head}\n${FEATURES["recommendations"]?.format({ items: r.recommendations }, positionals) ?? ""}`;
  },
};

FEATURES["migrate"] = {
  name: "blue/green migration",
  probe: { method: "post", path: "/v1/deployments/{id}/migrate" },
  summary:
    "move a deployment blue/green: migrate ID --recommendation RID | --placement cloud/region/type/capacity | --abort",
  usage:
    "usage: modelplane migrate ID (--recommendation RID | --placement cloud/region/instanceType/capacity | --abort) [--json]\n\n  follow it with: modelplane events ID\n",
  request: ([id, ...extra], v) => {
    if (!id) throw new ValidationError("ID", "missing: the deployment id");
    if (extra.length) throw new ValidationError("migrate", `unexpected "${extra.join(" ")}"`);
    if (v["abort"] === true) return { method: "POST", path: `/v1/deployments/${seg(id)}/migrate/abort` };
    const rec = v["recommendation"];
    const to = v["placement"];
    if (typeof rec === "string" && typeof to === "string") {
      throw new ValidationError("--placement", "give either --recommendation or --placement, not both");
    }
    if (typeof to === "string") {
      return { method: "POST", path: `/v1/deployments/${seg(id)}/migrate`, body: { placement: placementFlag(to) } };
    }
    if (typeof rec !== "string") {
      throw new ValidationError(
        "--recommendation",
        "missing: a recommendation id (modelplane recommendations), or --placement",
      );
    }
    return { method: "POST", path: `/v1/deployments/${seg(id)}/migrate`, body: { recommendationId: rec } };
  },
  format: (body, [id]) => {
    const r = isRecord(body) ? body : {};
    const m = isRecord(r.migration) ? r.migration : undefined;
    if (!m) return `migration of ${String(id)} aborted; the old stack keeps serving`;
    const p = isRecord(m.placement) ? m.placement : {};
    return `migrating ${String(id)}: ${String(m.fromStack)} → ${String(m.toStack)} on ${[p.cloud, p.region, p.instanceType, p.capacity].map(String).join(" ")}, $${typeof m.monthlyUsd === "number" ? usd(m.monthlyUsd) : "?"}/month (catalog ${String(m.catalogVersion)})\nfollow it: modelplane events ${String(id)}`;
  },
};

async function requireFeature(client: ApiClient, feature: string, f: Feature, deps: ClientDeps): Promise<boolean> {
  if (await client.hasOperation(f.probe.method, f.probe.path)) return true;
  deps.io.err(
    `modelplane ${feature}: this server has no ${f.name} (${f.probe.method.toUpperCase()} ${f.probe.path} is not in its OpenAPI document)\n`,
  );
  return false;
}

export async function runFeature(
  feature: string,
  argv: string[],
  deps: ClientDeps,
  now: () => Date = () => new Date(),
): Promise<number> {
  const f = FEATURES[feature];
  if (!f) throw new ValidationError("command", `unknown feature "${feature}"`);
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    "group-by": { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    recommendation: { type: "string" },
    placement: { type: "string" },
    abort: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out(`modelplane ${feature}: ${f.summary}\n${f.usage}`);
    return 0;
  }
  const req = f.request(positionals, values, now());
  return withClient(deps, feature, async (client) => {
    if (!(await requireFeature(client, feature, f, deps))) return 1;
    const { body } = await client.request<unknown>(req.method, req.path, req.body);
    deps.io.out(values.json ? `${JSON.stringify(body, null, 2)}\n` : `${f.format(body, positionals)}\n`);
    return 0;
  });
}

const commandOf = (feature: string): Command => ({
  summary: FEATURES[feature]?.summary ?? feature,
  run: (argv) => runFeature(feature, argv, { io: processIO }),
});

export const models = commandOf("models");
export const costs = commandOf("costs");
export const recommendations = commandOf("recommendations");
export const requote = commandOf("requote");
export const migrate = commandOf("migrate");
