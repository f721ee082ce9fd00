/**
 * Workload identity for model-server pods: how a Kubernetes ServiceAccount is tied to the cloud
 * identity that may read the model store. One row per cloud (this is `providers/`, the one place
 * that knows what a cloud means): the annotations and pod labels (pure), and the per-deployment
 * binding that lets that one ServiceAccount act as the identity (`bindWorkloadIdentity`):
 * an EKS Pod Identity association, a GKE `roles/iam.workloadIdentityUser` member, or an Azure
 * federated identity credential on the AKS OIDC issuer.
 *
 * - AWS: EKS Pod Identity maps the ServiceAccount to the reader role through a
 *   `PodIdentityAssociation` (the Pod Identity agent add-on is installed with the cluster); no
 *   annotation. The IRSA annotation `eks.amazonaws.com/role-arn` is NOT set: IRSA needs an IAM OIDC
 *   provider for the cluster and a role trusting it, and the reader role trusts
 *   `pods.eks.amazonaws.com` only, so the annotation pointed at nothing (issue 12, #16).
 *   https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html (read 2026-11-22)
 * - GCP: `iam.gke.io/gcp-service-account: <sa email>` on the ServiceAccount (GKE Workload Identity).
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity (read 2026-11-22)
 * - Azure: `azure.workload.identity/client-id: <client id>` on the ServiceAccount and the pod label
 *   `azure.workload.identity/use: "true"`. https://azure.github.io/azure-workload-identity/docs/ (read 2026-11-22)
 */
import { aws, gcp, containerservice, managedidentity } from "../sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { PlacementCloud } from "../../platform/core/types";
import { ValidationError } from "../../platform/core/validation";
import { shortHash } from "../../platform/core/naming";
import { checkName } from "../limits/names";
import { createOwnReader, type OwnReader, type OwnReaderArgs } from "../azure/reader-identity";

/**
 * Name of the Azure federated identity credential for one serving revision of a deployment: unique
 * per deployment id, so two deployments of one model (same ServiceAccount base name, same identity)
 * never write the same credential, and unique per revision, so the two revisions of a rollout (two
 * ServiceAccounts, two subjects) do not overwrite one credential, and promote or abort deletes only
 * the leaving revision's. Revision 1 keeps the unsuffixed name (no replacement of existing
 * credentials). Within the name limits of `providers/limits/names.ts` (3–120, alphanumerics, `-`, `_`).
 * Pure.
 */
export function federatedCredentialName(deploymentId: string, revision = 1): string {
  if (!Number.isInteger(revision) || revision < 1)
    throw new Error(`revision: ${revision} is not a revision number (an integer from 1)`);
  const name = `mp-dep-${shortHash(deploymentId, 20)}${revision === 1 ? "" : `-r${revision}`}`;
  const violation = checkName("azure-federated-identity-credential", name);
  if (violation) throw new Error(violation.message);
  return name;
}

export interface WorkloadIdentityInput {
  /** What a service-account annotation names: AWS role ARN, GCP service-account email, Azure client id. */
  clientId?: string;
  /** The identity itself (AWS role ARN, GCP SA email, Azure identity resource id). */
  identity?: string;
}

export interface WorkloadIdentity {
  serviceAccountAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
}

const NONE: WorkloadIdentity = { serviceAccountAnnotations: {}, podLabels: {} };

type Row = (input: WorkloadIdentityInput) => WorkloadIdentity;

