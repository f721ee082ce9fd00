import assert from "node:assert/strict";
import { estimateArchitecture, gpusNeeded, sizeModel, GPU_MEMORY_UTILIZATION, type ModelSpec } from "./index";

const LLAMA_8B = { layers: 32, kvHeads: 8, headDim: 128 };
const LLAMA_70B = { layers: 80, kvHeads: 8, headDim: 128 };

describe("sizing", () => {
  describe("anchors", () => {
    const cases: Array<{
      name: string;
      model: ModelSpec;
      gpuGiB: number;
      expect: 1 | 2 | 4 | 8 | null;
      check?: (total: number) => void;
    }> = [
      {
        name: "8B bf16 at 8k fits one 24 GB GPU, tightly (over 3/4 of it)",
        model: { parametersBillions: 8, precision: "bf16", contextTokens: 8192, architecture: LLAMA_8B },
        gpuGiB: 24,
        expect: 1,
        check: (total) => assert.ok(total > 0.75 * 24 && total <= 24, `total ${total}`),
      },
      {
        name: "8B bf16 at 8k does not fit one 16 GB T4",
        model: { parametersBillions: 8, precision: "bf16", contextTokens: 8192, architecture: LLAMA_8B },
        gpuGiB: 16,
        expect: 2,
      },
      {
        name: "70B fp16 does not fit one 80 GB GPU but fits 2 × 80 GB",
        model: { parametersBillions: 70, precision: "fp16", contextTokens: 8192, architecture: LLAMA_70B },
        gpuGiB: 80,
        expect: 2,
        check: (total) => assert.ok(total > 80, `total ${total}`),
      },
      {
        name: "70B int4 fits one 80 GB GPU",
        model: { parametersBillions: 70, precision: "int4", contextTokens: 8192, architecture: LLAMA_70B },
        gpuGiB: 80,
        expect: 1,
      },
      {
        name: "70B int4 does not fit one 40 GB A100",
        model: { parametersBillions: 70, precision: "int4", contextTokens: 8192, architecture: LLAMA_70B },
        gpuGiB: 40,
        expect: 2,
      },
      {
        name: "405B fp16 does not fit even 8 × 80 GB",
        model: { parametersBillions: 405, precision: "fp16", contextTokens: 8192 },
        gpuGiB: 80,
        expect: null,
      },
      {
        name: "long context × concurrency grows the KV cache past one GPU",
        model: {
          parametersBillions: 8,
          precision: "bf16",
          contextTokens: 32768,
          concurrency: 16,
          architecture: LLAMA_8B,
        },
        gpuGiB: 80,
        expect: 2,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const req = sizeModel(c.model);
        assert.equal(gpusNeeded(req, c.gpuGiB), c.expect);
        c.check?.(req.totalGiB);
      });
    }
  });

  it("breaks the total down: weights + KV + overhead, divided by the 0.9 utilization", () => {
    const r = sizeModel({ parametersBillions: 8, precision: "bf16", contextTokens: 8192, architecture: LLAMA_8B });
    assert.ok(Math.abs(r.weightsGiB - (8e9 * 2) / 2 ** 30) < 1e-9);
    // Llama 3.1 8B: 2 × 32 × 8 × 128 × 2 bytes = 128 KiB per token; 8192 tokens = 1 GiB.
    assert.ok(Math.abs(r.kvCacheGiB - 1) < 1e-9);
    assert.ok(Math.abs(r.subtotalGiB - (r.weightsGiB + r.kvCacheGiB + r.overheadGiB)) < 1e-9);
    assert.ok(Math.abs(r.totalGiB - r.subtotalGiB / GPU_MEMORY_UTILIZATION) < 1e-9);
    assert.equal(r.kvEstimated, false);
  });

  it("bytes per parameter follow the precision", () => {
    const base = { parametersBillions: 10, contextTokens: 1024, architecture: LLAMA_8B } as const;
    const w = (p: ModelSpec["precision"]): number => sizeModel({ ...base, precision: p }).weightsGiB;
    assert.ok(Math.abs(w("fp32") / w("fp16") - 2) < 1e-9);
    assert.equal(w("fp16"), w("bf16"));
    assert.ok(Math.abs(w("fp16") / w("int8") - 2) < 1e-9);
    assert.equal(w("fp8"), w("int8"));
    assert.ok(Math.abs(w("int8") / w("int4") - 2) < 1e-9);
  });

  it("KV cache scales linearly with context and concurrency", () => {
    const kv = (ctx: number, conc: number): number =>
      sizeModel({
        parametersBillions: 8,
        precision: "bf16",
        contextTokens: ctx,
        concurrency: conc,
        architecture: LLAMA_8B,
      }).kvCacheGiB;
    assert.ok(Math.abs(kv(8192, 1) * 2 - kv(16384, 1)) < 1e-9);
    assert.ok(Math.abs(kv(8192, 1) * 4 - kv(8192, 4)) < 1e-9);
  });

  it("estimates a Llama-3-style shape when no architecture is given, and says so", () => {
    const r = sizeModel({ parametersBillions: 8, precision: "bf16", contextTokens: 8192 });
    assert.equal(r.kvEstimated, true);
    assert.deepEqual(r.architecture, LLAMA_8B);
    assert.deepEqual(estimateArchitecture(70), LLAMA_70B);
    assert.equal(estimateArchitecture(3).layers, 28);
    assert.equal(estimateArchitecture(405).layers, 126);
    // Bigger models never get a smaller assumed shape.
    let prev = 0;
    for (const p of [1, 4, 5, 10, 14, 32, 70, 80, 100, 405, 1000]) {
      const layers = estimateArchitecture(p).layers;
      assert.ok(layers >= prev, `${p}B: ${layers} < ${prev}`);
      prev = layers;
    }
  });

  it("gpusNeeded picks the smallest tensor-parallel size whose memory adds up", () => {
    assert.equal(gpusNeeded({ totalGiB: 24 }, 24), 1);
    assert.equal(gpusNeeded({ totalGiB: 24.01 }, 24), 2);
    assert.equal(gpusNeeded({ totalGiB: 96 }, 24), 4);
    assert.equal(gpusNeeded({ totalGiB: 97 }, 24), 8);
    assert.equal(gpusNeeded({ totalGiB: 193 }, 24), null);
  });
});
