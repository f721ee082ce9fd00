/**
 * The model stack's own reader identity on Azure (issue 12, #6: "one Azure identity per tenant").
 *
 * Before: every deployment stack wrote its federated credentials to the ONE reader identity the
 * platform's store exports. Two limits break that (read 2026-12-01,
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations):
 * - "A maximum of 20 federated identity credentials can be added to an application or
 *   user-assigned managed identity": the 21st deployment (or the 11th during rollouts, two
 *   revisions each) fails;
 * - "Creating multiple federated identity credentials under the same user-assigned managed
 *   identity concurrently triggers concurrency detection logic, which causes requests to fail with
 *   409-conflict": stacks of different tenants run at once (the worker's queue), and `dependsOn`
 *   orders writes inside one stack only.
 *
 * Now each deployment stack creates its own user-assigned identity and grants it read on its
 * weights. A tenant's identities are separate from every other tenant's (the isolation the issue
 * asks for), and one identity per tenant would still meet both limits inside a busy tenant: its
 * stacks run concurrently too, and a tenant may have more than 20 deployments. One identity per
 * stack holds at most two credentials (one per revision during a rollout), and only its own stack
 * writes them, chained by `dependsOn` (`bindWorkloadIdentity`), so the plan check `serial`
 * (providers/limits/serial-writes.ts) holds across stacks as well. The identity goes when the stack
 * is destroyed; nothing is left on a shared identity.
 *
 * The grant: Storage Blob Data Reader (`2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`) on the platform
 * store's container, with an Azure ABAC condition (version 2.0) that allows reading blob content
 * only under the deployment's weights path, as in Microsoft's example "Read or list blobs in named
 * containers with a path" (read part; https://learn.microsoft.com/azure/storage/blobs/storage-auth-abac-examples,
 * attribute `containers/blobs:path`: no container name, no leading slash,
 * https://learn.microsoft.com/azure/storage/blobs/storage-auth-abac-attributes, read 2026-12-01).
 * Listing is not restricted by prefix: the fetcher (`az storage blob download-batch --pattern`)
 * lists the container and filters by pattern, and a prefix condition on Blob.List would refuse a
 * listing without a prefix. So another model's blob NAMES are listable, its bytes are not.
 * A model URI outside the platform's store (hf://, another account) gets no grant.
 *
 * Caveats: role assignments take effect after a propagation delay (minutes); the model fetcher
 * retries (its init container restarts) until then. Each identity is a directory object and each
 * grant a role assignment, both under tenant / subscription quotas that the platform does not check.
 */
import { authorization, managedidentity } from "../sdk";
import type * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../platform/core/naming";
import { STORAGE_BLOB_DATA_READER } from "./store";

/** What the stack knows: the platform store (URI and its shared reader's resource id, which names the store's subscription and group). */
export interface OwnReaderArgs {
  /** Resource name base; children are `${name}` and `${name}-grant`. */
  name: string;
  deploymentId: string;
  location: string;
  /** The platform store: `https://<account>.blob.core.windows.net/<container>` and its reader identity's resource id. */
  store: { uri: string; readerIdentity: string };
  /** The weights the deployment reads: one URI per serving revision (two during a rollout). */
  modelUris: readonly string[];
  tags: Record<string, string>;
}

export interface OwnReader {
  /** The identity (dependsOn for the first federated credential). */
  resource: pulumi.CustomResource;
  /** Resource group and name of the identity (where its federated credentials go). */
  resourceGroupName: string;
  identityName: string;
  clientId: pulumi.Output<string>;
  /** The read grant, or undefined when the model is not in the platform's store. */
  grant?: pulumi.CustomResource;
}

/** The identity's name: from the deployment id, 3–128 characters (`mp-rd-` + 20 hex). Pure. */
export function ownReaderName(deploymentId: string): string {
  return `mp-rd-${shortHash(deploymentId, 20)}`;
}

/** Subscription and resource group of a user-assigned identity's resource id. Pure. */
export function identityPlace(id: string): { subscription: string; resourceGroupName: string } | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.exec(
      id,
    );
  return m && m[1] && m[2] ? { subscription: m[1], resourceGroupName: m[2] } : undefined;
}

/**
 * Where the weights are in the store: account, container and the path prefix inside it (no leading
 * slash, ending in `/`), or undefined when `modelUri` is not under `storeUri`. Pure.
 */
export function weightsInStore(
  storeUri: string,
  modelUri: string,
): { account: string; container: string; prefix: string } | undefined {
  const store = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9-]{3,63})\/*$/.exec(storeUri);
  if (!store || !store[1] || !store[2]) return undefined;
  const base = `https://${store[1]}.blob.core.windows.net/${store[2]}/`;
  if (!modelUri.startsWith(base)) return undefined;
  const path = modelUri.slice(base.length).replace(/^\/+|\/+$/g, "");
  return path ? { account: store[1], container: store[2], prefix: `${path}/` } : undefined;
}

/** The ABAC condition: blob content may be read only under one of `prefixes` (listing is left alone; see the file comment). Pure. */
export function readUnderPrefixCondition(prefixes: readonly string[]): string {
  if (prefixes.length === 0) throw new Error("readUnderPrefixCondition: no prefix");
  const read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
  const path = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]";
  const allowed = prefixes.map((p) => {
    if (p.includes("'")) throw new Error(`model path "${p}" has a quote, which a condition cannot hold`);
    return `(${path} StringStartsWith '${p}')`;
  });
  return `((!(ActionMatches{'${read}'} AND NOT SubOperationMatches{'Blob.List'})) OR ${allowed.join(" OR ")})`;
}

/** The stack's reader identity and its grant; undefined when the store's reader id is not an identity id. */
export function createOwnReader(args: OwnReaderArgs, opts: pulumi.CustomResourceOptions = {}): OwnReader | undefined {
  const place = identityPlace(args.store.readerIdentity);
  if (!place) return undefined;
  const identityName = ownReaderName(args.deploymentId);
  const identity = new managedidentity.UserAssignedIdentity(
    args.name,
    {
      resourceName: identityName,
      resourceGroupName: place.resourceGroupName,
      location: args.location,
      tags: args.tags,
    },
    opts,
  );
  const inStore = args.modelUris.flatMap((u) => weightsInStore(args.store.uri, u) ?? []);
  const weights = inStore[0];
  const prefixes = [...new Set(inStore.map((w) => w.prefix))].sort();
  const grant = weights
    ? new authorization.RoleAssignment(
        `${args.name}-grant`,
        {
          principalId: identity.principalId,
          principalType: authorization.PrincipalType.ServicePrincipal,
          roleDefinitionId: `/subscriptions/${place.subscription}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_READER}`,
          scope: `/subscriptions/${place.subscription}/resourceGroups/${place.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${weights.account}/blobServices/default/containers/${weights.container}`,
          condition: readUnderPrefixCondition(prefixes),
          conditionVersion: "2.0",
          description: `modelplane: deployment ${args.deploymentId} reads ${prefixes.map((p) => `${weights.container}/${p}`).join(", ")}`,
        },
        opts,
      )
    : undefined;
  return {
    resource: identity,
    resourceGroupName: place.resourceGroupName,
    identityName,
    clientId: identity.clientId,
    ...(grant ? { grant } : {}),
  };
}
