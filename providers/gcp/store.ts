/**
 * ModelStore on GCP: a Cloud Storage bucket with uniform bucket-level access, public access
 * prevention enforced, object versioning, Google-managed encryption (always on), and lifecycle
 * tiering by access (Autoclass), lifecycle rules (noncurrent-version deletion, multipart abort);
 * plus a service account with `roles/storage.objectViewer` on the bucket for model servers.
 */
import { gcp, type GcpTypes } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { toGcpLabels } from "../../platform/core/tags";
import type { StorePlan, StoreProvider, StoreResult, TieringPlan } from "../types/store";
import { checkGcsBucketName, gcsBucketName, GCS_MAX, serviceAccountId } from "./naming";

type LifecycleRule = GcpTypes.types.input.storage.BucketLifecycleRule;

/**
 * The GCS lifecycle rules for a tiering plan: old versions and stale uploads only. Storage classes
 * are left to Autoclass (see `GCS_AUTOCLASS`), which moves objects by access; an age-based
 * SetStorageClass rule would move live weights to Coldline and charge a retrieval on every cold
 * start (issue 12, #14), and GCS does not accept SetStorageClass rules on an Autoclass bucket. Pure.
 */
export function gcsLifecycleRules(t: TieringPlan): LifecycleRule[] {
  return [
    {
      action: { type: "Delete" },
      condition: { daysSinceNoncurrentTime: t.noncurrentVersionExpirationDays, withState: "ARCHIVED" },
    },
    { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: t.abortIncompleteUploadDays } },
  ];
}

/**
 * Autoclass: an object not read for 30 days moves to Nearline (the terminal class here), and back
 * to Standard when read, with no retrieval or early-deletion fees
 * (https://cloud.google.com/storage/docs/autoclass, read 2026-11-30).
 */
export const GCS_AUTOCLASS = { enabled: true, terminalStorageClass: "NEARLINE" } as const;

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
      autoclass: GCS_AUTOCLASS,
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
