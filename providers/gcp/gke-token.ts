/**
 * The GKE bearer token, made without gcloud or gke-gcloud-auth-plugin: the OAuth access token of
 * the pod's Google service account from the GKE metadata server (Workload Identity), as the
 * ExecCredential of `modelplane kube-token gke`.
 *
 * Facts used (read 2026-12-01): googleapis/google-auth-library-python
 * google/auth/compute_engine/_metadata.py: `GET http://<host>/computeMetadata/v1/instance/
 * service-accounts/default/token` with header `Metadata-Flavor: Google`, host
 * `metadata.google.internal` unless `GCE_METADATA_HOST` names another `host[:port]` (the variable
 * Google's auth libraries share, commit 8ffb4d3 "replace GCE_METADATA_ROOT with GCE_METADATA_HOST"),
 * answer JSON `access_token` and `expires_in` (seconds). GKE serves that API to pods of node pools
 * with `workloadMetadataConfig.mode = GKE_METADATA` (providers/gcp/cluster.ts sets it).
 */
import {
  bodySnippet,
  execCredential,
  fetchOrExplain,
  KubeTokenError,
  parseSourceOptions,
  type ExecCredential,
  type KubeTokenSource,
} from "../kubernetes/exec-credential";
import { execProgram, type KubeExec } from "../kubernetes/kubeconfig";

export const GCE_METADATA_DEFAULT_HOST = "metadata.google.internal";
export const TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
/** Ask again a minute before the token ends. */
const EARLY_MS = 60_000;

const FIX =
  "run in a GKE pod with Workload Identity (node pool workloadMetadataConfig GKE_METADATA, its ServiceAccount annotated iam.gke.io/gcp-service-account), or point GCE_METADATA_HOST at a metadata server";

/** `http://<GCE_METADATA_HOST or metadata.google.internal>/computeMetadata/v1/instance/service-accounts/default/token`. */
export function metadataTokenUrl(env: Readonly<Record<string, string | undefined>>): string {
  return `http://${env["GCE_METADATA_HOST"] || GCE_METADATA_DEFAULT_HOST}${TOKEN_PATH}`;
}

/** The metadata server's answer → the ExecCredential (expiry `now + expires_in`, a minute early). Pure. */
export function gkeCredentialOf(body: unknown, now: Date): ExecCredential {
  const o = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const token = o["access_token"];
  const expiresIn = o["expires_in"];
  if (typeof token !== "string" || token === "" || typeof expiresIn !== "number" || !(expiresIn > 0)) {
    throw new KubeTokenError(`the GKE metadata server answered without access_token/expires_in: ${FIX}`);
  }
  const end = now.getTime() + expiresIn * 1000;
  return execCredential(token, new Date(Math.max(now.getTime(), end - EARLY_MS)));
}

export async function gkeExecCredential(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): Promise<ExecCredential> {
  parseSourceOptions("gke", argv, []);
  const url = metadataTokenUrl(env);
  const res = await fetchOrExplain(url, { headers: { "Metadata-Flavor": "Google" } }, "the GKE metadata server", FIX);
  const text = await res.text();
  if (!res.ok) {
    throw new KubeTokenError(`the GKE metadata server at ${url} answered ${res.status} (${bodySnippet(text)}): ${FIX}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new KubeTokenError(`the GKE metadata server at ${url} answered non-JSON (${bodySnippet(text)}): ${FIX}`);
  }
  return gkeCredentialOf(body, now);
}

/** `gke-gcloud-auth-plugin` (as providers/gcp/cluster.ts writes it) → `<command> kube-token gke`; undefined otherwise. Pure. */
export function gkeWorkerExec(exec: KubeExec, command: string): KubeExec | undefined {
  if (execProgram(exec.command) !== "gke-gcloud-auth-plugin") return undefined;
  return {
    apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1beta1",
    command,
    args: ["kube-token", "gke"],
    env: [],
    installHint: `\`${command} kube-token\` ships in the modelplane control plane image (docs/control-plane.md); outside it, use the platform stack's kubeconfig with gke-gcloud-auth-plugin`,
    interactiveMode: "Never",
    provideClusterInfo: exec.provideClusterInfo ?? false,
  };
}

export const gkeTokenSource: KubeTokenSource = {
  name: "gke",
  usage: "gke   a GKE token of the pod's Google service account from the metadata server (Workload Identity)",
  credential: gkeExecCredential,
  workerExec: gkeWorkerExec,
};
