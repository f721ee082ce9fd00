/**
 * The pre-flight plan in the deployment path, with the REAL planner (issue 5's offline plan and
 * cost-guard policies) over real HTTP, real control plane on PGlite: a mandatory violation is a
 * 422 with the violations and nothing is persisted or queued; advisories pass through a 202.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
import { createPlanner, type OfflinePlanner } from "../planner";
import { DeploymentAcceptedSchema } from "../schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "../testing/harness";

const MODEL = { name: "phi-3-mini", parametersBillions: 3.8, precision: "bf16", contextTokens: 4096 };

describe("api: pre-flight cost policy (real planner)", () => {
  let fx: Fixture;
  let api: RunningApi;
  let planner: OfflinePlanner;
  let deployer: string;

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    // Every policy at its default level, as `npm start` runs them.
    planner = createPlanner({ catalog: fx.catalog, footprint: fx.footprint });
    await planner.warm();
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      planner,
    });
    deployer = (await makeKey(api.base, fx.adminKey, "research", "deployer")).secret;
  });

  after(async () => {
    await api?.close();
    await planner?.close();
    await fx?.close();
  });

  it("denies a dev deployment above the GPU node limit with 422 policy_denied, naming the policy; nothing is stored", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: {
        model: { ...MODEL, name: "too-many-nodes" },
        environment: "dev",
        constraints: { capacity: "spot" },
        scaling: { minReplicas: 1, maxReplicas: 40 },
      },
    });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    const e = errorOf(r);
    assert.equal(e.code, "policy_denied");
    const violations = (e.violations ?? []) as Array<{ policy: string; level: string; message: string }>;
    const nodes = violations.find((v) => v.policy === "max-gpu-nodes");
    assert.ok(nodes, `violations: ${JSON.stringify(violations)}`);
    assert.equal(nodes.level, "mandatory");
    assert.match(e.message, /max-gpu-nodes/);
    const page = await call(api.base, "GET", "/v1/deployments?model=too-many-nodes", { key: deployer });
    assert.deepEqual(obj(page.body).items, []);
  });

  it("accepts a deployment within policy (202), passing advisories along", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: {
        model: MODEL,
        environment: "dev",
        constraints: { capacity: "spot" },
        scaling: { minReplicas: 1, maxReplicas: 2 },
      },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const d = DeploymentAcceptedSchema.parse(r.body);
    assert.equal(d.status, "queued");
    assert.ok(d.advisories.length > 0);
    // A dev deployment that keeps a GPU replica at rest meets the advisory scale-to-zero policy.
    assert.ok(
      d.advisories.some((a) => a.policy === "scale-to-zero-outside-production"),
      JSON.stringify(d.advisories),
    );
    assert.ok(d.advisories.every((a) => a.message.length > 0));
  });

  it("pre-flights a PATCH too: scaling past the limit is denied and the deployment keeps its spec", async () => {
    // Its own deployment within policy, so this test does not depend on another.
    const created = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: {
        model: { ...MODEL, name: "patched-past-the-limit" },
        environment: "dev",
        constraints: { capacity: "spot" },
        scaling: { minReplicas: 1, maxReplicas: 2 },
      },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = DeploymentAcceptedSchema.parse(created.body).id;
    const before = obj((await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer })).body);
    const r = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: { scaling: { minReplicas: 1, maxReplicas: 40 } },
    });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(errorOf(r).code, "policy_denied");
    const after = obj((await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer })).body);
    assert.deepEqual(after.spec, before.spec);
  });
});
