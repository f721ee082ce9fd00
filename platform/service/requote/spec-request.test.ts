/**
 * A re-placement's quote request is the original one (issue 15: failover, re-quote and migration
 * size for the same workload): the model's concurrency and architecture, the request's
 * constraints, the schedule, the replicas, inside the footprint when one is known.
 */
import assert from "node:assert/strict";
import { parseDeploymentSpec } from "../../../programs/deployment/spec";
import { TEST_PLACEMENT, testSpec } from "../store/testing/spec";
import { quoteRequestOfSpec } from "./spec-request";

const ARCH = { layers: 32, kvHeads: 8, headDim: 128 };

describe("the quote request of a deployment's spec", function () {
  it("keeps the workload it was sized for: concurrency and architecture", function () {
    const spec = testSpec("w", {
      model: {
        name: "m",
        parametersBillions: 7,
        precision: "bf16",
        contextTokens: 32768,
        concurrency: 8,
        architecture: ARCH,
      },
    });
    const r = quoteRequestOfSpec(spec, true);
    assert.equal(r.model.concurrency, 8);
    assert.deepEqual(r.model.architecture, ARCH);
    assert.equal(r.model.contextTokens, 32768);
  });

  it("a spec written before they were kept sizes for one sequence and an estimated shape", function () {
    const r = quoteRequestOfSpec(testSpec(), true);
    assert.equal(r.model.concurrency, 1);
    assert.equal(r.model.architecture, undefined);
  });

  it("keeps the request's constraints and schedule, the replicas, and lands inside the footprint", function () {
    const schedule = { timezone: "UTC", activeWindows: [{ days: ["mon", "tue"], from: "08:00", to: "18:00" }] };
    const spec = parseDeploymentSpec({
      ...testSpec(),
      placement: { ...TEST_PLACEMENT, replicas: 3 },
      scaling: { minReplicas: 3, maxReplicas: 3 },
      placementConstraints: { regions: ["us"], gpuTypes: ["L4"], capacity: "any", scope: "anywhere" },
      schedule,
    });
    const r = quoteRequestOfSpec(spec, true);
    assert.deepEqual(r.constraints.regions, ["us"]);
    assert.deepEqual(r.constraints.gpuTypes, ["L4"]);
    assert.equal(r.constraints.capacity, "any");
    assert.equal(r.constraints.scope, "footprint");
    assert.equal(r.replicas, 3);
    assert.deepEqual(r.schedule, schedule);
    assert.equal(quoteRequestOfSpec(spec, false).constraints.scope, "anywhere");
  });

  it("an on-demand floor asks for spot when the request left capacity open; an explicit one stands", function () {
    const floor = parseDeploymentSpec({
      ...testSpec(),
      placement: { ...TEST_PLACEMENT, replicas: 2 },
      scaling: { minReplicas: 2, maxReplicas: 2 },
      onDemandFloorReplicas: 1,
      placementConstraints: { capacity: "any" },
    });
    assert.equal(quoteRequestOfSpec(floor, true).constraints.capacity, "spot", "a floor only exists on spot");
    const spec = parseDeploymentSpec({ ...testSpec(), placementConstraints: { capacity: "on-demand" } });
    assert.equal(quoteRequestOfSpec(spec, true).constraints.capacity, "on-demand");
  });

  it("keeps the active hours the spec was quoted for; without them, a node placement asks for 24", function () {
    // A node placement's price does not show its hours, so only the spec can keep them.
    const spec = parseDeploymentSpec({ ...testSpec(), activeHoursPerDay: 6 });
    assert.equal(spec.placement.capacity === "serverless", false);
    assert.equal(quoteRequestOfSpec(spec, true).activeHoursPerDay, 6);
    assert.equal(quoteRequestOfSpec(testSpec(), true).activeHoursPerDay, 24);
  });
});
