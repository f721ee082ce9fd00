/**
 * ModelStore on AWS: an S3 bucket (`aws.s3.Bucket`, not the deprecated V2 types) with public
 * access blocked, ACLs disabled, versioning, SSE-KMS with a bucket key, and a lifecycle
 * configuration (INTELLIGENT_TIERING → GLACIER_IR, noncurrent-version expiry, multipart abort);
 * plus a read-only IAM policy and a role EKS Pod Identity can hand to the model server.
 */
import { aws, type AwsTypes } from "../sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { StorePlan, StoreProvider, StoreResult, TieringPlan } from "../types/store";
import { checkS3BucketName, iamName, s3BucketName, S3_MAX } from "./naming";

type LifecycleRule = AwsTypes.types.input.s3.BucketLifecycleConfigurationRule;

/** The S3 lifecycle rules for a tiering plan. Pure; every rule applies to the whole bucket. */
export function s3LifecycleRules(t: TieringPlan): LifecycleRule[] {
  // Tier by access, not by age: Intelligent-Tiering from day 0 moves an object to its infrequent and
  // archive-instant tiers only after 30 / 90 days without access, with no retrieval fee, and back to
  // frequent on the next read. Age-based Glacier IR charged a retrieval on every cold start of a live
  // model (issue 12, #14). The age thresholds of the plan do not apply here.
  // (https://aws.amazon.com/s3/storage-classes/intelligent-tiering/, read 2026-11-30; objects under
  // 128 KB are not monitored and stay frequent.)
  const transitions: { days: number; storageClass: string }[] = [{ days: 0, storageClass: "INTELLIGENT_TIERING" }];
  return [
    { id: "tiering", status: "Enabled", filter: {}, transitions },
    {
      id: "noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: t.noncurrentVersionExpirationDays },
      expiration: { expiredObjectDeleteMarker: true },
    },
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: t.abortIncompleteUploadDays },
    },
  ];
}

/** Read-only access to one bucket (list the bucket, get objects and their versions). Pure. */
export function s3ReadOnlyPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListModelBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: bucketArn,
      },
      {
        Sid: "ReadModelObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: `${bucketArn}/*`,
      },
    ],
  });
}

/**
 * Trust policy for EKS Pod Identity (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html,
 * read 2026-11-22): the `pods.eks.amazonaws.com` service principal with AssumeRole and TagSession.
 */
export const POD_IDENTITY_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
  ],
});

function create(plan: StorePlan, parent: pulumi.ComponentResource): StoreResult {
  const { name, region, tags } = plan;
  const opts = { parent };
  const bucket = new aws.s3.Bucket(
    `${name}-bucket`,
    { bucket: plan.storageName, region, forceDestroy: plan.forceDestroy, tags },
    opts,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      region,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    {
      bucket: bucket.id,
      region,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    },
    { parent, dependsOn: [publicAccess] },
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    {
      bucket: bucket.id,
      region,
      versioningConfiguration: { status: "Enabled" },
    },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      region,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: bucket.id,
      region,
      rules: s3LifecycleRules(plan.tiering),
    },
    { parent, dependsOn: [versioning] },
  );

  const policy = new aws.iam.Policy(
    `${name}-reader-policy`,
    {
      name: iamName(name, plan.storageName, "reader"),
      description: `Read-only access to the modelplane model store ${plan.storageName}`,
      policy: bucket.arn.apply(s3ReadOnlyPolicy),
      tags,
    },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-reader-role`,
    {
      name: iamName(name, plan.storageName, "reader"),
      description: `Model servers reading ${plan.storageName} (EKS Pod Identity)`,
      assumeRolePolicy: POD_IDENTITY_TRUST,
      tags,
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(`${name}-reader-attachment`, { role: role.name, policyArn: policy.arn }, opts);

  return {
    uri: bucket.bucket.apply((b) => `s3://${b}/${plan.container}`),
    storageName: bucket.bucket,
    access: { identity: role.arn, clientId: role.arn, grant: policy.arn },
  };
}

export const awsStore: StoreProvider = {
  maxStorageNameLength: S3_MAX,
  storageName: s3BucketName,
  checkStorageName: checkS3BucketName,
  create,
};
