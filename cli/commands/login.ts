/**
 * `modelplane login --url URL [--key KEY]`: check the key against the server, then store URL and
 * key in ~/.config/modelplane/config.json (mode 0600). Without `--key` it reads MODELPLANE_KEY, or
 * one line from standard input (so the key does not land in the shell history).
 */
import { readFileSync } from "node:fs";
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { ApiClient } from "../client/api";
import { parseUrl, processEnv, writeStoredConfig } from "../client/config";
import { withClient, type ClientDeps } from "../client/context";
import { parseFlags, processIO } from "./catalog";

export async function runLogin(argv: string[], deps: ClientDeps, readStdin = (): string => readFileSync(0, "utf8")) {
  const { values } = parseFlags(
    argv,
    { url: { type: "string" }, key: { type: "string" }, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help) {
    deps.io.out("usage: modelplane login --url URL [--key KEY]   (else MODELPLANE_KEY, else one line on stdin)\n");
    return 0;
  }
  const env = deps.env ?? processEnv();
  const urlText = values.url ?? env.env["MODELPLANE_URL"];
  if (!urlText) throw new ValidationError("--url", "missing: the API's base URL, e.g. --url http://127.0.0.1:8080");
  const url = parseUrl(urlText, "--url");
  const key = (values.key ?? env.env["MODELPLANE_KEY"] ?? readStdin().split(/\r?\n/)[0] ?? "").trim();
  if (!key) throw new ValidationError("--key", "missing: pass --key, set MODELPLANE_KEY, or type the key on stdin");
  const client = new ApiClient(url, key, deps.fetch ?? fetch);
  // Check the key before storing it: list one deployment (any role may).
  return withClient(
    { ...deps, env: { ...env, env: { ...env.env, MODELPLANE_URL: url, MODELPLANE_KEY: key } } },
    "login",
    async () => {
      await client.request("GET", "/v1/deployments?limit=1");
      const path = writeStoredConfig(env, { url, key });
      deps.io.out(`logged in to ${url}; saved to ${path} (mode 0600)\n`);
      return 0;
    },
  );
}

export const command: Command = {
  summary: "log in to a modelplane server (stores URL and key, mode 0600)",
  run: (argv) => runLogin(argv, { io: processIO }),
};
