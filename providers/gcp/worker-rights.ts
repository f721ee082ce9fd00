/**
 * The GCP rights the control plane's workers need to run the per-model deployment stacks
 * (programs/deployment), as data: per resource type a deployment stack registers (the types a
 * recorded run of the program registers; `programs/deployment/worker-rights.test.ts` fails when a
 * type has no grant), the IAM permissions it needs and where they are granted. providers/gcp/control-plane.ts
 * puts the project-level ones into one custom role bound to the pods' service account, and the
 * service-account-level ones into a second custom role bound on each service account the stacks
 * hand to Google (the store's reader, the nodes' account) only.
 *
 * Scope, as narrow as GCP allows (read 2026-12-01):
 * - GKE node pools: `container.clusters.update` on the parent cluster
 *   (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools/create);
 *   GKE permissions are granted on the project (clusters hold no IAM policy of their own:
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/iam), so the workers may change every
 *   cluster of the project, the platform's own node pools included. Unavoidable; said.
 * - Cloud Run services: `run.services.*` at project level (a service that does not exist yet has
 *   no policy to grant on: https://cloud.google.com/run/docs/reference/iam/roles), every service of
 *   the project.
 * - Acting as a service account (`iam.serviceAccounts.actAs`: a node pool's nodes run as the
 *   Compute Engine default account, a Cloud Run service as the store's reader) and binding a
 *   deployment's Kubernetes ServiceAccount to the reader (`getIamPolicy`/`setIamPolicy` on it, what
 *   `gcp.serviceaccount.IAMMember` does): granted on those accounts only
 *   (https://cloud.google.com/iam/docs/service-accounts-actas, https://cloud.google.com/iam/docs/manage-access-service-accounts).
 *   `setIamPolicy` on the reader lets a worker let any principal act as the reader, which can read
 *   the store's weights and nothing else.
 * - Reaching the cluster's Kubernetes API: `container.clusters.get` (the kubeconfig's
 *   `gke-gcloud-auth-plugin` token is accepted for a principal with it); what it may do there is
 *   Kubernetes RBAC (providers/kubernetes/worker-rbac.ts), no `container.*` object permission is
 *   granted through IAM.
 * Permission names from the IAM permissions reference, https://cloud.google.com/iam/docs/permissions-reference
 * (read 2026-12-01). GKE's long-running operations are read with `container.operations.get` (and
 * listed with `container.operations.list`), and node pools are created and deleted with
 * `container.clusters.update`: https://cloud.google.com/kubernetes-engine/docs/reference/api-permissions
 * (read 2026-12-01). ASSUMPTION (not checked on a real project; Cloud Run's permissions page lists
 * no operations table): Cloud Run's long-running operations are read with `run.operations.get`.
 */

export interface GcpGrant {
  /** Deployment-stack resource types this grant serves (Pulumi type tokens). */
  types: readonly string[];
  permissions: readonly string[];
  /** `project`: the project custom role; `service-account`: the custom role bound on the passed accounts only. */
  level: "project" | "service-account";
  source: string;
}

const NODE_POOL = "gcp:container/nodePool:NodePool";
const RUN = "gcp:cloudrunv2/service:Service";
const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";

export const GCP_WORKER_GRANTS: readonly GcpGrant[] = [
  {
    types: [NODE_POOL],
    permissions: [
      "container.clusters.get",
      "container.clusters.update",
      "container.operations.get",
      "container.operations.list",
    ],
    level: "project",
    source:
      "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools/create",
  },
  {
    types: [RUN],
    permissions: [
      "run.services.create",
      "run.services.get",
      "run.services.list",
      "run.services.update",
      "run.services.delete",
      "run.operations.get",
    ],
    level: "project",
    // run.services.{get,list,create,update,delete}: https://cloud.google.com/run/docs/reference/iam/permissions;
    // run.operations.* is in Cloud Run Developer (https://cloud.google.com/run/docs/reference/iam/roles).
    source: "https://cloud.google.com/run/docs/reference/iam/permissions",
  },
  {
    types: [NODE_POOL, RUN],
    permissions: ["iam.serviceAccounts.actAs", "iam.serviceAccounts.get"],
    level: "service-account",
    source: "https://cloud.google.com/iam/docs/service-accounts-actas",
  },
  {
    types: [SA_MEMBER],
    permissions: ["iam.serviceAccounts.getIamPolicy", "iam.serviceAccounts.setIamPolicy"],
    level: "service-account",
    source: "https://cloud.google.com/iam/docs/manage-access-service-accounts",
  },
];

/** The sorted, de-duplicated permissions of `level`. Pure. */
export function gcpWorkerPermissions(level: GcpGrant["level"]): string[] {
  return [...new Set(GCP_WORKER_GRANTS.filter((g) => g.level === level).flatMap((g) => g.permissions))].sort();
}

/** The Compute Engine default service account of project number `n` (GKE nodes without `serviceAccount` run as it). Pure. */
export function computeDefaultAccount(projectNumber: string): string {
  return `${projectNumber}-compute@developer.gserviceaccount.com`;
}

/** A custom role id (`[a-zA-Z0-9_.]{3,64}`) from the component's short hash. Pure. */
export function workerRoleId(hash: string, level: GcpGrant["level"]): string {
  return `modelplane_workers_${level === "project" ? "project" : "sa"}_${hash.replace(/[^a-zA-Z0-9]/g, "")}`;
}
