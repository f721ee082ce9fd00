/**
 * The permissions boundary of the roles an AWS deployment stack creates (issue 14,
 * providers/aws/role-boundary.ts), against what a recorded run of the deployment program
 * registers: every `mp-*` role carries the platform's boundary; the boundary allows what the
 * roles' policies (inline and attached) need and no action beyond; the workers' policy lets them
 * write `mp-*` roles only with the boundary and denies removing it or changing the boundary policy.
 */
import { strict as assert } from "node:assert";
import type { Obj, Registered } from "../../components/testing/pulumiMocks";
import { settle } from "../../components/testing/pulumiMocks";
import { ValidationError } from "../../platform/core/validation";
import {
  BOUNDED_ROLE_ACTIONS,
  STACK_ROLE_BOUNDARY,
  stackRoleBoundaryPolicy,
  UNBOUNDED_ROLE_ACTIONS,
} from "../../providers/aws/role-boundary";
import { executionPolicy } from "../../providers/aws/serverless";
import { s3ReadOnlyPolicy } from "../../providers/aws/store";
import { AWS_WORKER_GRANTS, workerPolicy } from "../../providers/aws/worker-rights";
import { deploymentStackTypes } from "./stack-types";
import {
  fixtureCatalog,
  installDeploymentMocks,
  platformOutput,
  platformStackOutputs,
  resolveOutputs,
  specFor,
  TEST_ROLE_BOUNDARY,
} from "./testing";

const ACCOUNT = "123456789012";
type Statement = { Sid?: string; Effect: string; Action: string[] | string; Resource: string[] | string };
const list = (v: string[] | string): string[] => (Array.isArray(v) ? v : [v]);
/** IAM's `*` wildcard (actions case-insensitively, resources as written). */
const glob = (pattern: string, value: string, ci = false): boolean =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    ci ? "i" : "",
  ).test(value);

