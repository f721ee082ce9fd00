/**
 * ModelStore on Azure: a StorageV2 account (HTTPS only, TLS 1.2, no public blob access, no shared
 * keys — Entra ID only, Microsoft-managed encryption), blob versioning, a private blob container,
 * and a lifecycle management policy (Hot → Cool → Cold by age, old versions deleted); plus a
 * user-assigned identity holding Storage Blob Data Reader on the container.
 */
import { authorization, managedidentity, resources, storage } from "../sdk";
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input";
import { toAzureTags } from "../../platform/core/tags";
import type { StorePlan, StoreProvider, StoreResult, TieringPlan } from "../types/store";
import { checkStorageAccountName, storageAccountName, STORAGE_ACCOUNT_MAX } from "./naming";

/**
 * Built-in role "Storage Blob Data Reader"
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-blob-data-reader, read 2026-11-22).
 */
export const STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

type ManagementPolicyRule = inputs.storage.ManagementPolicyRuleArgs;

/**
 * Last-access-time tracking on the blob service, which lifecycle rules need to tier by access
 * (https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview, "Move data based
 * on last accessed time", read 2026-11-30).
 */
export const LAST_ACCESS_TRACKING: inputs.storage.LastAccessTimeTrackingPolicyArgs = {
  enable: true,
  name: "AccessTimeTracking",
  trackingGranularityInDays: 1,
  blobType: ["blockBlob"],
};

/**
 * The lifecycle management rules for a tiering plan, limited to the container's blobs. Tiers by
 * days since last ACCESS, not since modification: a model read at every cold start stays Hot, and a
 * Cool blob that is read goes back to Hot (`enableAutoTierToHotFromCool`). Age-based rules moved
 * live weights to Cool/Cold and charged a retrieval on each cold start (issue 12, #14). Pure.
 */
export function azureLifecycleRules(t: TieringPlan, container: string): ManagementPolicyRule[] {
  const baseBlob: inputs.storage.ManagementPolicyBaseBlobArgs = {
    tierToCool: { daysAfterLastAccessTimeGreaterThan: t.coolAfterDays },
    enableAutoTierToHotFromCool: true,
  };
  if (t.coldAfterDays !== null) baseBlob.tierToCold = { daysAfterLastAccessTimeGreaterThan: t.coldAfterDays };
  return [
    {
      name: "modelplane-tiering",
      enabled: true,
      type: "Lifecycle",
      definition: {
        filters: { blobTypes: ["blockBlob"], prefixMatch: [`${container}/`] },
        actions: { baseBlob, version: { delete: { daysAfterCreationGreaterThan: t.noncurrentVersionExpirationDays } } },
      },
    },
  ];
}

/** `/subscriptions/<id>/…` → `<id>` (empty when the id has no subscription segment). Pure. */
export function subscriptionOf(resourceId: string | undefined): string {
  const parts = (resourceId ?? "").split("/");
  const at = parts.findIndex((p) => p.toLowerCase() === "subscriptions");
  return at >= 0 ? (parts[at + 1] ?? "") : "";
}

function create(plan: StorePlan, parent: pulumi.ComponentResource): StoreResult {
  const { name, region: location } = plan;
  const opts = { parent };
  const tags = toAzureTags(plan.tags);
  const resourceGroupName =
    plan.resourceGroupName ?? new resources.ResourceGroup(`${name}-rg`, { location, tags }, opts).name;
  const account = new storage.StorageAccount(
    `${name}-account`,
    {
      accountName: plan.storageName,
      resourceGroupName,
      location,
      kind: storage.Kind.StorageV2,
      sku: { name: storage.SkuName.Standard_LRS },
      accessTier: storage.AccessTier.Hot,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
      encryption: {
        keySource: storage.KeySource.Microsoft_Storage,
        services: { blob: { enabled: true, keyType: storage.KeyType.Account } },
      },
      tags,
    },
    opts,
  );
  const blobService = new storage.BlobServiceProperties(
    `${name}-blob-service`,
    {
      accountName: account.name,
      resourceGroupName,
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 7 },
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
      lastAccessTimeTrackingPolicy: LAST_ACCESS_TRACKING,
    },
    opts,
  );
  const container = new storage.BlobContainer(
    `${name}-container`,
    {
      accountName: account.name,
      resourceGroupName,
      containerName: plan.container,
      publicAccess: storage.PublicAccess.None,
    },
    opts,
  );
  new storage.ManagementPolicy(
    `${name}-lifecycle`,
    {
      accountName: account.name,
      resourceGroupName,
      managementPolicyName: "default",
      policy: { rules: azureLifecycleRules(plan.tiering, plan.container) },
    },
    { parent, dependsOn: [blobService] },
  );
  const reader = new managedidentity.UserAssignedIdentity(
    `${name}-reader`,
    { resourceGroupName, location, tags },
    opts,
  );
  const grant = new authorization.RoleAssignment(
    `${name}-reader-grant`,
    {
      principalId: reader.principalId,
      principalType: authorization.PrincipalType.ServicePrincipal,
      roleDefinitionId: account.id.apply(
        (id) =>
          `/subscriptions/${subscriptionOf(id)}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_READER}`,
      ),
      scope: container.id,
      description: `modelplane: read ${plan.storageName}/${plan.container}`,
    },
    opts,
  );
  return {
    uri: account.id.apply(() => `https://${plan.storageName}.blob.core.windows.net/${plan.container}`),
    storageName: account.id.apply(() => plan.storageName),
    access: { identity: reader.id, clientId: reader.clientId, grant: grant.id },
  };
}

export const azureStore: StoreProvider = {
  maxStorageNameLength: STORAGE_ACCOUNT_MAX,
  storageName: storageAccountName,
  checkStorageName: checkStorageAccountName,
  create,
};
