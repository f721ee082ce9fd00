/**
 * Azure pieces of the control plane: Azure Database for PostgreSQL flexible server, a storage
 * account + blob container for the per-model stacks' Pulumi state, and a Key Vault key for their
 * secrets provider. Everything goes into the cluster's resource group.
 *
 * Facts used (read 2026-11-30):
 * - Pulumi's Azure Blob backend `azblob://<container>?storage_account=<account>` and the secrets
 *   provider `azurekeyvault://<vault>.vault.azure.net/keys/<key>`:
 *   https://www.pulumi.com/docs/iac/concepts/state-and-backends/ and
 *   https://www.pulumi.com/docs/iac/concepts/secrets/#available-encryption-providers. Without
 *   `AZURE_STORAGE_KEY`, `AZURE_STORAGE_SAS_TOKEN` or a connection string both use the Azure SDK's
 *   DefaultAzureCredential, workload identity included (https://github.com/pulumi/docs/pull/18272,
 *   merged 2026-03-30, read 2026-12-01), so the pods set none of those (docs/control-plane.md).
 * - Flexible server (`dbforpostgresql.Server`): sku `{ name, tier }`, `storage.storageSizeGB`,
 *   host `<server>.postgres.database.azure.com` (`fullyQualifiedDomainName`):
 *   https://www.pulumi.com/registry/packages/azure-native/api-docs/dbforpostgresql/server/
 * - Storage account names: 3–24 lowercase letters and digits; Key Vault names 3–24 letters, digits, dashes.
 *
 * The database is in the cluster's virtual network, not on the internet (read 2026-12-01,
 * https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private, source
 * MicrosoftDocs/azure-databases-docs articles/postgresql/flexible-server/concepts-networking-private.md):
 * - the server needs a subnet delegated to `Microsoft.DBforPostgreSQL/flexibleServers`, used by
 *   nothing else, /28 at the smallest (providers/azure/cluster.ts CLUSTER_NETWORK.database);
 * - created through ARM, it needs a private DNS zone whose name ends with `.postgres.database.azure.com`
 *   (`[name1].[name2].postgres.database.azure.com`; the one-label form may not equal a server name),
 *   linked to the network the clients resolve from; here `<server>.private.postgres.database.azure.com`;
 * - the networking mode cannot be changed after creation, and a VNet-integrated server has no public
 *   endpoint (`network.publicNetworkAccess: Disabled`). The pods reach it on the private address
 *   through the zone; TLS stays required.
 *
 * The pods' identity (with `workload`; Microsoft Entra Workload ID, read 2026-12-01,
 * https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster): a user-assigned managed
 * identity, one federated identity credential trusting the AKS OIDC issuer for
 * `system:serviceaccount:<namespace>:<serviceAccount>` with audience `api://AzureADTokenExchange`,
 * the ServiceAccount annotation `azure.workload.identity/client-id` and the pod label
 * `azure.workload.identity/use: "true"` (providers/kubernetes/workload-identity.ts). It holds
 * Storage Blob Data Contributor (`ba92f5b4-2d11-453d-a403-e96b0029c9fe`) on the state container and
 * Key Vault Crypto User (`12338af0-0e69-4776-bea7-57ae8d297424`, encrypt/decrypt with keys) on the
 * secrets key, nothing account-, vault- or subscription-wide
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles, read 2026-12-01).
 */
import {
  authorization,
  containerservice,
  dbforpostgresql,
  keyvault,
  managedidentity,
  network,
  privatedns,
  resources,
  storage,
} from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../platform/core/naming";
import { ValidationError } from "../../platform/core/validation";
import { workloadIdentityFor } from "../kubernetes/workload-identity";
import type { ControlPlaneCloud, ControlPlaneCloudArgs, ControlPlaneProvider } from "../types/control-plane";
import { CLUSTER_NETWORK, virtualNetworkOfSubnet } from "./cluster";
import { subscriptionOf } from "./store";
import { assignOnlyCondition, azureWorkerActions, RBAC_ADMINISTRATOR, STORAGE_BLOB_DATA_READER } from "./worker-rights";

/** The delegation a flexible server's subnet carries (see the file comment). */
export const POSTGRES_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers";
/** Built-in roles the pods hold (see the file comment). */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
export const KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424";
/** Audience of the tokens AKS projects for Entra Workload ID. */
export const AZURE_TOKEN_EXCHANGE = "api://AzureADTokenExchange";

