/**
 * The control plane pods' rights to run the per-model stacks (issue 14 item 7), under mocks: the
 * grants of providers/<cloud>/worker-rights.ts go to the pods' cloud identity only, scoped to the
 * cluster / resource group / passed identities, and the stack workers' ClusterRole is bound to
 * whom the stacks' kubeconfig authenticates as (AWS: the access entry's group; GCP: the pods'
 * service account; Azure: nobody, the kubeconfig is the cluster's local user).
 */
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../platform/core/types";
import { AWS_STACK_WORKERS_GROUP, workerPolicy } from "../providers/aws/worker-rights";
import { gcpWorkerPermissions } from "../providers/gcp/worker-rights";
import {
  assignOnlyCondition,
  azureWorkerActions,
  RBAC_ADMINISTRATOR,
  STORAGE_BLOB_DATA_READER,
} from "../providers/azure/worker-rights";
import { STACK_WORKER_ROLE, stackWorkerClusterRole } from "../providers/kubernetes/worker-rbac";
import { stackRoleBoundaryPolicy } from "../providers/aws/role-boundary";
import { STACK_ROLE_BOUNDARY_ENV } from "../providers/types/control-plane";
import { installMocks, settle, type Registered } from "./testing/pulumiMocks";
import type { ControlPlaneArgs } from "./ControlPlane";

const NODE_ROLE = "arn:aws:iam::123456789012:role/mp-node";
const READER_ROLE = "arn:aws:iam::123456789012:role/mp-reader";
const READER_GSA = "mp-reader@p.iam.gserviceaccount.com";
const RG = "/subscriptions/s-1/resourceGroups/cluster-rg";
const BOUNDARY = "arn:aws:iam::123456789012:policy/cp-aws-stack-role-boundary";

