/**
 * The Azure rights the control plane's workers need to run the per-model deployment stacks
 * (programs/deployment), as data: per resource type a deployment stack registers (the types a
 * recorded run of the program registers; `programs/deployment/worker-rights.test.ts` fails when a
 * type has no entry), the Azure RBAC actions it needs. providers/azure/control-plane.ts puts them
 * into one custom role whose only assignable scope is the platform's resource group, assigned to
 * the pods' identity there, and assigns Role Based Access Control Administrator there with a
 * condition that lets it assign and delete Storage Blob Data Reader, to service principals, only
 * (the deployment's own reader identity's grant, providers/azure/reader-identity.ts).
 *
 * Scope, as narrow as Azure allows (read 2026-12-01):
 * - Everything at the platform's resource group (the cluster's; the control plane's store,
 *   database and key live there too). A deployment resource outside it (a store reader identity or
 *   a Container Apps environment in another group) is out of reach and its `pulumi up` fails.
 * - Not granted: `azure-native:resources:ResourceGroup`. A serverless deployment without the
 *   platform's shared Container Apps environment creates a resource group of its own, which needs
 *   `Microsoft.Resources/subscriptions/resourceGroups/write` on the subscription, and then rights in
 *   that new group, which a grant on the platform's group cannot give. Such deployments need the
 *   platform's ServerlessEnvironment (`serverless.environmentId` in the platform stack's outputs).
 * - The AKS kubeconfig the stacks use is the cluster's local user credential
 *   (providers/azure/cluster.ts `listManagedClusterUserCredentials`); reading it from the platform
 *   stack needs no Azure right, and what it may do in the cluster is not narrowed here.
 * Sources (read 2026-12-01):
 * - Resource provider operations: https://learn.microsoft.com/azure/role-based-access-control/permissions/containers
 *   (Microsoft.ContainerService), .../permissions/compute (Microsoft.App: `containerapps/read|write|delete`,
 *   `managedEnvironments/join/action` "create a Container App in a Managed Environment"),
 *   .../permissions/identity (Microsoft.ManagedIdentity), .../permissions/storage (Microsoft.Storage).
 * - Built-in roles: Role Based Access Control Administrator `f58310d9-a9f6-439a-9e8d-f62e7b41a168`,
 *   Storage Blob Data Reader `2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`:
 *   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.
 * - Conditions that constrain which roles may be assigned (`@Request[…:RoleDefinitionId]` on
 *   `roleAssignments/write`, `@Resource[…:RoleDefinitionId]` on `roleAssignments/delete`, and the
 *   principal type): https://learn.microsoft.com/azure/role-based-access-control/conditions-authorization-actions-attributes
 *   and https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-portal.
 * - Container Apps' long-running operations: `Microsoft.App/locations/containerappOperationStatuses/read`
 *   and `…/containerappOperationResults/read` ("Get a Container App Long Running Operation
 *   Status/Result"), and the `managedEnvironmentOperation…` pair for environments, in the
 *   Microsoft.App operations list: https://learn.microsoft.com/azure/role-based-access-control/permissions/compute
 *   (read 2026-12-01; action names are case-insensitive). Not run on a real subscription.
 */

/** Built-in roles used here (see the file comment). */
export const RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
export const STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

export type AzureGrant =
  | { types: readonly string[]; actions: readonly string[]; source: string }
  | { types: readonly string[]; notGranted: string };

const MC = "Microsoft.ContainerService/managedClusters";
const UAI = "Microsoft.ManagedIdentity/userAssignedIdentities";
const ENV = "Microsoft.App/managedEnvironments";
const SA = "Microsoft.Storage/storageAccounts";
const OPS = "https://learn.microsoft.com/azure/role-based-access-control/permissions";

