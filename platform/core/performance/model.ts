/**
 * A transparent performance model of one vLLM replica, for placing by traffic instead of by memory.
 *
 * - Decode is bound by memory bandwidth: each step reads the weights once plus the batch's KV cache.
 *   Where the batch is large enough, it becomes bound by compute (2 FLOPs per parameter per token);
 *   a step takes the longer of the two (a roofline).
 * - Prefill is bound by compute: 2 FLOPs per parameter per input token (the attention term, which
 *   grows with the square of the prompt, is left out: it is small below ~8k tokens for these models).
 * - A replica serves requests with continuous batching at batch B: each request costs its prefill
 *   plus its share of B-wide decode steps. Load above `MAX_UTILIZATION` of that capacity is refused,
 *   so queueing stays bounded.
 *
 * The efficiencies below are calibrated against published vLLM measurements (docs/performance.md
 * lists them and the model's error against each). They are assumptions, not measurements of ours.
 */
import type { GpuSpec } from "../gpu-specs";
import type { Precision } from "../types";
import { BYTES_PER_PARAM, KV_BYTES } from "../sizing/precision";
import type { Architecture } from "../sizing";

/** Share of peak memory bandwidth a decode step achieves (75 tok/s of a 97 tok/s roofline on A100, vLLM 0.23). */
export const BANDWIDTH_EFFICIENCY = 0.77;
/** Share of dense peak tensor FLOPS that prefill and compute-bound decode achieve. */
export const COMPUTE_EFFICIENCY = 0.6;
/** Tensor parallelism over n GPUs gives n × this of one GPU's bandwidth and FLOPS (all-reduce cost). */
export const TENSOR_PARALLEL_EFFICIENCY = 0.9;
/** A replica is loaded to at most this share of its capacity, so queues stay short. */
export const MAX_UTILIZATION = 0.8;
/** vLLM's default cap on sequences in a batch (`max_num_seqs`). */
export const MAX_BATCH = 256;
/** Share of GPU memory vLLM may use (`gpu_memory_utilization`), as in sizing. */
export const GPU_MEMORY_UTILIZATION = 0.9;
/** Replicas added beyond what the rate needs, to meet a latency objective, before giving up. */
export const MAX_EXTRA_REPLICAS = 64;
/** GiB per GPU vLLM keeps for activations and the CUDA context, beyond weights and KV cache. */
export const RUNTIME_RESERVE_GIB = 1.5;

const GIB = 1024 ** 3;

/** What the model needs to know of the model being served. */
export interface ServedModel {
  parametersBillions: number;
  precision: Precision;
  architecture: Architecture;
}

/** The traffic a deployment must carry, and its latency objectives. */
export interface Workload {
  /** Mean arrival rate of requests, per second. */
  requestsPerSecond: number;
  /** Mean prompt length, tokens. */
  inputTokens: number;
  /** Mean completion length, tokens. */
  outputTokens: number;
  /** Time to first token, 95th percentile objective, ms. */
  ttftP95Ms?: number;
  /** Time per output token, 95th percentile objective, ms. */
  tpotP95Ms?: number;
}

/** One replica at a chosen batch size. */
export interface ReplicaPerformance {
  /** Sequences decoded together. */
  batch: number;
  /** One decode step (= time per output token at this batch), ms. */
  decodeStepMs: number;
  /** Prefill of one prompt, ms. */
  prefillMs: number;
  /** Requests per second one replica completes when busy. */
  capacityRps: number;
  /** Output tokens per second one replica produces when busy. */
  outputTokensPerSecond: number;
}

/** The placement of a workload on one GPU shape. */
export type WorkloadFit =
  | {
      feasible: true;
      replicas: number;
      replica: ReplicaPerformance;
      predicted: { ttftMs: number; tpotMs: number; tokensPerSecond: number };
    }
  | {
      feasible: false;
      /** The workload field that cannot be met (`workload.tpotP95Ms`, ...). */
      field: string;
      reason: string;
      /** The best this GPU shape reaches for that field. */
      bestAchievable: number;
    };

/** The FLOPS a GPU computes this precision at: fp8 on fp8 tensor cores, weight-only formats in 16 bit. */
export function effectiveTflops(gpu: GpuSpec, precision: Precision): number | null {
  const sixteen = gpu.denseBf16Tflops ?? gpu.denseFp16Tflops;
  if (precision === "fp8") return gpu.denseFp8Tflops ?? sixteen;
  if (precision === "fp32") return sixteen === null ? null : sixteen / 2;
  return sixteen;
}

/** Bytes of KV cache one token holds. */
export function kvBytesPerToken(model: ServedModel): number {
  const a = model.architecture;
  return 2 * a.layers * a.kvHeads * a.headDim * KV_BYTES[model.precision];
}

