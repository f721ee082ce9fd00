/**
 * `modelplane keys create --role ROLE --name NAME [--tenant T] | ls | revoke ID [--json]`:
 * management API keys (admin). The secret of a new key is printed once.
 */
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { seg, withClient, type ClientDeps } from "../client/context";
import { table } from "../client/table";
import { parseFlags, processIO } from "./catalog";

interface KeyRow {
  id: string;
  prefix: string;
  tenant: string;
  role: string;
  name: string;
  createdAt: string;
  revokedAt?: string | null;
  lastUsedAt?: string | null;
}

export async function runKeys(argv: string[], deps: ClientDeps): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseFlags(rest, {
    role: { type: "string" },
    name: { type: "string" },
    tenant: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (!sub || sub === "--help" || sub === "-h" || values.help) {
    deps.io.out(
      "usage: modelplane keys create --role viewer|deployer|admin|platform-admin --name NAME [--tenant T] | ls | revoke ID\n",
    );
    return sub ? 0 : 2;
  }
  return withClient(deps, `keys ${sub}`, async (client) => {
    switch (sub) {
      case "create": {
        if (!values.role) throw new ValidationError("--role", "missing: viewer, deployer, admin or platform-admin");
        if (!values.name) throw new ValidationError("--name", "missing: a name for the key (who or what uses it)");
        const { body } = await client.request<{ key: KeyRow; secret: string }>("POST", "/v1/api-keys", {
          role: values.role,
          name: values.name,
          ...(values.tenant ? { tenant: values.tenant } : {}),
        });
        if (values.json) deps.io.out(`${JSON.stringify(body, null, 2)}\n`);
        else
          deps.io.out(
            `created ${body.key.id} (${body.key.role} of ${body.key.tenant}); its secret, shown once:\n${body.secret}\n`,
          );
        return 0;
      }
      case "ls": {
        if (!(await client.hasOperation("get", "/v1/api-keys"))) {
          deps.io.err(
            "modelplane keys ls: this server cannot list keys (GET /v1/api-keys is not in its OpenAPI document)\n",
          );
          return 1;
        }
        const { body } = await client.request<{ items: KeyRow[] } | KeyRow[]>("GET", "/v1/api-keys");
        const items = Array.isArray(body) ? body : body.items;
        if (values.json) deps.io.out(`${JSON.stringify(items, null, 2)}\n`);
        else
          deps.io.out(
            `${table(
              ["id", "prefix", "tenant", "role", "name", "created", "last used", "revoked"],
              items.map((k) => [
                k.id,
                k.prefix,
                k.tenant,
                k.role,
                k.name,
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
        if (!id) throw new ValidationError("ID", "missing: the key id to revoke (modelplane keys ls lists them)");
        if (extra.length) throw new ValidationError("ID", `one id only; unexpected "${extra.join(" ")}"`);
        const { body } = await client.request<KeyRow>("DELETE", `/v1/api-keys/${seg(id)}`);
        deps.io.out(values.json ? `${JSON.stringify(body, null, 2)}\n` : `revoked ${body.id} (${body.name})\n`);
        return 0;
      }
      default:
        throw new ValidationError("keys", `unknown subcommand "${sub}"; use create, ls or revoke`);
    }
  });
}

export const command: Command = {
  summary: "create, list and revoke API keys on the server (admin)",
  run: (argv) => runKeys(argv, { io: processIO }),
};
