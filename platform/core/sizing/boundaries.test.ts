/**
 * Exact values and boundaries of sizing (the mutation run's survivors): every row of the
 * architecture-estimate table at its inclusive upper bound and just past it, and the byte counts of
 * each precision. Expected values are written out from the sources the table cites, not computed
 * by the functions under test.
 */
import assert from "node:assert/strict";
import { PRECISIONS } from "../types";
import { estimateArchitecture, gpusNeeded, sizeModel } from "./index";

const GIB = 2 ** 30;
const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

describe("sizing boundaries", () => {
  // Layers of the open models each row stands for (Llama 3.2 3B, Llama 3.1 8B, Qwen2.5 14B,
  // Qwen2.5 32B, Llama 3.1 70B, the 96-layer row, Llama 3.1 405B); all 8 KV heads × 128.
  const rows: Array<[maxBillions: number, layers: number, nextLayers: number]> = [
    [4, 28, 32],
    [10, 32, 48],
    [16, 48, 64],
    [40, 64, 80],
    [80, 80, 96],
    [200, 96, 126],
  ];
  for (const [max, layers, next] of rows) {
    it(`a ${max}B model gets ${layers} layers (bound inclusive); just above it gets ${next}`, () => {
      assert.deepEqual(estimateArchitecture(max), { layers, kvHeads: 8, headDim: 128 });
      assert.deepEqual(estimateArchitecture(max + 0.001), { layers: next, kvHeads: 8, headDim: 128 });
    });
  }

  it("the smallest and the largest models get the first and the last row", () => {
    assert.deepEqual(estimateArchitecture(0.1), { layers: 28, kvHeads: 8, headDim: 128 });
    assert.deepEqual(estimateArchitecture(100_000), { layers: 126, kvHeads: 8, headDim: 128 });
  });

  it("a size no row matches (NaN) gets the largest shape, erring toward more memory", () => {
    assert.deepEqual(estimateArchitecture(Number.NaN), { layers: 126, kvHeads: 8, headDim: 128 });
  });

  it("returns a copy: changing it does not change the next estimate", () => {
    const a = estimateArchitecture(8);
    a.layers = 1;
    assert.equal(estimateArchitecture(8).layers, 32);
  });

  it("weights, KV and overhead of each precision, exactly", () => {
    // bytes per parameter and per KV element (vLLM kv_cache_dtype=auto: fp32 4, everything else 2)
    const bytes: Record<(typeof PRECISIONS)[number], [weight: number, kv: number]> = {
      fp32: [4, 4],
      fp16: [2, 2],
      bf16: [2, 2],
      fp8: [1, 2],
      int8: [1, 2],
      int4: [0.5, 2],
    };
    const arch = { layers: 10, kvHeads: 4, headDim: 64 };
    for (const p of PRECISIONS) {
      const [wb, kb] = bytes[p];
      const r = sizeModel({
        parametersBillions: 2,
        precision: p,
        contextTokens: 1000,
        concurrency: 3,
        architecture: arch,
      });
      const weights = (2e9 * wb) / GIB;
      const kv = (2 * 10 * 4 * 64 * kb * 1000 * 3) / GIB;
      const overhead = 1 + 0.05 * weights;
      close(r.weightsGiB, weights, `${p} weights`);
      close(r.kvCacheGiB, kv, `${p} kv`);
      close(r.overheadGiB, overhead, `${p} overhead`);
      close(r.subtotalGiB, weights + kv + overhead, `${p} subtotal`);
      close(r.totalGiB, (weights + kv + overhead) / 0.9, `${p} total`);
      assert.equal(r.utilization, 0.9);
      assert.deepEqual(r.architecture, arch);
      assert.equal(r.kvEstimated, false);
    }
  });

  it("concurrency defaults to 1; an estimated shape is flagged", () => {
    const one = sizeModel({ parametersBillions: 8, precision: "bf16", contextTokens: 8192 });
    // Llama 3.1 8B estimate: 2 × 32 × 8 × 128 × 2 bytes × 8192 tokens = exactly 1 GiB.
    close(one.kvCacheGiB, 1, "kv at concurrency 1");
    assert.equal(one.kvEstimated, true);
    assert.deepEqual(one.architecture, { layers: 32, kvHeads: 8, headDim: 128 });
  });

  it("gpusNeeded: exactly at 1, 2, 4 and 8 GPUs' memory fits; a hair above moves up", () => {
    assert.equal(gpusNeeded({ totalGiB: 10 }, 10), 1);
    assert.equal(gpusNeeded({ totalGiB: 20 }, 10), 2);
    assert.equal(gpusNeeded({ totalGiB: 20.001 }, 10), 4);
    assert.equal(gpusNeeded({ totalGiB: 40 }, 10), 4);
    assert.equal(gpusNeeded({ totalGiB: 80 }, 10), 8);
    assert.equal(gpusNeeded({ totalGiB: 80.001 }, 10), null);
  });
});
