/**
 * Issue 15 leftover: a deployment quoted for fewer active hours per day keeps them. The stored spec
 * holds `activeHoursPerDay`, so a PATCH that does not send new hours re-prices for the same ones
 * (it used to fall back to 24: a serverless deployment's estimate jumped), and the re-quote,
 * failover and migration requests (requote/spec-request.ts) read the same field.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { quoteRequestOfSpec } from "../platform/service/requote/spec-request";
import { call, obj } from "./testing/harness";
import { startApiRig, type ApiRig } from "./testing/rig";

const MODEL = { name: "part-time-model", parametersBillions: 7, precision: "bf16", contextTokens: 4096 };

describe("api: PATCH keeps the active hours a deployment was quoted for (issue 15)", function () {
  this.timeout(60_000);
  let rig: ApiRig;
  before(async () => (rig = await startApiRig({ engine: new TestEngine(), tenant: "part-time" })));
  after(() => rig?.close());

  it("a serverless deployment at 2 h/day, rescaled, stays priced and quoted for 2 h/day", async () => {
    const { api, key: deployer, settled } = rig;
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { model: MODEL, activeHoursPerDay: 2, scaling: { scaleToZero: true } },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body).id);
    const created = await settled(id);
    assert.equal(created.status, "ready");
    assert.equal(created.placement.capacity, "serverless", "2 active hours a day make serverless the cheapest");

    const patch = await call(api.base, "PATCH", `/v1/deployments/${id}`, { key: deployer, body: { replicas: 1 } });
    assert.equal(patch.status, 202, JSON.stringify(patch.body));
    const after = await settled(id);
    assert.equal(after.status, "ready");
    assert.equal(after.estimatedMonthlyUsd, created.estimatedMonthlyUsd, "re-priced for the same 2 h/day, not 24");
    assert.equal(created.spec["activeHoursPerDay"], 2, "the spec keeps the quoted hours");
    assert.equal(after.spec["activeHoursPerDay"], 2, "a PATCH without new hours keeps them");

    // Re-quote, failover and migration build their request from the stored spec.
    const spec = after.spec as unknown as Parameters<typeof quoteRequestOfSpec>[0];
    assert.equal(quoteRequestOfSpec(spec, true).activeHoursPerDay, 2);

    const more = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: { activeHoursPerDay: 24 },
    });
    assert.equal(more.status, 202, JSON.stringify(more.body));
    const full = await settled(id);
    assert.equal(full.spec["activeHoursPerDay"], undefined, "24 h/day is the default, not stored");
    assert.equal(quoteRequestOfSpec(full.spec as unknown as typeof spec, true).activeHoursPerDay, 24);
  });
});
