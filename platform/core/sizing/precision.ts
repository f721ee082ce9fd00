/** Bytes per parameter of each serving precision (int4: two weights per byte). */
import type { Precision } from "../types";

export const BYTES_PER_PARAM: Readonly<Record<Precision, number>> = {
  fp32: 4,
  fp16: 2,
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/**
 * Bytes per KV-cache element. vLLM's default `kv_cache_dtype="auto"` keeps the KV cache in the
 * model's activation dtype: fp32 models use 4 bytes; 16-bit and weight-quantized models (fp8, int8,
 * int4 weights, which still compute in 16 bit) use 2 bytes. An fp8 KV cache is an opt-in we do
 * not assume, so the estimate errs on the side of more memory.
 */
export const KV_BYTES: Readonly<Record<Precision, number>> = {
  fp32: 4,
  fp16: 2,
  bf16: 2,
  fp8: 2,
  int8: 2,
  int4: 2,
};