const ROWS: Readonly<Record<PlacementCloud, Row>> = {
  // EKS Pod Identity: the association (bindWorkloadIdentity) is the whole binding; nothing on the pod.
  aws: () => NONE,
  // The service-account email is both the identity and what the annotation names.
  gcp: (i) => {
    const email = i.clientId ?? i.identity;
    return email ? { serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": email }, podLabels: {} } : NONE;
  },
  // Only the client id will do (the identity is a resource id, not what the webhook reads).
  azure: (i) =>
    i.clientId
      ? {
          serviceAccountAnnotations: { "azure.workload.identity/client-id": i.clientId },
          podLabels: { "azure.workload.identity/use": "true" },
        }
      : NONE,
  // A brought cluster: the platform knows no cloud identity there. Pods read public or hf:// URIs,
  // or credentials the engineer provides on the cluster.
  kubernetes: () => NONE,
};

/** Annotations and labels that let pods read the store as `input`'s identity; empty when none is known. */
export function workloadIdentityFor(cloud: PlacementCloud, input: WorkloadIdentityInput): WorkloadIdentity {
  const row = ROWS[cloud];
  if (!row)
    throw new Error(
      `cloud: "${String(cloud)}" has no workload-identity mapping; use one of ${Object.keys(ROWS).join(", ")}`,
    );
  return row(input);
}

/** What a binding needs: the cluster, the identity, and the ServiceAccount it is granted to. */
export interface IdentityBindingArgs {
  /** Child resource name (`${name}` itself; one resource per binding). */
  name: string;
  cluster: { clusterName: string; project?: string; resourceGroupName?: string };
  identity?: string;
  /** Azure: the identity by group and name (a stack's own reader, `ownReaderIdentity`), instead of parsing `identity`. */
  identityRef?: { resourceGroupName: string; name: string };
  clientId?: string;
  namespace: string;
  serviceAccount: string;
  /** The deployment's id: names the Azure federated credential (see `federatedCredentialName`). */
  deploymentId: string;
  /** The serving revision the ServiceAccount belongs to (default 1): also names the credential. */
  revision?: number;
  /**
   * The binding this one must wait for. Azure refuses concurrent writes of federated identity
   * credentials under one user-assigned identity (409 Conflict) and asks for them one after the
   * other, e.g. with `dependsOn`; every binding of a stack is chained so (see `bindWorkloadIdentity`).
   */
  after?: pulumi.Resource;
  /** Cost tags (AWS only; the GCP and Azure binding resources take none). */
  tags: Record<string, string>;
}

type Binder = (
  a: IdentityBindingArgs & { identity: string },
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** `sa@proj.iam.gserviceaccount.com` → `proj`. */
export function gcpProjectOfServiceAccount(email: string): string | undefined {
  return /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
}

/** `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/name` → parts. */
export function azureIdentityParts(id: string): { resourceGroupName: string; name: string } | undefined {
  const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i.exec(
    id,
  );
  return m && m[1] && m[2] ? { resourceGroupName: m[1], name: m[2] } : undefined;
}

const BINDERS: Readonly<Record<PlacementCloud, Binder | undefined>> = {
  // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html (read 2026-11-22)
  aws: (a, opts) =>
    new aws.eks.PodIdentityAssociation(
      a.name,
      {
        clusterName: a.cluster.clusterName,
        namespace: a.namespace,
        serviceAccount: a.serviceAccount,
        roleArn: a.identity,
        tags: a.tags,
      },
      opts,
    ),
  // https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#kubernetes-sa-to-iam (read 2026-11-22)
  gcp: (a, opts) => {
    const project = a.cluster.project ?? gcpProjectOfServiceAccount(a.identity);
    if (!project)
      throw new ValidationError(
        "clusterRef.project",
        `is required to bind ${a.identity} (not a <name>@<project>.iam.gserviceaccount.com address)`,
      );
    return new gcp.serviceaccount.IAMMember(
      a.name,
      {
        serviceAccountId: `projects/${project}/serviceAccounts/${a.identity}`,
        role: "roles/iam.workloadIdentityUser",
        member: `serviceAccount:${project}.svc.id.goog[${a.namespace}/${a.serviceAccount}]`,
      },
      opts,
    );
  },
  // https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster#establish-federated-identity-credential (read 2026-11-22)
  azure: (a, opts) => {
    const parts = a.identityRef ?? azureIdentityParts(a.identity);
    if (!parts)
      throw new ValidationError("store.readerIdentity", `"${a.identity}" is not a user-assigned identity resource id`);
    if (!a.cluster.resourceGroupName)
      throw new ValidationError("clusterRef.resourceGroupName", "is required to read the AKS OIDC issuer");
    const cluster = containerservice.getManagedClusterOutput(
      { resourceGroupName: a.cluster.resourceGroupName, resourceName: a.cluster.clusterName },
      opts.parent ? { parent: opts.parent } : {},
    );
    return new managedidentity.FederatedIdentityCredential(
      a.name,
      {
        resourceGroupName: parts.resourceGroupName,
        resourceName: parts.name,
        // Not `<model>-identity`: two deployments of one model would overwrite each other's credential.
        federatedIdentityCredentialResourceName: federatedCredentialName(a.deploymentId, a.revision ?? 1),
        issuer: cluster.apply((c) => c.oidcIssuerProfile?.issuerURL ?? ""),
        subject: `system:serviceaccount:${a.namespace}:${a.serviceAccount}`,
        audiences: ["api://AzureADTokenExchange"],
      },
      opts,
    );
  },
  // A brought cluster has no cloud identity to bind (see ROWS).
  kubernetes: undefined,
};

/**
 * Grant `serviceAccount` in `namespace` the store reader identity, for this deployment only.
 * Returns the binding resource, or `undefined` when the platform exports no reader identity (or the
 * cluster is a brought one, where no cloud identity is known).
 * `a.after` is added to the binding's `dependsOn`: a stack's bindings are written one at a time.
 * Azure: "Creating multiple federated identity credentials under the same user-assigned managed
 * identity concurrently triggers concurrency detection logic, which causes requests to fail with
 * 409-conflict HTTP status code"; create them sequentially, e.g. with `dependsOn`
 * (https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-considerations,
 * "Concurrent updates aren't supported", read 2026-12-01). The chain costs AWS and GCP nothing
 * that matters (at most two bindings per stack, during a rollout).
 */
export function bindWorkloadIdentity(
  cloud: PlacementCloud,
  a: IdentityBindingArgs,
  opts: pulumi.CustomResourceOptions = {},
): pulumi.CustomResource | undefined {
  if (!Object.hasOwn(BINDERS, cloud))
    throw new Error(
      `cloud: "${String(cloud)}" has no workload-identity binding; use one of ${Object.keys(BINDERS).join(", ")}`,
    );
  const binder = BINDERS[cloud];
  if (!binder || (!a.identity && !a.identityRef)) return undefined;
  if (a.after && opts.dependsOn !== undefined)
    throw new Error("bindWorkloadIdentity: give the binding to wait for as `after` or in opts.dependsOn, not both");
  return binder({ ...a, identity: a.identity ?? "" }, a.after ? { ...opts, dependsOn: [a.after] } : opts);
}

/**
 * Clouds where each model stack reads its weights as an identity of its own rather than the
 * store's shared reader: Azure, where one identity takes at most 20 federated credentials and
 * refuses concurrent writes (providers/azure/reader-identity.ts). AWS and GCP keep the store's
 * shared reader: an EKS Pod Identity association is an object of its own per ServiceAccount, and
 * neither cloud documents a per-role or per-service-account cap like Azure's 20 credentials.
 */
const OWN_READERS: Readonly<Record<PlacementCloud, ((a: OwnReaderArgs) => OwnReader | undefined) | undefined>> = {
  aws: undefined,
  gcp: undefined,
  azure: (a) => createOwnReader(a),
  kubernetes: undefined,
};

/** The stack's own reader identity on clouds that need one (see OWN_READERS); undefined elsewhere. */
export function ownReaderIdentity(cloud: PlacementCloud, a: OwnReaderArgs): OwnReader | undefined {
  return OWN_READERS[cloud]?.(a);
}
