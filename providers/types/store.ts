/**
 * The contract a cloud implements for `components/ModelStore.ts`: a private, encrypted, versioned
 * object store for model artifacts with lifecycle tiering, and a read-only identity for workloads.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Lifecycle tiering, resolved (every number an integer number of days, validated). */
export interface TieringPlan {
  /** Move objects to the cloud's "cool" tier after this many days since creation. */
  coolAfterDays: number;
  /** Move objects to the cloud's "cold" tier after this many days; `null` = never. Always > coolAfterDays. */
  coldAfterDays: number | null;
  /** Delete noncurrent (overwritten or deleted) versions this many days after they became noncurrent. */
  noncurrentVersionExpirationDays: number;
  /** Abort unfinished multipart uploads this many days after they started (where the cloud has the notion). */
  abortIncompleteUploadDays: number;
}

/** Everything a cloud needs to build a ModelStore, already validated by the component. */
export interface StorePlan {
  /** The component's name; children are `${name}-<role>`. */
  name: string;
  /** Region / location code (`us-east-1`, `us-central1`, `eastus`). */
  region: string;
  /** The globally unique storage name (bucket or storage account), valid for this cloud. */
  storageName: string;
  /** Folder (S3/GCS prefix) or blob container (Azure) holding the artifacts. */
  container: string;
  tiering: TieringPlan;
  /** Delete the bucket even when it holds objects. */
  forceDestroy: boolean;
  /** Cost tags, already merged with `managed-by: modelplane` (each provider converts to its own rules). */
  tags: Record<string, string>;
  /** GCP project; absent = the provider's default project. */
  project?: string;
  /** Azure resource group to create the account in; absent = the store creates `${name}-rg`. */
  resourceGroupName?: pulumi.Input<string>;
}

/** What a workload needs to read the store. Meanings differ per cloud; see each field. */
export interface StoreAccess {
  /**
   * The identity a workload runs as: AWS IAM role ARN (assumable by EKS Pod Identity), GCP
   * service-account email, Azure user-assigned identity resource id.
   */
  identity: pulumi.Output<string>;
  /**
   * What the workload binding names: AWS role ARN (the EKS Pod Identity association's `roleArn`),
   * GCP service-account email (`iam.gke.io/gcp-service-account`),
   * Azure identity client id (`azure.workload.identity/client-id`).
   */
  clientId: pulumi.Output<string>;
  /**
   * The read-only grant itself: AWS IAM policy ARN (attach it to any other role, e.g. a SageMaker
   * execution role); GCP bucket IAM member id; Azure role-assignment id.
   */
  grant: pulumi.Output<string>;
}

export interface StoreResult {
  /** A URI the model server can read: `s3://b/prefix`, `gs://b/prefix`, `https://acct.blob.core.windows.net/container`. */
  uri: pulumi.Output<string>;
  /** The bucket or storage-account name. */
  storageName: pulumi.Output<string>;
  access: StoreAccess;
}

export interface StoreProvider {
  /** Longest storage name this cloud accepts. */
  readonly maxStorageNameLength: number;
  /**
   * A valid, deterministic storage name for `seed` (free text, e.g. a model name) whose uniqueness
   * comes from `hashInput` (the seed plus a namespace such as org/project/stack). Pure.
   */
  storageName(seed: string, hashInput: string): string;
  /** `undefined` when `name` obeys this cloud's rules, else the reason it does not. Pure. */
  checkStorageName(name: string): string | undefined;
  /** Register the cloud's resources as children of `parent`. */
  create(plan: StorePlan, parent: pulumi.ComponentResource): StoreResult;
}
