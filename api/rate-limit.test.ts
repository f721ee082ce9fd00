/** The token bucket on an injected clock: burst, refill, Retry-After, per-key isolation. */
import * as assert from "node:assert/strict";
import { TokenBuckets } from "./rate-limit";

describe("api per-key token buckets", () => {
  it("allows the burst, then refills at the steady rate", () => {
    let now = 0;
    const b = new TokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    assert.deepEqual(
      [1, 2, 3].map(() => b.take("k").ok),
      [true, true, true],
    );
    const denied = b.take("k");
    assert.equal(denied.ok, false);
    if (!denied.ok) assert.equal(denied.retryAfterSeconds, 1);
    now += 500; // one token at 2/s
    assert.equal(b.take("k").ok, true);
    assert.equal(b.take("k").ok, false);
    now += 10_000; // refills, but never above the burst
    assert.deepEqual(
      [1, 2, 3, 4].map(() => b.take("k").ok),
      [true, true, true, false],
    );
  });

  it("keeps one bucket per key", () => {
    const b = new TokenBuckets({ perSecond: 1, burst: 1 }, () => 0);
    assert.equal(b.take("a").ok, true);
    assert.equal(b.take("a").ok, false);
    assert.equal(b.take("b").ok, true);
  });

  it("says how long to wait at slow rates", () => {
    const b = new TokenBuckets({ perSecond: 0.1, burst: 1 }, () => 0);
    b.take("k");
    const r = b.take("k");
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.retryAfterSeconds, 10);
  });

  it("is off at perSecond 0 and rejects nonsense", () => {
    const off = new TokenBuckets({ perSecond: 0 }, () => 0);
    for (let i = 0; i < 100; i++) assert.equal(off.take("k").ok, true);
    assert.throws(() => new TokenBuckets({ perSecond: Number.NaN }, () => 0), /perSecond/);
  });
});
