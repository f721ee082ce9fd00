/**
 * The exclusions cache (quotes read the remembered failures without a query per quote): what it
 * keeps, and every case in which it must read again.
 */
import * as assert from "node:assert/strict";
import type { PlacementExclusion } from "../../core/optimizer/exclusions";
import { ExclusionsCache } from "./exclusions-cache";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const HOUR = 3_600_000;

function exclusion(instanceType: string, untilMs: number): PlacementExclusion {
  return {
    cloud: "aws",
    region: "us-east-1",
    instanceType,
    capacity: "spot",
    code: "capacity_unavailable",
    providerCode: "InsufficientInstanceCapacity",
    failedAt: new Date(T0).toISOString(),
    until: new Date(untilMs).toISOString(),
  };
}

function rig(ttlMs = 5000) {
  let rows: PlacementExclusion[] = [exclusion("g5.xlarge", T0 + HOUR), exclusion("g6.xlarge", T0 + 6 * HOUR)];
  let generation = 0;
  let mono = 0;
  const reads: number[] = [];
  const cache = new ExclusionsCache({
    fetch: async (now) => {
      reads.push(now.getTime());
      return rows.filter((e) => Date.parse(e.until) > now.getTime());
    },
    generation: () => generation,
    ttlMs,
    monotonicMs: () => mono,
  });
  return {
    cache,
    reads,
    setRows: (r: PlacementExclusion[]) => (rows = r),
    recordHere: () => generation++,
    advance: (ms: number) => (mono += ms),
  };
}

const types = (xs: PlacementExclusion[]): string[] => xs.map((x) => x.instanceType);

describe("exclusions cache (quotes read the remembered failures once, not per quote)", () => {
  it("answers repeated reads from one query, dropping entries past their `until` without a query", async () => {
    const r = rig();
    assert.deepEqual(types(await r.cache.at(new Date(T0))), ["g5.xlarge", "g6.xlarge"]);
    assert.deepEqual(types(await r.cache.at(new Date(T0 + 1000))), ["g5.xlarge", "g6.xlarge"]);
    assert.deepEqual(types(await r.cache.at(new Date(T0 + 2 * HOUR))), ["g6.xlarge"], "g5's until has passed");
    assert.equal(r.reads.length, 1);
  });

  it("reads again at once after this process records a failure", async () => {
    const r = rig();
    await r.cache.at(new Date(T0));
    r.setRows([exclusion("g5.xlarge", T0 + HOUR), exclusion("g6.xlarge", T0 + 6 * HOUR), exclusion("p4d", T0 + HOUR)]);
    r.recordHere();
    assert.deepEqual(types(await r.cache.at(new Date(T0))), ["g5.xlarge", "g6.xlarge", "p4d"]);
    assert.equal(r.reads.length, 2);
  });

  it("sees another process's failure within the TTL, not after it", async () => {
    const r = rig(5000);
    await r.cache.at(new Date(T0));
    r.setRows([exclusion("p4d", T0 + HOUR)]); // written by another process: no generation change here
    r.advance(4999);
    assert.deepEqual(types(await r.cache.at(new Date(T0))), ["g5.xlarge", "g6.xlarge"], "still the kept read");
    r.advance(1);
    assert.deepEqual(types(await r.cache.at(new Date(T0))), ["p4d"], "read again once the TTL is over");
    assert.equal(r.reads.length, 2);
  });

  it("reads again for an instant before the kept read's (an injected clock moved back)", async () => {
    const r = rig();
    await r.cache.at(new Date(T0 + 2 * HOUR)); // g5 already past its until: not kept
    assert.deepEqual(types(await r.cache.at(new Date(T0))), ["g5.xlarge", "g6.xlarge"]);
    assert.deepEqual(r.reads, [T0 + 2 * HOUR, T0]);
  });
});
