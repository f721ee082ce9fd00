/**
 * The control plane on Azure: the pods' Entra Workload ID (a user-assigned identity, one federated
 * credential for the pods' ServiceAccount on the AKS OIDC issuer, grants on the state container and
 * the secrets key only, the ServiceAccount annotation and the pod label), and the Postgres flexible
 * server in the cluster's virtual network (delegated subnet, private DNS zone, no public access).
 * Under mocks.
 */
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  AZURE_TOKEN_EXCHANGE,
  KEY_VAULT_CRYPTO_USER,
  POSTGRES_DELEGATION,
  STORAGE_BLOB_DATA_CONTRIBUTOR,
  postgresPrivateZone,
} from "../providers/azure/control-plane";
import { virtualNetworkOfSubnet } from "../providers/azure/cluster";
import { installMocks, ofType, one, settle, valueOf, type Registered } from "./testing/pulumiMocks";

const SUB = "/subscriptions/s-1";
const RG = `${SUB}/resourceGroups/cluster-rg`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/plat-vnet`;
const NODE_SUBNET = `${VNET}/subnets/nodes`;
const ISSUER = "https://eastus.oic.prod-aks.azure.com/tenant/cluster-guid/";
const IMAGE = "ghcr.io/acme/modelplane:0.1.0";

function armId(type: string, inputs: Record<string, unknown>): string | undefined {
  switch (type) {
    case "azure-native:storage:StorageAccount":
      return `${RG}/providers/Microsoft.Storage/storageAccounts/${String(inputs["accountName"])}`;
    case "azure-native:storage:BlobContainer":
      return `${RG}/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/${String(inputs["containerName"])}`;
    case "azure-native:keyvault:Vault":
      return `${RG}/providers/Microsoft.KeyVault/vaults/${String(inputs["vaultName"])}`;
    case "azure-native:keyvault:Key":
      return `${RG}/providers/Microsoft.KeyVault/vaults/kv/keys/${String(inputs["keyName"])}`;
    case "azure-native:network:Subnet":
      return `${VNET}/subnets/${String(inputs["subnetName"])}`;
    case "azure-native:privatedns:PrivateZone":
      return `${RG}/providers/Microsoft.Network/privateDnsZones/${String(inputs["privateZoneName"])}`;
    case "azure-native:managedidentity:UserAssignedIdentity":
      return `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${String(inputs["resourceName"])}`;
    default:
      return undefined;
  }
}

describe("ControlPlane on azure: Workload ID for the pods, Postgres in the cluster's network", function () {
  this.timeout(30_000);
  let registered: Registered[];
  let mod: typeof import("./ControlPlane");
  before(async () => {
    registered = await installMocks({
      state: (type, name, inputs) => {
        if (!type.startsWith("azure-native:")) return {};
        const id = armId(type, inputs);
        return {
          ...(id ? { id } : {}),
          name:
            inputs["containerName"] ??
            inputs["keyName"] ??
            inputs["serverName"] ??
            inputs["vaultName"] ??
            inputs["accountName"] ??
            inputs["privateZoneName"] ??
            inputs["resourceName"] ??
            name,
          fullyQualifiedDomainName: `${String(inputs["serverName"])}.postgres.database.azure.com`,
          ...(type === "azure-native:managedidentity:UserAssignedIdentity"
            ? { clientId: "11111111-2222-3333-4444-555555555555", principalId: "pp-0pods" }
            : {}),
        };
      },
      call: (token, inputs) => {
        if (token === "azure-native:authorization:getClientConfig") return { tenantId: "t-1", subscriptionId: "s-1" };
        if (token === "azure-native:containerservice:getManagedCluster")
          return { ...inputs, oidcIssuerProfile: { enabled: true, issuerURL: ISSUER } };
        return undefined;
      },
    });
    mod = await import("./ControlPlane");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  const make = (name: string, extra: Partial<import("./ControlPlane").ControlPlaneArgs> = {}) =>
    new mod.ControlPlane(name, {
      cloud: "azure",
      region: "eastus",
      kubernetes: new k8s.Provider(`k-${name}`, { kubeconfig: "x" }),
      image: IMAGE,
      database: { kind: "managed", password: pulumi.secret("pw-0123456789") },
      stateBackend: { kind: "object-store" },
      adminKey: "admin-key-0123456789abcdef",
      resourceGroupName: "cluster-rg",
      clusterSubnetIds: [NODE_SUBNET],
      ...extra,
    });

  function serviceAccount(): { name: string; namespace: string; annotations?: Record<string, string> } {
    const sa = one(registered, "kubernetes:core/v1:ServiceAccount");
    return sa.inputs["metadata"] as { name: string; namespace: string; annotations?: Record<string, string> };
  }
  const podLabels = () =>
    ofType(registered, "kubernetes:apps/v1:Deployment").map((d) => {
      const spec = d.inputs["spec"] as {
        template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string } };
      };
      return { labels: spec.template.metadata.labels, sa: spec.template.spec.serviceAccountName };
    });

  it("a user-assigned identity with one federated credential for the pods' ServiceAccount on the AKS OIDC issuer", async () => {
    const cp = make("cp-az", { clusterName: "plat-aks0a1b2c" });
    const identity = await valueOf(cp.podIdentity);
    await settle(registered);
    const uai = one(registered, "azure-native:managedidentity:UserAssignedIdentity");
    assert.equal(uai.inputs["resourceGroupName"], "cluster-rg");
    assert.equal(identity, armId(uai.type, uai.inputs));

    const sa = serviceAccount();
    const fic = one(registered, "azure-native:managedidentity:FederatedIdentityCredential");
    assert.equal(fic.inputs["resourceName"], uai.inputs["resourceName"], "the credential is on the pods' identity");
    assert.equal(fic.inputs["issuer"], ISSUER);
    assert.equal(fic.inputs["subject"], `system:serviceaccount:${sa.namespace}:${sa.name}`);
    assert.deepEqual(fic.inputs["audiences"], [AZURE_TOKEN_EXCHANGE]);

    // The webhook needs both: the client id on the ServiceAccount and the label on the pods.
    assert.deepEqual(sa.annotations, { "azure.workload.identity/client-id": "11111111-2222-3333-4444-555555555555" });
    const pods = podLabels();
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.equal(p.labels["azure.workload.identity/use"], "true");
      assert.equal(p.sa, sa.name);
    }
    const selectors = ofType(registered, "kubernetes:apps/v1:Deployment").map(
      (d) => (d.inputs["spec"] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
    );
    for (const s of selectors) assert.equal(s["azure.workload.identity/use"], undefined, "selectors stay as they were");
  });

  it("the identity holds Blob Data Contributor on the state container and Crypto User on the secrets key, nothing wider", async () => {
    make("cp-az-grants", { clusterName: "plat-aks0a1b2c" });
    await settle(registered);
    // The stack workers' grants at the resource group are ControlPlane.stack-rights.test.ts's.
    const grants = ofType(registered, "azure-native:authorization:RoleAssignment").filter(
      (g) => !g.name.includes("-pods-stacks"),
    );
    const container = one(registered, "azure-native:storage:BlobContainer");
    const key = one(registered, "azure-native:keyvault:Key");
    assert.deepEqual(
      grants.map((g) => [g.inputs["scope"], g.inputs["roleDefinitionId"], g.inputs["principalId"]]).sort(),
      [
        [
          armId(container.type, container.inputs),
          `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
          "pp-0pods",
        ],
        [
          armId(key.type, key.inputs),
          `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_CRYPTO_USER}`,
          "pp-0pods",
        ],
      ].sort(),
    );
  });

  it("the flexible server is in a delegated subnet of the cluster's network, behind a linked private DNS zone, with public access disabled", async () => {
    make("cp-az-net");
    await settle(registered);
    const subnet = one(registered, "azure-native:network:Subnet");
    assert.equal(subnet.inputs["resourceGroupName"], "cluster-rg");
    assert.equal(subnet.inputs["virtualNetworkName"], "plat-vnet", "the network of the cluster's node subnet");
    assert.deepEqual(subnet.inputs["delegations"], [{ name: "postgres", serviceName: POSTGRES_DELEGATION }]);
    const zone = one(registered, "azure-native:privatedns:PrivateZone");
    const server = one(registered, "azure-native:dbforpostgresql:Server");
    assert.equal(
      zone.inputs["privateZoneName"],
      `${String(server.inputs["serverName"])}.private.postgres.database.azure.com`,
    );
    assert.match(String(zone.inputs["privateZoneName"]), /\.postgres\.database\.azure\.com$/);
    const link = one(registered, "azure-native:privatedns:VirtualNetworkLink");
    assert.deepEqual(link.inputs["virtualNetwork"], { id: VNET });
    assert.equal(link.inputs["privateZoneName"], zone.inputs["privateZoneName"]);
    assert.equal(link.inputs["registrationEnabled"], false);
    assert.deepEqual(server.inputs["network"], {
      delegatedSubnetResourceId: `${VNET}/subnets/postgres`,
      privateDnsZoneArmResourceId: armId(zone.type, zone.inputs),
      publicNetworkAccess: "Disabled",
    });
    // No cluster name: no identity, and the ServiceAccount and pods carry nothing for one.
    assert.equal(ofType(registered, "azure-native:managedidentity:UserAssignedIdentity").length, 0);
    assert.equal(serviceAccount().annotations, undefined);
    for (const p of podLabels()) assert.equal(p.labels["azure.workload.identity/use"], undefined);
  });

  it("a managed database without the cluster's subnet is refused, naming clusterSubnetIds; a given URL needs none", async () => {
    assert.throws(
      () => make("cp-az-nosub", { clusterSubnetIds: undefined as unknown as string[] }),
      /clusterSubnetIds.*virtual network/,
    );
    registered.length = 0;
    make("cp-az-url", {
      clusterSubnetIds: undefined as unknown as string[],
      database: { kind: "url", url: pulumi.secret("postgres://u:p@h/mp") },
    });
    await settle(registered);
    assert.equal(ofType(registered, "azure-native:network:Subnet").length, 0);
  });

  it("the pods reach the azblob:// state by Workload ID alone: no storage key, SAS token or connection string that would take precedence", async () => {
    // go-cloud's azureblob opener (what `pulumi login azblob://` uses) takes AZURE_STORAGE_KEY, then
    // AZURE_STORAGE_SAS_TOKEN, then a connection string, and only without all of them the Azure SDK's
    // DefaultAzureCredential (workload identity among it): pulumi/docs#18272 (merged 2026-03-30).
    make("cp-az-state", { clusterName: "plat-aks0a1b2c" });
    await settle(registered);
    const kube = registered.filter((r) => r.type.startsWith("kubernetes:"));
    const text = JSON.stringify(kube.map((r) => r.inputs));
    for (const name of [
      "AZURE_STORAGE_KEY",
      "AZURE_STORAGE_SAS_TOKEN",
      "AZURE_STORAGE_CONNECTION_STRING",
      "AZURE_STORAGEBLOB_CONNECTIONSTRING",
      "AZURE_CLIENT_SECRET",
    ])
      assert.ok(!text.includes(name), `${name} must not be set on the control plane's pods`);
    // The account is named in the URL (the token carries no account name).
    const config = one(registered, "kubernetes:core/v1:ConfigMap").inputs["data"] as Record<string, string>;
    const account = one(registered, "azure-native:storage:StorageAccount").inputs["accountName"];
    assert.equal(config["MODELPLANE_BACKEND_URL"], `azblob://pulumi-state?storage_account=${String(account)}`);
  });

  it("pure helpers: the network of a subnet id, the zone name", () => {
    assert.deepEqual(virtualNetworkOfSubnet(NODE_SUBNET), {
      id: VNET,
      resourceGroupName: "cluster-rg",
      name: "plat-vnet",
    });
    assert.equal(virtualNetworkOfSubnet(`${VNET}`), undefined);
    assert.equal(postgresPrivateZone("mp-cp-db-0a"), "mp-cp-db-0a.private.postgres.database.azure.com");
  });
});
