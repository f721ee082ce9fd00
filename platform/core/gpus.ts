/**
 * Facts about GPU types that do not depend on the cloud. Memory is the nominal memory of one GPU
 * (NVIDIA data sheets), in GiB. Clouds report slightly less usable memory (AWS lists the L4 and
 * A10G at 22,888 MiB); the sizing's 0.9 utilization factor covers that reserve, and using one
 * number per GPU type keeps the same model sized the same on every cloud.
 */
import type { GpuType } from "./types";

export const GPU_MEMORY_GIB: Readonly<Record<GpuType, number>> = {
  T4: 16,
  L4: 24,
  A10G: 24,
  A10: 24,
  L40S: 48,
  A100: 40,
  "A100-80GB": 80,
  H100: 80,
};

/** Node sizes the optimizer places a replica on (tensor-parallel degree). */
export const TENSOR_PARALLEL_SIZES = [1, 2, 4, 8] as const;
export type TensorParallelSize = (typeof TENSOR_PARALLEL_SIZES)[number];
