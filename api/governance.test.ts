/**
 * Governance cannot be bypassed from a request (issue 11): reserved tag keys are refused with the
 * reason, `server.image` comes only from the policy's registries, and no request field that is
 * not the placement itself turns a policy verdict from deny into allow. Real planner, real HTTP.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { requestGovernance } from "../policy/governance";
import { createPlanner, type OfflinePlanner } from "./planner";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  makeKey,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

const MODEL = { name: "gov-model", parametersBillions: 3.8, precision: "bf16", contextTokens: 4096 };
/** Denied by spot-required-outside-production: an on-demand GPU pool in dev. */
const DENIED = { environment: "dev", constraints: { capacity: "on-demand", clouds: ["aws"] } };

describe("api: governance cannot be bypassed (real planner)", function () {
  this.timeout(120_000);
  let fx: Fixture;
  let api: RunningApi;
  let planner: OfflinePlanner;
  let deployer: string;
  let n = 0;

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    planner = createPlanner({ catalog: fx.catalog, footprint: fx.footprint });
    await planner.warm();
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      planner,
      governance: requestGovernance({
        "allowed-image-registries": {
          registries: ["nvcr.io/nvidia", "docker.io/vllm", "123456789012.dkr.ecr.us-east-1.amazonaws.com"],
        },
      }),
    });
    deployer = (await makeKey(api.base, fx.adminKey, "gov", "deployer")).secret;
  });

  after(async () => {
    await api?.close();
    await fx?.close(); // the plan worker stays warm for the next test file (see api/testing/planned.ts)
  });

  const deploy = (extra: Record<string, unknown>, model: Record<string, unknown> = {}) =>
    call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { ...DENIED, model: { ...MODEL, name: `${MODEL.name}-${n++}`, ...model }, ...extra },
    });

  it("the base request is denied by the spot policy", async () => {
    const r = await deploy({});
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(errorOf(r).code, "policy_denied");
    assert.match(errorOf(r).message, /spot-required-outside-production/);
  });

  for (const key of [
    "modelplane-allow-on-demand",
    "Modelplane_Allow_On_Demand",
    "MODELPLANE.allow.on.demand",
    "modelplane/deployment-id",
    "modelplane-anything",
    "managed-by",
    "Managed_By",
    "owner",
    "cost-center",
  ]) {
    it(`refuses the reserved tag key ${JSON.stringify(key)} with the reason`, async () => {
      const r = await deploy({ tags: { [key]: "true" } });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(errorOf(r).field, `tags.${key}`);
      assert.match(errorOf(r).message, /reserved tag key: \S/);
    });
  }

  it("limits server.image to the policy's registries", async () => {
    const bad = await deploy({ server: { image: "evil.example.com/steal:latest" } });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad).field, "server.image");
    assert.match(errorOf(bad).message, /evil\.example\.com\/steal is not allowed; allowed: nvcr\.io\/nvidia/);
    const hub = await deploy({ server: { image: "someone/vllm-openai:latest" } });
    assert.match(errorOf(hub).message, /docker\.io\/someone\/vllm-openai/);
    // An allowed registry passes the input check (the base request is then denied by policy).
    const ok = await deploy({ server: { image: "docker.io/vllm/vllm-openai:v0.11.0" } });
    assert.equal(ok.status, 422, JSON.stringify(ok.body));
  });

  it("no request field but the placement turns the verdict from deny to allow", async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("true", "yes", "1", "production", "on-demand", "spot"),
    );
    const tagKey = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom("modelplane-allow-on-demand", "allow-on-demand", "spot", "capacity", "environment", "exempt"),
    );
    const field = fc.record(
      {
        tags: fc.dictionary(tagKey, text, { maxKeys: 5 }),
        owner: fc.string({ minLength: 1, maxLength: 20 }),
        costCenter: fc.string({ minLength: 1, maxLength: 20 }),
        name: fc.constantFrom("prod", "production", "spot-pool", "exempt"),
        server: fc.record({ kind: fc.constantFrom("vllm", "triton") }),
        onDemandFloorReplicas: fc.integer({ min: 0, max: 3 }),
        scaling: fc.record({
          minReplicas: fc.integer({ min: 1, max: 2 }),
          maxReplicas: fc.integer({ min: 2, max: 3 }),
        }),
      },
      { requiredKeys: [] },
    );
    const model = fc.record(
      { version: fc.string({ minLength: 1, maxLength: 10 }), source: fc.constantFrom("hf://org/repo", "my-model/v1") },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(field, model, async (extra, m) => {
        const r = await deploy(extra, m);
        assert.notEqual(r.status, 202, `allowed with ${JSON.stringify({ extra, m })}`);
        assert.ok(r.status === 400 || r.status === 422, `${r.status} ${JSON.stringify(r.body)}`);
      }),
      { seed: 11, numRuns: Number(process.env["FUZZ_RUNS"] ?? 40) },
    );
  });

  it("takes tags named like Object.prototype members through the pre-flight (no TypeError)", async () => {
    const tags = JSON.parse('{"toString": "q", "valueOf": "v", "__proto__": "p"}') as Record<string, string>;
    const r = await deploy({ tags });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(errorOf(r).field, "tags.toString");
  });
});