describe("ControlPlane: the pods' rights to run the per-model stacks", function () {
  this.timeout(30_000);
  let registered: Registered[];
  let mod: typeof import("./ControlPlane");
  before(async () => {
    registered = await installMocks({
      state: (type, name, inputs) => {
        if (type === "aws:s3/bucket:Bucket") return { bucket: `${name}-1a2b`, arn: `arn:aws:s3:::${name}-1a2b` };
        if (type === "aws:kms/key:Key") return { keyId: "k-1", arn: "arn:aws:kms:us-east-1:123456789012:key/k-1" };
        if (type === "aws:kms/alias:Alias") return { name: inputs["name"] };
        if (type === "aws:iam/role:Role") return { arn: `arn:aws:iam::123456789012:role/${name}-0a1b` };
        if (type === "aws:iam/policy:Policy")
          return { arn: `arn:aws:iam::123456789012:policy/${String(inputs["name"])}` };
        if (type === "gcp:storage/bucket:Bucket") return { name: `${name}-1a2b` };
        if (type === "gcp:kms/cryptoKey:CryptoKey")
          return { id: `projects/p/locations/l/keyRings/r/cryptoKeys/${name}` };
        if (type === "gcp:serviceaccount/account:Account")
          return {
            email: `${String(inputs["accountId"])}@p.iam.gserviceaccount.com`,
            name: `projects/p/serviceAccounts/${String(inputs["accountId"])}@p.iam.gserviceaccount.com`,
            project: "p",
          };
        if (type === "gcp:projects/iAMCustomRole:IAMCustomRole")
          return { name: `projects/${String(inputs["project"])}/roles/${String(inputs["roleId"])}` };
        if (type === "azure-native:managedidentity:UserAssignedIdentity")
          return { name: inputs["resourceName"], clientId: "c-1", principalId: "pp-0pods" };
        if (type === "azure-native:authorization:RoleDefinition") return { id: `${RG}/roleDefinitions/${name}` };
        if (type.startsWith("azure-native:"))
          return {
            name: inputs["containerName"] ?? inputs["keyName"] ?? inputs["vaultName"] ?? inputs["accountName"] ?? name,
            id: `${RG}/providers/x/${name}`,
          };
        return {};
      },
      call: (token, inputs) => {
        if (token === "gcp:organizations/getProject:getProject")
          return { projectId: inputs["projectId"], name: inputs["projectId"], number: "4242" };
        if (token === "azure-native:authorization:getClientConfig") return { tenantId: "t-1", subscriptionId: "s-1" };
        if (token === "azure-native:containerservice:getManagedCluster")
          return { ...inputs, oidcIssuerProfile: { enabled: true, issuerURL: "https://issuer.example/" } };
        return undefined;
      },
    });
    mod = await import("./ControlPlane");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  const make = (cloud: Cloud, extra: Partial<ControlPlaneArgs> = {}) =>
    new mod.ControlPlane(`cp-${cloud}`, {
      cloud,
      region: cloud === "aws" ? "us-east-1" : cloud === "gcp" ? "us-central1" : "eastus",
      kubernetes: new k8s.Provider(`k-${cloud}-${registered.length}-${Object.keys(extra).join("-")}`, {
        kubeconfig: "x",
      }),
      image: "ghcr.io/acme/modelplane:0.1.0",
      database: { kind: "url", url: pulumi.secret("postgres://u:p@h/mp") },
      stateBackend: { kind: "object-store" },
      adminKey: "admin-key-0123456789abcdef",
      ...(cloud === "gcp" ? { project: "p" } : {}),
      ...(cloud === "azure" ? { resourceGroupName: "cluster-rg" } : {}),
      ...extra,
    });
  const named = (type: string, name: string) => registered.find((r) => r.type === type && r.name === name);
  const ofType = (type: string) => registered.filter((r) => r.type === type);
  /** Whether the worker Deployment's env says the role boundary is required. */
  function boundaryRequired(): boolean {
    const deployments = ofType("kubernetes:apps/v1:Deployment");
    assert.ok(deployments.length > 0);
    return deployments.every((d) =>
      JSON.stringify(d.inputs).includes(`{"name":"${STACK_ROLE_BOUNDARY_ENV}","value":"required"}`),
    );
  }
  function binding(): { subjects: unknown; rules: unknown } {
    const role = ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    const bind = ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
    assert.equal(role.length, 1);
    assert.equal(bind.length, 1);
    assert.deepEqual(bind[0]?.inputs["roleRef"], {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: STACK_WORKER_ROLE,
    });
    return { subjects: bind[0]?.inputs["subjects"], rules: role[0]?.inputs["rules"] };
  }

  it("aws: a second inline policy on the pods' role (cluster, tags, the platform's roles to pass) and an access entry mapping it to the stack workers' group", async () => {
    make("aws", { clusterName: "mp-aws-eks-0a1b", stackIdentities: [NODE_ROLE, READER_ROLE] });
    await settle(registered);
    const role = named("aws:iam/role:Role", "cp-aws-pods");
    const policy = named("aws:iam/rolePolicy:RolePolicy", "cp-aws-pods-stacks");
    assert.ok(role && policy);
    assert.deepEqual(
      JSON.parse(String(policy.inputs["policy"])),
      workerPolicy({
        account: "123456789012",
        region: "us-east-1",
        clusterName: "mp-aws-eks-0a1b",
        passRoleArns: [NODE_ROLE, READER_ROLE],
        boundaryArn: BOUNDARY,
        selfRoleArn: "arn:aws:iam::123456789012:role/cp-aws-pods-0a1b",
      }),
    );
    // The boundary the stacks' roles must carry: a customer-managed policy, and the pods know it is enforced.
    const boundary = named("aws:iam/policy:Policy", "cp-aws-stack-role-boundary");
    assert.ok(boundary, "the boundary policy is created with the workers' rights");
    assert.equal(boundary.inputs["name"], "cp-aws-stack-role-boundary");
    assert.deepEqual(JSON.parse(String(boundary.inputs["policy"])), stackRoleBoundaryPolicy("123456789012"));
    assert.ok(boundaryRequired(), `${STACK_ROLE_BOUNDARY_ENV}=required on the pods`);
    const entry = named("aws:eks/accessEntry:AccessEntry", "cp-aws-pods-stacks");
    assert.ok(entry);
    assert.equal(entry.inputs["principalArn"], "arn:aws:iam::123456789012:role/cp-aws-pods-0a1b");
    assert.equal(entry.inputs["clusterName"], "mp-aws-eks-0a1b");
    assert.equal(entry.inputs["type"], "STANDARD");
    assert.deepEqual(entry.inputs["kubernetesGroups"], [AWS_STACK_WORKERS_GROUP]);
    assert.ok(
      !registered.some((r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"),
      "no EKS access policy: RBAC only",
    );
    const { subjects, rules } = binding();
    assert.deepEqual(subjects, [
      { kind: "Group", name: AWS_STACK_WORKERS_GROUP, apiGroup: "rbac.authorization.k8s.io" },
    ]);
    assert.deepEqual(rules, stackWorkerClusterRole().rules);
  });

  it("gcp: a project custom role (GKE node pools, Cloud Run) and a per-account role on the store's reader and the nodes' account only", async () => {
    make("gcp", { clusterName: "mp-gcp-gke-0a1b", stackIdentities: [READER_GSA] });
    await settle(registered);
    assert.ok(!boundaryRequired(), "no role boundary on gcp: nothing enforces one");
    const email = "mp-cp-";
    const projectRole = named("gcp:projects/iAMCustomRole:IAMCustomRole", "cp-gcp-pods-stacks");
    const accountRole = named("gcp:projects/iAMCustomRole:IAMCustomRole", "cp-gcp-pods-stacks-accounts");
    assert.deepEqual(projectRole?.inputs["permissions"], gcpWorkerPermissions("project"));
    assert.deepEqual(accountRole?.inputs["permissions"], gcpWorkerPermissions("service-account"));
    const onProject = named("gcp:projects/iAMMember:IAMMember", "cp-gcp-pods-stacks");
    assert.equal(onProject?.inputs["role"], `projects/p/roles/${String(projectRole?.inputs["roleId"])}`);
    assert.match(
      String(onProject?.inputs["member"]),
      new RegExp(`^serviceAccount:${email}[a-f0-9]+@p\\.iam\\.gserviceaccount\\.com$`),
    );
    assert.equal(ofType("gcp:projects/iAMMember:IAMMember").length, 1, "one project-level binding");
    const onAccounts = ofType("gcp:serviceaccount/iAMMember:IAMMember").filter((r) =>
      r.name.startsWith("cp-gcp-pods-stacks-account-"),
    );
    assert.deepEqual(onAccounts.map((r) => r.inputs["serviceAccountId"]).sort(), [
      `projects/p/serviceAccounts/4242-compute@developer.gserviceaccount.com`,
      `projects/p/serviceAccounts/${READER_GSA}`,
    ]);
    for (const r of onAccounts) {
      assert.equal(r.inputs["role"], `projects/p/roles/${String(accountRole?.inputs["roleId"])}`);
      assert.equal(r.inputs["member"], onProject?.inputs["member"]);
    }
    const { subjects } = binding();
    assert.deepEqual(subjects, [
      {
        kind: "User",
        name: String(onProject?.inputs["member"]).replace("serviceAccount:", ""),
        apiGroup: "rbac.authorization.k8s.io",
      },
    ]);
  });

  it("azure: a custom role assignable at the platform's resource group only, and RBAC Administrator conditioned to Storage Blob Data Reader", async () => {
    make("azure", { clusterName: "plat-aks0a1b" });
    await settle(registered);
    const def = named("azure-native:authorization:RoleDefinition", "cp-azure-pods-stacks");
    assert.ok(def);
    assert.equal(def.inputs["scope"], RG);
    assert.deepEqual(def.inputs["assignableScopes"], [RG]);
    assert.deepEqual(def.inputs["permissions"], [{ actions: azureWorkerActions(), notActions: [] }]);
    const custom = named("azure-native:authorization:RoleAssignment", "cp-azure-pods-stacks");
    assert.equal(custom?.inputs["roleDefinitionId"], `${RG}/roleDefinitions/cp-azure-pods-stacks`);
    assert.equal(custom?.inputs["scope"], RG);
    assert.equal(custom?.inputs["principalId"], "pp-0pods");
    const admin = named("azure-native:authorization:RoleAssignment", "cp-azure-pods-stacks-assign");
    assert.equal(
      admin?.inputs["roleDefinitionId"],
      `/subscriptions/s-1/providers/Microsoft.Authorization/roleDefinitions/${RBAC_ADMINISTRATOR}`,
    );
    assert.equal(admin?.inputs["scope"], RG);
    assert.equal(admin?.inputs["condition"], assignOnlyCondition([STORAGE_BLOB_DATA_READER]));
    assert.equal(admin?.inputs["conditionVersion"], "2.0");
    assert.equal(
      ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").length,
      0,
      "AKS: the kubeconfig is the local user",
    );
  });

  it("without the cluster's name (no pod identity) no stack rights are granted anywhere", async () => {
    for (const cloud of ["aws", "gcp", "azure"] as const) {
      registered.length = 0;
      make(cloud, { stackIdentities: [NODE_ROLE] });
      await settle(registered);
      assert.deepEqual(
        registered
          .filter((r) => r.name.includes("-stacks") || r.type.includes(":rbac.authorization.k8s.io/"))
          .map((r) => r.type),
        [],
        cloud,
      );
    }
  });
});
