/**
 * Which serving precisions a GPU can run in vLLM, as rules on compute capability (NVIDIA) or on
 * vLLM's "AMD GPU" column (MI300X), each with the vLLM source it restates.
 *
 * Version: the project deploys vLLM v0.11.0 (`vllm/vllm-openai:v0.11.0`). The rules below are that
 * release's; where later vLLM differs it is said next to the rule, so an image upgrade knows what
 * to revisit.
 */
import { gpuSpec, type GpuSpec } from "./gpu-specs";

/** Serving precisions; "int4" is AWQ or GPTQ weight-only 4-bit, "int8" is W8A8. */
export const PRECISIONS = ["fp32", "fp16", "bf16", "fp8", "int8", "int4"] as const;
/** A serving precision. */
export type Precision = (typeof PRECISIONS)[number];

/** The GPU can serve the requested precision (possibly as another one, see `served`). */
export interface PrecisionOk {
  /** Always true. */
  readonly ok: true;
  /** The precision vLLM actually runs: the requested one, or its substitute (bf16 → fp16). */
  readonly served: Precision;
  /** True when only the weights are in the requested format and compute runs in 16 bit. */
  readonly weightOnly?: boolean;
  /** Why the result differs from a plain yes: substitution, weight-only path, caveat. */
  readonly note?: string;
}

/** The GPU cannot serve the requested precision. */
export interface PrecisionRefused {
  /** Always false. */
  readonly ok: false;
  /** The rule, as a sentence naming the GPU's value, e.g. "FP8 … ≥ 8.9; T4 has 7.5". */
  readonly rule: string;
  /** URL of the vLLM document or code the rule restates. */
  readonly source: string;
}

/** Result of `precisionSupport`. */
export type PrecisionSupport = PrecisionOk | PrecisionRefused;

/** vLLM sources the rules restate. */
export const PRECISION_SOURCES = {
  /** "Supported Hardware" table (v0.11): Volta = SM 7.0, Turing 7.5, Ampere 8.0/8.6, Ada 8.9, Hopper 9.0. */
  supportedHardware: "https://docs.vllm.ai/en/v0.11.2/features/quantization/",
  /** FP8 W8A8 page: FP8 compute needs ≥ 8.9; lower GPUs run FP8 checkpoints weight-only (FP8 Marlin). */
  fp8: "https://docs.vllm.ai/en/stable/features/quantization/fp8/",
  /** Fp8Config.get_min_capability() == 80; use_marlin when capability < 89; no Marlin on ROCm. */
  fp8Code: "https://github.com/vllm-project/vllm/blob/main/vllm/model_executor/layers/quantization/fp8.py",
  /** "Bfloat16 is only supported on GPUs with compute capability of at least 8.0 … use --dtype=half". */
  bf16Check: "https://github.com/vllm-project/vllm/blob/main/vllm/platforms/cuda.py",
  /** GPU requirements: NVIDIA compute capability ≥ 7.0; ROCm: MI300 (gfx942). */
  install: "https://docs.vllm.ai/en/v0.14.0/getting_started/installation/gpu/",
  /** Marlin for Turing (sm75), merged after v0.11 — makes FP8 weight-only possible on T4 in later vLLM. */
  turingMarlin: "https://github.com/vllm-project/vllm/pull/29901",
} as const;

/** "8.9" → 89, "10.3" → 103, so capabilities compare as numbers. */
function ccValue(cc: string): number {
  const [major = "0", minor = "0"] = cc.split(".");
  return Number(major) * 10 + Number(minor);
}

function refuse(rule: string, source: string): PrecisionRefused {
  return { ok: false, rule, source };
}

/** Blackwell (10.x) has no column in vLLM's v0.11 table; such results carry this caveat. */
function blackwellCaveat(spec: GpuSpec): string | undefined {
  return spec.architecture === "blackwell"
    ? `vLLM's support table has no Blackwell column; ${spec.name} is allowed by its compute capability (${spec.computeCapability ?? "?"}).`
    : undefined;
}

function ok(served: Precision, note?: string, weightOnly?: boolean): PrecisionOk {
  return {
    ok: true,
    served,
    ...(weightOnly === true ? { weightOnly: true } : {}),
    ...(note === undefined ? {} : { note }),
  };
}

