/**
 * The API on a machine without the Pulumi CLI (this one), with the control plane's DEFAULT engine
 * (the Automation API adapter), nothing injected: /readyz says 503 and why; a deployment request is
 * still validated, priced and persisted (202), and its job then fails fast with the same reason —
 * it never pretends a deployment happened.
 */
import * as assert from "node:assert/strict";
import { DeploymentSchema } from "./schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  eventually,
  obj,
  readSse,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

describe("api without the Pulumi CLI (default Automation engine)", () => {
  let fx: Fixture;
  let api: RunningApi;
  let cliPresent = false;

  before(async function () {
    fx = await controlPlaneFixture();
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    const health = await fx.controlPlane.health();
    cliPresent = health.engine.available;
    if (cliPresent) this.skip(); // a machine WITH the CLI would really deploy: not this test's business
  });

  after(async () => {
    await api?.close();
    await fx?.close();
  });

  it("/readyz answers 503, naming the missing CLI and the way out", async () => {
    const r = await call(api.base, "GET", "/readyz");
    assert.equal(r.status, 503);
    const b = obj(r.body);
    assert.equal(b.ready, false);
    assert.equal(obj(b.database).ok, true);
    assert.equal(obj(b.pulumi).available, false);
    const reasons = b.reasons as string[];
    assert.equal(reasons.length, 1);
    assert.match(reasons[0]!, /Pulumi CLI not found/);
    assert.match(reasons[0]!, /MODELPLANE_PULUMI_AUTO_INSTALL=1/);
  });

  it("accepts and persists a deployment, whose job then fails with the reason (no fake success)", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: fx.adminKey,
      body: { model: { name: "qwen2.5-7b", parametersBillions: 7.6, precision: "bf16", contextTokens: 8192 } },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body).id);
    const failed = await eventually(async () => {
      const g = DeploymentSchema.parse(
        (await call(api.base, "GET", `/v1/deployments/${id}`, { key: fx.adminKey })).body,
      );
      return g.status === "failed" ? g : undefined;
    });
    assert.equal(failed.error?.code, "engine_unavailable");
    assert.match(failed.error?.message ?? "", /Pulumi CLI not found/);
    assert.equal(failed.outputs, null);
    assert.equal(failed.operations[0]?.status, "failed");
    const s = await readSse(api.base, `/v1/deployments/${id}/events?follow=false`, fx.adminKey, () => false);
    const statuses = s.frames
      .filter((f) => f.event === "status")
      .map((f) => String(obj(obj(JSON.parse(f.data)).data).status));
    assert.equal(statuses[0], "queued");
    assert.equal(statuses[statuses.length - 1], "failed");
    assert.ok(!statuses.includes("ready"));
  });
});