/** The speeds of one replica of `gpuCount` GPUs, or null when the GPU's FLOPS are unknown. */
export function replicaSpeeds(
  model: ServedModel,
  gpu: GpuSpec,
  gpuCount: number,
): { bytesPerSecond: number; flopsPerSecond: number; weightBytes: number; kvBytesCapacity: number } | null {
  const tflops = effectiveTflops(gpu, model.precision);
  if (tflops === null) return null;
  const scale = gpuCount === 1 ? 1 : gpuCount * TENSOR_PARALLEL_EFFICIENCY;
  const weightBytes = model.parametersBillions * 1e9 * BYTES_PER_PARAM[model.precision];
  const usable = gpuCount * (gpu.memoryGB * GIB * GPU_MEMORY_UTILIZATION - RUNTIME_RESERVE_GIB * GIB);
  return {
    bytesPerSecond: gpu.memoryBandwidthGBps * 1e9 * BANDWIDTH_EFFICIENCY * scale,
    flopsPerSecond: tflops * 1e12 * COMPUTE_EFFICIENCY * scale,
    weightBytes,
    kvBytesCapacity: usable - weightBytes,
  };
}

/** Replica performance at batch `batch` for a workload's request shape. */
export function atBatch(
  model: ServedModel,
  speeds: NonNullable<ReturnType<typeof replicaSpeeds>>,
  w: Pick<Workload, "inputTokens" | "outputTokens">,
  batch: number,
): ReplicaPerformance {
  const params = model.parametersBillions * 1e9;
  // A sequence holds its prompt and, on average, half its completion while it decodes.
  const meanContext = w.inputTokens + w.outputTokens / 2;
  const memorySeconds = (speeds.weightBytes + batch * meanContext * kvBytesPerToken(model)) / speeds.bytesPerSecond;
  const computeSeconds = (2 * params * batch) / speeds.flopsPerSecond;
  const step = Math.max(memorySeconds, computeSeconds);
  const prefill = (2 * params * w.inputTokens) / speeds.flopsPerSecond;
  const perRequest = prefill + (w.outputTokens * step) / batch;
  return {
    batch,
    decodeStepMs: step * 1000,
    prefillMs: prefill * 1000,
    capacityRps: 1 / perRequest,
    outputTokensPerSecond: w.outputTokens / perRequest,
  };
}

/** The largest batch the KV cache holds for this request shape (0: not even one sequence). */
export function maxBatch(
  model: ServedModel,
  speeds: NonNullable<ReturnType<typeof replicaSpeeds>>,
  w: Pick<Workload, "inputTokens" | "outputTokens">,
): number {
  const perSequence = (w.inputTokens + w.outputTokens) * kvBytesPerToken(model);
  return Math.max(0, Math.min(MAX_BATCH, Math.floor(speeds.kvBytesCapacity / perSequence)));
}

/**
 * Latencies of a replica carrying `load` requests/s at batch B: decode steps stretch by the share
 * of time spent on prefills; the first token waits for its prefill plus queueing (an M/D/1 wait
 * at the replica's utilization, at the 95th percentile taken as 3× the mean wait).
 */
export function latencies(r: ReplicaPerformance, load: number): { ttftMs: number; tpotMs: number } {
  const utilization = Math.min(load / r.capacityRps, 0.999);
  const prefillShare = Math.min((load * r.prefillMs) / 1000, 0.999);
  const meanWait = (utilization / (2 * (1 - utilization))) * (1000 / r.capacityRps);
  return {
    ttftMs: r.prefillMs + r.decodeStepMs + 3 * meanWait,
    tpotMs: r.decodeStepMs / (1 - prefillShare),
  };
}

/**
 * How many replicas of (gpu × gpuCount) carry the workload within its objectives, or why none do.
 * Replicas never decrease when the request rate grows (the smallest count that meets every bound,
 * each of which only tightens with load).
 */
