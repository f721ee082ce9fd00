/**
 * Weights that do not fit a Container Apps replica's ephemeral storage go on an Azure Files share
 * mounted into the app (real-cloud finding #9).
 *
 * Facts (read 2026-11-30):
 * - Container Apps mounts Azure Files (SMB) shares through an environment storage
 *   (`Microsoft.App/managedEnvironments/storages`: `azureFile.accountName`, `accountKey`,
 *   `shareName`, `accessMode`) and a volume of `storageType: AzureFile` naming it; Blob Storage
 *   cannot be mounted, and ephemeral storage is 8 GiB per replica over 1 vCPU
 *   (https://learn.microsoft.com/azure/container-apps/storage-mounts;
 *   https://learn.microsoft.com/azure/templates/microsoft.app/managedenvironments/storages).
 * - A share's quota is 1–5,120 GiB without large file shares (102,400 GiB with them)
 *   (https://learn.microsoft.com/dotnet/api/azure.resourcemanager.storage.filesharedata.sharequota).
 *
 * The share is a cache: the main container downloads the weights into it once (as the app's
 * user-assigned identity, as for EmptyDir) and later cold starts find them there and skip the
 * download. A standard share reads at tens to hundreds of MB/s, so loading a 140 GiB model from it
 * takes minutes; docs/storage-and-serverless.md says so.
 */
import { app, storage } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../platform/core/validation";
import { storageAccountName } from "./naming";

/** Ephemeral storage of one Container Apps replica over 1 vCPU, GiB. */
export const MAX_EPHEMERAL_GIB = 8;
/** Weights up to this size are downloaded to the replica's EmptyDir (1 GiB left for the rest). */
export const MAX_EPHEMERAL_WEIGHTS_GIB = MAX_EPHEMERAL_GIB - 1;
/** Largest share quota without large file shares, GiB. */
export const MAX_SHARE_GIB = 5120;
/** Room on the share beyond the weights (tokenizer files, partial downloads), as a fraction. */
export const SHARE_HEADROOM = 0.2;

/** Where the weights volume comes from for weights of `weightsGiB` (unknown size: the EmptyDir). Pure. */
export function weightsVolumeKind(weightsGiB: number | undefined): "EmptyDir" | "AzureFile" {
  return weightsGiB !== undefined && weightsGiB > MAX_EPHEMERAL_WEIGHTS_GIB ? "AzureFile" : "EmptyDir";
}

/** The share quota for weights of `weightsGiB`: the weights plus headroom, whole GiB. Throws naming `weightsGiB` past the cap. Pure. */
export function shareQuotaGiB(weightsGiB: number): number {
  if (!(weightsGiB > 0)) throw new ValidationError("weightsGiB", `must be > 0 (got ${weightsGiB})`);
  const quota = Math.ceil(weightsGiB * (1 + SHARE_HEADROOM));
  if (quota > MAX_SHARE_GIB) {
    throw new ValidationError(
      "weightsGiB",
      `${weightsGiB.toFixed(1)} GiB of weights need a ${quota} GiB share; an Azure Files share holds at most ${MAX_SHARE_GIB} GiB without large file shares: place the model on a cluster`,
    );
  }
  return quota;
}

/** The environment name and resource group in a Container Apps environment's ARM id. Throws naming `environmentId`. Pure. */
export function parseEnvironmentId(id: string): { resourceGroupName: string; environmentName: string } {
  const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.App\/managedEnvironments\/([^/]+)$/i.exec(id);
  if (!m || !m[1] || !m[2]) {
    throw new ValidationError(
      "environmentId",
      `"${id}" is not a Container Apps environment id (/subscriptions/…/resourceGroups/<rg>/providers/Microsoft.App/managedEnvironments/<name>)`,
    );
  }
  return { resourceGroupName: m[1], environmentName: m[2] };
}

export interface WeightsShareArgs {
  /** Component name; children are `${name}-weights-<role>`. */
  name: string;
  /** Mixed into the storage account name's hash. */
  namespace: string;
  location: string;
  /** Resource group of the storage account. */
  resourceGroupName: pulumi.Input<string>;
  /** Name of the environment the app runs in (the platform's shared one, or the app's own). */
  environmentName: pulumi.Input<string>;
  /** Resource group of that environment. */
  environmentResourceGroupName: pulumi.Input<string>;
  weightsGiB: number;
  tags: Record<string, string>;
}

/** A storage account, a share sized for the weights, and the environment storage that mounts it; returns the storage name. */
export function createWeightsShare(
  args: WeightsShareArgs,
  parent: pulumi.ComponentResource,
): { storageName: pulumi.Output<string> } {
  const opts = { parent };
  const quota = shareQuotaGiB(args.weightsGiB);
  const account = new storage.StorageAccount(
    `${args.name}-weights-account`,
    {
      accountName: storageAccountName(`${args.name}w`, `${args.namespace}/${args.location}/${args.name}/weights`),
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      kind: storage.Kind.StorageV2,
      sku: { name: storage.SkuName.Standard_LRS },
      minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
      allowBlobPublicAccess: false,
      tags: args.tags,
    },
    opts,
  );
  const share = new storage.FileShare(
    `${args.name}-weights-share`,
    {
      accountName: account.name,
      resourceGroupName: args.resourceGroupName,
      shareName: "weights",
      shareQuota: quota,
      enabledProtocols: storage.EnabledProtocols.SMB,
    },
    opts,
  );
  const key = storage
    .listStorageAccountKeysOutput({ resourceGroupName: args.resourceGroupName, accountName: account.name })
    .apply((r) => r.keys[0]?.value ?? "");
  const envStorage = new app.ManagedEnvironmentsStorage(
    `${args.name}-weights-storage`,
    {
      environmentName: args.environmentName,
      resourceGroupName: args.environmentResourceGroupName,
      storageName: "weights",
      properties: {
        azureFile: {
          accountName: account.name,
          accountKey: pulumi.secret(key),
          shareName: share.name,
          accessMode: app.AccessMode.ReadWrite,
        },
      },
    },
    opts,
  );
  return { storageName: envStorage.name };
}
