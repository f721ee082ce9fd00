/**
 * Where the CLI client finds the API: `modelplane login` stores the URL and key in
 * `$XDG_CONFIG_HOME/modelplane/config.json` (default `~/.config/modelplane/config.json`, mode 0600);
 * `MODELPLANE_URL` and `MODELPLANE_KEY` override it. This is the CLI's edge: the only place it
 * reads these variables and this file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";

/** What `login` stores. */
export const ClientConfigSchema = z
  .object({
    /** Base URL of the API, e.g. `http://127.0.0.1:8080`. */
    url: z.url(),
    /** An API key (`mp_…`). */
    key: z.string().min(1),
  })
  .strict();
export type ClientConfig = z.infer<typeof ClientConfigSchema>;

/** The environment and home the client reads; tests pass their own. */
export interface ClientEnv {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}

export const processEnv = (): ClientEnv => ({ env: process.env, home: homedir() });

/** Path of the stored login. */
export function configPath(e: ClientEnv): string {
  const base = e.env["XDG_CONFIG_HOME"] || join(e.home, ".config");
  return join(base, "modelplane", "config.json");
}

/** Check a URL typed by a person; the error names `field`. */
export function parseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `"${value}" is not a URL; use e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(field, `"${value}" must be an http:// or https:// URL`);
  }
  return url.toString().replace(/\/+$/, "");
}

/** The stored login, or undefined when there is none; a damaged file is an error naming it. */
export function readStoredConfig(e: ClientEnv): ClientConfig | undefined {
  const path = configPath(e);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ValidationError(path, `is not valid JSON (${(err as Error).message}); run modelplane login again`);
  }
  return parseOrThrow(ClientConfigSchema, raw, path);
}

/** Store a login: the folder 0700, the file 0600 (it holds a key). */
export function writeStoredConfig(e: ClientEnv, config: ClientConfig): string {
  const path = configPath(e);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** URL and key to use: the environment over the stored login. Missing either is an error saying how to log in. */
export function resolveClientConfig(e: ClientEnv): ClientConfig {
  const stored = readStoredConfig(e);
  const url = e.env["MODELPLANE_URL"] || stored?.url;
  const key = e.env["MODELPLANE_KEY"] || stored?.key;
  if (!url || !key) {
    throw new ValidationError(
      url ? "MODELPLANE_KEY" : "MODELPLANE_URL",
      "not logged in: run `modelplane login --url http://127.0.0.1:8080` (it asks for the key, or reads MODELPLANE_KEY), or set MODELPLANE_URL and MODELPLANE_KEY",
    );
  }
  return { url: parseUrl(url, e.env["MODELPLANE_URL"] ? "MODELPLANE_URL" : "url"), key };
}
