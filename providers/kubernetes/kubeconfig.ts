/**
 * Kubeconfig documents for managed clusters whose credentials come from an exec plugin
 * (`aws eks get-token`, `gke-gcloud-auth-plugin`). JSON is valid YAML, so kubectl and the
 * `@pulumi/kubernetes` provider take the result as is. Pure.
 */
import { parse as parseYaml } from "yaml";

export interface ExecKubeconfigArgs {
  /** Context / cluster / user name inside the document. */
  name: string;
  /** API server URL (`https://…`). A bare host is prefixed with `https://`. */
  endpoint: string;
  /** Base64 certificate authority data. */
  caData: string;
  /** Exec credential plugin command and its arguments. */
  command: string;
  args: string[];
  /** Printed by kubectl when the command is missing. */
  installHint: string;
  /** Extra environment for the plugin. */
  env?: Record<string, string>;
}

export function execKubeconfig(a: ExecKubeconfigArgs): string {
  const server = /^https?:\/\//.test(a.endpoint) ? a.endpoint : `https://${a.endpoint}`;
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: a.name, cluster: { server, "certificate-authority-data": a.caData } }],
    contexts: [{ name: a.name, context: { cluster: a.name, user: a.name } }],
    "current-context": a.name,
    users: [
      {
        name: a.name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: a.command,
            args: a.args,
            env: Object.entries(a.env ?? {}).map(([name, value]) => ({ name, value })),
            installHint: a.installHint,
            interactiveMode: "Never",
            provideClusterInfo: true,
          },
        },
      },
    ],
  };
  return JSON.stringify(doc);
}

/** A kubeconfig user's `exec` section (the fields modelplane reads or writes). */
export interface KubeExec {
  apiVersion?: string;
  command: string;
  args?: string[] | null;
  env?: Array<{ name: string; value: string }> | null;
  installHint?: string;
  interactiveMode?: string;
  provideClusterInfo?: boolean;
}

/** The program an exec section runs, without its directory or `.exe` (`/usr/local/bin/aws` → `aws`). */
export function execProgram(command: string): string {
  return (command.split(/[\\/]/).pop() ?? command).replace(/\.exe$/i, "");
}

function isExec(v: unknown): v is KubeExec {
  return typeof v === "object" && v !== null && typeof (v as { command?: unknown }).command === "string";
}

/**
 * The kubeconfig with each user's exec section passed through `rewrite` (undefined: kept). The
 * text comes back unchanged when nothing was rewritten (or it is not a kubeconfig we can read),
 * else as JSON (valid YAML, as `execKubeconfig` writes it). Pure.
 */
export function rewriteExec(kubeconfig: string, rewrite: (exec: KubeExec) => KubeExec | undefined): string {
  let doc: unknown;
  try {
    doc = parseYaml(kubeconfig);
  } catch {
    return kubeconfig;
  }
  const users = typeof doc === "object" && doc !== null ? (doc as { users?: unknown }).users : undefined;
  if (!Array.isArray(users)) return kubeconfig;
  let changed = false;
  for (const entry of users as unknown[]) {
    const user = typeof entry === "object" && entry !== null ? (entry as { user?: unknown }).user : undefined;
    const exec = typeof user === "object" && user !== null ? (user as { exec?: unknown }).exec : undefined;
    if (!isExec(exec)) continue;
    const next = rewrite(exec);
    if (next === undefined) continue;
    (user as { exec: KubeExec }).exec = next;
    changed = true;
  }
  return changed ? JSON.stringify(doc) : kubeconfig;
}
