/**
 * Facts about GPU types that do not depend on the cloud. Memory is the nominal memory of one GPU
 * (NVIDIA data sheets), in GiB. Clouds report slightly less usable memory (AWS lists the L4 and
 * A10G at 22,888 MiB); the sizing's 0.9 utilization factor covers that reserve, and using one
 * number per GPU type keeps the same model sized the same on every cloud.
 */
import { GPU_SPECS } from "./gpu-specs";
import type { GpuType } from "./types";

/** Memory of one GPU per GPU type, GiB, from the GPU spec table (see `gpuMemoryGiB` there for the unit). */
export const GPU_MEMORY_GIB: Readonly<Record<GpuType, number>> = Object.fromEntries(
  GPU_SPECS.map((s) => [s.name, s.memoryGB]),
);

/** Node sizes the optimizer places a replica on (tensor-parallel degree). */
export const TENSOR_PARALLEL_SIZES = [1, 2, 4, 8] as const;
export type TensorParallelSize = (typeof TENSOR_PARALLEL_SIZES)[number];
