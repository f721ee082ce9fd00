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
 * The instance has a public IP with SSL required and no authorized network: pods reach it through
 * the Cloud SQL Auth Proxy or a private IP (a VPC setting not configurable yet).
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
            ipConfiguration: { ipv4Enabled: true, sslMode: "ENCRYPTED_ONLY" },
            userLabels: labels,
          },
        },
        opts,
      );
      new gcp.sql.Database(`${name}-db-modelplane`, { ...project, instance: instance.name, name: "modelplane" }, opts);
      new gcp.sql.User(
        `${name}-db-user`,
        { ...project, instance: instance.name, name: "modelplane", password: db.password },
        opts,
      );
      out.databaseUrl = pulumi.secret(
        pulumi.interpolate`postgres://modelplane:${pulumi.output(db.password).apply(encodeURIComponent)}@${instance.publicIpAddress}:5432/modelplane?sslmode=require`,
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
      out.podIdentity = account.email;
      out.serviceAccountAnnotations = account.email.apply(
        (email) => workloadIdentityFor("gcp", { clientId: email }).serviceAccountAnnotations,
      );
    }
    return out;
  },
};

/** The pods' Google service account id: `mp-cp-<hash of the component name>`, 14 characters (6–30 allowed). Pure. */
export function controlPlaneAccountId(name: string): string {
  return `mp-cp-${shortHash(name, 8)}`;
}
