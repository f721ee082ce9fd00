/**
 * The dry-run engine end to end: the real API and control plane (PGlite) with each operation run
 * as the real offline plan. A deployment ends `simulated` (never `ready`), with would-be outputs
 * and events that say nothing was created; it can be destroyed like any other.
 */
import * as assert from "node:assert/strict";
import { SIMULATED_NOTE } from "../platform/service/engine/dry-run";
import { loadConfig } from "../platform/service/config";
import { ValidationError } from "../platform/core/validation";
import { call, dryRunEngine, obj } from "./testing/harness";
import { startApiRig, type ApiRig } from "./testing/rig";

describe("dry-run engine through the API (real offline plan)", function () {
  this.timeout(120_000);
  let rig: ApiRig;
  // Planned against the dev platform's footprint (the one served), as `serve --dry-run` does.
  before(async () => (rig = await startApiRig({ engine: dryRunEngine, tenant: "ml-team", settleTimeoutMs: 90_000 })));
  after(() => rig?.close());

  it("a deployment ends simulated with would-be outputs, and every step says so", async () => {
    const { fx, api, key, settled } = rig;
    const r = await call(api.base, "POST", "/v1/deployments", {
      key,
      body: { model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 } },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body)["id"]);
    const d = await settled(id);
    assert.equal(d.status, "simulated", JSON.stringify(d.error));
    assert.equal(obj(d.outputs)["simulated"], true);
    assert.equal(obj(d.outputs)["note"], SIMULATED_NOTE);

    const events = await fx.controlPlane.listEvents("ml-team", id, 0, 500);
    const statuses = events.filter((e) => e.type === "status").map((e) => e.data["status"]);
    assert.deepEqual(statuses, ["queued", "previewing", "deploying", "simulated"]);
    assert.ok(events.some((e) => e.type === "engine" && e.data["simulated"] === true));
    assert.ok(events.some((e) => e.type === "log" && String(e.data["message"]).startsWith(SIMULATED_NOTE)));
    assert.ok(events.some((e) => e.type === "summary" && e.data["result"] === "simulated"));

    const del = await call(api.base, "DELETE", `/v1/deployments/${id}`, { key });
    assert.equal(del.status, 202);
    assert.equal((await settled(id)).status, "destroyed");
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
