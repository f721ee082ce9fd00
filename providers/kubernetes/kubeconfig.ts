/**
 * Kubeconfig documents for managed clusters whose credentials come from an exec plugin
 * (`aws eks get-token`, `gke-gcloud-auth-plugin`). JSON is valid YAML, so kubectl and the
 * `@pulumi/kubernetes` provider take the result as is. Pure.
 */

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