/** NVIDIA rules, keyed on compute capability. */
function nvidiaSupport(spec: GpuSpec, cc: string, precision: Precision): PrecisionSupport {
  const v = ccValue(cc);
  const has = `${spec.name} has ${cc}`;
  const caveat = blackwellCaveat(spec);
  // vLLM needs compute capability ≥ 7.0 at all (install docs); every NVIDIA row here meets it.
  if (v < 70) return refuse(`vLLM needs compute capability ≥ 7.0; ${has}`, PRECISION_SOURCES.install);
  switch (precision) {
    case "fp32":
    case "fp16":
      return ok(precision);
    case "bf16":
      // vLLM refuses --dtype bfloat16 below 8.0 and tells the user to pass --dtype=half instead.
      return v >= 80
        ? ok("bf16")
        : ok("fp16", `bf16 needs compute capability ≥ 8.0; ${has}, so vLLM serves the model in fp16 (--dtype half).`);
    case "fp8":
      // ≥ 8.9: FP8 W8A8 on FP8 tensor cores (Ada, Hopper; Blackwell per the current FP8 page).
      if (v >= 89) return ok("fp8", caveat);
      // 8.0–8.6 (Ampere): FP8 checkpoints load as W8A16 through FP8 Marlin (Fp8Config min capability 80).
      if (v >= 80) {
        return ok(
          "fp8",
          `FP8 W8A8 needs compute capability ≥ 8.9; ${has}, so vLLM runs FP8 weights only (W8A16, FP8 Marlin) and computes in 16 bit.`,
          true,
        );
      }
      // Below 8.0: no FP8 in v0.11 (Fp8Config.get_min_capability() == 80). Later vLLM (PR #29901)
      // extends FP8 Marlin to Turing 7.5; Volta stays out.
      return refuse(
        `FP8 W8A8 needs compute capability ≥ 8.9 and weight-only FP8 (Marlin) needs ≥ 8.0 in vLLM v0.11; ${has}`,
        PRECISION_SOURCES.fp8Code,
      );
    case "int8":
      // INT8 (W8A8): ❌ Volta, ✅ Turing/Ampere/Ada/Hopper.
      if (v < 75)
        return refuse(`INT8 W8A8 needs compute capability ≥ 7.5; ${has}`, PRECISION_SOURCES.supportedHardware);
      return ok(
        "int8",
        spec.name === "B300"
          ? `${caveat ?? ""} NVIDIA cut B300 INT8 tensor throughput to ${spec.int8Tops ?? "?"} dense TOPS; prefer fp8.`.trim()
          : caveat,
      );
    case "int4":
      // AWQ: ❌ Volta, ✅ Turing+; GPTQ: ✅ Volta+. A request for "int4" does not say which, so the
      // rule is the stricter one (AWQ's): ≥ 7.5.
      if (v < 75) {
        return refuse(
          `int4 (AWQ/GPTQ) needs compute capability ≥ 7.5 (vLLM's AWQ kernels skip Volta; GPTQ alone would run); ${has}`,
          PRECISION_SOURCES.supportedHardware,
        );
      }
      return ok("int4", caveat, true);
  }
}

/** AMD rules: vLLM's "AMD GPU" column and its ROCm requirements. */
function amdSupport(spec: GpuSpec, precision: Precision): PrecisionSupport {
  const arch = spec.gfxArch ?? "unknown gfx";
  if (arch !== "gfx942") {
    return refuse(
      `vLLM's ROCm rules here cover gfx942 (MI300 series) only; ${spec.name} is ${arch}`,
      PRECISION_SOURCES.install,
    );
  }
  switch (precision) {
    case "fp32":
    case "fp16":
    case "bf16":
      // ROCm requirements list MI300 (gfx942); vLLM's ROCm platform applies the same bf16 check,
      // which MI300-series devices pass.
      return ok(precision);
    case "fp8":
      // FP8 (W8A8): ✅ AMD GPU. MI300X hardware uses the FNUZ encoding; vLLM converts e4m3fn weights.
      return ok(
        "fp8",
        `${spec.name} runs FP8 in the FNUZ encoding (e4m3fnuz); vLLM converts OCP e4m3 checkpoints at load.`,
      );
    case "int8":
      // INT8 (W8A8): ❌ AMD GPU.
      return refuse(
        `INT8 W8A8 is not supported on AMD GPUs in vLLM; ${spec.name} is ${arch}`,
        PRECISION_SOURCES.supportedHardware,
      );
    case "int4":
      // AWQ: ❌ AMD GPU; GPTQ: ❌ AMD GPU.
      return refuse(
        `int4 (AWQ/GPTQ) is not supported on AMD GPUs in vLLM; ${spec.name} is ${arch}`,
        PRECISION_SOURCES.supportedHardware,
      );
  }
}

/**
 * Whether vLLM can serve `precision` on `gpuName` (any name `gpuSpec` accepts). A bf16 request on
 * a GPU without bf16 is served as fp16; fp8 on Ampere is weight-only.
 */
export function precisionSupport(gpuName: string, precision: Precision): PrecisionSupport {
  const spec = gpuSpec(gpuName);
  if (spec === undefined) return refuse(`unknown GPU type "${gpuName}"`, PRECISION_SOURCES.supportedHardware);
  if (spec.vendor === "amd") return amdSupport(spec, precision);
  if (spec.computeCapability === null) {
    return refuse(`${spec.name} has no known compute capability`, PRECISION_SOURCES.supportedHardware);
  }
  return nvidiaSupport(spec, spec.computeCapability, precision);
}
