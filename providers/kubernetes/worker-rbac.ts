/**
 * The Kubernetes rights the control plane's workers need on a cluster to run the per-model
 * deployment stacks there, as data: one rule per kind a deployment stack registers (the kinds a
 * recorded run of programs/deployment registers; `programs/deployment/worker-rights.test.ts` fails
 * when a kind has no rule), plus what the Pulumi Kubernetes provider reads while it waits for a
 * Deployment to become ready (ReplicaSets, Pods, Events). Pure builders, no Pulumi here.
 *
 * Who these rights go to: the stacks reach the cluster through the platform stack's kubeconfig
 * (programs/deployment/platform-ref.ts), not through the pods' ServiceAccount (its token is not
 * mounted). That kubeconfig authenticates
 * - on EKS as the pods' IAM role (`aws eks get-token`), which an access entry maps to the group
 *   `modelplane:stack-workers` (providers/aws/control-plane.ts);
 * - on GKE as the pods' Google service account (`gke-gcloud-auth-plugin`), whose email is the
 *   Kubernetes user name (https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication,
 *   read 2026-12-01);
 * - on AKS as the cluster's local user (`listClusterUserCredential`, providers/azure/cluster.ts):
 *   a credential of its own, not bound here.
 * Namespaces are created and patched (adopted) but never deleted (ModelService retains them).
 * Kubernetes RBAC: https://kubernetes.io/docs/reference/access-authn-authz/rbac/ (read 2026-12-01).
 */

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Name of the ClusterRole and its binding. */
export const STACK_WORKER_ROLE = "modelplane-stack-worker";

const MANAGE = ["get", "list", "watch", "create", "update", "patch", "delete"];
const READ = ["get", "list", "watch"];

/** Pulumi type token of a Kubernetes kind → the RBAC rule that lets a stack manage it. */
export const STACK_KIND_RULES: Readonly<Record<string, RbacRule>> = {
  "kubernetes:core/v1:Namespace": {
    apiGroups: [""],
    resources: ["namespaces"],
    verbs: ["get", "list", "watch", "create", "update", "patch"],
  },
  "kubernetes:core/v1:Service": { apiGroups: [""], resources: ["services"], verbs: MANAGE },
  "kubernetes:core/v1:ServiceAccount": { apiGroups: [""], resources: ["serviceaccounts"], verbs: MANAGE },
  "kubernetes:apps/v1:Deployment": { apiGroups: ["apps"], resources: ["deployments"], verbs: MANAGE },
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": {
    apiGroups: ["autoscaling"],
    resources: ["horizontalpodautoscalers"],
    verbs: MANAGE,
  },
  "kubernetes:policy/v1:PodDisruptionBudget": {
    apiGroups: ["policy"],
    resources: ["poddisruptionbudgets"],
    verbs: MANAGE,
  },
  "kubernetes:monitoring.coreos.com/v1:PodMonitor": {
    apiGroups: ["monitoring.coreos.com"],
    resources: ["podmonitors"],
    verbs: MANAGE,
  },
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": {
    apiGroups: ["gateway.networking.k8s.io"],
    resources: ["httproutes"],
    verbs: MANAGE,
  },
  "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant": {
    apiGroups: ["gateway.networking.k8s.io"],
    resources: ["referencegrants"],
    verbs: MANAGE,
  },
  "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy": {
    apiGroups: ["gateway.envoyproxy.io"],
    resources: ["backendtrafficpolicies"],
    verbs: MANAGE,
  },
  "kubernetes:keda.sh/v1alpha1:ScaledObject": { apiGroups: ["keda.sh"], resources: ["scaledobjects"], verbs: MANAGE },
  "kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject": {
    apiGroups: ["http.keda.sh"],
    resources: ["httpscaledobjects"],
    verbs: MANAGE,
  },
  "kubernetes:cloud.google.com/v1:ComputeClass": {
    apiGroups: ["cloud.google.com"],
    resources: ["computeclasses"],
    verbs: MANAGE,
  },
};

/** What the provider reads while it awaits a Deployment's rollout (ReplicaSets, Pods, Events). */
export const AWAIT_RULES: readonly RbacRule[] = [
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
  { apiGroups: [""], resources: ["pods", "events"], verbs: READ },
];

/** A ClusterRoleBinding subject. */
export interface RbacSubject {
  kind: "User" | "Group";
  name: string;
  apiGroup: "rbac.authorization.k8s.io";
}

/** The ClusterRole: every kind rule (merged by API group), then the await rules. Pure. */
export function stackWorkerClusterRole(labels: Record<string, string> = {}): Record<string, unknown> & {
  rules: RbacRule[];
} {
  const byGroup = new Map<string, RbacRule>();
  for (const r of Object.values(STACK_KIND_RULES)) {
    const key = `${r.apiGroups.join(",")}|${r.verbs.join(",")}`;
    const prev = byGroup.get(key);
    byGroup.set(key, prev ? { ...prev, resources: [...prev.resources, ...r.resources] } : { ...r });
  }
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: STACK_WORKER_ROLE, labels },
    rules: [...byGroup.values(), ...AWAIT_RULES.map((r) => ({ ...r }))],
  };
}

/** The binding of the ClusterRole to `subjects`. Pure. */
export function stackWorkerBinding(
  subjects: readonly RbacSubject[],
  labels: Record<string, string> = {},
): Record<string, unknown> {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: STACK_WORKER_ROLE, labels },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: STACK_WORKER_ROLE },
    subjects: subjects.map((s) => ({ ...s })),
  };
}

/** Does `rules` allow `verb` on `resource` of `apiGroup`? Pure (no wildcards are granted, none are read). */
export function allows(rules: readonly RbacRule[], apiGroup: string, resource: string, verb: string): boolean {
  return rules.some((r) => r.apiGroups.includes(apiGroup) && r.resources.includes(resource) && r.verbs.includes(verb));
}
