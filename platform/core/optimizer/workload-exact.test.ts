import assert from "node:assert/strict";
import { gpuSpec } from "../gpu-specs";
import { fitWorkload, maxLoadPerReplica, type Workload } from "../performance/model";
import type { Candidate } from "./candidates";
import { PrecisionGate } from "./precision";
import { ARCH_8B, BUSY_WORKLOAD, MODEL_8B, request } from "./testing";
import { WorkloadSizer } from "./workload";

/** MODEL_8B (Llama-3.1-8B's shape); the performance model (a dependency) is the oracle for the figures. */
const ARCH = ARCH_8B;
const MODEL = MODEL_8B;
/** 2000 tokens in, 200 out at 1 req/s within 40 ms TPOT and 300 ms TTFT: 1×T4 holds no such sequence, 1×L4 is too slow per token, 2×T4 and 2×L4 too slow to the first token, 1×A100 fits. */
const TIGHT: Workload = { requestsPerSecond: 1, inputTokens: 2000, outputTokens: 200, tpotP95Ms: 40, ttftP95Ms: 300 };
const BUSY = BUSY_WORKLOAD;
/** A 100,200-token sequence: no KV cache of 1×T4, 2×T4 or 1×L4 holds it. */
const LONG: Workload = { requestsPerSecond: 1, inputTokens: 100_000, outputTokens: 200 };

const gate = new PrecisionGate("bf16");
const sizer = (w: Workload, replicas = 1) =>
  new WorkloadSizer(w, request({ model: MODEL, replicas }), ARCH, new PrecisionGate("bf16"));
const cand = (gpuType: string, gpuCount: number): Candidate => ({
  cloud: "aws",
  region: "r1",
  instanceType: `${gpuCount}x${gpuType}`,
  gpuType,
  gpuCount,
  gpuMemoryGiB: 80,
  holdsGiB: 80 * gpuCount,
  capacity: "on-demand",
  unit: 1,
  onDemandUnit: null,
  key: `${gpuType}|${gpuCount}`,
  where: "aws|r1",
  whereIndex: 0,
  maxNodes: Number.POSITIVE_INFINITY,
});
/** The performance model's verdict for `gpuCount`×`gpuType` (at the precision the GPU serves). */
const oracle = (w: Workload, gpuType: string, gpuCount: number) =>
  fitWorkload(
    { parametersBillions: 8, precision: gate.served(gpuType), architecture: ARCH },
    gpuSpec(gpuType)!,
    gpuCount,
    w,
  );

