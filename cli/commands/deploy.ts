/**
 * `modelplane deploy FILE [--json] [--idempotency-key KEY]`: ask the server for a deployment.
 * `--json` prints the accepted deployment (with its `id`) and exits 0 at once; otherwise the
 * command follows the deployment's events to the end and prints its endpoint and a call to paste.
 * `--model NAME[@VERSION]` deploys from the model registry, where the server has one.
 */
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { readJsonFile } from "../../platform/core/files";
import { endpointOf, unverifiedReasonOf, withClient, type ClientDeps, type RemoteDeployment } from "../client/context";
import { followDeployment } from "../client/follow";
import { usd } from "../client/table";
import { parseFlags, processIO } from "./catalog";

interface Accepted extends RemoteDeployment {
  warnings?: string[];
  /** Advisory policy violations of the pre-flight plan. */
  advisories?: Array<{ policy?: string; message?: string; resource?: string } | string>;
}

/** One line for a warning or an advisory violation. */
function noteLine(n: { policy?: string; message?: string; resource?: string } | string): string {
  if (typeof n === "string") return n;
  const where = n.resource ? ` (${n.resource})` : "";
  return `${n.policy ?? "policy"}${where}: ${n.message ?? ""}`;
}

/** What to print when a deployment settles: the endpoint and a call, or why it did not serve. */
/** Where the key the curl reads comes from. */
export const INFERENCE_KEY_HINT =
  "(MODELPLANE_INFERENCE_KEY: an inference key, `modelplane inference-keys create --name NAME`; management keys do not call models)";

/** Said of an `unverified` deployment: it may work, but nothing proved it. */
export const UNVERIFIED_CAVEAT =
  "applied, but the control plane could not see it serve; it may not answer yet (check it, or `modelplane status ID` later)";

export function settledReport(d: RemoteDeployment, key: string): { text: string; ok: boolean } {
  if (d.status === "ready" || d.status === "simulated" || d.status === "unverified") {
    const url = endpointOf(d);
    const lines =
      d.status === "unverified"
        ? [`${d.name}: unverified: ${unverifiedReasonOf(d)}`, `note: ${UNVERIFIED_CAVEAT}`]
        : [`${d.name}: ${d.status}${d.status === "simulated" ? " (dry run: nothing was created)" : ""}`];
    const told = d.endpoint;
    if (told) {
      // The server's own answer (GET /v1/deployments/:id): its URL and curl, or why there is none.
      if (told.url !== null) lines.push(`endpoint: ${told.url}`, "", told.curl, "", INFERENCE_KEY_HINT);
      else lines.push(`endpoint: none (${told.reason})`);
    } else if (url) {
      lines.push(
        `endpoint: ${url}`,
        "",
        `curl ${url.replace(/\/+$/, "")}/chat/completions -H "Authorization: Bearer ${key}" -H 'Content-Type: application/json' \\`,
        `  -d '{"model": "${d.model}", "messages": [{"role": "user", "content": "Hello"}]}'`,
      );
    } else {
      // A cluster without a gateway: the stack says why, and where the model answers inside the cluster.
      const reason = d.outputs?.["endpointReason"];
      const inCluster = d.outputs?.["inClusterEndpoint"];
      lines.push(`endpoint: none (${typeof reason === "string" ? reason : "none reported by the stack"})`);
      if (typeof inCluster === "string") lines.push(`in-cluster endpoint: ${inCluster}`);
    }
    return { text: lines.join("\n"), ok: true };
  }
  const why = d.error?.message ? `: ${d.error.message}` : "";
  return { text: `${d.name}: ${d.status}${why}`, ok: false };
}

export async function runDeploy(argv: string[], deps: ClientDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    "idempotency-key": { type: "string" },
    model: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out("usage: modelplane deploy FILE [--json] [--idempotency-key KEY] | --model NAME[@VERSION]\n");
    return 0;
  }
  if (values.model !== undefined && positionals.length > 0) {
    throw new ValidationError("--model", "give a request FILE or --model, not both");
  }
  return withClient(deps, "deploy", async (client) => {
    let request: unknown;
    if (values.model !== undefined) {
      if (!(await client.hasOperation("get", "/v1/models/{name}"))) {
        deps.io.err(
          `modelplane deploy: this server has no model registry (GET /v1/models/{name} is not in its OpenAPI document); deploy from a request FILE instead\n`,
        );
        return 1;
      }
      request = { model: { ref: values.model } };
    } else {
      const [file, ...extra] = positionals;
      if (!file) throw new ValidationError("FILE", "missing: a deployment request JSON file (see examples/)");
      if (extra.length) throw new ValidationError("FILE", `one file only; unexpected "${extra.join(" ")}"`);
      request = readJsonFile(file, "FILE");
    }
    const key = values["idempotency-key"];
    const { body } = await client.request<Accepted>(
      "POST",
      "/v1/deployments",
      request,
      key ? { "idempotency-key": key } : {},
    );
    if (values.json) {
      deps.io.out(`${JSON.stringify(body, null, 2)}\n`);
      return 0;
    }
    const p = body.placement;
    deps.io.out(
      `accepted ${body.id} (${body.name}, ${body.environment}): ${p.cloud} ${p.region} ${p.instanceType} ${p.capacity}, $${usd(body.estimatedMonthlyUsd)}/month\n`,
    );
    for (const w of [...(body.warnings ?? []), ...(body.advisories ?? [])]) deps.io.out(`note: ${noteLine(w)}\n`);
    const settled = await followDeployment(client, body.id, deps.io);
    const report = settledReport(settled, "$MODELPLANE_INFERENCE_KEY");
    deps.io.out(`${report.text}\n`);
    return report.ok ? 0 : 1;
  });
}

export const command: Command = {
  summary: "deploy a model through the server and follow it to the end (--json: print and return)",
  run: (argv) => runDeploy(argv, { io: processIO }),
};
