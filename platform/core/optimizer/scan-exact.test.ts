/**
 * The scan on small hand-made lists (sorted by unit price, as scopes are), with no storage price and
 * no weights stores, so a node's month is its hourly price × 730 and a serverless instance's × 365.
 */
import assert from "node:assert/strict";
import type { PlacementExclusion } from "./exclusions";
import { ShapingCounter } from "./policy";
import { PrecisionGate } from "./precision";
import { Pricer } from "./price";
import { scan, type ScanInput } from "./scan";
import type { ScopedCandidate } from "./scope";
import { ARCH_8B, BUSY_WORKLOAD, MODEL_8B, request, scopedCandidate, tiny } from "./testing";
import { WorkloadSizer } from "./workload";

const cand = scopedCandidate;

function input(all: readonly ScopedCandidate[], over: Partial<ScanInput> = {}): ScanInput {
  const req = request();
  return {
    all,
    constraints: req.constraints,
    replicas: 1,
    roomFor: 1,
    needGiB: 40,
    nodeHours: 730,
    serverlessHours: 365,
    limit: 5,
    footprint: false,
    keepFeasible: false,
    gate: new PrecisionGate("bf16"),
    pricer: new Pricer(req, tiny([]), undefined, undefined, []),
    sizer: undefined,
    policy: undefined,
    shaping: new ShapingCounter(),
    exclusions: new Map(),
    ...over,
  };
}

describe("optimizer: scan (exact)", () => {
  it("a global scan streams: the top `limit` and each cloud's best, every feasible one counted, none kept", () => {
    const a = cand({ key: "a", unit: 1 });
    const b = cand({ key: "b", unit: 2 });
    const c = cand({ cloud: "gcp", region: "us-central1", key: "c", unit: 3 });
    const r = scan(input([a, b, c], { limit: 1 }));
    assert.deepEqual(r.chosen, [a, c]);
    assert.equal(r.feasibleCount, 3);
    assert.deepEqual(r.feasible, []);
    assert.equal(r.bestMonthlyUsd, undefined);
    assert.equal(r.workloadRefused, 0);
    assert.deepEqual(r.excluded, []);
  });

  it("a scan that keeps every feasible one ranks equal months by the hourly price; only a footprint's gives the best month", () => {
    // A node at $1/h and a serverless instance at $2/h both cost $730 a month: the node's hour is lower.
    const node = cand({ key: "z", unit: 1 });
    const run = cand({ key: "a", capacity: "serverless", unit: 2 });
    const kept = scan(input([node, run], { keepFeasible: true }));
    assert.deepEqual(kept.chosen, [node, run]);
    assert.deepEqual(kept.feasible, [node, run]);
    assert.equal(kept.feasibleCount, 2);
    assert.equal(kept.bestMonthlyUsd, undefined, "not a footprint scan");
    const fp = scan(input([node, run], { footprint: true }));
    assert.deepEqual(fp.chosen, [node, run]);
    assert.equal(fp.bestMonthlyUsd, 730);
    assert.equal(scan(input([], { footprint: true })).bestMonthlyUsd, undefined);
  });

  it("reaches an existing pool's shared node that meets the price cap exactly, past a cheaper offer over it", () => {
    // 8 replicas of 40 GiB under $16/h ($2 a replica): the $3 offer is over; the pool's 8-GPU node at
    // $16 carries all 8 (one GPU each) on 1 node, $16/h: at the cap, not over it.
    const dedicated = cand({ key: "d", unit: 3 });
    const pool = cand({ key: "p", pool: "p", cluster: "c", gpuCount: 8, holdsGiB: 640, unit: 16, maxNodes: 1 });
    const capped = (maxHourlyUsd: number, roomFor = 8) =>
      scan(
        input([dedicated, pool], {
          constraints: { ...request().constraints, maxHourlyUsd },
          replicas: 8,
          roomFor,
        }),
      ).chosen;
    assert.deepEqual(capped(16), [pool]);
    assert.deepEqual(capped(15.99), [], "one node at $16 is over $15.99");
    assert.deepEqual(capped(16, 9), [], "room for 9 replicas: more than the one 8-GPU node carries");
    // Within $24/h the dedicated offer is feasible too ($3 × 8 = $24/h), but costs more than the pool's $16.
    assert.deepEqual(capped(24), [pool, dedicated]);
  });

  it("reports each excluded placement once, though the footprint lists one twice (its pool and a new pool)", () => {
    const ex: PlacementExclusion = {
      cloud: "aws",
      region: "us-east-1",
      instanceType: "x",
      capacity: "on-demand",
      code: "capacity_unavailable",
      providerCode: "InsufficientInstanceCapacity",
      failedAt: "2026-12-01T00:00:00Z",
      until: "2026-12-01T01:00:00Z",
    };
    const inPool = cand({ instanceType: "x", key: "x1", pool: "p", cluster: "c", unit: 1 });
    const newPool = cand({ instanceType: "x", key: "x2", unit: 1 });
    const other = cand({ instanceType: "y", key: "y", unit: 2 });
    const free = cand({ instanceType: "z", key: "z", unit: 3 });
    const quota: PlacementExclusion = {
      ...ex,
      instanceType: "y",
      code: "quota_exceeded",
      providerCode: "QUOTA_EXCEEDED",
    };
    const exclusions = new Map([
      ["aws|us-east-1|x|on-demand", ex],
      ["aws|us-east-1|y|on-demand", quota],
    ]);
    const r = scan(input([inPool, newPool, other, free], { exclusions }));
    assert.deepEqual(r.chosen, [free]);
    assert.equal(r.feasibleCount, 1);
    assert.deepEqual(r.excluded, [
      {
        ...ex,
        reason:
          "no capacity (InsufficientInstanceCapacity) for x on-demand in aws us-east-1 at 2026-12-01T00:00:00Z; skipped until 2026-12-01T01:00:00Z",
      },
      {
        ...quota,
        reason:
          "quota exceeded (QUOTA_EXCEEDED) for y on-demand in aws us-east-1 at 2026-12-01T00:00:00Z; skipped until 2026-12-01T01:00:00Z",
      },
    ]);
  });
});

