/**
 * Quotes and deployments with a platform footprint and the shipped policy config, over real HTTP,
 * with the REAL pre-flight planner on the same policy config: placements land in the footprint,
 * expansions come back, and the optimizer's top placement passes the pre-flight.
 */
import * as assert from "node:assert/strict";
import { devFootprint } from "../../platform/core/optimizer/test-fixtures";
import { plannedApi, type PlannedApi } from "../testing/planned";
import { DeploymentAcceptedSchema } from "../schemas";
import { call, errorOf, type RunningApi } from "../testing/harness";
import { QuoteResponseSchema } from "./create-quote";

const INSIDE = ["aws|us-east-1", "gcp|us-central1", "azure|eastus"];
const LLAMA = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

describe("api: footprint and policy-aware placement (real planner, shipped policy config)", function () {
  this.timeout(60_000);
  let rig: PlannedApi;
  let api: RunningApi;
  let deployer: string;

  before(async () => {
    rig = await plannedApi(devFootprint);
    ({ api, deployer } = rig);
  });

  after(async () => {
    await rig?.close();
  });

  it("POST /v1/quotes places inside the footprint by default, with expansions, and anywhere on request", async () => {
    const r = await call(api.base, "POST", "/v1/quotes", { key: deployer, body: { model: LLAMA } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const q = QuoteResponseSchema.parse(r.body);
    assert.equal(q.scope, "footprint");
    assert.ok(q.placements.length > 0);
    for (const p of q.placements) assert.ok(INSIDE.includes(`${p.cloud}|${p.region}`), `${p.cloud} ${p.region}`);
    assert.deepEqual(
      q.footprint!.clusters.map((c) => `${c.cloud}|${c.region}`),
      INSIDE,
    );
    assert.ok(q.policy!.shapedBy.length > 0, "the dev policy shaped it (spot only, allowed regions)");
    // The shipped dev policy allows no region outside the US list, so no expansion in Europe is advised.
    for (const e of q.expansions!) {
      assert.ok(["us-east-1", "us-west-2", "us-central1", "us-east4", "eastus", "westus2"].includes(e.region));
    }
    const anywhere = QuoteResponseSchema.parse(
      (
        await call(api.base, "POST", "/v1/quotes", {
          key: deployer,
          body: { model: LLAMA, constraints: { scope: "anywhere" } },
        })
      ).body,
    );
    assert.equal(anywhere.scope, "anywhere");
    assert.ok(anywhere.placements.some((p) => !INSIDE.includes(`${p.cloud}|${p.region}`)));
  });

  it("names an unknown region with a did-you-mean (400)", async () => {
    const r = await call(api.base, "POST", "/v1/quotes", {
      key: deployer,
      body: { model: LLAMA, constraints: { clouds: ["aws"], regions: ["us-east1"] } },
    });
    assert.equal(r.status, 400);
    const e = errorOf(r);
    assert.equal(e.field, "constraints.regions[0]");
    assert.match(e.message, /did you mean "us-east-1"/);
  });

  for (const model of [
    LLAMA,
    { name: "phi-3-mini", parametersBillions: 3.8, precision: "bf16", contextTokens: 4096 },
    { name: "llama-3.1-70b", parametersBillions: 70, precision: "int4", contextTokens: 8192 },
  ]) {
    it(`POST /v1/deployments places ${model.name} inside the footprint, and the top placement passes the pre-flight`, async () => {
      const r = await call(api.base, "POST", "/v1/deployments", {
        key: deployer,
        body: { model, environment: "dev" },
        headers: { "idempotency-key": `fp-${model.name}` },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const d = DeploymentAcceptedSchema.parse(r.body);
      assert.ok(INSIDE.includes(`${d.placement.cloud}|${d.placement.region}`), JSON.stringify(d.placement));
    });
  }

  it("refuses an explicit placement outside the footprint with 422 outside_footprint, naming the regions", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: {
        model: LLAMA,
        environment: "dev",
        placement: { cloud: "aws", region: "eu-south-2", instanceType: "g6.xlarge", capacity: "spot" },
      },
    });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    const e = errorOf(r);
    assert.equal(e.code, "outside_footprint");
    assert.equal(e.field, "placement.region");
    assert.match(e.message, /aws us-east-1, gcp us-central1, azure eastus/);
  });

  it("refuses constraints.scope anywhere on a deployment (400)", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { model: LLAMA, environment: "dev", constraints: { scope: "anywhere" } },
    });
    assert.equal(r.status, 400);
    assert.equal(errorOf(r).field, "constraints.scope");
  });
});
