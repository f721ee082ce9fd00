/**
 * The control plane workers' rights (issue 14 item 7) against what a deployment stack really
 * registers: every resource type a run of the deployment program registers under mocks, per cloud
 * and per placement kind (./stack-types.ts), has a grant (providers/<cloud>/worker-rights.ts) or a
 * Kubernetes RBAC rule (providers/kubernetes/worker-rbac.ts), and the grants name no type the
 * program does not register. A new resource type in the program without a grant fails here.
 * Plus the scope of the grants: tag and name conditions, no wildcards, pass-role limits.
 */
import { strict as assert } from "node:assert";
import type { Cloud } from "../../platform/core/types";
import type { Obj, Registered } from "../../components/testing/pulumiMocks";
import { AWS_WORKER_GRANTS, DEPLOYMENT_TAG, grantCondition, workerPolicy } from "../../providers/aws/worker-rights";
import { GCP_WORKER_GRANTS, gcpWorkerPermissions } from "../../providers/gcp/worker-rights";
import {
  assignOnlyCondition,
  AZURE_WORKER_GRANTS,
  azureWorkerActions,
  STORAGE_BLOB_DATA_READER,
} from "../../providers/azure/worker-rights";
import { allows, STACK_KIND_RULES, stackWorkerClusterRole } from "../../providers/kubernetes/worker-rbac";
import { fixtureCatalog, installDeploymentMocks } from "./testing";
import { deploymentStackTypes } from "./stack-types";

const CLOUDS: Cloud[] = ["aws", "gcp", "azure"];
const SCOPE = {
  account: "123456789012",
  region: "us-east-1",
  clusterName: "mp-aws-eks-0a1b",
  passRoleArns: ["arn:aws:iam::123456789012:role/mp-node", "arn:aws:iam::123456789012:role/mp-reader"],
  boundaryArn: "arn:aws:iam::123456789012:policy/mp-aws-control-plane-stack-role-boundary",
};
const granted: Record<Cloud, Set<string>> = {
  aws: new Set(AWS_WORKER_GRANTS.flatMap((g) => g.types)),
  gcp: new Set(GCP_WORKER_GRANTS.flatMap((g) => g.types)),
  azure: new Set(AZURE_WORKER_GRANTS.flatMap((g) => g.types)),
};

describe("control plane workers' rights cover what a deployment stack registers (mocks)", function () {
  this.timeout(120_000);
  let registered: Registered[];
  let platform: Obj = {};
  const recorded = new Map<Cloud, Map<string, string[]>>();
  const resources: Array<{ cloud: Cloud; r: Registered; variant: string }> = [];

  before(async () => {
    registered = await installDeploymentMocks(() => platform);
    const mod = await import("./program");
    const specs = await import("./spec");
    for (const cloud of CLOUDS)
      recorded.set(
        cloud,
        await deploymentStackTypes(
          cloud,
          registered,
          (o) => (platform = o),
          (s) => mod.deploymentProgram(specs.parseDeploymentSpec(s), { catalog: fixtureCatalog() }),
          (r, variant) => resources.push({ cloud, r: { ...r, inputs: { ...r.inputs } }, variant }),
        ),
      );
  });

  const typesOf = (cloud: Cloud) => [...(recorded.get(cloud)?.keys() ?? [])];

  for (const cloud of CLOUDS) {
    it(`${cloud}: every cloud resource type the stacks register has a grant, and every grant names a registered type`, () => {
      const cloudTypes = typesOf(cloud).filter((t) => !t.startsWith("kubernetes:"));
      assert.ok(cloudTypes.length > 0, "the recorded plan has cloud resources");
      const missing = cloudTypes.filter((t) => !granted[cloud].has(t));
      assert.deepEqual(missing, [], `types without a grant in providers/${cloud}/worker-rights.ts`);
      const unused = [...granted[cloud]].filter((t) => !cloudTypes.includes(t));
      assert.deepEqual(unused, [], "grants for types no deployment stack registers");
    });

    it(`${cloud}: every Kubernetes kind the stacks register has an RBAC rule the ClusterRole carries`, () => {
      const rules = stackWorkerClusterRole().rules;
      for (const t of typesOf(cloud).filter((x) => x.startsWith("kubernetes:"))) {
        const rule = STACK_KIND_RULES[t];
        assert.ok(rule, `${t} has no rule in providers/kubernetes/worker-rbac.ts`);
        for (const verb of ["get", "create", "patch"])
          assert.ok(allows(rules, rule.apiGroups[0] ?? "", rule.resources[0] ?? "", verb), `${t}: ${verb}`);
      }
    });
  }

  it("aws: every resource a tag-conditioned grant creates carries the deployment tag (else its create is denied)", () => {
    const conditioned = new Set(
      AWS_WORKER_GRANTS.filter(
        (g) => grantCondition(g, SCOPE)?.["Null"]?.[`aws:RequestTag/${DEPLOYMENT_TAG}`] === "false",
      ).flatMap((g) => g.types),
    );
    const checked = resources.filter(({ cloud, r }) => cloud === "aws" && conditioned.has(r.type));
    assert.ok(checked.length > 0);
    for (const { r, variant } of checked) {
      const tags = (r.inputs["tags"] ?? {}) as Record<string, string>;
      assert.ok(
        typeof tags[DEPLOYMENT_TAG] === "string" && tags[DEPLOYMENT_TAG] !== "",
        `${r.type} ${r.name} (${variant})`,
      );
    }
  });

  it("the RBAC rules name only kinds some cloud's stacks register; namespaces are never deleted", () => {
    const all = new Set(CLOUDS.flatMap(typesOf));
    assert.deepEqual(
      Object.keys(STACK_KIND_RULES).filter((t) => !all.has(t)),
      [],
    );
    const rules = stackWorkerClusterRole().rules;
    assert.ok(!allows(rules, "", "namespaces", "delete"));
    assert.ok(!allows(rules, "", "secrets", "get"), "no Secret is read or written by a stack");
    for (const r of rules) {
      assert.ok(!r.verbs.includes("*") && !r.resources.includes("*") && !r.apiGroups.includes("*"), "no wildcard");
    }
  });
});

