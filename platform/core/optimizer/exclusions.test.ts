/**
 * Remembered capacity and quota failures (exclusions.ts), exactly: the key, the reason in words,
 * which of two failures of one placement wins, and what a quote skips and reports.
 */
import assert from "node:assert/strict";
import { exclusionIndex, exclusionKey, exclusionReason, type PlacementExclusion } from "./exclusions";
import { quote } from "./index";
import { names, now, offer, request, tiny } from "./testing";

const failure = (over: Partial<PlacementExclusion> = {}): PlacementExclusion => ({
  cloud: "aws",
  region: "r1",
  instanceType: "a",
  capacity: "on-demand",
  code: "capacity_unavailable",
  providerCode: "InsufficientInstanceCapacity",
  failedAt: "2026-11-20T10:00:00Z",
  until: "2026-11-20T16:00:00Z",
  ...over,
});

describe("optimizer: remembered placement failures (exclusions)", () => {
  it("keys a placement by cloud, region, instance type and capacity, in that order", () => {
    assert.equal(
      exclusionKey({ cloud: "gcp", region: "us-east4", instanceType: "a3-highgpu-8g", capacity: "spot" }),
      "gcp|us-east4|a3-highgpu-8g|spot",
    );
  });

  it("states the reason with the provider's code, the placement, and until when it is skipped", () => {
    assert.equal(
      exclusionReason(failure()),
      "no capacity (InsufficientInstanceCapacity) for a on-demand in aws r1 at 2026-11-20T10:00:00Z; skipped until 2026-11-20T16:00:00Z",
    );
    assert.equal(
      exclusionReason(failure({ code: "quota_exceeded", providerCode: "QUOTA_EXCEEDED", capacity: "spot" })),
      "quota exceeded (QUOTA_EXCEEDED) for a spot in aws r1 at 2026-11-20T10:00:00Z; skipped until 2026-11-20T16:00:00Z",
    );
  });

  it("indexes one failure per placement, the latest `until` winning in either order", () => {
    const early = failure({ until: "2026-11-20T12:00:00Z", providerCode: "early" });
    const late = failure({ until: "2026-11-20T18:00:00Z", providerCode: "late" });
    const other = failure({ capacity: "spot" });
    for (const list of [
      [early, late, other],
      [late, early, other],
    ]) {
      const idx = exclusionIndex(list);
      assert.equal(idx.size, 2);
      assert.equal(idx.get(exclusionKey(early))?.providerCode, "late");
      assert.equal(idx.get(exclusionKey(other)), other);
    }
    // An equal `until` keeps the first seen.
    const again = failure({ providerCode: "again" });
    assert.equal(
      exclusionIndex([failure(), again]).get(exclusionKey(again))?.providerCode,
      "InsufficientInstanceCapacity",
    );
    assert.equal(exclusionIndex(undefined).size, 0);
    assert.equal(exclusionIndex([]).size, 0);
  });

  it("a quote skips exactly the failed placement, reports it once with its reason, and keeps the rest", () => {
    const catalog = tiny([offer("aws", "a", 1, 0.4), offer("aws", "b", 3, 0.8)]);
    const req = request({ constraints: { scope: "anywhere" } });
    const free = quote(req, catalog, { now });
    assert.deepEqual(names(free.placements), ["a:spot", "b:spot", "a:on-demand", "b:on-demand"]);
    assert.equal(free.excluded, undefined);

    const skipped = failure({ capacity: "spot" });
    const r = quote(req, catalog, { now, exclude: [skipped, failure({ instanceType: "zzz" })] });
    assert.deepEqual(names(r.placements), ["b:spot", "a:on-demand", "b:on-demand"]);
    assert.equal(r.feasibleCount, free.feasibleCount - 1);
    assert.deepEqual(r.excluded, [{ ...skipped, reason: exclusionReason(skipped) }]);
  });
});
