/**
 * GPU facts as data: one row per GPU type the catalog sells, each figure with the page it comes
 * from. Vendor pages were read through stored copies; `via` names the copy when it was not the
 * vendor page itself. Rules used throughout:
 * - TFLOPS/TOPS are dense (no 2:4 structured sparsity). Where the vendor prints only the sparse
 *   figure (marked "*" on NVIDIA pages since Ampere), the value here is that figure halved, and
 *   the comment on the row says so.
 * - A figure nobody primary publishes is `null` with a `note`; nothing here is estimated.
 * - Memory is stored as the vendor writes it (`memoryGB`); see `gpuMemoryGiB` for the unit.
 */
import { GPU_SPECS } from "./gpu-spec-table";

export { GPU_SPECS, SPECS_CHECKED } from "./gpu-spec-table";

/** GPU maker. */
export type GpuVendor = "nvidia" | "amd";

/** Micro-architecture family. */
export type GpuArchitecture = "turing" | "volta" | "ampere" | "ada" | "hopper" | "blackwell" | "cdna3";

/** The figures of a row that a source can back. */
export type SpecField =
  | "memoryGB"
  | "memoryBandwidthGBps"
  | "denseBf16Tflops"
  | "denseFp16Tflops"
  | "denseFp8Tflops"
  | "int8Tops"
  | "computeCapability"
  | "gfxArch";

/** Who published a source: the chip maker, a cloud selling it, or anyone else. */
export type SourcePublisher = "vendor" | "cloud" | "third-party";

/** Where one figure of one row comes from. */
export interface SpecSource {
  /** The figure this source backs. */
  readonly field: SpecField;
  /** Address of the page or datasheet that states the figure. */
  readonly url: string;
  /** Title of that page, as a reader would search for it. */
  readonly title: string;
  /** Who published `url`. */
  readonly publisher: SourcePublisher;
  /** The stored copy the figure was actually read from, when not `url` itself. */
  readonly via?: string;
}

/** Facts about one GPU type that do not depend on the cloud selling it. */
export interface GpuSpec {
  /** Catalog name, unique, e.g. "A100-80GB". */
  readonly name: string;
  /** GPU maker. */
  readonly vendor: GpuVendor;
  /** Micro-architecture family. */
  readonly architecture: GpuArchitecture;
  /** Memory of one GPU exactly as the vendor states it ("80GB" → 80). */
  readonly memoryGB: number;
  /** Peak memory bandwidth of one GPU, GB/s (decimal, as vendors state it). */
  readonly memoryBandwidthGBps: number;
  /** Dense BF16 tensor TFLOPS; null when the GPU has no BF16 (T4, V100) or nobody publishes it. */
  readonly denseBf16Tflops: number | null;
  /** Dense FP16 tensor TFLOPS; null only when nobody publishes it. */
  readonly denseFp16Tflops: number | null;
  /** Dense FP8 tensor TFLOPS; null when the GPU has no FP8 tensor cores. */
  readonly denseFp8Tflops: number | null;
  /** Dense INT8 tensor TOPS, where a source confirmed it. */
  readonly int8Tops?: number;
  /** CUDA compute capability "major.minor"; null for AMD GPUs. */
  readonly computeCapability: string | null;
  /** AMD LLVM target (gfx architecture), AMD GPUs only. */
  readonly gfxArch?: string;
  /** One entry per figure above (TFLOPS fields that are null for lack of support need none). */
  readonly sources: readonly SpecSource[];
  /** What a reader must know: variant chosen, unconfirmed figures, derivations. */
  readonly note?: string;
  /** Date (YYYY-MM-DD) the figures were last checked against their sources. */
  readonly checked: string;
}

/** Catalog names, in table order. */
export const GPU_NAMES: readonly string[] = GPU_SPECS.map((s) => s.name);

/**
 * Other spellings, after normalization (lower case, "nvidia"/"tesla"/"amd"/"instinct" prefixes
 * dropped, spaces and underscores as "-"), e.g. GCP's "nvidia-h100-mega-80gb" → "h100-mega-80gb".
 */
export const GPU_ALIASES: Readonly<Record<string, string>> = {
  "a100-40gb": "A100",
  "a100-40g": "A100",
  "a100-sxm4-40gb": "A100",
  "a100-80g": "A100-80GB",
  "a100-sxm4-80gb": "A100-80GB",
  "h100-80gb": "H100",
  "h100-sxm": "H100",
  "h100-sxm5": "H100",
  "h100-80gb-hbm3": "H100",
  "h100-mega-80gb": "H100-MEGA",
  "a3-mega": "H100-MEGA",
  "h200-141gb": "H200",
  "h200-sxm": "H200",
  "v100-16gb": "V100",
  "v100-sxm2-16gb": "V100",
  "v100-32g": "V100-32GB",
  "v100-sxm2-32gb": "V100-32GB",
};

function normalize(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/^(?:(?:nvidia|tesla|amd|instinct)-)+/, "");
}

const BY_KEY: ReadonlyMap<string, GpuSpec> = new Map(GPU_SPECS.map((s) => [normalize(s.name), s]));

/** The row for a GPU name, case-insensitive, accepting aliases ("A100-40GB" → "A100"); undefined if unknown. */
export function gpuSpec(name: string): GpuSpec | undefined {
  const key = normalize(name);
  const direct = BY_KEY.get(key);
  if (direct !== undefined) return direct;
  const alias = GPU_ALIASES[key];
  return alias === undefined ? undefined : BY_KEY.get(normalize(alias));
}

/**
 * Memory of one GPU in GiB. GPU makers state DRAM capacity in the JEDEC sense, where "GB" is
 * 2^30 bytes, so the stated figure already is GiB: nvidia-smi reports 81,920 MiB for an A100 80GB,
 * 81,559 MiB for an H100 80GB and 15,360 MiB for a T4 (16 GB, less the ECC reserve), all far above
 * the 76,294 MiB a decimal 80 GB would be. Converting with 10^9/2^30 would understate memory by 7%.
 * Throws for an unknown GPU.
 */
export function gpuMemoryGiB(name: string): number {
  const spec = gpuSpec(name);
  if (spec === undefined) throw new Error(`unknown GPU type "${name}"; known: ${GPU_NAMES.join(", ")}`);
  return spec.memoryGB;
}
