/**
 * The GPU spec table's rows, each figure with its source (see `gpu-specs.ts` for the rules the
 * rows follow and for lookups). Data only.
 */
import type { GpuSpec, SourcePublisher, SpecField, SpecSource } from "./gpu-specs";

/** Date every row below was checked. */
export const SPECS_CHECKED = "2026-11-30";

type Cite = readonly [url: string, title: string, publisher: SourcePublisher, via?: string];

/** One source entry per field, all from the same page. */
function cite(fields: readonly SpecField[], [url, title, publisher, via]: Cite): SpecSource[] {
  return fields.map((field) =>
    via === undefined ? { field, url, title, publisher } : { field, url, title, publisher, via },
  );
}

const CUDA_GPUS: Cite = [
  "https://developer.nvidia.com/cuda-gpus",
  "NVIDIA Developer: CUDA GPU Compute Capability",
  "vendor",
];
const CUDA_LEGACY: Cite = [
  "https://developer.nvidia.com/cuda-legacy-gpus",
  "NVIDIA Developer: Legacy CUDA GPU Compute Capability",
  "vendor",
];
const T4_DS: Cite = [
  "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf",
  "NVIDIA T4 Tensor Core GPU datasheet",
  "vendor",
  "tomshardware.co.uk and geektopia.es T4 launch reports (16 GB GDDR6, 65 TFLOPS FP16, 130 TOPS INT8)",
];
const GCP_GPUS: Cite = [
  "https://cloud.google.com/compute/docs/gpus",
  "Google Cloud: GPU machine types",
  "cloud",
  "https://huggingface.co/spaces/Elfsong/gcp_allocator (copy of the Compute Engine GPU table)",
];
const V100_PAGE: Cite = [
  "https://www.nvidia.com/en-us/data-center/v100/",
  "NVIDIA V100 Tensor Core GPU",
  "vendor",
  "https://www.io-tech.fi (V100: 16 GB HBM2, 900 GB/s)",
];
const V100_TC: Cite = [
  "https://developer.nvidia.com/programming-tensor-cores-cuda-9-0",
  "NVIDIA Developer: Programming Tensor Cores in CUDA 9 (V100: up to 125 Tensor TFLOPS)",
  "vendor",
];
const A10_PAGE: Cite = [
  "https://www.nvidia.com/en-us/data-center/products/a10-gpu/",
  "NVIDIA A10 Tensor Core GPU",
  "vendor",
  "https://www.nucleusbox.com/choose-gpu-for-llms-t4-a10-a100 (A10: 24 GB, 600 GB/s, 125 TFLOPS FP16)",
];
const AWS_G5: Cite = [
  "https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html",
  "AWS Batch User Guide: GPU jobs (g5.xlarge: 1 GPU, 24 GiB GPU memory)",
  "cloud",
];
const BASETEN_A10G: Cite = [
  "https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/",
  "Baseten: NVIDIA A10 vs A10G for ML model inference",
  "third-party",
];
const SMI_A10G = 'nvidia-smi samples in public repositories: "NVIDIA A10G, 8.6"';
const L4_PAGE: Cite = [
  "https://www.nvidia.com/en-us/data-center/l4/",
  "NVIDIA L4 Tensor Core GPU",
  "vendor",
  "https://www.yobitel.com/knowledge-base/nvidia-l4 and grokipedia NVIDIA L4 vs L40S (copies of the spec table)",
];
const L40S_DS: Cite = [
  "https://www.nvidia.com/en-us/data-center/l40s/",
  "NVIDIA L40S GPU (datasheet)",
  "vendor",
  "https://www.mullet.se/product.html?product_id=355414 (copy of the L40/L40S spec table)",
];
const A100_DS: Cite = [
  "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
  "NVIDIA A100 Tensor Core GPU datasheet",
  "vendor",
  "https://glennklockwood.com/garden/processors/A100 (table from this datasheet)",
];
const H100_PAGE: Cite = [
  "https://www.nvidia.com/en-us/data-center/h100/",
  "NVIDIA H100 Tensor Core GPU",
  "vendor",
  "https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html (copy of the SXM/PCIe spec table)",
];
const H200_PAGE: Cite = [
  "https://www.nvidia.com/en-us/data-center/h200/",
  "NVIDIA H200 Tensor Core GPU",
  "vendor",
  "https://lzwjava.github.io/nvidia-h200-gpu-specs-en and ai-hpc.github.io 8x-H200 (copies of the spec table)",
];
const DGX_B200: Cite = [
  "https://www.nvidia.com/en-us/data-center/dgx-b200/",
  "NVIDIA DGX B200",
  "vendor",
  "https://brent-newsom-nvidia.github.io/AIPS-Boom/wiki/NVIDIA-DGX-B200 (copy of the spec table)",
];
const HGX: Cite = [
  "https://www.nvidia.com/en-us/data-center/hgx/",
  "NVIDIA HGX Platform (HGX B300 / HGX B200 specifications)",
  "vendor",
  "https://fibermall.com/blog/?p=17161 and glennklockwood.com B200/B300 (copies of the HGX table)",
];
const GB300: Cite = [
  "https://www.nvidia.com/en-us/data-center/gb300-nvl72/",
  "NVIDIA GB300 NVL72 (72 GPUs, 576 TB/s HBM bandwidth)",
  "vendor",
  "https://glennklockwood.com/garden/processors/B300",
];
const MI300X_PAGE: Cite = [
  "https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html",
  "AMD Instinct MI300X Accelerator",
  "vendor",
  "https://github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md (AMD figures: 192 GB, 5.3 TB/s, BF16 1307.4, FP8 2614.9 dense)",
];
const ROCM_SPECS: Cite = [
  "https://rocm.docs.amd.com/en/latest/reference/gpu-specs.html",
  "ROCm: AMD GPU specifications (LLVM target gfx942 = CDNA3 MI300 series)",
  "vendor",
];
const MEMORY_BW: readonly SpecField[] = ["memoryGB", "memoryBandwidthGBps"];
const TENSOR16: readonly SpecField[] = ["denseBf16Tflops", "denseFp16Tflops"];
const CC: readonly SpecField[] = ["computeCapability"];

