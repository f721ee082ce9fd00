/**
 * Sizing: how much GPU memory a model needs to serve, and how many GPUs of a given size hold it on
 * one node. Pure functions; table-driven tests in index.test.ts.
 *
 * needed = (weights + KV cache + overhead) / 0.9
 * - weights  = parameters × bytes per parameter (BYTES_PER_PARAM)
 * - KV cache = 2 (K and V) × layers × kvHeads × headDim × KV bytes × contextTokens × concurrency
 * - overhead = 1 GiB runtime (CUDA context, cuBLAS/NCCL workspaces) + 5% of the weights for
 *              activations and the sampler's buffers
 * - 0.9 is vLLM's default `gpu_memory_utilization`: the server only ever uses 90% of each GPU. The
 *   10% it leaves per GPU (≥ 1.6 GiB on a 16 GB GPU) also covers the runtime reserve repeated on
 *   every GPU of a tensor-parallel node, so the total is compared with gpuCount × memory per GPU.
 *
 * When the architecture is not given, the KV cache is estimated with a Llama-3-style grouped-query
 * shape chosen by size (ARCHITECTURE_ESTIMATES): 8 KV heads of dimension 128, and the layer count of
 * the common open models of that size. Models with full multi-head attention (e.g. Llama 2 7B, 32
 * KV heads) have a 4× larger KV cache: pass `architecture` for them.
 */
import type { Precision } from "../types";
import { TENSOR_PARALLEL_SIZES, type TensorParallelSize } from "../gpus";
import { BYTES_PER_PARAM, KV_BYTES } from "./precision";

export { BYTES_PER_PARAM, KV_BYTES } from "./precision";

/** vLLM's default fraction of GPU memory the server may use. */
export const GPU_MEMORY_UTILIZATION = 0.9;
/** Runtime reserve (CUDA context, workspaces), GiB. */
export const RUNTIME_OVERHEAD_GIB = 1;
/** Activation/sampler buffers as a fraction of the weights. */
export const ACTIVATION_OVERHEAD_FRACTION = 0.05;

/** The attention shape that determines the KV cache. */
export interface Architecture {
  /** Transformer layers. */
  layers: number;
  /** Key/value heads (grouped-query attention: fewer than query heads). */
  kvHeads: number;
  /** Dimension of one head. */
  headDim: number;
}

/**
 * Assumed attention shape by model size (upper bound of parametersBillions, inclusive) when the
 * request gives none: Llama 3.2 3B (28 layers), Llama 3.1 8B (32), Qwen2.5 14B (48), Qwen2.5 32B
 * (64), Llama 3.1 70B / Qwen2.5 72B (80), Llama 3.1 405B (126); all 8 KV heads × 128.
 */
export const ARCHITECTURE_ESTIMATES: ReadonlyArray<{ maxParametersBillions: number; architecture: Architecture }> = [
  { maxParametersBillions: 4, architecture: { layers: 28, kvHeads: 8, headDim: 128 } },
  { maxParametersBillions: 10, architecture: { layers: 32, kvHeads: 8, headDim: 128 } },
  { maxParametersBillions: 16, architecture: { layers: 48, kvHeads: 8, headDim: 128 } },
  { maxParametersBillions: 40, architecture: { layers: 64, kvHeads: 8, headDim: 128 } },
  { maxParametersBillions: 80, architecture: { layers: 80, kvHeads: 8, headDim: 128 } },
  { maxParametersBillions: 200, architecture: { layers: 96, kvHeads: 8, headDim: 128 } },
  { maxParametersBillions: Number.POSITIVE_INFINITY, architecture: { layers: 126, kvHeads: 8, headDim: 128 } },
];

/** What sizing needs to know about a model. */
export interface ModelSpec {
  parametersBillions: number;
  precision: Precision;
  /** Context length served (prompt + output), tokens. */
  contextTokens: number;
  /** Sequences held in the KV cache at once. Default 1. */
  concurrency?: number;
  architecture?: Architecture;
}

