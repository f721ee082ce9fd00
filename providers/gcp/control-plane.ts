/**
 * GCP pieces of the control plane: Cloud SQL for PostgreSQL, a Cloud Storage bucket for the
 * per-model stacks' Pulumi state, and a Cloud KMS key for their secrets provider.
 *
 * Facts used (read 2026-11-30):
 * - Pulumi's GCS backend `gs://<bucket>` and the secrets provider
 *   `gcpkms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>` (a CryptoKey's `id`):
 *   https://www.pulumi.com/docs/iac/concepts/state-and-backends/ and
 *   https://www.pulumi.com/docs/iac/concepts/secrets/#available-encryption-providers
 * - Cloud SQL `databaseVersion: POSTGRES_16`, tiers `db-custom-<vCPU>-<MiB>`:
 *   https://www.pulumi.com/registry/packages/gcp/api-docs/sql/databaseinstance/
 * - Private IP only (issue 12 follow-up): no public IP (`ipConfiguration.ipv4Enabled: false`), a
 *   private IP in the cluster's VPC (`privateNetwork`, the GKE network of providers/gcp/cluster.ts)
 *   through private services access: a global internal address range with purpose `VPC_PEERING`
 *   and a Service Networking connection (`servicenetworking.googleapis.com`) that reserves it; the
 *   instance waits for the connection (`dependsOn`). SSL stays required (`sslMode: ENCRYPTED_ONLY`;
 *   @pulumi/gcp 9.37.0 has no `requireSsl`). Sources, read 2026-12-01:
 *   https://cloud.google.com/sql/docs/postgres/configure-private-ip (allocate a range, create the
 *   private connection; the Service Networking API must be enabled in the project) and the Admin
 *   API's `IpConfiguration.privateNetwork` ("for example, projects/myProject/global/networks/default"),
 *   and the connection's `deletionPolicy` (@pulumi/gcp 9.37.0 `servicenetworking/connection.d.ts`):
 *   `ABANDON`, because the peering cannot be deleted for days after a Cloud SQL instance used it
 *   (GoogleCloudPlatform/ai-on-gke#550: "requires a 4 day waiting period before being deleted"),
 *   so `pulumi destroy` would fail on it.
 *   ASSUMPTION: the project has no other Service Networking connection on that network (a second
 *   create fails; `updateOnCreationFail` would replace the other connection's ranges, so it is not
 *   set).
 * - The pods' identity (with `workload`): a Google service account the pods' ServiceAccount acts as
 *   through GKE Workload Identity (`roles/iam.workloadIdentityUser` for
 *   `<project>.svc.id.goog[<namespace>/<ksa>]`, the annotation from
 *   providers/kubernetes/workload-identity.ts):
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity (read 2026-12-01).
 *   It holds `roles/storage.objectAdmin` on the state bucket and
 *   `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key, nothing project-wide.
 */
import { gcp } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { toGcpLabels } from "../../platform/core/tags";
import { shortHash } from "../../platform/core/naming";
import { workloadIdentityFor } from "../kubernetes/workload-identity";
import { gkeNetworkId, projectOf } from "./cluster";
import { computeDefaultAccount, gcpWorkerPermissions, workerRoleId } from "./worker-rights";
import type { ControlPlaneCloud, ControlPlaneCloudArgs, ControlPlaneProvider } from "../types/control-plane";

export const gcpControlPlane: ControlPlaneProvider = {
  defaultInstanceClass: "db-custom-2-7680",
  create(args: ControlPlaneCloudArgs, parent: pulumi.Resource): ControlPlaneCloud {
    const { name, region } = args;
    const labels = toGcpLabels(args.tags);
    const project = args.project !== undefined ? { project: args.project } : {};
    const opts = { parent };
    const out: ControlPlaneCloud = {};
    let bucketName: pulumi.Output<string> | undefined;
    let keyId: pulumi.Output<string> | undefined;
    if (args.database) {
      const db = args.database;
      const network = projectOf(args.project, parent).apply(gkeNetworkId);
      const peering = privateServicesAccess(name, network, args.project, parent);
      const instance = new gcp.sql.DatabaseInstance(
        `${name}-db`,
        {
          ...project,
          region,
          databaseVersion: `POSTGRES_${db.version}`,
          deletionProtection: db.deletionProtection,
          settings: {
            tier: db.instanceClass,
            diskSize: db.storageGiB,
            diskAutoresize: true,
            availabilityType: "REGIONAL",
            backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true },
            ipConfiguration: { ipv4Enabled: false, privateNetwork: network, sslMode: "ENCRYPTED_ONLY" },
            userLabels: labels,
          },
        },
        { parent, dependsOn: [peering] },
      );
      new gcp.sql.Database(`${name}-db-modelplane`, { ...project, instance: instance.name, name: "modelplane" }, opts);
      new gcp.sql.User(
        `${name}-db-user`,
        { ...project, instance: instance.name, name: "modelplane", password: db.password },
        opts,
      );
      out.databaseUrl = pulumi.secret(
        pulumi.interpolate`postgres://modelplane:${pulumi.output(db.password).apply(encodeURIComponent)}@${instance.privateIpAddress}:5432/modelplane?sslmode=require`,
      );
    }
    if (args.stateBucket) {
      const bucket = new gcp.storage.Bucket(
        `${name}-state`,
        {
          ...project,
          location: region.toUpperCase(),
          uniformBucketLevelAccess: true,
          publicAccessPrevention: "enforced",
          versioning: { enabled: true },
          labels,
        },
        opts,
      );
      out.backendUrl = pulumi.interpolate`gs://${bucket.name}`;
      bucketName = bucket.name;
    }
    if (args.kmsKey) {
      const ring = new gcp.kms.KeyRing(`${name}-secrets`, { ...project, location: region }, opts);
      const key = new gcp.kms.CryptoKey(
        `${name}-secrets-key`,
        { keyRing: ring.id, rotationPeriod: "7776000s", labels },
        opts,
      );
      out.secretsProvider = pulumi.interpolate`gcpkms://${key.id}`;
      keyId = key.id;
    }
    if (args.workload && (bucketName || keyId)) {
      const w = args.workload;
      const account = new gcp.serviceaccount.Account(
        `${name}-pods`,
        {
          ...project,
          // 6–30 characters: a stable short name from the component's.
          accountId: controlPlaneAccountId(name),
          displayName: `${name}: control plane pods`,
        },
        opts,
      );
      const member = pulumi.interpolate`serviceAccount:${account.email}`;
      if (bucketName)
        new gcp.storage.BucketIAMMember(
          `${name}-pods-state`,
          { bucket: bucketName, role: "roles/storage.objectAdmin", member },
          opts,
        );
      if (keyId)
        new gcp.kms.CryptoKeyIAMMember(
          `${name}-pods-secrets`,
          { cryptoKeyId: keyId, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member },
          opts,
        );
      new gcp.serviceaccount.IAMMember(
        `${name}-pods-workload-identity`,
        {
          serviceAccountId: account.name,
          role: "roles/iam.workloadIdentityUser",
          member: pulumi.interpolate`serviceAccount:${account.project}.svc.id.goog[${w.namespace}/${w.serviceAccount}]`,
        },
        opts,
      );
      stackWorkerRights(name, args, account, parent);
      out.podIdentity = account.email;
      out.kubernetesSubjects = account.email.apply((email) => [
        { kind: "User" as const, name: email, apiGroup: "rbac.authorization.k8s.io" as const },
      ]);
      out.serviceAccountAnnotations = account.email.apply(
        (email) => workloadIdentityFor("gcp", { clientId: email }).serviceAccountAnnotations,
      );
    }
    return out;
  },
};