describe("control plane workers' rights: scope", () => {
  const scope = SCOPE;
  type Statement = {
    Sid: string;
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string>>;
  };
  /** The grants (the boundary's denies are checked in ./role-boundary.test.ts). */
  const statements = () =>
    workerPolicy(scope).Statement.filter((s) => s["Effect"] === "Allow") as unknown as Statement[];

  it("aws: creates need the deployment tag in the request, changes need it on the resource; no action wildcard", () => {
    for (const s of statements()) {
      for (const a of s.Action) assert.ok(!a.includes("*"), `${s.Sid}: ${a}`);
      if (
        s.Action.some((a) =>
          /:(Create(Nodegroup|PodIdentityAssociation|LaunchTemplate|Role|Model|Endpoint|EndpointConfig)|PutMetricAlarm)$/.test(
            a,
          ),
        ) &&
        s.Sid.endsWith("CreateTagged")
      )
        assert.equal(s.Condition?.["Null"]?.[`aws:RequestTag/${DEPLOYMENT_TAG}`], "false", s.Sid);
      if (s.Action.some((a) => /:(Delete|Update)/.test(a)) && s.Sid !== "EndpointScaling")
        assert.equal(s.Condition?.["Null"]?.[`aws:ResourceTag/${DEPLOYMENT_TAG}`], "false", s.Sid);
    }
  });

  it("aws: resources are the cluster's, `mp-` named, or `*` only for calls without resource-level scope", () => {
    for (const s of statements()) {
      for (const r of s.Resource) {
        if (r === "*") {
          assert.ok(
            s.Action.every((a) => /:(Describe|List)/.test(a) || a.startsWith("application-autoscaling:")),
            `${s.Sid}: * only for describe/list calls and Application Auto Scaling`,
          );
          continue;
        }
        assert.ok(r.includes(":123456789012:") || r.includes("::123456789012:"), `${s.Sid}: ${r} in the account`);
        if (r.startsWith("arn:aws:eks:"))
          assert.ok(r.includes(`/${scope.clusterName}`), `${s.Sid}: ${r} on the cluster`);
        if (r.startsWith("arn:aws:iam::") && !r.includes("aws-service-role"))
          assert.match(r, /:role\/mp-/, `${s.Sid}: roles named mp-`);
      }
    }
  });

  it("aws: iam:PassRole only for the platform's roles and the stacks' own roles, those to SageMaker only", () => {
    const pass = statements().filter((s) => s.Action.includes("iam:PassRole"));
    assert.deepEqual(pass.find((s) => s.Sid === "PassPlatformRoles")?.Resource, scope.passRoleArns);
    const own = pass.find((s) => s.Sid === "ExecRolePassToSageMaker");
    assert.deepEqual(own?.Condition?.["StringEquals"], { "iam:PassedToService": "sagemaker.amazonaws.com" });
    assert.equal(pass.length, 2);
    const none = workerPolicy({ ...scope, passRoleArns: [] }).Statement.map((s) => s["Sid"]);
    assert.ok(!none.includes("PassPlatformRoles"), "nothing to pass: no statement");
  });

  it("gcp: project-level permissions are GKE cluster update and Cloud Run only; acting as accounts is per account", () => {
    const project = gcpWorkerPermissions("project");
    assert.ok(
      project.every((p) =>
        /^(container\.(clusters\.(get|update)|operations\.(get|list))|run\.(services|operations)\.)/.test(p),
      ),
    );
    assert.deepEqual(gcpWorkerPermissions("service-account"), [
      "iam.serviceAccounts.actAs",
      "iam.serviceAccounts.get",
      "iam.serviceAccounts.getIamPolicy",
      "iam.serviceAccounts.setIamPolicy",
    ]);
    assert.ok(!project.some((p) => p.startsWith("iam.")), "no IAM permission project-wide");
  });

  it("azure: the custom role has no wildcard; role assignments only of Storage Blob Data Reader to service principals", () => {
    const actions = azureWorkerActions();
    assert.ok(actions.length > 0 && actions.every((a) => !a.includes("*")));
    assert.ok(
      !actions.some((a) => a.startsWith("Microsoft.Authorization/")),
      "no role assignment through the custom role",
    );
    const condition = assignOnlyCondition([STORAGE_BLOB_DATA_READER]);
    assert.match(
      condition,
      /@Request\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals \{2a2b9908-6ea1-4ae2-8e65-a410df84e7d1\}/,
    );
    assert.match(
      condition,
      /@Resource\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals \{2a2b9908-6ea1-4ae2-8e65-a410df84e7d1\}/,
    );
    assert.match(condition, /PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}/);
    const rg = AZURE_WORKER_GRANTS.find((g) => g.types.includes("azure-native:resources:ResourceGroup"));
    assert.ok(rg && "notGranted" in rg, "a resource group of its own is not granted (subscription scope)");
  });
});
