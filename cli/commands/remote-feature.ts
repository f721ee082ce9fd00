/**
 * Client commands for server features that come and go with the server's version: `models`,
 * `costs`, `recommendations`, `requote`, `migrate`. Each asks the server's OpenAPI document first; a server without the
 * feature gets a clear "this server has no …", never a raw 404.
 */
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { seg, withClient, type ClientDeps } from "../client/context";
import { parseFlags, processIO } from "./catalog";

interface Feature {
  name: string;
  /** The operation that proves the server has the feature. */
  probe: { method: string; path: string };
  summary: string;
  /** The request for `argv` (after the command name). */
  request(
    positionals: string[],
    values: Record<string, string | boolean | undefined>,
  ): { method: string; path: string; body?: unknown };
}

/** `--to cloud/region/instanceType/capacity` → the explicit placement body. */
function placementFlag(v: string): { cloud: string; region: string; instanceType: string; capacity: string } {
  const [cloud, region, instanceType, capacity, ...rest] = v.split("/");
  if (!cloud || !region || !instanceType || !capacity || rest.length > 0) {
    throw new ValidationError(
      "--to",
      `"${v}" is not cloud/region/instanceType/capacity, e.g. aws/us-east-1/g6.xlarge/spot`,
    );
  }
  return { cloud, region, instanceType, capacity };
}

const FEATURES: Record<string, Feature> = {
  models: {
    name: "model registry",
    probe: { method: "get", path: "/v1/models" },
    summary: "list the model registry (models show NAME for one)",
    request: ([sub, name]) => {
      if (sub === undefined || sub === "ls") return { method: "GET", path: "/v1/models" };
      if (sub === "show") {
        if (!name) throw new ValidationError("NAME", "missing: the model name");
        return { method: "GET", path: `/v1/models/${seg(name)}` };
      }
      throw new ValidationError("models", `unknown subcommand "${sub}"; use ls or show NAME`);
    },
  },
  costs: {
    name: "cost ledger",
    probe: { method: "get", path: "/v1/costs" },
    summary: "show accrued costs (--group-by tenant|costCenter|model|cloud)",
    request: (_p, v) => {
      const q = new URLSearchParams();
      if (typeof v["group-by"] === "string") q.set("groupBy", v["group-by"]);
      return { method: "GET", path: `/v1/costs${q.size ? `?${q.toString()}` : ""}` };
    },
  },
  recommendations: {
    name: "re-quote recommendations",
    probe: { method: "get", path: "/v1/recommendations" },
    summary: "list cheaper placements the server recommends",
    request: () => ({ method: "GET", path: "/v1/recommendations" }),
  },
  requote: {
    name: "re-quote sweep",
    probe: { method: "post", path: "/v1/admin/requote" },
    summary: "run a re-quote sweep now (admin) and show what it recommended",
    request: () => ({ method: "POST", path: "/v1/admin/requote", body: {} }),
  },
  migrate: {
    name: "blue/green migration",
    probe: { method: "post", path: "/v1/deployments/{id}/migrate" },
    summary:
      "move a deployment blue/green: migrate ID (--recommendation RID | --to cloud/region/type/capacity | --abort)",
    request: ([id], v) => {
      if (!id) throw new ValidationError("ID", "missing: the deployment id");
      if (v["abort"] === true) return { method: "POST", path: `/v1/deployments/${seg(id)}/migrate/abort` };
      const rec = v["recommendation"];
      const to = v["to"];
      if (typeof rec === "string" && typeof to === "string") {
        throw new ValidationError("--to", "give either --recommendation or --to, not both");
      }
      if (typeof to === "string") {
        return { method: "POST", path: `/v1/deployments/${seg(id)}/migrate`, body: { placement: placementFlag(to) } };
      }
      if (typeof rec !== "string") {
        throw new ValidationError(
          "--recommendation",
          "missing: a recommendation id (modelplane recommendations), or --to",
        );
      }
      return { method: "POST", path: `/v1/deployments/${seg(id)}/migrate`, body: { recommendationId: rec } };
    },
  },
};

export async function runFeature(feature: string, argv: string[], deps: ClientDeps): Promise<number> {
  const f = FEATURES[feature];
  if (!f) throw new ValidationError("command", `unknown feature "${feature}"`);
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    "group-by": { type: "string" },
    recommendation: { type: "string" },
    to: { type: "string" },
    abort: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out(`modelplane ${feature}: ${f.summary}\n`);
    return 0;
  }
  const req = f.request(positionals, values);
  return withClient(deps, feature, async (client) => {
    if (!(await client.hasOperation(f.probe.method, f.probe.path))) {
      deps.io.err(
        `modelplane ${feature}: this server has no ${f.name} (${f.probe.method.toUpperCase()} ${f.probe.path} is not in its OpenAPI document)\n`,
      );
      return 1;
    }
    const { body } = await client.request<unknown>(req.method, req.path, req.body);
    deps.io.out(`${JSON.stringify(body, null, 2)}\n`);
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
