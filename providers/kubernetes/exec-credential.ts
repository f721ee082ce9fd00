/**
 * What a Kubernetes exec credential plugin prints on stdout: an `ExecCredential` of
 * `client.authentication.k8s.io/v1beta1` with `status.token` and `status.expirationTimestamp`
 * (RFC 3339). client-go keeps the token until that time, then runs the plugin again. Pure but
 * for `fetchOrExplain`.
 * Reference: Kubernetes docs, "Authenticating", section "client-go credential plugins"
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins);
 * aws-iam-authenticator prints the same shape (pkg/token/token.go `FormatJSON`, read 2026-12-01).
 */
import { parseArgs } from "node:util";
import { ValidationError } from "../../platform/core/validation";
import type { KubeExec } from "./kubeconfig";

export const EXEC_CREDENTIAL_API_VERSION = "client.authentication.k8s.io/v1beta1";

export interface ExecCredential {
  apiVersion: typeof EXEC_CREDENTIAL_API_VERSION;
  kind: "ExecCredential";
  spec: Record<string, never>;
  status: { token: string; expirationTimestamp: string };
}

/** `2026-12-01T13:14:15Z`: RFC 3339 in UTC, whole seconds (as Kubernetes' metav1.Time prints it). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function execCredential(token: string, expires: Date): ExecCredential {
  return {
    apiVersion: EXEC_CREDENTIAL_API_VERSION,
    kind: "ExecCredential",
    spec: {},
    status: { token, expirationTimestamp: rfc3339(expires) },
  };
}

/**
 * A credential the helper could not produce: the message names what is missing and the fix, on
 * one line. `modelplane kube-token` prints it on stderr and exits 1 (kubectl and the Kubernetes
 * provider show a failing plugin's stderr).
 */
export class KubeTokenError extends Error {
  override readonly name = "KubeTokenError";
}

/** The first `max` characters of a response body, on one line (for error messages). */
export function bodySnippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** An HTTP call with a timeout; a network failure becomes a KubeTokenError naming `what` and `fix`. */
export async function fetchOrExplain(
  url: string,
  init: RequestInit,
  what: string,
  fix: string,
  timeoutMs = 5000,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new KubeTokenError(`cannot reach ${what} at ${url} (${cause}): ${fix}`);
  }
}

/** One credential source of `modelplane kube-token <name>` (registered in providers/kube-token.ts). */
export interface KubeTokenSource {
  /** The sub-command: `eks`, `gke`. */
  readonly name: string;
  /** One line for `modelplane kube-token --help`. */
  readonly usage: string;
  /** The credential for `argv` (the options after the source's name); a KubeTokenError or ValidationError when it cannot. */
  credential(argv: string[], env: Readonly<Record<string, string | undefined>>, now: Date): Promise<ExecCredential>;
  /**
   * The exec section that runs this source through `command` (e.g. `modelplane`) in place of the
   * cloud's CLI plugin `exec`, or undefined when `exec` is not that plugin. Pure.
   */
  workerExec(exec: KubeExec, command: string): KubeExec | undefined;
}

/**
 * `--name value` options of a source; an unknown option, a missing value or a stray argument is a
 * ValidationError naming it and listing the accepted ones.
 */
export function parseSourceOptions(source: string, argv: string[], names: readonly string[]): Record<string, string> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (typeof v === "string") out[k] = v;
    return out;
  } catch (err) {
    throw new ValidationError(
      source,
      `${err instanceof Error ? err.message : String(err)}; accepted options: ${names.map((n) => `--${n}`).join(", ") || "none"}`,
    );
  }
}
