/**
 * `modelplane inference-keys create --name NAME [--rate-limit N] [--tenant T] | ls | revoke ID [--json]`:
 * keys that call models through the cluster gateway (`Authorization: Bearer mpi_…`). The secret of
 * a new key is printed once; a revoked key stops working at the gateway within 30 s.
 */
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { seg, withClient, type ClientDeps } from "../client/context";
import { table } from "../client/table";
import { parseFlags, processIO } from "./catalog";

interface InferenceKeyRow {
  id: string;
  prefix: string;
  tenant: string;
  name: string;
  rateLimitPerMinute: number;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const USAGE =
  "usage: modelplane inference-keys create --name NAME [--rate-limit PER_MINUTE] [--tenant T] | ls | revoke ID [--json]\n";

export async function runInferenceKeys(argv: string[], deps: ClientDeps): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseFlags(rest, {
    name: { type: "string" },
    "rate-limit": { type: "string" },
    tenant: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (!sub || sub === "--help" || sub === "-h" || values.help) {
    deps.io.out(USAGE);
    return sub ? 0 : 2;
  }
  return withClient(deps, `inference-keys ${sub}`, async (client) => {
    switch (sub) {
      case "create": {
        if (!values.name)
          throw new ValidationError("--name", "missing: a name for the key (the app that calls models)");
        let rateLimitPerMinute: number | undefined;
        if (values["rate-limit"] !== undefined) {
          rateLimitPerMinute = Number(values["rate-limit"]);
          if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) {
            throw new ValidationError(
              "--rate-limit",
              `"${values["rate-limit"]}" is not a whole number of requests per minute ≥ 1`,
            );
          }
        }
        const { body } = await client.request<{ key: InferenceKeyRow; secret: string }>("POST", "/v1/inference-keys", {
          name: values.name,
          ...(rateLimitPerMinute !== undefined ? { rateLimitPerMinute } : {}),
          ...(values.tenant ? { tenant: values.tenant } : {}),
        });
        if (values.json) deps.io.out(`${JSON.stringify(body, null, 2)}\n`);
        else
          deps.io.out(
            `created ${body.key.id} (${body.key.tenant}, ${body.key.rateLimitPerMinute} requests/minute); its secret, shown once:\n${body.secret}\n` +
              `export MODELPLANE_INFERENCE_KEY=<the secret>, then \`modelplane status ID\` prints a curl that uses it\n`,
          );
        return 0;
      }
      case "ls": {
        const query = values.tenant ? `?tenant=${encodeURIComponent(values.tenant)}` : "";
        const { body } = await client.request<{ items: InferenceKeyRow[] }>("GET", `/v1/inference-keys${query}`);
        if (values.json) deps.io.out(`${JSON.stringify(body.items, null, 2)}\n`);
        else
          deps.io.out(
            `${table(
              ["id", "prefix", "tenant", "name", "per minute", "created", "last used", "revoked"],
              body.items.map((k) => [
                k.id,
                k.prefix,
                k.tenant,
                k.name,
                String(k.rateLimitPerMinute),
                k.createdAt,
                k.lastUsedAt ?? "",
                k.revokedAt ?? "",
              ]),
            )}\n`,
          );
        return 0;
      }
      case "revoke": {
        const [id, ...extra] = positionals;
        if (!id)
          throw new ValidationError("ID", "missing: the key id to revoke (modelplane inference-keys ls lists them)");
        if (extra.length) throw new ValidationError("ID", `one id only; unexpected "${extra.join(" ")}"`);
        const { body } = await client.request<InferenceKeyRow>("DELETE", `/v1/inference-keys/${seg(id)}`);
        deps.io.out(
          values.json
            ? `${JSON.stringify(body, null, 2)}\n`
            : `revoked ${body.id} (${body.name}); the gateway refuses it within 30 s\n`,
        );
        return 0;
      }
      default:
        throw new ValidationError("inference-keys", `unknown subcommand "${sub}"; use create, ls or revoke`);
    }
  });
}

export const command: Command = {
  summary: "create, list and revoke inference keys (they call models through the gateway)",
  run: (argv) => runInferenceKeys(argv, { io: processIO }),
};