/** The private DNS zone of a flexible server `server`: `<server>.private.postgres.database.azure.com`. Pure. */
export function postgresPrivateZone(server: string): string {
  return `${server}.private.postgres.database.azure.com`;
}

/** `roleDefinitionId` of built-in role `role` in the subscription of resource `id`. Pure. */
export function builtInRole(id: string, role: string): string {
  return `/subscriptions/${subscriptionOf(id)}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/** Azure names derived from the component name: globally unique, within each kind's limits. Pure. */
export function azureControlPlaneNames(name: string): {
  server: string;
  account: string;
  vault: string;
  identity: string;
} {
  const h = shortHash(name, 10);
  return {
    server: `mp-cp-db-${h}`,
    account: `mpcpstate${h}`,
    vault: `mp-cp-kv-${h}`,
    identity: `mp-cp-pods-${h}`,
  };
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
    let containerId: pulumi.Output<string> | undefined;
    let keyId: pulumi.Output<string> | undefined;
    if (args.database) {
      const db = args.database;
      const net = databaseNetwork(name, names.server, args.clusterSubnetIds, tags, parent);
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
          network: {
            delegatedSubnetResourceId: net.subnetId,
            privateDnsZoneArmResourceId: net.zoneId,
            publicNetworkAccess: dbforpostgresql.ServerPublicNetworkAccessState.Disabled,
          },
          tags,
        },
        { ...opts, protect: db.deletionProtection, dependsOn: [net.link] },
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
      containerId = container.id;
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
      keyId = key.id;
    }
    if (args.workload && (containerId || keyId)) {
      Object.assign(
        out,
        podIdentity(
          name,
          names.identity,
          location,
          resourceGroupName,
          args.workload,
          { containerId, keyId },
          tags,
          parent,
        ),
      );
    }
    return out;
  },
};

/**
 * The database's place in the cluster's network: a subnet delegated to flexible servers in the
 * network of the cluster's node subnet, and a private DNS zone linked to that network. Throws
 * naming `clusterSubnetIds` when the cluster gave none (a server outside a network would be either
 * public or unreachable from the pods).
 */
function databaseNetwork(
  name: string,
  server: string,
  subnetIds: pulumi.Input<pulumi.Input<string>[]> | undefined,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): { subnetId: pulumi.Output<string>; zoneId: pulumi.Output<string>; link: pulumi.Resource } {
  if (subnetIds === undefined)
    throw new ValidationError(
      "clusterSubnetIds",
      "is required on azure for a managed database: the server goes into the cluster's virtual network (GpuCluster.ref.subnetIds); or give database.kind url",
    );
  const vnet = pulumi.output(subnetIds).apply((ids) => {
    const parts = virtualNetworkOfSubnet(ids[0] ?? "");
    if (!parts)
      throw new ValidationError(
        "clusterSubnetIds[0]",
        `"${ids[0] ?? ""}" is not a subnet id (/subscriptions/…/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)`,
      );
    return parts;
  });
  const subnet = new network.Subnet(
    `${name}-db-subnet`,
    {
      resourceGroupName: vnet.resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: "postgres",
      addressPrefix: CLUSTER_NETWORK.database,
      delegations: [{ name: "postgres", serviceName: POSTGRES_DELEGATION }],
    },
    { parent },
  );
  const zone = new privatedns.PrivateZone(
    `${name}-db-zone`,
    {
      resourceGroupName: vnet.resourceGroupName,
      privateZoneName: postgresPrivateZone(server),
      location: "global",
      tags,
    },
    { parent },
  );
  const link = new privatedns.VirtualNetworkLink(
    `${name}-db-zone-link`,
    {
      resourceGroupName: vnet.resourceGroupName,
      privateZoneName: zone.name,
      virtualNetworkLinkName: "cluster",
      location: "global",
      virtualNetwork: { id: vnet.id },
      registrationEnabled: false,
      tags,
    },
    { parent },
  );
  return { subnetId: subnet.id, zoneId: zone.id, link };
}

/** The pods' user-assigned identity, its one federated credential and its two scoped grants (see the file comment). */
function podIdentity(
  name: string,
  identityName: string,
  location: string,
  resourceGroupName: pulumi.Input<string>,
  w: NonNullable<ControlPlaneCloudArgs["workload"]>,
  scopes: { containerId: pulumi.Output<string> | undefined; keyId: pulumi.Output<string> | undefined },
  tags: Record<string, string>,
  parent: pulumi.Resource,
): Pick<ControlPlaneCloud, "podIdentity" | "serviceAccountAnnotations" | "podLabels"> {
  const opts = { parent };
  const identity = new managedidentity.UserAssignedIdentity(
    `${name}-pods`,
    { resourceName: identityName, resourceGroupName, location, tags },
    opts,
  );
  const cluster = containerservice.getManagedClusterOutput({ resourceGroupName, resourceName: w.clusterName }, opts);
  // One credential on this identity, so nothing to chain (plan check `serial`).
  new managedidentity.FederatedIdentityCredential(
    `${name}-pods-federation`,
    {
      resourceGroupName,
      resourceName: identity.name,
      federatedIdentityCredentialResourceName: "control-plane",
      issuer: cluster.apply((c) => {
        const url = c.oidcIssuerProfile?.issuerURL;
        if (!url) throw new Error(`${name}: the AKS cluster has no OIDC issuer URL (oidcIssuerProfile.enabled)`);
        return url;
      }),
      subject: `system:serviceaccount:${w.namespace}:${w.serviceAccount}`,
      audiences: [AZURE_TOKEN_EXCHANGE],
    },
    opts,
  );
  const grant = (role: string, scope: pulumi.Output<string>, suffix: string, what: string) =>
    new authorization.RoleAssignment(
      `${name}-pods-${suffix}`,
      {
        principalId: identity.principalId,
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId: scope.apply((id) => builtInRole(id, role)),
        scope,
        description: `modelplane: the control plane pods ${what}`,
      },
      opts,
    );
  if (scopes.containerId)
    grant(STORAGE_BLOB_DATA_CONTRIBUTOR, scopes.containerId, "state", "read and write the stacks' state");
  if (scopes.keyId) grant(KEY_VAULT_CRYPTO_USER, scopes.keyId, "secrets", "encrypt and decrypt the stacks' secrets");
  stackWorkerRights(name, identityName, resourceGroupName, identity, parent);
  return {
    podIdentity: identity.id,
    serviceAccountAnnotations: identity.clientId.apply(
      (clientId) => workloadIdentityFor("azure", { clientId }).serviceAccountAnnotations,
    ),
    // The label names no identity (the webhook reads the client id from the ServiceAccount).
    podLabels: workloadIdentityFor("azure", { clientId: "-" }).podLabels,
  };
}

/**
 * The rights the workers need to run the per-model stacks (providers/azure/worker-rights.ts), at
 * the platform's resource group only: a custom role with the stacks' actions (assignable there
 * only), and Role Based Access Control Administrator conditioned to assign and delete Storage Blob
 * Data Reader to service principals only (each deployment's own reader identity's grant).
 */
function stackWorkerRights(
  name: string,
  identityName: string,
  resourceGroupName: pulumi.Input<string>,
  identity: { principalId: pulumi.Output<string> },
  parent: pulumi.Resource,
): void {
  const opts = { parent };
  const client = authorization.getClientConfigOutput(opts);
  const group = pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${resourceGroupName}`;
  const role = new authorization.RoleDefinition(
    `${name}-pods-stacks`,
    {
      roleName: `modelplane workers ${identityName}`,
      description: "modelplane: the control plane workers run the per-model stacks (providers/azure/worker-rights.ts)",
      roleType: "CustomRole",
      scope: group,
      assignableScopes: [group],
      permissions: [{ actions: azureWorkerActions(), notActions: [] }],
    },
    opts,
  );
  const principal = {
    principalId: identity.principalId,
    principalType: authorization.PrincipalType.ServicePrincipal,
    scope: group,
  };
  new authorization.RoleAssignment(
    `${name}-pods-stacks`,
    {
      ...principal,
      roleDefinitionId: role.id,
      description: "modelplane: the control plane workers run the per-model stacks",
    },
    opts,
  );
  new authorization.RoleAssignment(
    `${name}-pods-stacks-assign`,
    {
      ...principal,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${RBAC_ADMINISTRATOR}`,
      condition: assignOnlyCondition([STORAGE_BLOB_DATA_READER]),
      conditionVersion: "2.0",
      description:
        "modelplane: the control plane workers grant each deployment's reader identity read on the weights, nothing else",
    },
    opts,
  );
}
