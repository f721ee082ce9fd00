/**
 * `modelplane kube-token eks|gke [options]`: a Kubernetes exec credential plugin. Prints an
 * ExecCredential (client.authentication.k8s.io/v1beta1) on stdout for the kubeconfigs the control
 * plane's workers use (providers/kube-token.ts), so the image needs neither the AWS CLI nor
 * gke-gcloud-auth-plugin. A missing credential source or a failed call prints one line naming
 * what is missing and the fix on stderr and exits 1; bad options exit 2.
 *
 * A sub-command of the one CLI rather than a script of its own: the image already has the
 * launcher (bin/modelplane.js, on PATH as `modelplane`), the command is loaded lazily and imports
 * no Pulumi SDK, and client-go caches the token until its expiry, so it runs about once per
 * 14 minutes (EKS) or per hour (GKE) per provider process.
 */
import type { Command } from "../main";
import type { CommandIO } from "./catalog";
import { ValidationError } from "../../platform/core/validation";
import { KubeTokenError } from "../../providers/kubernetes/exec-credential";
import { KUBE_TOKEN_SOURCES, kubeTokenSource } from "../../providers/kube-token";

function usage(): string {
  return [
    "usage: modelplane kube-token <source> [options]",
    "",
    "Prints a Kubernetes ExecCredential (client.authentication.k8s.io/v1beta1) on stdout.",
    "",
    "sources:",
    ...Object.values(KUBE_TOKEN_SOURCES).map((s) => `  ${s.usage}`),
  ].join("\n");
}

export async function runKubeToken(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CommandIO,
  now: Date = new Date(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    io.out(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const source = kubeTokenSource(name);
  if (source === undefined) {
    throw new ValidationError(
      "SOURCE",
      `unknown source "${name}"; use one of ${Object.keys(KUBE_TOKEN_SOURCES).join(", ")}`,
    );
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`usage: modelplane kube-token ${source.usage}\n`);
    return 0;
  }
  try {
    io.out(`${JSON.stringify(await source.credential(rest, env, now))}\n`);
    return 0;
  } catch (err) {
    if (err instanceof KubeTokenError) {
      io.err(`modelplane kube-token ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

export const command: Command = {
  summary: "print a Kubernetes ExecCredential for EKS or GKE (the control plane's kubeconfig exec plugin)",
  run: (argv) =>
    runKubeToken(argv, process.env, {
      out: (t) => {
        process.stdout.write(t);
      },
      err: (t) => {
        process.stderr.write(t);
      },
    }),
};
