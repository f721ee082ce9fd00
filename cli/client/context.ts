/**
 * What every command that talks to the server shares: the resolved login, the HTTP client, where
 * output goes, and how API errors become exit codes (0 ok, 1 failure, 2 bad input naming the field).
 */
import { ValidationError } from "../../platform/core/validation";
import type { CommandIO } from "../commands/catalog";
import { ApiClient, ApiError, UnreachableError } from "./api";
import { processEnv, resolveClientConfig, type ClientEnv } from "./config";

/** The deployment fields the client shows (the API's `Deployment`, as read over HTTP). */
export interface RemoteDeployment {
  id: string;
  name: string;
  model: string;
  environment: string;
  status: string;
  placement: { cloud: string; region: string; instanceType: string; capacity: string; gpuType?: string };
  estimatedMonthlyUsd: number;
  outputs: Record<string, unknown> | null;
  error: { code?: string; message?: string } | null;
  createdAt: string;
  /**
   * How to call the model (GET of one deployment): the OpenAI base URL and a curl, or why there is
   * none. Absent from list items and from older servers.
   */
  endpoint?: { url: string; curl: string; model?: string; unverified?: string } | { url: null; reason: string };
  /** Operation history, oldest first (absent in list items). */
  operations?: Array<{ id: string; kind: string; status: string }>;
}

/**
 * Why an `unverified` deployment (applied, not seen serving) is unverified: its stored
 * `outputs.readiness.reason`, or a plain default.
 */
export function unverifiedReasonOf(d: Pick<RemoteDeployment, "outputs">): string {
  const r = d.outputs?.["readiness"];
  const reason = r && typeof r === "object" ? (r as { reason?: unknown }).reason : undefined;
  return typeof reason === "string" && reason.length > 0 ? reason : "the control plane could not observe it serving";
}

/** Statuses after which a deployment does nothing until asked again. */
export const SETTLED = new Set(["ready", "failed", "destroyed", "cancelled", "simulated", "unverified"]);

export interface ClientDeps {
  io: CommandIO;
  env?: ClientEnv;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** The client for the logged-in server. */
export function clientFor(deps: ClientDeps): ApiClient {
  const config = resolveClientConfig(deps.env ?? processEnv());
  return new ApiClient(config.url, config.key, deps.fetch ?? fetch);
}

/**
 * Run a command body; API and network errors are printed in the API's words and mapped to exit
 * codes. ValidationError propagates (cli/main.ts prints it and exits 2).
 */
export async function withClient(
  deps: ClientDeps,
  name: string,
  body: (client: ApiClient) => Promise<number>,
): Promise<number> {
  const client = clientFor(deps);
  try {
    return await body(client);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    if (err instanceof UnreachableError) {
      deps.io.err(`modelplane ${name}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof ApiError) {
      const field = err.field ? ` (${err.field})` : "";
      deps.io.err(`modelplane ${name}: ${err.status} ${err.code}${field}: ${err.message}\n`);
      if (err.details !== undefined) deps.io.err(`${JSON.stringify(err.details, null, 2)}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * The endpoint URL of a deployment's outputs, if it has one. A dry run's outputs carry the plan's
 * placeholder (`…address-known-after-apply.invalid`), which is no URL to call: none.
 */
export function endpointOf(d: Pick<RemoteDeployment, "outputs">): string | undefined {
  const o = d.outputs ?? {};
  if (o["simulated"] === true) return undefined;
  const e = o["endpoint"];
  if (typeof e === "string") return e;
  if (e && typeof e === "object" && typeof (e as { url?: unknown }).url === "string") return (e as { url: string }).url;
  return undefined;
}

/** A path segment from user input (ids are opaque: encode them). */
export const seg = (s: string): string => encodeURIComponent(s);