describe("optimizer: scan with a workload (exact)", () => {
  /** workload-exact.test.ts's BUSY load on its 8B model: 1×A100 needs 2 replicas, 2×A100 one. */
  const ARCH = ARCH_8B;
  const MODEL = MODEL_8B;
  const BUSY = BUSY_WORKLOAD;
  const a100 = (gpuCount: number, over: Partial<ScopedCandidate> = {}) =>
    cand({ gpuType: "A100", gpuCount, holdsGiB: 80 * gpuCount, key: `a100x${gpuCount}`, ...over });
  const sized = (all: readonly ScopedCandidate[], replicas: number, over: Partial<ScanInput> = {}) => {
    const req = request({ model: MODEL, replicas });
    const gate = new PrecisionGate("bf16");
    return scan(
      input(all, { replicas, roomFor: replicas, gate, sizer: new WorkloadSizer(BUSY, req, ARCH, gate), ...over }),
    ).chosen;
  };

  it("caps the sized replicas' hourly price: 2 × $3 meets $6/h, not $5.99/h", () => {
    const one = a100(1, { unit: 3 });
    const cap = (maxHourlyUsd: number) => ({ constraints: { ...request().constraints, maxHourlyUsd } });
    assert.deepEqual(sized([one], 1, cap(6)), [one]);
    assert.deepEqual(sized([one], 1, cap(5.99)), []);
  });

  it("does not share an existing pool's node among sized replicas: each takes a whole node", () => {
    // 3 replicas asked: 1×A100 at $8.50 costs 3 × $8.50 = $25.50/h; the pool's 2×A100 nodes at $10 cost
    // 3 × $10 = $30/h (two replicas a node would be 2 nodes, $20/h, and rank first).
    const dedicated = a100(1, { unit: 8.5 });
    const pool = a100(2, { unit: 10, pool: "p", cluster: "c" });
    assert.deepEqual(sized([dedicated, pool], 3), [dedicated, pool]);
  });

  it("an existing pool must hold the sized replicas, not only the requested ones", () => {
    // 1 replica asked, 2 sized: a pool of at most 1 node cannot hold them; one of 2 nodes can.
    assert.deepEqual(sized([a100(1, { pool: "p", cluster: "c", maxNodes: 1 })], 1), []);
    const two = a100(1, { pool: "p", cluster: "c", maxNodes: 2 });
    assert.deepEqual(sized([two], 1), [two]);
  });
});
