/**
 * The credential sources of `modelplane kube-token` (one per managed Kubernetes whose kubeconfig
 * needs a cloud CLI plugin), and the rewrite that makes a kubeconfig exec them instead.
 *
 * Why: the control plane's workers run the per-model stacks in the modelplane image, which holds
 * neither the AWS CLI nor gke-gcloud-auth-plugin. With `MODELPLANE_KUBE_TOKEN_COMMAND` set (the
 * image sets `modelplane`), the per-model program hands its Kubernetes provider the platform's
 * kubeconfig with those exec sections replaced by `<command> kube-token <source> …`
 * (`workerKubeconfig`). AKS needs no source: its user kubeconfig carries a static credential
 * (providers/azure/cluster.ts, local accounts without Entra ID integration). Brought clusters keep
 * whatever kubeconfig they were given.
 *
 * Light on purpose: no Pulumi SDK is loaded, so the exec plugin starts fast.
 */
import type { KubeTokenSource } from "./kubernetes/exec-credential";
import { rewriteExec } from "./kubernetes/kubeconfig";
import { eksTokenSource } from "./aws/eks-token";
import { gkeTokenSource } from "./gcp/gke-token";

export const KUBE_TOKEN_SOURCES: Readonly<Record<string, KubeTokenSource>> = {
  [eksTokenSource.name]: eksTokenSource,
  [gkeTokenSource.name]: gkeTokenSource,
};

/** The source named `name`, or undefined. */
export function kubeTokenSource(name: string): KubeTokenSource | undefined {
  return Object.prototype.hasOwnProperty.call(KUBE_TOKEN_SOURCES, name) ? KUBE_TOKEN_SOURCES[name] : undefined;
}

/**
 * The kubeconfig a worker uses: every cloud-CLI exec section a source recognizes replaced by
 * `<command> kube-token …`; anything else (AKS, brought clusters) unchanged. Pure.
 */
export function workerKubeconfig(kubeconfig: string, command: string): string {
  const sources = Object.values(KUBE_TOKEN_SOURCES);
  return rewriteExec(kubeconfig, (exec) => {
    for (const s of sources) {
      const next = s.workerExec(exec, command);
      if (next !== undefined) return next;
    }
    return undefined;
  });
}
