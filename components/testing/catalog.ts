/**
 * Test support (not a test file): a small, fixed price catalog so component tests do not move
 * when the shipped catalog is refreshed. Prices are approximate on-demand/spot list prices
 * (AWS/GCP/Azure pricing pages, 2026) — fixture data, not for quoting.
 */
import type { Catalog, GpuOffer } from "../../platform/core/pricing/types";
import type { Cloud, GpuType } from "../../platform/core/types";

function offer(
  cloud: Cloud,
  region: string,
  instanceType: string,
  gpuType: GpuType,
  gpuCount: number,
  gpuMemoryGiB: number,
  onDemand: number,
  spot: number | null,
): GpuOffer {
  return {
    cloud,
    region,
    instanceType,
    gpuType,
    gpuCount,
    gpuMemoryGiB,
    vcpus: 4 * gpuCount,
    memoryGiB: 16 * gpuCount,
    onDemandHourlyUsd: onDemand,
    spotHourlyUsd: spot,
    source: "test fixture",
    asOf: "2026-11-01",
  };
}

export function testCatalog(): Catalog {
  return {
    version: "test.1",
    asOf: "2026-11-01",
    gpuOffers: [
      offer("aws", "us-east-1", "g4dn.xlarge", "T4", 1, 16, 0.526, 0.21),
      offer("aws", "us-east-1", "g4dn.12xlarge", "T4", 4, 16, 3.912, 1.6),
      offer("aws", "us-east-1", "g6.xlarge", "L4", 1, 24, 0.805, 0.32),
      offer("aws", "us-east-1", "g5.xlarge", "A10G", 1, 24, 1.006, 0.4),
      offer("aws", "us-east-1", "p5.48xlarge", "H100", 8, 80, 55.04, 30.0),
      offer("aws", "us-west-2", "g6.2xlarge", "L4", 1, 24, 0.978, 0.39),
      offer("gcp", "us-central1", "n1-standard-4", "T4", 1, 16, 0.54, 0.2),
      offer("gcp", "us-central1", "g2-standard-4", "L4", 1, 24, 0.707, 0.28),
      offer("gcp", "us-central1", "a2-highgpu-1g", "A100", 1, 40, 3.67, 1.47),
      offer("gcp", "us-central1", "a2-ultragpu-1g", "A100-80GB", 1, 80, 5.07, 2.0),
      offer("gcp", "us-central1", "a3-highgpu-8g", "H100", 8, 80, 88.25, 40.0),
      offer("azure", "eastus", "Standard_NC4as_T4_v3", "T4", 1, 16, 0.526, 0.2),
      offer("azure", "eastus", "Standard_NC24ads_A100_v4", "A100-80GB", 1, 80, 3.673, null),
      offer("azure", "westeurope", "Standard_NC40ads_H100_v5", "H100", 1, 94, 6.98, 2.8),
    ],
    serverless: [],
    storage: [],
    controlPlanes: [],
  };
}
