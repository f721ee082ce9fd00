/**
 * Azure pieces of the control plane: Azure Database for PostgreSQL flexible server, a storage
 * account + blob container for the per-model stacks' Pulumi state, and a Key Vault key for their
 * secrets provider. Everything goes into the cluster's resource group.
 *
 * Facts used (read 2026-11-30):
 * - Pulumi's Azure Blob backend `azblob://<container>?storage_account=<account>` and the secrets
 *   provider `azurekeyvault://<vault>.vault.azure.net/keys/<key>`:
 *   https://www.pulumi.com/docs/iac/concepts/state-and-backends/ and
 *   https://www.pulumi.com/docs/iac/concepts/secrets/#available-encryption-providers
 * - Flexible server (`dbforpostgresql.Server`): sku `{ name, tier }`, `storage.storageSizeGB`,
 *   host `<server>.postgres.database.azure.com` (`fullyQualifiedDomainName`):
 *   https://www.pulumi.com/registry/packages/azure-native/api-docs/dbforpostgresql/server/
 * - Storage account names: 3–24 lowercase letters and digits; Key Vault names 3–24 letters, digits, dashes.
 */
import { authorization, dbforpostgresql, keyvault, resources, storage } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../platform/core/naming";
import type { ControlPlaneCloud, ControlPlaneCloudArgs, ControlPlaneProvider } from "../types/control-plane";

/** Azure names derived from the component name: globally unique, within each kind's limits. Pure. */
export function azureControlPlaneNames(name: string): { server: string; account: string; vault: string } {
  const h = shortHash(name, 10);
  return { server: `mp-cp-db-${h}`, account: `mpcpstate${h}`, vault: `mp-cp-kv-${h}` };
}

/** The SKU tier of a flexible-server size: `Standard_B*` burstable, `Standard_E*` memory optimized. */
export function flexibleServerTier(sku: string): string {
  if (/^Standard_B/.test(sku)) return "Burstable";
  if (/^Standard_E/.test(sku)) return "MemoryOptimized";
  return "GeneralPurpose";
}

export const azureControlPlane: ControlPlaneProvider = {
  defaultInstanceClass: "Standard_D2ds_v5",
  create(args: ControlPlaneCloudArgs, parent: pulumi.Resource): ControlPlaneCloud {
    const { name, region: location, tags } = args;
    const opts = { parent };
    const names = azureControlPlaneNames(name);
    const resourceGroupName =
      args.resourceGroupName ?? new resources.ResourceGroup(`${name}-rg`, { location, tags }, opts).name;
    const out: ControlPlaneCloud = {};
    if (args.database) {
      const db = args.database;
      const server = new dbforpostgresql.Server(
        `${name}-db`,
        {
          serverName: names.server,
          resourceGroupName,
          location,
          version: db.version,
          sku: { name: db.instanceClass, tier: flexibleServerTier(db.instanceClass) },
          storage: { storageSizeGB: db.storageGiB },
          administratorLogin: "modelplane",
          administratorLoginPassword: db.password,
          backup: { backupRetentionDays: 7 },
          tags,
        },
        { ...opts, protect: db.deletionProtection },
      );
      new dbforpostgresql.Database(
        `${name}-db-modelplane`,
        { databaseName: "modelplane", serverName: server.name, resourceGroupName },
        opts,
      );
      out.databaseUrl = pulumi.secret(
        pulumi.interpolate`postgres://modelplane:${pulumi.output(db.password).apply(encodeURIComponent)}@${server.fullyQualifiedDomainName}:5432/modelplane?sslmode=require`,
      );
    }
    if (args.stateBucket) {
      const account = new storage.StorageAccount(
        `${name}-state`,
        {
          accountName: names.account,
          resourceGroupName,
          location,
          kind: storage.Kind.StorageV2,
          sku: { name: storage.SkuName.Standard_ZRS },
          allowBlobPublicAccess: false,
          minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
          tags,
        },
        opts,
      );
      const container = new storage.BlobContainer(
        `${name}-state-container`,
        { containerName: "pulumi-state", accountName: account.name, resourceGroupName },
        opts,
      );
      out.backendUrl = pulumi.interpolate`azblob://${container.name}?storage_account=${account.name}`;
    }
    if (args.kmsKey) {
      const client = authorization.getClientConfigOutput(opts);
      const vault = new keyvault.Vault(
        `${name}-secrets`,
        {
          vaultName: names.vault,
          resourceGroupName,
          location,
          properties: {
            tenantId: client.tenantId,
            sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
            enableRbacAuthorization: true,
            enablePurgeProtection: true,
          },
          tags,
        },
        opts,
      );
      const key = new keyvault.Key(
        `${name}-secrets-key`,
        {
          keyName: "pulumi-secrets",
          vaultName: vault.name,
          resourceGroupName,
          properties: { kty: keyvault.JsonWebKeyType.RSA, keySize: 2048 },
        },
        opts,
      );
      out.secretsProvider = pulumi.interpolate`azurekeyvault://${vault.name}.vault.azure.net/keys/${key.name}`;
    }
    return out;
  },
};
