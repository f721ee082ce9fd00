/**
 * ModelStore on GCP: a Cloud Storage bucket with uniform bucket-level access, public access
 * prevention enforced, object versioning, Google-managed encryption (always on), and lifecycle
 * rules (STANDARD → NEARLINE → COLDLINE by age, noncurrent-version deletion, multipart abort);
 * plus a service account with `roles/storage.objectViewer` on the bucket for model servers.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { toGcpLabels } from "../../platform/core/tags";
import type { StorePlan, StoreProvider, StoreResult, TieringPlan } from "../types/store";
import { checkGcsBucketName, gcsBucketName, GCS_MAX, serviceAccountId } from "./naming";

type LifecycleRule = gcp.types.input.storage.BucketLifecycleRule;

/** The GCS lifecycle rules for a tiering plan. Pure. */
export function gcsLifecycleRules(t: TieringPlan): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    {
      action: { type: "SetStorageClass", storageClass: "NEARLINE" },
      condition: { age: t.coolAfterDays, matchesStorageClasses: ["STANDARD"], withState: "LIVE", sendAgeIfZero: true },
    },
  ];
  if (t.coldAfterDays !== null) {
    rules.push({
      action: { type: "SetStorageClass", storageClass: "COLDLINE" },
      condition: { age: t.coldAfterDays, matchesStorageClasses: ["STANDARD", "NEARLINE"], withState: "LIVE" },
    });
  }
  rules.push(
    {
      action: { type: "Delete" },
      condition: { daysSinceNoncurrentTime: t.noncurrentVersionExpirationDays, withState: "ARCHIVED" },
    },
    { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: t.abortIncompleteUploadDays } },
  );
  return rules;
}

function create(plan: StorePlan, parent: pulumi.ComponentResource): StoreResult {
  const { name } = plan;
  const opts = { parent };
  const labels = toGcpLabels(plan.tags);
  const project = plan.project;
  const bucket = new gcp.storage.Bucket(
    `${name}-bucket`,
    {
      name: plan.storageName,
      location: plan.region,
      project,
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      lifecycleRules: gcsLifecycleRules(plan.tiering),
      forceDestroy: plan.forceDestroy,
      labels,
    },
    opts,
  );
  const reader = new gcp.serviceaccount.Account(
    `${name}-reader`,
    {
      accountId: serviceAccountId(name, plan.storageName, "rd"),
      displayName: `modelplane reader of ${plan.storageName}`,
      description: `Read-only access to the model store gs://${plan.storageName}`,
      project,
    },
    opts,
  );
  const grant = new gcp.storage.BucketIAMMember(
    `${name}-reader-grant`,
    {
      bucket: bucket.name,
      role: "roles/storage.objectViewer",
      member: pulumi.interpolate`serviceAccount:${reader.email}`,
    },
    opts,
  );
  return {
    uri: bucket.name.apply((b) => `gs://${b}/${plan.container}`),
    storageName: bucket.name,
    access: { identity: reader.email, clientId: reader.email, grant: grant.id },
  };
}

export const gcpStore: StoreProvider = {
  maxStorageNameLength: GCS_MAX,
  storageName: gcsBucketName,
  checkStorageName: checkGcsBucketName,
  create,
};