export const AZURE_WORKER_GRANTS: readonly AzureGrant[] = [
  {
    types: ["azure-native:containerservice:AgentPool"],
    actions: [`${MC}/read`, `${MC}/agentPools/read`, `${MC}/agentPools/write`, `${MC}/agentPools/delete`],
    source: `${OPS}/containers#microsoftcontainerservice`,
  },
  {
    types: ["azure-native:managedidentity:UserAssignedIdentity"],
    actions: [`${UAI}/read`, `${UAI}/write`, `${UAI}/delete`],
    source: `${OPS}/identity#microsoftmanagedidentity`,
  },
  {
    types: ["azure-native:managedidentity:FederatedIdentityCredential"],
    actions: [
      `${MC}/read`,
      `${UAI}/federatedIdentityCredentials/read`,
      `${UAI}/federatedIdentityCredentials/write`,
      `${UAI}/federatedIdentityCredentials/delete`,
    ],
    source: `${OPS}/identity#microsoftmanagedidentity`,
  },
  {
    types: ["azure-native:app:ContainerApp"],
    actions: [
      "Microsoft.App/containerApps/read",
      "Microsoft.App/containerApps/write",
      "Microsoft.App/containerApps/delete",
      `${ENV}/read`,
      `${ENV}/join/action`,
      `${UAI}/assign/action`,
      "Microsoft.App/locations/containerappOperationStatuses/read",
      "Microsoft.App/locations/containerappOperationResults/read",
    ],
    source: `${OPS}/compute#microsoftapp`,
  },
  {
    types: ["azure-native:app:ManagedEnvironment"],
    actions: [
      `${ENV}/read`,
      `${ENV}/write`,
      `${ENV}/delete`,
      "Microsoft.App/locations/managedEnvironmentOperationStatuses/read",
      "Microsoft.App/locations/managedEnvironmentOperationResults/read",
    ],
    source: `${OPS}/compute#microsoftapp`,
  },
  {
    types: ["azure-native:app:ManagedEnvironmentsStorage"],
    actions: [`${ENV}/read`, `${ENV}/storages/read`, `${ENV}/storages/write`, `${ENV}/storages/delete`],
    source: `${OPS}/compute#microsoftapp`,
  },
  {
    types: ["azure-native:storage:StorageAccount"],
    actions: [`${SA}/read`, `${SA}/write`, `${SA}/delete`, `${SA}/listkeys/action`],
    source: `${OPS}/storage#microsoftstorage`,
  },
  {
    types: ["azure-native:storage:FileShare"],
    actions: [
      `${SA}/fileServices/read`,
      `${SA}/fileServices/shares/read`,
      `${SA}/fileServices/shares/write`,
      `${SA}/fileServices/shares/delete`,
    ],
    source: `${OPS}/storage#microsoftstorage`,
  },
  {
    types: ["azure-native:authorization:RoleAssignment"],
    // Through the conditioned Role Based Access Control Administrator assignment, not the custom role.
    actions: [],
    source: "https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-portal",
  },
  {
    types: ["azure-native:resources:ResourceGroup"],
    notGranted:
      "needs Microsoft.Resources/subscriptions/resourceGroups/write on the subscription and rights in the new group; use the platform's Container Apps environment",
  },
];

/** The custom role's actions: every granted action, sorted, de-duplicated. Pure. */
export function azureWorkerActions(): string[] {
  return [...new Set(AZURE_WORKER_GRANTS.flatMap((g) => ("actions" in g ? g.actions : [])))].sort();
}

/**
 * The condition on the Role Based Access Control Administrator assignment: create and delete role
 * assignments of `roles` (GUIDs) to service principals only. Azure ABAC condition syntax (version 2.0). Pure.
 */
export function assignOnlyCondition(roles: readonly string[]): string {
  const guids = roles.join(", ");
  return [
    "(",
    " (",
    "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})",
    " )",
    " OR",
    " (",
    `  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${guids}}`,
    "  AND",
    "  @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}",
    " )",
    ")",
    "AND",
    "(",
    " (",
    "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})",
    " )",
    " OR",
    " (",
    `  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${guids}}`,
    " )",
    ")",
  ].join("\n");
}
