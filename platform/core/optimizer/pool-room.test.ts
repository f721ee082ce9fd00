/**
 * An existing pool's room (#10): a deployment that scales to `maxReplicas` is placed on a pool only
 * when the pool holds them all (the program replaces a pool without room by a dedicated pool, so a
 * quote that kept it would price a pool the deployment does not use).
 */
import assert from "node:assert/strict";
import { parseQuoteRequest, quote } from "./index";
import { devFootprint } from "./test-fixtures";
import { now, shipped } from "./testing";

const llama = parseQuoteRequest({
  model: { name: "llama", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
  constraints: { clouds: ["aws"], capacity: "spot", gpuTypes: ["L4"] },
});

describe("optimizer: an existing pool must hold maxReplicas", () => {
  it("ranks the pool while it holds them, and the dedicated pool of its shape once it does not", () => {
    const fp = devFootprint();
    const within = quote(llama, shipped, { now, footprint: fp, maxReplicas: 3 }).placements[0]!;
    assert.equal(within.pool, "l4", "3 replicas fit the l4 pool's 3 nodes");
    const beyond = quote(llama, shipped, { now, footprint: fp, maxReplicas: 4 });
    const top = beyond.placements[0]!;
    assert.equal(top.pool, undefined, "4 do not: a dedicated pool");
    assert.equal(top.instanceType, within.instanceType);
    assert.equal(top.monthlyUsd, within.monthlyUsd, "same node, same price, for the replicas priced");
    assert.ok(!beyond.placements.some((p) => p.pool === "l4"));
  });
});