describe("optimizer: WorkloadSizer (exact)", () => {
  it("sizes a shape: the model's replicas (at least the request's), its latencies, and the rate's output tokens/s", () => {
    const one = oracle(BUSY, "A100", 1);
    assert.ok(one.feasible && one.replicas === 2);
    assert.deepEqual(sizer(BUSY, 1).fit(cand("A100", 1)), {
      replicas: 2,
      predicted: { ttftMs: one.predicted.ttftMs, tpotMs: one.predicted.tpotMs, tokensPerSecond: 4000 },
    });
    assert.equal(sizer(BUSY, 3).fit(cand("A100", 1))!.replicas, 3);
    assert.equal(sizer(BUSY, 2).fit(cand("A100", 1))!.replicas, 2);
  });

  it("decides once per GPU type and count", () => {
    const s = sizer(BUSY);
    const a = s.fit(cand("A100", 1));
    assert.equal(s.fit({ ...cand("A100", 1), cloud: "gcp", region: "r9" }), a);
    const two = s.fit(cand("A100", 2));
    assert.equal(two!.replicas, 1);
    assert.notEqual(two, a);
    assert.equal(s.fit(cand("A100", 2)), two);
  });

  it("leaves out a GPU without a FLOPS figure or without any spec, and names them sorted in one warning", () => {
    const s = sizer(BUSY);
    assert.equal(s.noFlopsWarning(), undefined);
    assert.equal(s.fit(cand("Z9000", 1)), null);
    assert.equal(s.fit(cand("A10G", 1)), null);
    assert.equal(s.fit(cand("A10G", 2)), null);
    assert.deepEqual([...s.noFlops], ["Z9000", "A10G"]);
    assert.equal(
      s.noFlopsWarning(),
      "no published dense FLOPS figure for A10G, Z9000 (platform/core/gpu-specs.ts): offers of it are left out of workload placement rather than guessed",
    );
    assert.equal(s.explain(), undefined, "no FLOPS figure is not a workload miss");
  });

  it("keeps the closest miss per field (lowest best achievable), whatever order the shapes come in", () => {
    const ttftL4 = oracle(TIGHT, "L4", 2);
    const ttftT4 = oracle(TIGHT, "T4", 2);
    assert.ok(
      !ttftL4.feasible && !ttftT4.feasible && ttftL4.field === "workload.ttftP95Ms" && ttftT4.field === ttftL4.field,
    );
    assert.ok(ttftL4.bestAchievable < ttftT4.bestAchievable);
    const expected = {
      field: "workload.ttftP95Ms",
      bestAchievable: ttftL4.bestAchievable,
      shape: "2×L4",
      reason: ttftL4.reason,
    };
    for (const order of [
      ["T4", "L4"],
      ["L4", "T4"],
    ]) {
      const s = sizer(TIGHT);
      for (const g of order) assert.equal(s.fit(cand(g, 2)), null);
      assert.deepEqual([...s.misses.values()], [expected], order.join(","));
    }
    assert.deepEqual(
      triedTight()
        .explain()!
        .fields.map((f) => f.field),
      ["workload.inputTokens", "workload.tpotP95Ms", "workload.ttftP95Ms"],
    );
  });

  it("keeps the first of two shapes that miss by exactly as much (an alias of the same GPU)", () => {
    const fast: Workload = { ...TIGHT, tpotP95Ms: 5 };
    const h100 = oracle(fast, "H100", 1);
    assert.ok(!h100.feasible && h100.field === "workload.tpotP95Ms");
    const s = sizer(fast);
    assert.equal(s.fit(cand("H100", 1)), null);
    assert.equal(s.fit(cand("h100-sxm", 1)), null);
    assert.deepEqual(
      [...s.misses.values()].map((m) => [m.shape, m.bestAchievable]),
      [["1×H100", h100.bestAchievable]],
    );
  });

  it("keeps the first shape that holds no sequence (every such miss is 0)", () => {
    const s = sizer(LONG);
    for (const [g, n] of [
      ["L4", 1],
      ["T4", 1],
      ["T4", 2],
    ] as const) {
      assert.equal(s.fit(cand(g, n)), null);
    }
    const first = oracle(LONG, "L4", 1);
    assert.ok(!first.feasible);
    assert.deepEqual(
      [...s.misses.values()],
      [{ field: "workload.inputTokens", bestAchievable: 0, shape: "1×L4", reason: first.reason }],
    );
  });

  it("explains every missed field in field order, with the objective, the best value to 0.1 ms and its shape", () => {
    const tpot = oracle(TIGHT, "L4", 1);
    const ttft = oracle(TIGHT, "L4", 2);
    assert.ok(!tpot.feasible && !ttft.feasible);
    const e = triedTight().explain()!;
    assert.equal(
      e.message,
      "no offer carries the workload: " +
        "workload.inputTokens: one 2200-token sequence fits no KV cache in scope (one 2200-token sequence does not fit the KV cache of 1×T4); " +
        `workload.tpotP95Ms = 40 ms is met by no offer; best achievable is ${tpot.bestAchievable.toFixed(1)} ms on 1×L4; ` +
        `workload.ttftP95Ms = 300 ms is met by no offer; best achievable is ${ttft.bestAchievable.toFixed(1)} ms on 2×L4`,
    );
    assert.equal(sizer(TIGHT).explain(), undefined);
  });

  it("loadOf: the most one replica carries within the objectives, per shape; null without FLOPS, spec or room for a sequence", () => {
    const s = sizer(TIGHT);
    const max = maxLoadPerReplica(
      { parametersBillions: 8, precision: gate.served("H100"), architecture: ARCH },
      gpuSpec("H100")!,
      1,
      TIGHT,
    )!;
    const load = s.loadOf(cand("H100", 1));
    assert.deepEqual(load, { loadRps: max.loadRps, replica: max.replica });
    assert.equal(s.loadOf(cand("H100", 1)), load, "once per shape");
    assert.notDeepEqual(s.loadOf(cand("H100", 2)), load);
    assert.equal(s.loadOf(cand("A10G", 1)), null);
    assert.equal(s.loadOf(cand("Z9000", 1)), null);
    assert.equal(s.loadOf(cand("T4", 1)), null);
    assert.deepEqual([...s.noFlops], [], "loadOf records nothing");
  });
});

/** A sizer that has tried 1×T4, 2×T4, 1×L4 and 2×L4 on TIGHT (misses recorded as inputTokens, ttft, tpot, ttft). */
function triedTight(): WorkloadSizer {
  const s = sizer(TIGHT);
  for (const [g, n] of [
    ["T4", 1],
    ["T4", 2],
    ["L4", 1],
    ["L4", 2],
  ] as const) {
    assert.equal(s.fit(cand(g, n)), null);
  }
  return s;
}