export function fitWorkload(model: ServedModel, gpu: GpuSpec, gpuCount: number, w: Workload): WorkloadFit {
  const speeds = replicaSpeeds(model, gpu, gpuCount);
  if (speeds === null) {
    return { feasible: false, field: "workload", reason: `no FLOPS figure for ${gpu.name}`, bestAchievable: 0 };
  }
  const bMax = maxBatch(model, speeds, w);
  if (bMax < 1) {
    return {
      feasible: false,
      field: "workload.inputTokens",
      reason: `one ${w.inputTokens + w.outputTokens}-token sequence does not fit the KV cache of ${gpuCount}×${gpu.name}`,
      bestAchievable: 0,
    };
  }
  const single = atBatch(model, speeds, w, 1);
  if (w.tpotP95Ms !== undefined && single.decodeStepMs > w.tpotP95Ms) {
    return {
      feasible: false,
      field: "workload.tpotP95Ms",
      reason: `${gpuCount}×${gpu.name} decodes at best ${single.decodeStepMs.toFixed(1)} ms per token`,
      bestAchievable: single.decodeStepMs,
    };
  }
  const bestTtft = single.prefillMs + single.decodeStepMs;
  if (w.ttftP95Ms !== undefined && bestTtft > w.ttftP95Ms) {
    return {
      feasible: false,
      field: "workload.ttftP95Ms",
      reason: `${gpuCount}×${gpu.name} needs ${bestTtft.toFixed(0)} ms to prefill ${w.inputTokens} tokens`,
      bestAchievable: bestTtft,
    };
  }
  // Candidate batch sizes: powers of two up to what the KV cache holds, and that limit itself.
  // For each, the fewest replicas that meet every objective; the fewest overall wins (ties: larger batch).
  const batches = new Set<number>([bMax]);
  for (let b = 1; b < bMax; b *= 2) batches.add(b);
  let best: Extract<WorkloadFit, { feasible: true }> | undefined;
  let closest: { field: string; value: number } | undefined;
  for (const batch of [...batches].sort((a, b) => b - a)) {
    const r = atBatch(model, speeds, w, batch);
    const replicas = fewestReplicas(r, w);
    if (replicas === undefined) {
      const l = latencies(r, w.requestsPerSecond / (firstReplicas(r, w) + MAX_EXTRA_REPLICAS));
      const ttftMiss = w.ttftP95Ms !== undefined && l.ttftMs > w.ttftP95Ms;
      const value = ttftMiss ? l.ttftMs : l.tpotMs;
      if (!closest || value < closest.value)
        closest = { field: ttftMiss ? "workload.ttftP95Ms" : "workload.tpotP95Ms", value };
      continue;
    }
    if (best === undefined || replicas < best.replicas) {
      const l = latencies(r, w.requestsPerSecond / replicas);
      best = {
        feasible: true,
        replicas,
        replica: r,
        predicted: {
          ttftMs: l.ttftMs,
          tpotMs: l.tpotMs,
          tokensPerSecond: (w.requestsPerSecond / replicas) * w.outputTokens,
        },
      };
    }
  }
  if (best) return best;
  return {
    feasible: false,
    field: closest?.field ?? "workload",
    reason: `${gpuCount}×${gpu.name} does not meet it at any batch size, even with ${MAX_EXTRA_REPLICAS} replicas beyond what the rate needs`,
    bestAchievable: closest?.value ?? 0,
  };
}

/** Replicas the rate alone needs at this batch (load at most `MAX_UTILIZATION` of capacity). */
function firstReplicas(r: ReplicaPerformance, w: Workload): number {
  return Math.max(1, Math.ceil(w.requestsPerSecond / (r.capacityRps * MAX_UTILIZATION)));
}

/**
 * The fewest replicas at which both latency objectives hold, or undefined within the search window.
 * Latencies only fall as replicas are added (each carries less), so a binary search finds it.
 */
function fewestReplicas(r: ReplicaPerformance, w: Workload): number | undefined {
  const ok = (n: number): boolean => {
    const l = latencies(r, w.requestsPerSecond / n);
    return (
      (w.ttftP95Ms === undefined || l.ttftMs <= w.ttftP95Ms) && (w.tpotP95Ms === undefined || l.tpotMs <= w.tpotP95Ms)
    );
  };
  let lo = firstReplicas(r, w);
  let hi = lo + MAX_EXTRA_REPLICAS;
  if (!ok(hi)) return undefined;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The most requests/s one replica of (gpu × gpuCount) carries within the workload's objectives and
 * `MAX_UTILIZATION`, at the best batch size, with that replica's performance; null when no load
 * meets them (or the FLOPS are unknown). A mix of shapes splits the rate in proportion to these
 * loads (`optimizer/mix.ts`). Latencies only grow with load, so a bisection finds the bound.
 */
export function maxLoadPerReplica(
  model: ServedModel,
  gpu: GpuSpec,
  gpuCount: number,
  w: Workload,
): { loadRps: number; replica: ReplicaPerformance } | null {
  const speeds = replicaSpeeds(model, gpu, gpuCount);
  if (speeds === null) return null;
  const bMax = maxBatch(model, speeds, w);
  if (bMax < 1) return null;
  const meets = (r: ReplicaPerformance, load: number): boolean => {
    const l = latencies(r, load);
    return (
      (w.ttftP95Ms === undefined || l.ttftMs <= w.ttftP95Ms) && (w.tpotP95Ms === undefined || l.tpotMs <= w.tpotP95Ms)
    );
  };
  const batches = new Set<number>([bMax]);
  for (let b = 1; b < bMax; b *= 2) batches.add(b);
  let best: { loadRps: number; replica: ReplicaPerformance } | null = null;
  for (const batch of batches) {
    const r = atBatch(model, speeds, w, batch);
    let lo = 0;
    let hi = r.capacityRps * MAX_UTILIZATION;
    if (!meets(r, Number.MIN_VALUE)) continue;
    if (meets(r, hi)) lo = hi;
    else {
      for (let i = 0; i < 60; i += 1) {
        const mid = (lo + hi) / 2;
        if (meets(r, mid)) lo = mid;
        else hi = mid;
      }
    }
    if (lo > 0 && (best === null || lo > best.loadRps)) best = { loadRps: lo, replica: r };
  }
  return best;
}
