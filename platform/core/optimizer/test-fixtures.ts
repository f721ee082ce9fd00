/**
 * Footprints for the optimizer's tests, built with `parseFootprint` the way the platform reads
 * them: the shipped Pulumi.dev.yaml (aws us-east-1, gcp us-central1, azure eastus, their pools and
 * serverless SKUs, a store per cloud), a two-region AWS platform, and a brought cluster.
 */
import { parseFootprint, type Footprint } from "../footprint";

const pool = (
  name: string,
  gpu: string,
  instanceType: string | undefined,
  capacity: "spot" | "on-demand",
  maxNodes: number,
  extra: Record<string, unknown> = {},
) => ({
  name,
  gpu,
  gpusPerNode: 1,
  ...(instanceType ? { instanceType } : {}),
  capacity,
  minNodes: 0,
  maxNodes,
  ...extra,
});

/** The shipped Pulumi.dev.yaml, as its footprint. */
export function devFootprint(): Footprint {
  return parseFootprint({
    source: { kind: "config", file: "Pulumi.dev.yaml" },
    clusters: [
      {
        cloud: "aws",
        region: "us-east-1",
        name: "aws-us-east-1",
        pools: [
          pool("l4", "L4", "g6.xlarge", "spot", 3),
          pool("l4-fallback", "L4", "g6.xlarge", "on-demand", 1),
          pool("a10g", "A10G", "g5.xlarge", "spot", 1),
        ],
      },
      {
        cloud: "gcp",
        region: "us-central1",
        name: "gcp-us-central1",
        pools: [
          pool("l4", "L4", "g2-standard-4", "spot", 2),
          pool("l4-fallback", "L4", "g2-standard-4", "on-demand", 2),
          pool("a100", "A100", "a2-highgpu-1g", "spot", 1),
        ],
        serverless: [{ product: "cloud-run", sku: "nvidia-l4" }],
      },
      {
        cloud: "azure",
        region: "eastus",
        name: "azure-eastus",
        pools: [
          pool("t4", "T4", "Standard_NC4as_T4_v3", "spot", 2),
          pool("t4-fallback", "T4", "Standard_NC4as_T4_v3", "on-demand", 2),
          pool("a100", "A100-80GB", "Standard_NC24ads_A100_v4", "spot", 1),
        ],
        serverless: [{ product: "container-apps", sku: "Consumption-GPU-NC8as-T4" }],
      },
    ],
    stores: [
      { cloud: "aws", region: "us-east-1" },
      { cloud: "gcp", region: "us-central1" },
      { cloud: "azure", region: "eastus" },
    ],
  });
}

/** Two AWS regions (us-east-1 and eu-west-1, the example) and us-east-2, one store in us-east-1. */
export function twoRegionAwsFootprint(): Footprint {
  return parseFootprint({
    source: { kind: "config", file: "two-region.yaml" },
    clusters: [
      { cloud: "aws", region: "us-east-1", name: "east", pools: [pool("l4", "L4", "g6.xlarge", "spot", 2)] },
      { cloud: "aws", region: "eu-west-1", name: "ireland", pools: [] },
      { cloud: "aws", region: "us-east-2", name: "ohio", pools: [], dedicatedPools: true },
    ],
    stores: [{ cloud: "aws", region: "us-east-1" }],
  });
}

/** A brought cluster with a priced pool and an unpriced one, beside a GCP cluster without dedicated pools. */
export function broughtFootprint(): Footprint {
  return parseFootprint({
    source: { kind: "config", file: "brought.yaml" },
    clusters: [
      {
        cloud: "kubernetes",
        region: "onprem-fra",
        name: "lab",
        pools: [
          pool("a100", "A100-80GB", undefined, "on-demand", 2, { nodeHourlyUsd: 1.5 }),
          pool("l4", "L4", undefined, "on-demand", 4),
        ],
        dedicatedPools: false,
      },
      {
        cloud: "gcp",
        region: "us-central1",
        name: "gcp",
        pools: [pool("l4", "L4", "g2-standard-4", "spot", 2)],
        dedicatedPools: false,
      },
    ],
  });
}

/**
 * Pools of multi-GPU nodes, whose replicas share a node: aws us-east-1 (4×L4, 8×A10G, 8×A100, with
 * dedicated pools), gcp us-central1 (2×L4, 4×A100, none), a brought cluster (8×A100-80GB, 4×L40S at
 * declared prices), one store in us-east-1.
 */
export function packedFootprint(): Footprint {
  return parseFootprint({
    source: { kind: "config", file: "packed.yaml" },
    clusters: [
      {
        cloud: "aws",
        region: "us-east-1",
        name: "aws",
        pools: [
          pool("l4x4", "L4", "g6.12xlarge", "spot", 1, { gpusPerNode: 4 }),
          pool("a10gx8", "A10G", "g5.48xlarge", "on-demand", 1, { gpusPerNode: 8 }),
          pool("a100x8", "A100", "p4d.24xlarge", "spot", 2, { gpusPerNode: 8 }),
        ],
      },
      {
        cloud: "gcp",
        region: "us-central1",
        name: "gcp",
        dedicatedPools: false,
        pools: [
          pool("l4x2", "L4", "g2-standard-24", "spot", 2, { gpusPerNode: 2 }),
          pool("a100x4", "A100", "a2-highgpu-4g", "on-demand", 1, { gpusPerNode: 4 }),
        ],
      },
      {
        cloud: "kubernetes",
        region: "onprem-fra",
        name: "lab",
        dedicatedPools: false,
        pools: [
          pool("a100", "A100-80GB", undefined, "on-demand", 1, { gpusPerNode: 8, nodeHourlyUsd: 12.5 }),
          pool("l40s", "L40S", undefined, "on-demand", 2, { gpusPerNode: 4, nodeHourlyUsd: 3 }),
        ],
      },
    ],
    stores: [{ cloud: "aws", region: "us-east-1" }],
  });
}
