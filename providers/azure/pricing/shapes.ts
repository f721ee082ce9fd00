/**
 * Azure GPU VM sizes (public facts from the Azure "Sizes for virtual machines" documentation:
 * NCasT4_v3, NVadsA10_v5, NC_A100_v4, NDasrA100_v4, NDm_A100_v4, NCads_H100_v5, ND_H100_v5).
 * Used to repair wrong GPU counts in imported rows and to map Retail Prices API items to shapes.
 */
import type { GpuType } from "../../../platform/core/types";

export interface AzureShape {
  gpuType: GpuType;
  gpuCount: number;
  vcpus: number;
  memoryGiB: number;
}

export const AZURE_SHAPES: Readonly<Record<string, AzureShape>> = {
  Standard_NC4as_T4_v3: { gpuType: "T4", gpuCount: 1, vcpus: 4, memoryGiB: 28 },
  Standard_NC8as_T4_v3: { gpuType: "T4", gpuCount: 1, vcpus: 8, memoryGiB: 56 },
  Standard_NC16as_T4_v3: { gpuType: "T4", gpuCount: 1, vcpus: 16, memoryGiB: 110 },
  Standard_NC64as_T4_v3: { gpuType: "T4", gpuCount: 4, vcpus: 64, memoryGiB: 440 },
  Standard_NV36ads_A10_v5: { gpuType: "A10", gpuCount: 1, vcpus: 36, memoryGiB: 440 },
  Standard_NV72ads_A10_v5: { gpuType: "A10", gpuCount: 2, vcpus: 72, memoryGiB: 880 },
  Standard_NC24ads_A100_v4: { gpuType: "A100-80GB", gpuCount: 1, vcpus: 24, memoryGiB: 220 },
  Standard_NC48ads_A100_v4: { gpuType: "A100-80GB", gpuCount: 2, vcpus: 48, memoryGiB: 440 },
  Standard_NC96ads_A100_v4: { gpuType: "A100-80GB", gpuCount: 4, vcpus: 96, memoryGiB: 880 },
  Standard_ND96asr_v4: { gpuType: "A100", gpuCount: 8, vcpus: 96, memoryGiB: 900 },
  Standard_ND96amsr_A100_v4: { gpuType: "A100-80GB", gpuCount: 8, vcpus: 96, memoryGiB: 1900 },
  Standard_NC40ads_H100_v5: { gpuType: "H100", gpuCount: 1, vcpus: 40, memoryGiB: 320 },
  Standard_NC80adis_H100_v5: { gpuType: "H100", gpuCount: 2, vcpus: 80, memoryGiB: 640 },
  Standard_ND96isr_H100_v5: { gpuType: "H100", gpuCount: 8, vcpus: 96, memoryGiB: 1900 },
};

/** SkyPilot's Azure accelerator names → our GPU types. */
export const AZURE_GPU_NAMES: Readonly<Record<string, GpuType>> = {
  T4: "T4",
  A10: "A10",
  A100: "A100",
  "A100-80GB": "A100-80GB",
  H100: "H100",
};
