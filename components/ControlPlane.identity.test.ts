/**
 * The control plane pods' cloud identity (AWS: EKS Pod Identity; GCP: GKE Workload Identity): bound
 * to the one ServiceAccount the API and worker Deployments run as, allowed the state bucket and the
 * secrets key and nothing else. And the AWS database's placement in the cluster's VPC. Under mocks.
 */
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../platform/core/types";
import { controlPlanePodPolicy } from "../providers/aws/control-plane";
import { controlPlaneAccountId } from "../providers/gcp/control-plane";
import { installMocks, settle, valueOf, type Registered } from "./testing/pulumiMocks";

const IMAGE = "ghcr.io/acme/modelplane:0.1.0";

describe("ControlPlane: the pods' cloud identity", function () {
  this.timeout(30_000);
  let registered: Registered[];
  let mod: typeof import("./ControlPlane");
  before(async () => {
    registered = await installMocks({
      state: (type, name, inputs) => {
        if (type === "aws:s3/bucket:Bucket") return { bucket: `${name}-1a2b3c`, arn: `arn:aws:s3:::${name}-1a2b3c` };
        if (type === "aws:kms/key:Key") return { keyId: "k-1", arn: "arn:aws:kms:us-east-1:123456789012:key/k-1" };
        if (type === "aws:kms/alias:Alias") return { name: inputs["name"] };
        if (type === "aws:iam/role:Role") return { arn: `arn:aws:iam::123456789012:role/${name}-0a1b2c` };
        if (type === "aws:rds/subnetGroup:SubnetGroup") return { name: `${name}-0a1b2c` };
        if (type === "aws:ec2/securityGroup:SecurityGroup") return { id: "sg-0db" };
        if (type === "aws:rds/instance:Instance") return { address: `${name}.abc.us-east-1.rds.amazonaws.com` };
        if (type === "gcp:projects/iAMCustomRole:IAMCustomRole")
          return { name: `projects/${String(inputs["project"])}/roles/${String(inputs["roleId"])}` };
        if (type === "gcp:storage/bucket:Bucket") return { name: `${name}-1a2b` };
        if (type === "gcp:kms/cryptoKey:CryptoKey")
          return { id: `projects/p/locations/us-central1/keyRings/r/cryptoKeys/${name}` };
        if (type === "gcp:serviceaccount/account:Account")
          return {
            email: `${String(inputs["accountId"])}@p.iam.gserviceaccount.com`,
            name: `projects/p/serviceAccounts/${String(inputs["accountId"])}@p.iam.gserviceaccount.com`,
            project: "p",
          };
        return {};
      },
      call: (token, inputs) => {
        if (token === "aws:ec2/getSubnet:getSubnet") return { id: inputs["id"], vpcId: "vpc-0cluster" };
        if (token === "aws:ec2/getVpc:getVpc") return { id: inputs["id"], cidrBlock: "10.20.0.0/16" };
        if (token === "gcp:organizations/getProject:getProject")
          return { projectId: inputs["projectId"], name: inputs["projectId"], number: "4242" };
        return undefined;
      },
    });
    mod = await import("./ControlPlane");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  const make = (cloud: Cloud, clusterName?: string) =>
    new mod.ControlPlane(`cp-${cloud}`, {
      cloud,
      region: cloud === "aws" ? "us-east-1" : "us-central1",
      kubernetes: new k8s.Provider(`k-${cloud}-${clusterName ?? "none"}`, { kubeconfig: "x" }),
      image: IMAGE,
      database: { kind: "url", url: pulumi.secret("postgres://u:p@h/mp") },
      stateBackend: { kind: "object-store" },
      adminKey: "admin-key-0123456789abcdef",
      ...(clusterName !== undefined ? { clusterName } : {}),
      ...(cloud === "gcp" ? { project: "p" } : {}),
    });

  /** The ServiceAccount the Deployments run as, checked to be the one object of that name. */
  function podServiceAccount(): { name: string; namespace: string; annotations?: Record<string, string> } {
    const sa = registered.find((r) => r.type === "kubernetes:core/v1:ServiceAccount");
    assert.ok(sa);
    const meta = sa.inputs["metadata"] as { name: string; namespace: string; annotations?: Record<string, string> };
    for (const d of registered.filter((r) => r.type === "kubernetes:apps/v1:Deployment")) {
      const spec = d.inputs["spec"] as { template: { spec: { serviceAccountName: string } } };
      assert.equal(spec.template.spec.serviceAccountName, meta.name, `${d.name} runs as the bound ServiceAccount`);
    }
    return meta;
  }

  it("aws: an IAM role trusted by EKS Pod Identity, associated with the pods' ServiceAccount, allowed the bucket and the key only", async () => {
    const cp = make("aws", "modelplane-aws-eks-0a1b2c");
    const identity = await valueOf(cp.podIdentity);
    await settle(registered);
    const role = registered.find((r) => r.type === "aws:iam/role:Role");
    assert.ok(role);
    const trust = JSON.parse(String(role.inputs["assumeRolePolicy"])) as {
      Statement: Array<{ Principal: { Service: string }; Action: string[] }>;
    };
    assert.deepEqual(trust.Statement[0]?.Principal, { Service: "pods.eks.amazonaws.com" });
    assert.deepEqual(trust.Statement[0]?.Action, ["sts:AssumeRole", "sts:TagSession"]);
    assert.equal(identity, `arn:aws:iam::123456789012:role/${role.name}-0a1b2c`);

    const sa = podServiceAccount();
    const assoc = registered.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    assert.ok(assoc);
    assert.equal(assoc.inputs["clusterName"], "modelplane-aws-eks-0a1b2c");
    assert.equal(assoc.inputs["namespace"], sa.namespace);
    assert.equal(assoc.inputs["serviceAccount"], sa.name);
    assert.equal(assoc.inputs["roleArn"], identity);

    const policy = registered.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "cp-aws-pods-state");
    assert.ok(policy);
    const doc = JSON.parse(String(policy.inputs["policy"])) as {
      Statement: Array<{ Action: string[]; Resource: string }>;
    };
    assert.deepEqual(
      doc.Statement.map((s) => s.Resource),
      [
        "arn:aws:s3:::cp-aws-state-1a2b3c",
        "arn:aws:s3:::cp-aws-state-1a2b3c/*",
        "arn:aws:kms:us-east-1:123456789012:key/k-1",
      ],
    );
    assert.deepEqual(doc.Statement[2]?.Action, ["kms:Encrypt", "kms:Decrypt"]);
  });

  it("gcp: a Google service account the pods' ServiceAccount acts as (Workload Identity), with the bucket and the key only", async () => {
    const cp = make("gcp", "modelplane-gcp-gke-0a1b2c");
    const identity = await valueOf(cp.podIdentity);
    await settle(registered);
    const account = registered.find((r) => r.type === "gcp:serviceaccount/account:Account");
    assert.ok(account);
    assert.equal(account.inputs["accountId"], controlPlaneAccountId("cp-gcp"));
    assert.match(String(account.inputs["accountId"]), /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a valid GSA id (6–30)");
    assert.equal(identity, `${String(account.inputs["accountId"])}@p.iam.gserviceaccount.com`);

    const sa = podServiceAccount();
    assert.deepEqual(sa.annotations, { "iam.gke.io/gcp-service-account": identity });
    const wi = registered.find(
      (r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.name === "cp-gcp-pods-workload-identity",
    );
    assert.ok(wi);
    assert.equal(wi.inputs["role"], "roles/iam.workloadIdentityUser");
    assert.equal(wi.inputs["member"], `serviceAccount:p.svc.id.goog[${sa.namespace}/${sa.name}]`);

    const onBucket = registered.find((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember");
    const onKey = registered.find((r) => r.type === "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
    assert.equal(onBucket?.inputs["bucket"], "cp-gcp-state-1a2b");
    assert.equal(onBucket?.inputs["role"], "roles/storage.objectAdmin");
    assert.equal(onKey?.inputs["role"], "roles/cloudkms.cryptoKeyEncrypterDecrypter");
    for (const g of [onBucket, onKey]) assert.equal(g?.inputs["member"], `serviceAccount:${String(identity)}`);
    // Project-wide: the stack workers' custom role only (providers/gcp/worker-rights.ts; tested below).
    assert.deepEqual(
      registered
        .filter((r) => r.type.startsWith("gcp:projects/"))
        .map((r) => r.name)
        .sort(),
      ["cp-gcp-pods-stacks", "cp-gcp-pods-stacks", "cp-gcp-pods-stacks-accounts"],
    );
  });

  it("without the cluster's name, no identity is created and the ServiceAccount has no annotation", async () => {
    for (const cloud of ["aws", "gcp"] as const) {
      registered.length = 0;
      const cp = make(cloud);
      assert.equal(await valueOf(cp.podIdentity), undefined);
      await settle(registered);
      assert.ok(
        !registered.some((r) => /iam\/role:Role|podIdentityAssociation|serviceaccount\/account:Account/.test(r.type)),
      );
      assert.equal(podServiceAccount().annotations, undefined);
    }
  });

  it("the AWS policy names only what was created", () => {
    assert.deepEqual(controlPlanePodPolicy(undefined, "arn:k").Statement, [
      { Sid: "SecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "arn:k" },
    ]);
    assert.equal((controlPlanePodPolicy("arn:b", undefined).Statement as unknown[]).length, 2);
  });

  it("aws: the database goes into the cluster's subnets, reachable on 5432 from the cluster's VPC only", async () => {
    new mod.ControlPlane("cp-net", {
      cloud: "aws",
      region: "us-east-1",
      kubernetes: new k8s.Provider("k-net", { kubeconfig: "x" }),
      image: IMAGE,
      database: { kind: "managed", password: pulumi.secret("pw-0123456789") },
      stateBackend: { kind: "object-store" },
      adminKey: "admin-key-0123456789abcdef",
      clusterSubnetIds: ["subnet-a", "subnet-b"],
    });
    await settle(registered);
    const group = registered.find((r) => r.type === "aws:rds/subnetGroup:SubnetGroup");
    const sg = registered.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
    const db = registered.find((r) => r.type === "aws:rds/instance:Instance");
    assert.ok(group && sg && db);
    assert.deepEqual(group.inputs["subnetIds"], ["subnet-a", "subnet-b"]);
    assert.equal(sg.inputs["vpcId"], "vpc-0cluster", "the security group is in the cluster's VPC");
    assert.deepEqual(sg.inputs["ingress"], [
      { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.20.0.0/16"] },
    ]);
    assert.equal(db.inputs["dbSubnetGroupName"], `${group.name}-0a1b2c`);
    assert.deepEqual(db.inputs["vpcSecurityGroupIds"], ["sg-0db"]);
    assert.equal(db.inputs["publiclyAccessible"], false);

    registered.length = 0;
    make("aws");
    await settle(registered);
    assert.ok(
      !registered.some((r) => r.type === "aws:rds/subnetGroup:SubnetGroup"),
      "a given URL: no database to place",
    );
  });
});