/** GPU memory one replica needs, with its breakdown (GiB). */
export interface Requirement {
  weightsGiB: number;
  kvCacheGiB: number;
  overheadGiB: number;
  /** weights + KV cache + overhead. */
  subtotalGiB: number;
  /** The memory-utilization factor applied (0.9). */
  utilization: number;
  /** subtotal / utilization: GPU memory the replica's GPUs must add up to. */
  totalGiB: number;
  /** The attention shape used for the KV cache. */
  architecture: Architecture;
  /** True when `architecture` is the size-based estimate, not the caller's. */
  kvEstimated: boolean;
}

const GIB = 2 ** 30;

/** The assumed attention shape for a model of this size (see ARCHITECTURE_ESTIMATES). */
export function estimateArchitecture(parametersBillions: number): Architecture {
  const row = ARCHITECTURE_ESTIMATES.find((r) => parametersBillions <= r.maxParametersBillions);
  return { ...(row ?? ARCHITECTURE_ESTIMATES[ARCHITECTURE_ESTIMATES.length - 1]!).architecture };
}

/** Size one replica of a model. Inputs are assumed validated (positive numbers). */
export function sizeModel(model: ModelSpec): Requirement {
  const architecture = model.architecture ?? estimateArchitecture(model.parametersBillions);
  const concurrency = model.concurrency ?? 1;
  const weightsGiB = (model.parametersBillions * 1e9 * BYTES_PER_PARAM[model.precision]) / GIB;
  const kvBytes =
    2 *
    architecture.layers *
    architecture.kvHeads *
    architecture.headDim *
    KV_BYTES[model.precision] *
    model.contextTokens *
    concurrency;
  const kvCacheGiB = kvBytes / GIB;
  const overheadGiB = RUNTIME_OVERHEAD_GIB + ACTIVATION_OVERHEAD_FRACTION * weightsGiB;
  const subtotalGiB = weightsGiB + kvCacheGiB + overheadGiB;
  return {
    weightsGiB,
    kvCacheGiB,
    overheadGiB,
    subtotalGiB,
    utilization: GPU_MEMORY_UTILIZATION,
    totalGiB: subtotalGiB / GPU_MEMORY_UTILIZATION,
    architecture,
    kvEstimated: model.architecture === undefined,
  };
}

/**
 * Fewest GPUs of `gpuMemoryGiB` each (1, 2, 4 or 8 on one node, tensor-parallel) whose memory adds
 * up to the requirement; null when even 8 do not.
 */
export function gpusNeeded(
  requirement: Pick<Requirement, "totalGiB">,
  gpuMemoryGiB: number,
): TensorParallelSize | null {
  for (const n of TENSOR_PARALLEL_SIZES) {
    if (n * gpuMemoryGiB >= requirement.totalGiB) return n;
  }
  return null;
}

/** How replicas share the nodes of an existing pool (`replicaPacking`). */
export interface ReplicaPacking {
  /** GPUs one replica takes (its tensor-parallel size, its `nvidia.com/gpu` request). */
  gpusPerReplica: number;
  /** Replicas one node carries: floor(gpusPerNode / gpusPerReplica). */
  replicasPerNode: number;
}

/**
 * How a node of `gpusPerNode` GPUs of `gpuMemoryGiB` each carries replicas of `requirement`: a
 * replica takes the fewest GPUs (1, 2, 4 or 8, tensor parallel, no more than the node has) whose
 * memory holds it, else the whole node; a node carries floor(gpusPerNode / gpusPerReplica) replicas.
 * null when the whole node does not hold one replica. The deployment program schedules the same way
 * (a pod requests `gpusPerReplica` GPUs; programs/deployment/platform-ref.ts `nodesFor`).
 */
export function replicaPacking(
  requirement: Pick<Requirement, "totalGiB">,
  gpuMemoryGiB: number,
  gpusPerNode: number,
): ReplicaPacking | null {
  if (gpusPerNode * gpuMemoryGiB < requirement.totalGiB) return null;
  let gpus = gpusPerNode;
  for (const n of TENSOR_PARALLEL_SIZES) {
    if (n <= gpusPerNode && n * gpuMemoryGiB >= requirement.totalGiB) {
      gpus = n;
      break;
    }
  }
  return { gpusPerReplica: gpus, replicasPerNode: Math.floor(gpusPerNode / gpus) };
}
