/**
 * GCP machine shapes that carry GPUs (public facts from the Compute Engine "GPU machine types"
 * documentation). GCP bills a GPU VM as the host machine type plus its attached GPUs, so an offer
 * is host price + gpuCount × per-GPU price, both read for the same zone.
 */
import type { GpuType } from "../../../platform/core/types";

export interface GcpHostShape {
  machineType: string;
  gpuType: GpuType;
  gpuCount: number;
  vcpus: number;
  memoryGiB: number;
  /** Machine series prefix of its vCPU/RAM SKUs in the Cloud Billing catalog (e.g. `A2`, `G2`, `N1 Predefined`). */
  billingSeries: string;
  /** Sold only as Spot or Flex-start, not on-demand. */
  spotOnly?: true;
}

/**
 * Host machine per (GPU type, count). A3 High with 1, 2 or 4 GPUs is sold only as Spot or
 * Flex-start ("1g/2g/4g shapes are Spot/Flex-start only": tgarg01/silybench-data gpu_prices.csv,
 * from the Cloud Billing catalog, 2026-09-26; GCP "GPU machine types" documentation).
 * T4 attaches to N1; the other GPUs come with their machine type. G2 sizes 4/8/12/16/32 carry one
 * L4, 24 two, 48 four, 96 eight; a3-edgegpu-8g, a3-megagpu-8g 8 H100
 * 80 GB; a3-ultragpu-8g 8 H200 141 GB; a4-highgpu-8g 8 B200 (GCP "GPU machine types" documentation,
 * https://cloud.google.com/compute/docs/gpus, read 2026-12-01; vCPU and memory as SkyPilot's
 * gcp/vms.csv@006059e0 lists them).
 */
export const GCP_HOST_SHAPES: readonly GcpHostShape[] = [
  { machineType: "n1-highmem-4", gpuType: "T4", gpuCount: 1, vcpus: 4, memoryGiB: 26, billingSeries: "N1 Predefined" },
  { machineType: "n1-highmem-8", gpuType: "T4", gpuCount: 2, vcpus: 8, memoryGiB: 52, billingSeries: "N1 Predefined" },
  {
    machineType: "n1-highmem-16",
    gpuType: "T4",
    gpuCount: 4,
    vcpus: 16,
    memoryGiB: 104,
    billingSeries: "N1 Predefined",
  },
  { machineType: "g2-standard-4", gpuType: "L4", gpuCount: 1, vcpus: 4, memoryGiB: 16, billingSeries: "G2" },
  { machineType: "g2-standard-8", gpuType: "L4", gpuCount: 1, vcpus: 8, memoryGiB: 32, billingSeries: "G2" },
  { machineType: "g2-standard-12", gpuType: "L4", gpuCount: 1, vcpus: 12, memoryGiB: 48, billingSeries: "G2" },
  { machineType: "g2-standard-16", gpuType: "L4", gpuCount: 1, vcpus: 16, memoryGiB: 64, billingSeries: "G2" },
  { machineType: "g2-standard-32", gpuType: "L4", gpuCount: 1, vcpus: 32, memoryGiB: 128, billingSeries: "G2" },
  { machineType: "g2-standard-24", gpuType: "L4", gpuCount: 2, vcpus: 24, memoryGiB: 96, billingSeries: "G2" },
  { machineType: "g2-standard-48", gpuType: "L4", gpuCount: 4, vcpus: 48, memoryGiB: 192, billingSeries: "G2" },
  { machineType: "g2-standard-96", gpuType: "L4", gpuCount: 8, vcpus: 96, memoryGiB: 384, billingSeries: "G2" },
  { machineType: "a2-highgpu-1g", gpuType: "A100", gpuCount: 1, vcpus: 12, memoryGiB: 85, billingSeries: "A2" },
  { machineType: "a2-highgpu-2g", gpuType: "A100", gpuCount: 2, vcpus: 24, memoryGiB: 170, billingSeries: "A2" },
  { machineType: "a2-highgpu-4g", gpuType: "A100", gpuCount: 4, vcpus: 48, memoryGiB: 340, billingSeries: "A2" },
  { machineType: "a2-highgpu-8g", gpuType: "A100", gpuCount: 8, vcpus: 96, memoryGiB: 680, billingSeries: "A2" },
  { machineType: "a2-ultragpu-1g", gpuType: "A100-80GB", gpuCount: 1, vcpus: 12, memoryGiB: 170, billingSeries: "A2" },
  { machineType: "a2-ultragpu-2g", gpuType: "A100-80GB", gpuCount: 2, vcpus: 24, memoryGiB: 340, billingSeries: "A2" },
  { machineType: "a2-ultragpu-4g", gpuType: "A100-80GB", gpuCount: 4, vcpus: 48, memoryGiB: 680, billingSeries: "A2" },
  { machineType: "a2-ultragpu-8g", gpuType: "A100-80GB", gpuCount: 8, vcpus: 96, memoryGiB: 1360, billingSeries: "A2" },
  {
    machineType: "a3-highgpu-1g",
    gpuType: "H100",
    gpuCount: 1,
    vcpus: 26,
    memoryGiB: 234,
    billingSeries: "A3",
    spotOnly: true,
  },
  {
    machineType: "a3-highgpu-2g",
    gpuType: "H100",
    gpuCount: 2,
    vcpus: 52,
    memoryGiB: 468,
    billingSeries: "A3",
    spotOnly: true,
  },
  {
    machineType: "a3-highgpu-4g",
    gpuType: "H100",
    gpuCount: 4,
    vcpus: 104,
    memoryGiB: 936,
    billingSeries: "A3",
    spotOnly: true,
  },
  { machineType: "a3-highgpu-8g", gpuType: "H100", gpuCount: 8, vcpus: 208, memoryGiB: 1872, billingSeries: "A3" },
  { machineType: "a3-edgegpu-8g", gpuType: "H100", gpuCount: 8, vcpus: 208, memoryGiB: 1872, billingSeries: "A3" },
  // A3 Mega (H100 with more GPU networking), A3 Ultra (H200) and A4 (B200): priced in SkyPilot's
  // file as host rows plus the accelerator's own GPU rows (`H100-MEGA`, `H200`, `B200`).
  {
    machineType: "a3-megagpu-8g",
    gpuType: "H100-MEGA",
    gpuCount: 8,
    vcpus: 208,
    memoryGiB: 1872,
    billingSeries: "A3Mega",
  },
  {
    machineType: "a3-ultragpu-8g",
    gpuType: "H200",
    gpuCount: 8,
    vcpus: 224,
    memoryGiB: 2952,
    billingSeries: "A3Ultra",
  },
  { machineType: "a4-highgpu-8g", gpuType: "B200", gpuCount: 8, vcpus: 224, memoryGiB: 3968, billingSeries: "A4" },
];

/** SkyPilot's GCP accelerator names → our GPU types. */
export const GCP_GPU_NAMES: Readonly<Record<string, GpuType>> = {
  T4: "T4",
  L4: "L4",
  A100: "A100",
  "A100-80GB": "A100-80GB",
  H100: "H100",
};