/** Shared by the H100 row and the GCP a3-megagpu row (same silicon). */
const H100_FIGURES = {
  vendor: "nvidia",
  architecture: "hopper",
  memoryGB: 80,
  memoryBandwidthGBps: 3350,
  // NVIDIA prints 1,979 (BF16/FP16) and 3,958 (FP8, INT8) TFLOPS for H100 SXM only with sparsity; halved.
  denseBf16Tflops: 989.5,
  denseFp16Tflops: 989.5,
  denseFp8Tflops: 1979,
  int8Tops: 1979,
  computeCapability: "9.0",
} as const;

/** Every GPU type the catalog knows, one row each. */
export const GPU_SPECS: readonly GpuSpec[] = [
  {
    name: "T4",
    vendor: "nvidia",
    architecture: "turing",
    memoryGB: 16,
    memoryBandwidthGBps: 320,
    // Turing has no BF16 or FP8 and no structured sparsity: the 65 TFLOPS FP16 figure is dense.
    denseBf16Tflops: null,
    denseFp16Tflops: 65,
    denseFp8Tflops: null,
    int8Tops: 130,
    computeCapability: "7.5",
    sources: [
      ...cite(["memoryGB", "denseFp16Tflops", "int8Tops"], T4_DS),
      ...cite(["memoryBandwidthGBps"], GCP_GPUS),
      ...cite(CC, CUDA_GPUS),
    ],
    note: "NVIDIA's datasheet states the bandwidth as \"320+ GB/s\"; Google's GPU table states 320 GBps.",
    checked: SPECS_CHECKED,
  },
  {
    name: "V100",
    vendor: "nvidia",
    architecture: "volta",
    memoryGB: 16,
    memoryBandwidthGBps: 900,
    // Volta has no BF16, FP8 or sparsity; 125 TFLOPS is the SXM2 tensor (FP16) peak.
    denseBf16Tflops: null,
    denseFp16Tflops: 125,
    denseFp8Tflops: null,
    computeCapability: "7.0",
    sources: [...cite(MEMORY_BW, V100_PAGE), ...cite(["denseFp16Tflops"], V100_TC), ...cite(CC, CUDA_LEGACY)],
    note: "16 GB SXM2 (AWS p3, GCP). The PCIe card (Azure NCv3) peaks at 112 tensor TFLOPS per NVIDIA.",
    checked: SPECS_CHECKED,
  },
  {
    name: "V100-32GB",
    vendor: "nvidia",
    architecture: "volta",
    memoryGB: 32,
    memoryBandwidthGBps: 900,
    denseBf16Tflops: null,
    denseFp16Tflops: 125,
    denseFp8Tflops: null,
    computeCapability: "7.0",
    sources: [...cite(MEMORY_BW, V100_PAGE), ...cite(["denseFp16Tflops"], V100_TC), ...cite(CC, CUDA_LEGACY)],
    note: "32 GB SXM2 (AWS p3dn, Azure NDv2); same 900 GB/s as the 16 GB part.",
    checked: SPECS_CHECKED,
  },
  {
    name: "A10",
    vendor: "nvidia",
    architecture: "ampere",
    memoryGB: 24,
    memoryBandwidthGBps: 600,
    // NVIDIA prints "125 | 250*" (BF16 and FP16): 125 is the dense figure. Ampere has no FP8.
    denseBf16Tflops: 125,
    denseFp16Tflops: 125,
    denseFp8Tflops: null,
    computeCapability: "8.6",
    sources: [...cite([...MEMORY_BW, ...TENSOR16], A10_PAGE), ...cite(CC, CUDA_GPUS)],
    checked: SPECS_CHECKED,
  },
  {
    name: "A10G",
    vendor: "nvidia",
    architecture: "ampere",
    memoryGB: 24,
    memoryBandwidthGBps: 600,
    denseBf16Tflops: null,
    denseFp16Tflops: null,
    denseFp8Tflops: null,
    computeCapability: "8.6",
    sources: [
      ...cite(["memoryGB"], AWS_G5),
      ...cite(["memoryBandwidthGBps"], BASETEN_A10G),
      ...cite(CC, [CUDA_GPUS[0], `${CUDA_GPUS[1]} (lists the A10 at 8.6; the A10G is not listed)`, "vendor", SMI_A10G]),
    ],
    note:
      "AWS-only GA102 variant of the A10 (EC2 G5). Neither AWS nor NVIDIA publishes its bandwidth or tensor TFLOPS: " +
      "600 GB/s is from a third-party comparison (Baseten), BF16/FP16 TFLOPS are unknown (null), not absent — " +
      "the A10G does run BF16 (compute capability 8.6). Ampere has no FP8.",
    checked: SPECS_CHECKED,
  },
  {
    name: "L4",
    vendor: "nvidia",
    architecture: "ada",
    memoryGB: 24,
    memoryBandwidthGBps: 300,
    // NVIDIA prints only sparse figures: 242 (BF16/FP16), 485 (FP8), 485 TOPS (INT8); halved.
    denseBf16Tflops: 121,
    denseFp16Tflops: 121,
    denseFp8Tflops: 242.5,
    int8Tops: 242.5,
    computeCapability: "8.9",
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "denseFp8Tflops", "int8Tops"], L4_PAGE), ...cite(CC, CUDA_GPUS)],
    checked: SPECS_CHECKED,
  },
  {
    name: "L40S",
    vendor: "nvidia",
    architecture: "ada",
    memoryGB: 48,
    memoryBandwidthGBps: 864,
    // The datasheet gives dense and sparse: BF16/FP16 362.05 | 733*, FP8 733 | 1,466*.
    denseBf16Tflops: 362.05,
    denseFp16Tflops: 362.05,
    denseFp8Tflops: 733,
    computeCapability: "8.9",
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "denseFp8Tflops"], L40S_DS), ...cite(CC, CUDA_GPUS)],
    checked: SPECS_CHECKED,
  },
  {
    name: "A100",
    vendor: "nvidia",
    architecture: "ampere",
    memoryGB: 40,
    memoryBandwidthGBps: 1555,
    // The datasheet gives "312 | 624*" (BF16/FP16) and "624 | 1,248*" TOPS (INT8): dense figures first.
    denseBf16Tflops: 312,
    denseFp16Tflops: 312,
    denseFp8Tflops: null,
    int8Tops: 624,
    computeCapability: "8.0",
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "int8Tops"], A100_DS), ...cite(CC, CUDA_GPUS)],
    note: "40 GB HBM2; 1,555 GB/s for both the SXM4 and PCIe 40 GB cards.",
    checked: SPECS_CHECKED,
  },
  {
    name: "A100-80GB",
    vendor: "nvidia",
    architecture: "ampere",
    memoryGB: 80,
    memoryBandwidthGBps: 2039,
    denseBf16Tflops: 312,
    denseFp16Tflops: 312,
    denseFp8Tflops: null,
    int8Tops: 624,
    computeCapability: "8.0",
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "int8Tops"], A100_DS), ...cite(CC, CUDA_GPUS)],
    note:
      "SXM4 80 GB HBM2e (AWS p4de, GCP a2-ultragpu, Azure NDm A100 v4): 2,039 GB/s. The PCIe 80 GB card " +
      "is 1,935 GB/s; Google's GPU table rounds its A100 80GB to 1.9 TBps.",
    checked: SPECS_CHECKED,
  },
  {
    name: "H100",
    ...H100_FIGURES,
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "denseFp8Tflops", "int8Tops"], H100_PAGE), ...cite(CC, CUDA_GPUS)],
    note:
      "H100 SXM5 80 GB HBM3, as AWS p5, GCP a3-highgpu and Azure ND H100 v5 sell it. The PCIe card is slower " +
      "(2,000 GB/s; 1,513 BF16 / 3,026 FP8 TFLOPS sparse, so 756.5 / 1,513 dense).",
    checked: SPECS_CHECKED,
  },
  {
    name: "H100-MEGA",
    ...H100_FIGURES,
    sources: [
      ...cite([...MEMORY_BW, ...TENSOR16, "denseFp8Tflops", "int8Tops"], H100_PAGE),
      ...cite(MEMORY_BW, GCP_GPUS),
      ...cite(CC, CUDA_GPUS),
    ],
    note: 'GCP a3-megagpu: the same H100 SXM 80 GB GPU as "H100"; only the host networking differs.',
    checked: SPECS_CHECKED,
  },
  {
    name: "H200",
    vendor: "nvidia",
    architecture: "hopper",
    memoryGB: 141,
    memoryBandwidthGBps: 4800,
    // NVIDIA prints 1,979 (BF16/FP16) and 3,958 (FP8) TFLOPS only with sparsity; halved.
    denseBf16Tflops: 989.5,
    denseFp16Tflops: 989.5,
    denseFp8Tflops: 1979,
    computeCapability: "9.0",
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "denseFp8Tflops"], H200_PAGE), ...cite(CC, CUDA_GPUS)],
    note: "H200 SXM 141 GB HBM3e. Same compute as H100 SXM; more and faster memory.",
    checked: SPECS_CHECKED,
  },
  {
    name: "B200",
    vendor: "nvidia",
    architecture: "blackwell",
    memoryGB: 180,
    memoryBandwidthGBps: 8000,
    // Per GPU from 8-GPU system figures: DGX B200 1,440 GB and 64 TB/s; HGX B200 FP8 72 PFLOPS*,
    // BF16/FP16 36 PFLOPS*, INT8 72 POPS* (all with sparsity): divided by 8 and halved.
    denseBf16Tflops: 2250,
    denseFp16Tflops: 2250,
    denseFp8Tflops: 4500,
    int8Tops: 4500,
    computeCapability: "10.0",
    sources: [
      ...cite(MEMORY_BW, DGX_B200),
      ...cite([...TENSOR16, "denseFp8Tflops", "int8Tops"], HGX),
      ...cite(CC, CUDA_GPUS),
    ],
    note:
      "HGX/DGX B200 at 1,000 W. NVIDIA states memory per 8-GPU system (1,440 GB); launch material said 192 GB " +
      "per GPU, shipping boards expose 180 GB. GB200 (1,200 W) is faster and not this row.",
    checked: SPECS_CHECKED,
  },
  {
    name: "B300",
    vendor: "nvidia",
    architecture: "blackwell",
    memoryGB: 288,
    memoryBandwidthGBps: 8000,
    // Per GPU from HGX B300 (8 GPUs): up to 2.3 TB; FP8 72 PFLOPS*, BF16/FP16 36 PFLOPS*, INT8 2 POPS*
    // (with sparsity): divided by 8 and halved. Bandwidth: GB300 NVL72 576 TB/s over 72 GPUs.
    denseBf16Tflops: 2250,
    denseFp16Tflops: 2250,
    denseFp8Tflops: 4500,
    int8Tops: 125,
    computeCapability: "10.3",
    sources: [
      ...cite(["memoryGB", ...TENSOR16, "denseFp8Tflops", "int8Tops"], HGX),
      ...cite(["memoryBandwidthGBps"], GB300),
      ...cite(CC, CUDA_GPUS),
    ],
    note:
      'Blackwell Ultra, 288 GB HBM3e per GPU (HGX B300 "up to 2.3 TB" for 8). INT8 tensor throughput is cut ' +
      "to 2 POPS (sparse) per HGX board. A third-party page claims ~7,000 FP8 / ~3,500 BF16 dense; NVIDIA's " +
      "HGX table does not support it, so the HGX figures are used.",
    checked: SPECS_CHECKED,
  },
  {
    name: "MI300X",
    vendor: "amd",
    architecture: "cdna3",
    memoryGB: 192,
    memoryBandwidthGBps: 5300,
    // AMD states dense and sparse: FP16/BF16 1,307.4 (2,614.9 sparse), FP8 2,614.9 (5,229.8 sparse).
    denseBf16Tflops: 1307.4,
    denseFp16Tflops: 1307.4,
    denseFp8Tflops: 2614.9,
    computeCapability: null,
    gfxArch: "gfx942",
    sources: [...cite([...MEMORY_BW, ...TENSOR16, "denseFp8Tflops"], MI300X_PAGE), ...cite(["gfxArch"], ROCM_SPECS)],
    note: "CDNA3 OAM module, 192 GB HBM3, 750 W. FP8 here is the FNUZ variant (e4m3fnuz), not OCP e4m3.",
    checked: SPECS_CHECKED,
  },
];