describe("the stack roles' permissions boundary (aws, mocks)", function () {
  this.timeout(120_000);
  let registered: Registered[];
  let platform: Obj = {};
  const resources: Array<{ r: Registered; variant: string }> = [];
  let mod: typeof import("./program");
  let specs: typeof import("./spec");

  before(async () => {
    registered = await installDeploymentMocks(() => platform);
    mod = await import("./program");
    specs = await import("./spec");
    await deploymentStackTypes(
      "aws",
      registered,
      (o) => (platform = o),
      (s) => mod.deploymentProgram(specs.parseDeploymentSpec(s), { catalog: fixtureCatalog() }),
      (r, variant) => resources.push({ r: { ...r, inputs: { ...r.inputs } }, variant }),
    );
  });

  const ofType = (type: string) => resources.filter(({ r }) => r.type === type);

  it("every role an aws deployment stack creates is named mp-* and carries the platform's boundary", () => {
    const roles = ofType("aws:iam/role:Role");
    assert.ok(roles.length > 0, "the recorded stacks create a role (the SageMaker execution role)");
    for (const { r, variant } of roles) {
      assert.match(String(r.inputs["name"]), /^mp-/, `${r.name} (${variant})`);
      assert.equal(r.inputs["permissionsBoundary"], TEST_ROLE_BOUNDARY, `${r.name} (${variant})`);
    }
  });

  /** What the roles' policies grant: the recorded inline policies, the attached store grant, and the no-store inline variant. */
  function neededStatements(): Statement[] {
    const inline = ofType("aws:iam/rolePolicy:RolePolicy").flatMap(
      ({ r }) => (JSON.parse(String(r.inputs["policy"])) as { Statement: Statement[] }).Statement,
    );
    const store = platformOutput("aws", { withPools: true })["store"] as Obj;
    const attached = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").flatMap(({ r }) => {
      assert.equal(r.inputs["policyArn"], store["readerGrant"], "only the store's read grant is attached");
      const bucket = /^s3:\/\/([^/]+)/.exec(String(store["uri"]))?.[1] ?? "";
      return (JSON.parse(s3ReadOnlyPolicy(`arn:aws:s3:::${bucket}`)) as { Statement: Statement[] }).Statement;
    });
    // Without a store grant the execution role reads the model prefix inline (not a recorded variant).
    const noStore = (JSON.parse(executionPolicy("s3://b/async/x", "s3://b/models/m")) as { Statement: Statement[] })
      .Statement;
    assert.ok(inline.length > 0 && attached.length > 0);
    return [...inline, ...attached, ...noStore];
  }

  it("the boundary allows every action on every resource the roles' policies grant", () => {
    const boundary = stackRoleBoundaryPolicy(ACCOUNT).Statement as unknown as Statement[];
    for (const need of neededStatements()) {
      assert.equal(need.Effect, "Allow");
      for (const action of list(need.Action))
        for (const resource of list(need.Resource)) {
          const ok = boundary.some(
            (b) =>
              list(b.Action).some((a) => glob(a, action, true)) &&
              list(b.Resource).some((p) =>
                glob(p, resource.replace("arn:aws:logs:*:*:", `arn:aws:logs:*:${ACCOUNT}:`)),
              ),
          );
          assert.ok(ok, `${need.Sid ?? "?"}: ${action} on ${resource} is outside the boundary`);
        }
    }
  });

  it("the boundary grants no action the roles' policies do not, no wildcard action, nothing of IAM or STS", () => {
    // SSE-KMS on the store (providers/aws/store.ts): granted by the key's policy, capped by a boundary.
    const sseKms = ["kms:Decrypt", "kms:GenerateDataKey"];
    const needed = new Set([...neededStatements().flatMap((s) => list(s.Action)), ...sseKms]);
    const granted = STACK_ROLE_BOUNDARY.flatMap((s) => s.actions);
    assert.deepEqual(
      granted.filter((a) => !needed.has(a)),
      [],
      "boundary actions no stack role needs",
    );
    for (const a of granted) {
      assert.ok(!a.includes("*"), a);
      assert.ok(!/^(iam|sts):/.test(a), a);
    }
    const kms = STACK_ROLE_BOUNDARY.find((s) => s.actions.includes("kms:Decrypt"));
    assert.deepEqual(kms?.condition?.(ACCOUNT), { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } });
    const writes = STACK_ROLE_BOUNDARY.find((s) => s.actions.includes("s3:PutObject"));
    assert.deepEqual(writes?.condition?.(ACCOUNT), { StringEquals: { "s3:ResourceAccount": ACCOUNT } });
  });

  describe("the workers' policy", () => {
    const scope = {
      account: ACCOUNT,
      region: "us-east-1",
      clusterName: "mp-aws",
      passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/mp-node`],
      boundaryArn: TEST_ROLE_BOUNDARY,
    };
    type S = Statement & { Condition?: Record<string, Record<string, string>> };
    const statements = () => workerPolicy(scope).Statement as unknown as S[];
    const roleWriting = new Set<string>(BOUNDED_ROLE_ACTIONS);

    it("allows each role-writing action only with iam:PermissionsBoundary equal to the boundary, and holds each", () => {
      const allows = statements().filter((s) => s.Effect === "Allow");
      for (const s of allows.filter((x) => list(x.Action).some((a) => roleWriting.has(a)))) {
        assert.equal(s.Condition?.["StringEquals"]?.["iam:PermissionsBoundary"], TEST_ROLE_BOUNDARY, s.Sid);
        assert.ok(
          list(s.Resource).every((r) => r === `arn:aws:iam::${ACCOUNT}:role/mp-*`),
          s.Sid,
        );
      }
      const held = new Set(allows.flatMap((s) => list(s.Action)));
      for (const a of BOUNDED_ROLE_ACTIONS) assert.ok(held.has(a), `${a} is granted (with the condition)`);
      // Every IAM role action the grants hold is either bounded or listed as not taking the key.
      const iamRole = [...held].filter((a) => /^iam:.*Role/.test(a) && a !== "iam:PassRole");
      const known = new Set<string>([...BOUNDED_ROLE_ACTIONS, ...UNBOUNDED_ROLE_ACTIONS]);
      assert.deepEqual(
        iamRole.filter((a) => !known.has(a) && a !== "iam:CreateServiceLinkedRole"),
        [],
        "role actions neither bounded nor accounted for",
      );
      for (const g of AWS_WORKER_GRANTS)
        for (const a of g.actions) assert.ok(!(roleWriting.has(a) && g.condition === undefined), `${g.sid}: ${a}`);
    });

    it("denies removing a stack role's boundary and changing the boundary policy", () => {
      const denies = statements().filter((s) => s.Effect === "Deny");
      const deny = (action: string) => denies.find((s) => list(s.Action).includes(action));
      assert.deepEqual(deny("iam:DeleteRolePermissionsBoundary")?.Resource, [`arn:aws:iam::${ACCOUNT}:role/mp-*`]);
      for (const a of [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
      ])
        assert.deepEqual(deny(a)?.Resource, [TEST_ROLE_BOUNDARY], a);
      assert.ok(
        denies.every((s) => s.Condition === undefined),
        "the denies are unconditional",
      );
      // The platform's roles (passed, and the workers' own) cannot be tagged into reach or changed.
      const self = `arn:aws:iam::${ACCOUNT}:role/mp-cp-pods`;
      const platform = (workerPolicy({ ...scope, selfRoleArn: self }).Statement as unknown as S[]).find(
        (s) => s.Sid === "DenyChangingPlatformRoles",
      );
      assert.deepEqual(platform?.Resource, [...scope.passRoleArns, self]);
      for (const a of ["iam:TagRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"])
        assert.ok(list(platform?.Action ?? []).includes(a), a);
      assert.ok(!list(platform?.Action ?? []).includes("iam:PassRole"), "passing them stays allowed");
    });
  });

  describe("a platform without the boundary", () => {
    const withoutBoundary = (): Obj => {
      const { stackRoleBoundaryArn: _b, ...rest } = platformOutput("aws", { withPools: true });
      return platformStackOutputs(rest);
    };
    const run = async (requireRoleBoundary: boolean) => {
      registered.length = 0;
      platform = withoutBoundary();
      const program = mod.deploymentProgram(specFor("aws", "serverless"), {
        catalog: fixtureCatalog(),
        requireRoleBoundary,
      });
      await resolveOutputs(await program());
      await settle(registered);
    };

    it("fails naming the field when the workers' rights require it (no role is registered)", async () => {
      await assert.rejects(run(true), (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.match(err.field, /^platformStack\(.+\)\.clusters\.aws-[a-z0-9-]+\.stackRoleBoundaryArn$/);
        return true;
      });
      assert.ok(!registered.some((r) => r.type === "aws:iam/role:Role"), "no unbounded role");
    });

    it("creates the role without one when nothing requires it (a platform without bounded workers)", async () => {
      await run(false);
      const role = registered.find((r) => r.type === "aws:iam/role:Role");
      assert.ok(role);
      assert.equal(role.inputs["permissionsBoundary"], undefined);
    });
  });
});
