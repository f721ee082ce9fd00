/** POST /v1/quotes with a workload: sized placements through the declared response schema; deployments refuse it. */
import * as assert from "node:assert/strict";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import type { ResponseCheck } from "./response-check";
import { call, controlPlaneFixture, DEFAULT_TEST_SETTINGS, errorOf, serve, type Fixture } from "./testing/harness";

const MODEL = {
  name: "llama-2-7b",
  parametersBillions: 6.74,
  precision: "fp16",
  contextTokens: 4096,
  architecture: { layers: 32, kvHeads: 32, headDim: 128 },
};
const WORKLOAD = { requestsPerSecond: 20, inputTokens: 800, outputTokens: 300, tpotP95Ms: 60 };

describe("api: workload quotes", () => {
  let fx: Fixture;
  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() }, "pglite", { startWorkers: false });
  });
  after(async () => {
    await fx?.close();
  });

  it("answers replicas, $/M tokens and predictions, through the declared schema; bad input and deployments name the field", async () => {
    const checks: ResponseCheck[] = [];
    const api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      settings: DEFAULT_TEST_SETTINGS,
      onResponseCheck: (c) => checks.push(c),
    });
    try {
      const key = fx.adminKey;
      const r = await call(api.base, "POST", "/v1/quotes", {
        key,
        body: { model: MODEL, workload: WORKLOAD, constraints: { scope: "anywhere" } },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const body = r.body as {
        placements: Array<{ replicas: number; usdPerMillionTokens?: number; predicted?: { tpotMs: number } }>;
      };
      assert.ok(body.placements.length > 0);
      for (const p of body.placements) {
        assert.ok(typeof p.usdPerMillionTokens === "number" && p.usdPerMillionTokens > 0);
        assert.ok(p.predicted && p.predicted.tpotMs <= WORKLOAD.tpotP95Ms);
      }
      assert.deepEqual(
        checks.filter((c) => c.outcome === "failed"),
        [],
      );
      assert.ok(checks.some((c) => c.endpoint === "POST /v1/quotes" && c.outcome === "passed"));

      const bad = await call(api.base, "POST", "/v1/quotes", {
        key,
        body: { model: MODEL, workload: { ...WORKLOAD, requestsPerSecond: 0 } },
      });
      assert.equal(bad.status, 400);
      assert.equal(errorOf(bad).field, "workload.requestsPerSecond");

      const deployment = await call(api.base, "POST", "/v1/deployments", {
        key,
        body: { model: MODEL, workload: WORKLOAD },
      });
      assert.equal(deployment.status, 400);
      assert.match(errorOf(deployment).message, /workload/);
    } finally {
      await api.close();
    }
  });
});