/**
 * The rights the workers need to run the per-model stacks (providers/gcp/worker-rights.ts): a
 * project custom role (GKE node pools, Cloud Run services, reaching the cluster's API) bound to the
 * pods' service account on the project, and a service-account custom role (act as, bind to) bound
 * on the accounts the stacks hand to Google only: `stackIdentities` (the store's reader) and the
 * Compute Engine default account the stacks' node pools run as.
 */
function stackWorkerRights(
  name: string,
  args: ControlPlaneCloudArgs,
  account: { email: pulumi.Output<string> },
  parent: pulumi.Resource,
): void {
  const opts = { parent };
  const project = projectOf(args.project, parent);
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const hash = shortHash(name, 8);
  const projectRole = new gcp.projects.IAMCustomRole(
    `${name}-pods-stacks`,
    {
      project,
      roleId: workerRoleId(hash, "project"),
      title: `${name}: run the per-model stacks`,
      description:
        "modelplane control plane workers: GKE node pools, Cloud Run services (providers/gcp/worker-rights.ts)",
      permissions: gcpWorkerPermissions("project"),
    },
    opts,
  );
  new gcp.projects.IAMMember(`${name}-pods-stacks`, { project, role: projectRole.name, member }, opts);
  const accountRole = new gcp.projects.IAMCustomRole(
    `${name}-pods-stacks-accounts`,
    {
      project,
      roleId: workerRoleId(hash, "service-account"),
      title: `${name}: act as and bind the stacks' service accounts`,
      description: "modelplane control plane workers, on the store reader and the nodes' account only",
      permissions: gcpWorkerPermissions("service-account"),
    },
    opts,
  );
  const nodes = project.apply((p) =>
    gcp.organizations.getProjectOutput({ projectId: p }, { parent }).apply((info) => {
      if (!info.number) throw new Error(`${name}: no project number for ${p}`);
      return computeDefaultAccount(info.number);
    }),
  );
  const accounts: pulumi.Input<string>[] = [...(args.stackIdentities ?? []), nodes];
  accounts.forEach(
    (email, i) =>
      new gcp.serviceaccount.IAMMember(
        `${name}-pods-stacks-account-${i}`,
        {
          serviceAccountId: pulumi.interpolate`projects/${project}/serviceAccounts/${email}`,
          role: accountRole.name,
          member,
        },
        opts,
      ),
  );
}

/**
 * Private services access on `network`: a /16 internal range reserved for Google's service
 * producers (`purpose: VPC_PEERING`) and the Service Networking connection that peers it. Returns
 * the connection, which the Cloud SQL instance must wait for.
 */
function privateServicesAccess(
  name: string,
  network: pulumi.Input<string>,
  project: string | undefined,
  parent: pulumi.Resource,
): pulumi.Resource {
  const range = new gcp.compute.GlobalAddress(
    `${name}-db-range`,
    {
      ...(project !== undefined ? { project } : {}),
      // An explicit name: the connection reserves the range by name.
      name: controlPlaneRangeName(name),
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      prefixLength: 16,
      network,
    },
    { parent },
  );
  return new gcp.servicenetworking.Connection(
    `${name}-db-peering`,
    {
      network,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
      deletionPolicy: "ABANDON",
    },
    { parent },
  );
}

/** The private services access range: `mp-cp-sql-<hash of the component name>`, 19 characters (1–63, RFC 1035). Pure. */
export function controlPlaneRangeName(name: string): string {
  return `mp-cp-sql-${shortHash(name, 8)}`;
}

/** The pods' Google service account id: `mp-cp-<hash of the component name>`, 14 characters (6–30 allowed). Pure. */
export function controlPlaneAccountId(name: string): string {
  return `mp-cp-${shortHash(name, 8)}`;
}
