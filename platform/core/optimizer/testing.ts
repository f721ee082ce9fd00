/**
 * Test support for the optimizer's tests (not a test file): small hand-made catalogs of H100 nodes
 * with chosen prices, and a small model any of them holds.
 */
import { defaultCatalog } from "../pricing/catalog";
import type { Catalog, GpuOffer, ServerlessOffer, StoragePrice } from "../pricing/types";
import type { Placement } from "../placement";
import type { Cloud } from "../types";
import { parseQuoteRequest, type QuoteRequest, type QuoteRequestInput } from "./schema";
import type { ScopedCandidate } from "./scope";
import type { Workload } from "../performance/model";

export const shipped = defaultCatalog();
/** One day after the hand-made catalogs' as-of date. */
export const now = new Date("2026-11-21T00:00:00Z");
const SMALL_ARCH = { layers: 2, kvHeads: 1, headDim: 64 };

/** An H100 node in region r1 (80 GiB, holds the small model) with these prices. */
export function offer(
  cloud: Cloud,
  instanceType: string,
  onDemand: number,
  spot: number | null = null,
  extra: Partial<GpuOffer> = {},
): GpuOffer {
  return {
    ...shipped.gpuOffers[0]!,
    cloud,
    region: "r1",
    instanceType,
    gpuType: "H100",
    gpuCount: 1,
    gpuMemoryGiB: 80,
    onDemandHourlyUsd: onDemand,
    spotHourlyUsd: spot,
    ...extra,
  };
}

/** A catalog of these offers, as of 2026-11-20. */
export function tiny(
  gpuOffers: GpuOffer[],
  more: { serverless?: ServerlessOffer[]; storage?: StoragePrice[] } = {},
): Catalog {
  return {
    version: "t",
    asOf: "2026-11-20",
    gpuOffers,
    serverless: more.serverless ?? [],
    storage: more.storage ?? [],
    controlPlanes: [],
  };
}

/** A 1B bf16 model with its architecture given (no estimate warning); any GPU here holds it. */
export function request(over: Partial<QuoteRequestInput> = {}): QuoteRequest {
  return parseQuoteRequest({
    model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 1024, architecture: SMALL_ARCH },
    ...over,
  });
}

/** `instanceType:capacity` of each placement, in order. */
export const names = (ps: readonly Placement[]): string[] => ps.map((p) => `${p.instanceType}:${p.capacity}`);

/** A scoped candidate for the exact tests of the scan's parts: one on-demand H100 node in aws us-east-1 at $1/h, unless `over` says otherwise. */
export const scopedCandidate = (over: Partial<ScopedCandidate>): ScopedCandidate => ({
  cloud: "aws",
  region: "us-east-1",
  instanceType: "i",
  gpuType: "H100",
  gpuCount: 1,
  gpuMemoryGiB: 80,
  holdsGiB: 80,
  capacity: "on-demand",
  unit: 1,
  onDemandUnit: null,
  key: "k",
  where: "aws|us-east-1",
  whereIndex: 0,
  maxNodes: Number.POSITIVE_INFINITY,
  ...over,
});

/** An 8B bf16 model of Llama-3.1-8B's shape, for the workload-sizing tests. */
export const ARCH_8B = { layers: 32, kvHeads: 8, headDim: 128 };
export const MODEL_8B = {
  name: "m8",
  parametersBillions: 8,
  precision: "bf16",
  contextTokens: 8192,
  architecture: ARCH_8B,
} as const;
/** 20 req/s of short requests, no latency objective: on MODEL_8B, 1×A100 needs 2 replicas, 2×A100 one. */
export const BUSY_WORKLOAD: Workload = { requestsPerSecond: 20, inputTokens: 500, outputTokens: 200 };
