import * as assert from "node:assert/strict";
import fc from "fast-check";
import { gpuSpec, GPU_SPECS } from "../gpu-specs";
import { defaultCatalog } from "../pricing/catalog";
import { CALIBRATION_POINTS, calibrationError } from "./calibration";
import { atBatch, fitWorkload, replicaSpeeds, type ServedModel, type Workload } from "./model";

/** Llama 2 7B: multi-head attention (32 KV heads of 128), the model Mélange measured. */
const LLAMA2_7B: ServedModel = {
  parametersBillions: 6.74,
  precision: "fp16",
  architecture: { layers: 32, kvHeads: 32, headDim: 128 },
};

const spec = (name: string) => {
  const s = gpuSpec(name);
  assert.ok(s, name);
  return s;
};

/** The cheapest 1-GPU on-demand offer per GPU type in the shipped catalog, USD/hour. */
function cheapestSingleGpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of defaultCatalog().gpuOffers) {
    if (o.gpuCount !== 1) continue;
    const prev = out.get(o.gpuType);
    if (prev === undefined || o.onDemandHourlyUsd < prev) out.set(o.gpuType, o.onDemandHourlyUsd);
  }
  return out;
}

/** The GPU type whose fleet carries the workload cheapest, with its cost. */
function cheapestFor(model: ServedModel, w: Workload): { gpu: string; usdPerHour: number } | undefined {
  let best: { gpu: string; usdPerHour: number } | undefined;
  for (const [gpu, price] of cheapestSingleGpu()) {
    const s = gpuSpec(gpu);
    if (!s) continue;
    const fit = fitWorkload(model, s, 1, w);
    if (!fit.feasible) continue;
    const cost = fit.replicas * price;
    if (!best || cost < best.usdPerHour) best = { gpu, usdPerHour: cost };
  }
  return best;
}

describe("performance model", () => {
  it("stays within its stated error of every published calibration point", () => {
    // docs/performance.md states these errors; a change to the model that moves them fails here.
    const bounds: Record<string, [number, number]> = {
      "a100-40-llama8b-c1-decode": [-0.05, 0.05],
      "a100-40-llama8b-c8-throughput": [-0.25, 0.0],
      "h100-vs-a100-80-mistral7b-ratio": [0.0, 0.3],
    };
    for (const p of CALIBRATION_POINTS) {
      const [lo, hi] = bounds[p.id] ?? [0, 0];
      const e = calibrationError(p);
      assert.ok(e >= lo && e <= hi, `${p.id}: error ${(e * 100).toFixed(1)}% outside [${lo * 100}%, ${hi * 100}%]`);
    }
  });

  it("decode is bound by bandwidth at batch 1: a step reads the weights once", () => {
    const a100 = spec("A100");
    const s = replicaSpeeds(LLAMA2_7B, a100, 1);
    assert.ok(s);
    const step = atBatch(LLAMA2_7B, s, { inputTokens: 1, outputTokens: 1 }, 1).decodeStepMs;
    const weightsOnlyMs = ((6.74e9 * 2) / (a100.memoryBandwidthGBps * 1e9 * 0.77)) * 1000;
    assert.ok(Math.abs(step - weightsOnlyMs) / weightsOnlyMs < 0.01, `${step} vs ${weightsOnlyMs}`);
  });

  it("doubling the request rate never lowers the replica count (any GPU, any workload)", () => {
    const names = GPU_SPECS.filter((g) => g.denseFp16Tflops !== null && g.memoryGB >= 24).map((g) => g.name);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.double({ min: 0.05, max: 200, noNaN: true }),
        fc.integer({ min: 16, max: 4000 }),
        fc.integer({ min: 16, max: 1000 }),
        fc.option(fc.integer({ min: 20, max: 200 }), { nil: undefined }),
        (gpu, rps, input, output, tpot) => {
          const w: Workload = { requestsPerSecond: rps, inputTokens: input, outputTokens: output, tpotP95Ms: tpot };
          const one = fitWorkload(LLAMA2_7B, spec(gpu), 1, w);
          const two = fitWorkload(LLAMA2_7B, spec(gpu), 1, { ...w, requestsPerSecond: rps * 2 });
          if (!one.feasible) return !two.feasible;
          return !two.feasible || two.replicas >= one.replicas;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("Mélange's finding: short requests at 1 req/s and a loose SLO go to L4/A10G-class GPUs", () => {
    const best = cheapestFor(LLAMA2_7B, { requestsPerSecond: 1, inputTokens: 100, outputTokens: 100, tpotP95Ms: 200 });
    assert.ok(best && ["L4", "A10G", "A10", "T4"].includes(best.gpu), JSON.stringify(best));
  });

  it("Mélange's finding: long requests at a 40 ms TPOT go to A100/H100-class GPUs", () => {
    const best = cheapestFor(LLAMA2_7B, {
      requestsPerSecond: 8,
      inputTokens: 2000,
      outputTokens: 500,
      tpotP95Ms: 40,
    });
    assert.ok(
      best && ["A100", "A100-80GB", "H100", "H100-MEGA", "H200", "L40S"].includes(best.gpu),
      JSON.stringify(best),
    );
  });

  it("an objective no GPU reaches is refused, naming the field and the best achievable value", () => {
    const fit = fitWorkload(LLAMA2_7B, spec("L4"), 1, {
      requestsPerSecond: 1,
      inputTokens: 100,
      outputTokens: 100,
      tpotP95Ms: 5,
    });
    assert.equal(fit.feasible, false);
    if (!fit.feasible) {
      assert.equal(fit.field, "workload.tpotP95Ms");
      assert.ok(fit.bestAchievable > 5);
      assert.match(fit.reason, /L4 decodes at best \d+\.\d ms per token/);
    }
  });

  it("a sequence longer than the KV cache holds is refused on the prompt length", () => {
    const fit = fitWorkload(LLAMA2_7B, spec("L4"), 1, { requestsPerSecond: 1, inputTokens: 200_000, outputTokens: 10 });
    assert.equal(fit.feasible, false);
    if (!fit.feasible) assert.equal(fit.field, "workload.inputTokens");
  });
});
