/**
 * The published vLLM measurements the performance model is checked against, with what each
 * measured. Each point states its workload; `predict` gives the model's figure for the same thing,
 * so `docs/performance.md` and the test can state the model's error against each.
 */
import { gpuSpec } from "../gpu-specs";
import { atBatch, replicaSpeeds, type ServedModel } from "./model";

/** One published figure. */
export interface CalibrationPoint {
  id: string;
  source: { url: string; title: string; read: string };
  /** What was measured, in words. */
  what: string;
  measured: number;
  unit: string;
  /** The model's figure for the same measurement. */
  predict(): number;
}

/** Llama 3.1 8B: 32 layers, 8 KV heads of 128 (its config.json). */
const LLAMA_31_8B: ServedModel = {
  parametersBillions: 8.03,
  precision: "bf16",
  architecture: { layers: 32, kvHeads: 8, headDim: 128 },
};
/** Mistral 7B v0.3: 32 layers, 8 KV heads of 128, 7.25B parameters (its config.json). */
const MISTRAL_7B: ServedModel = {
  parametersBillions: 7.25,
  precision: "bf16",
  architecture: { layers: 32, kvHeads: 8, headDim: 128 },
};

function speeds(model: ServedModel, gpu: string): NonNullable<ReturnType<typeof replicaSpeeds>> {
  const spec = gpuSpec(gpu);
  const s = spec ? replicaSpeeds(model, spec, 1) : null;
  if (!s) throw new Error(`calibration: no speeds for ${gpu}`);
  return s;
}

const SWEEP = {
  url: "https://johnmusgrave.com/p/vllm-throughput-latency-sweep-on",
  title: "vLLM throughput-latency sweep on NVIDIA A100 (vLLM 0.23.0, 1024 in / 128 out, --ignore-eos)",
  read: "2026-11-30",
};
const LAMBDA = {
  url: "https://github.com/LambdaLabsML/vllm-benchmark/blob/main/benchmark_v0.md",
  title: "LLMs inference benchmarks, using vLLM, on Lambda Cloud (vLLM 0.5.4, --num-prompts 320)",
  read: "2026-11-30",
};
const SWEEP_SHAPE = { inputTokens: 1024, outputTokens: 128 };

export const CALIBRATION_POINTS: readonly CalibrationPoint[] = [
  {
    id: "a100-40-llama8b-c1-decode",
    source: SWEEP,
    what: "A100 40GB, Llama 3.1 8B bf16, one request at a time: decode speed",
    measured: 75,
    unit: "output tokens/s",
    predict: () => 1000 / atBatch(LLAMA_31_8B, speeds(LLAMA_31_8B, "A100"), SWEEP_SHAPE, 1).decodeStepMs,
  },
  {
    id: "a100-40-llama8b-c8-throughput",
    source: SWEEP,
    what: "A100 40GB, Llama 3.1 8B bf16, 8 concurrent requests: output throughput (6.6 × the 75 tok/s of one)",
    measured: 75 * 6.6,
    unit: "output tokens/s",
    predict: () => atBatch(LLAMA_31_8B, speeds(LLAMA_31_8B, "A100"), SWEEP_SHAPE, 8).outputTokensPerSecond,
  },
  {
    id: "h100-vs-a100-80-mistral7b-ratio",
    source: LAMBDA,
    what:
      "Mistral 7B bf16, 320 prompts at once: 1×H100 80GB SXM over 1×A100 80GB SXM output throughput " +
      "(3281.19 / 1591.4 tok/s), compared at the batch both reached (throughput × inter-token latency ≈ 90); " +
      "prompt shape not stated, 1024 in / 128 out assumed",
    measured: 3281.19 / 1591.4,
    unit: "ratio",
    predict: () => {
      const h = atBatch(MISTRAL_7B, speeds(MISTRAL_7B, "H100"), SWEEP_SHAPE, 90).outputTokensPerSecond;
      const a = atBatch(MISTRAL_7B, speeds(MISTRAL_7B, "A100-80GB"), SWEEP_SHAPE, 90).outputTokensPerSecond;
      return h / a;
    },
  },
];

/** (predicted − measured) / measured. */
export function calibrationError(p: CalibrationPoint): number {
  return (p.predict() - p.measured) / p.measured;
}
