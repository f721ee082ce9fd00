/**
 * The dry-run engine end to end: the real API and control plane (PGlite) with each operation run
 * as the real offline plan. A deployment ends `simulated` (never `ready`), with would-be outputs
 * and events that say nothing was created; it can be destroyed like any other.
 */
import * as assert from "node:assert/strict";
import { DryRunEngine, SIMULATED_NOTE } from "../platform/service/engine/dry-run";
import { planDeployment } from "../platform/service/plan";
import { loadConfig } from "../platform/service/config";
import { ValidationError } from "../platform/core/validation";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  eventually,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

describe("dry-run engine through the API (real offline plan)", function () {
  this.timeout(120_000);
  let fx: Fixture;
  let api: RunningApi;
  let key: string;

  before(async () => {
    // Planned against the dev platform's footprint (the fixture's), as `serve --dry-run` does.
    fx = await controlPlaneFixture({
      engine: new DryRunEngine((stack) => planDeployment(stack.spec, { footprint: fx.footprint })),
    });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    key = (await makeKey(api.base, fx.adminKey, "ml-team", "deployer")).secret;
  });
  after(async () => {
    await api?.close();
    await fx?.close();
  });

  it("a deployment ends simulated with would-be outputs, and every step says so", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key,
      body: { model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 } },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body)["id"]);
    const d = await eventually(async () => {
      const g = await call(api.base, "GET", `/v1/deployments/${id}`, { key });
      const status = String(obj(g.body)["status"]);
      return ["simulated", "ready", "failed"].includes(status) ? obj(g.body) : undefined;
    }, 90_000);
    assert.equal(d["status"], "simulated", JSON.stringify(d["error"]));
    assert.equal(obj(d["outputs"])["simulated"], true);
    assert.equal(obj(d["outputs"])["note"], SIMULATED_NOTE);

    const events = await fx.controlPlane.listEvents("ml-team", id, 0, 500);
    const statuses = events.filter((e) => e.type === "status").map((e) => e.data["status"]);
    assert.deepEqual(statuses, ["queued", "previewing", "deploying", "simulated"]);
    assert.ok(events.some((e) => e.type === "engine" && e.data["simulated"] === true));
    assert.ok(events.some((e) => e.type === "log" && String(e.data["message"]).startsWith(SIMULATED_NOTE)));
    assert.ok(events.some((e) => e.type === "summary" && e.data["result"] === "simulated"));

    const del = await call(api.base, "DELETE", `/v1/deployments/${id}`, { key });
    assert.equal(del.status, 202);
    const gone = await eventually(async () => {
      const g = await call(api.base, "GET", `/v1/deployments/${id}`, { key });
      return obj(g.body)["status"] === "destroyed" ? obj(g.body) : undefined;
    }, 60_000);
    assert.equal(gone["status"], "destroyed");
  });

  it("MODELPLANE_ENGINE is read at the edge; a wrong value names the variable", () => {
    assert.equal(loadConfig({ MODELPLANE_ENGINE: "dry-run" }).engine, "dry-run");
    assert.equal(loadConfig({}).engine, "automation");
    assert.throws(
      () => loadConfig({ MODELPLANE_ENGINE: "terraform" }),
      (e: unknown) => e instanceof ValidationError && e.field === "MODELPLANE_ENGINE" && /dry-run/.test(e.message),
    );
  });
});
