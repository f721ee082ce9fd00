/**
 * GPU rules: `allowed-gpu-types` and `max-gpu-nodes` (per pool and per stack), and
 * `spot-required-outside-production` (GPU pools outside production must be spot unless tagged).
 */
import { z } from "zod";
import { GPU_TYPES } from "../../platform/core/types";
import { gpuSpec } from "../../platform/core/gpu-specs";
import { findServerlessOffer } from "../../platform/core/pricing/lookup";
import type { GpuCapacityFacts } from "../../platform/core/resources/types";
import {
  forEnvironment,
  notAllowedIn,
  perEnvironment,
  productionEnvironments,
  subject,
  type PolicyRecord,
  type ResourceRule,
  type RuleContext,
  type StackRule,
} from "./rule";

const gpuList = z.array(z.string().min(1));

/** Flagship generations (Hopper, Blackwell, CDNA3): production-only unless the policy config says otherwise. */
const FLAGSHIP_ARCHITECTURES: readonly string[] = ["hopper", "blackwell", "cdna3"];
const isFlagship = (g: string): boolean => FLAGSHIP_ARCHITECTURES.includes(gpuSpec(g)?.architecture ?? "");

const allowedGpuConfig = z.object({
  gpuTypes: perEnvironment(gpuList, {
    default: GPU_TYPES.filter((g) => !isFlagship(g)),
    production: [...GPU_TYPES],
  }).describe(`GPU types allowed per environment (names as in the catalog: ${GPU_TYPES.join(", ")})`),
});

/** The GPU type a resource runs: a GPU pool's, or a serverless endpoint's offer's. */
function gpuTypeOf(record: PolicyRecord, ctx: RuleContext): { gpuType: string; where: string } | undefined {
  const gpu = ctx.gpuOf(record);
  if (gpu) return { gpuType: gpu.gpuType, where: `${gpu.gpusPerNode} × ${gpu.gpuType} per ${gpu.instanceType} node` };
  const cost = ctx.factsOf(record).cost;
  if (cost.kind !== "serverless" || !cost.sku) return undefined;
  const region = cost.region ?? ctx.cost.defaultRegions?.[cost.cloud];
  const offer =
    region !== undefined
      ? findServerlessOffer(ctx.catalog, { cloud: cost.cloud, region, sku: cost.sku })
      : ctx.catalog.serverless.find((o) => o.cloud === cost.cloud && o.sku === cost.sku);
  return offer ? { gpuType: offer.gpuType, where: `${cost.product} ${cost.sku}` } : undefined;
}

export const allowedGpuTypesRule: ResourceRule<typeof allowedGpuConfig> = {
  kind: "resource",
  name: "allowed-gpu-types",
  description: "GPU node pools and serverless GPU endpoints may only use the environment's allowed GPU types.",
  enforcementLevel: "mandatory",
  config: allowedGpuConfig,
  check(record, config, ctx) {
    const allowed = forEnvironment(config.gpuTypes, ctx.environment);
    const gpu = gpuTypeOf(record, ctx);
    if (!allowed || !gpu || allowed.includes(gpu.gpuType)) return [];
    return [
      `${subject(record)} uses ${gpu.gpuType} (${gpu.where}), ${notAllowedIn(ctx.environment, allowed, "allowed-gpu-types.gpuTypes")}`,
    ];
  },
};

const spotConfig = z.object({
  productionEnvironments: productionEnvironments("Environments where on-demand GPU pools are fine"),
  optOutTag: z
    .string()
    .min(1)
    .default("modelplane-allow-on-demand")
    .describe('Tag/label key that, set to "true" on a pool, allows on-demand outside production'),
});

export const spotRequiredRule: ResourceRule<typeof spotConfig> = {
  kind: "resource",
  name: "spot-required-outside-production",
  description: "GPU node pools outside production must buy spot capacity, unless tagged with the opt-out tag.",
  enforcementLevel: "mandatory",
  config: spotConfig,
  check(record, config, ctx) {
    if (config.productionEnvironments.includes(ctx.environment)) return [];
    const gpu = ctx.gpuOf(record);
    if (!gpu || gpu.spot) return [];
    const tags = ctx.factsOf(record).tags;
    if (tags?.values[config.optOutTag] === "true") return [];
    return [
      `${subject(record)} is an on-demand ${gpu.gpuType} pool in ${ctx.environment}; make it spot (${gpu.spotPath}) or tag it ${config.optOutTag}: "true"` +
        (tags ? ` (in ${tags.path})` : ""),
    ];
  },
};

const maxNodesConfig = z.object({
  maxNodesPerPool: perEnvironment(z.number().int().nonnegative(), { default: 4, staging: 8, production: 32 }).describe(
    "Most GPU nodes one pool may scale to, per environment",
  ),
  // dev 16: room for a small GPU pool plus its on-demand fallback on each of three clouds (the
  // shipped Pulumi.dev.yaml plans 15 nodes); production may grow to 64.
  maxNodesPerStack: perEnvironment(z.number().int().nonnegative(), {
    default: 16,
    staging: 16,
    production: 64,
  }).describe("Most GPU nodes all pools of a stack may scale to together, per environment"),
});

/** The most nodes a pool can reach: its maximum, else desired, else minimum. */
function ceilingOf(gpu: GpuCapacityFacts): number {
  return gpu.nodes.max ?? gpu.nodes.desired ?? gpu.nodes.min ?? 0;
}

export const maxGpuNodesRule: StackRule<typeof maxNodesConfig> = {
  kind: "stack",
  name: "max-gpu-nodes",
  description: "GPU node pools may not scale past the environment's per-pool and per-stack node limits.",
  enforcementLevel: "mandatory",
  config: maxNodesConfig,
  check(records, config, ctx) {
    const perPool = forEnvironment(config.maxNodesPerPool, ctx.environment);
    const perStack = forEnvironment(config.maxNodesPerStack, ctx.environment);
    const out: { message: string; resource?: PolicyRecord }[] = [];
    let total = 0;
    for (const record of records) {
      const gpu = ctx.gpuOf(record);
      if (!gpu) continue;
      const ceiling = ceilingOf(gpu);
      total += ceiling;
      if (perPool !== undefined && ceiling > perPool) {
        out.push({
          resource: record,
          message: `${subject(record)} can scale to ${ceiling} ${gpu.gpuType} nodes (${gpu.countPath}), above the ${ctx.environment} limit of ${perPool} per pool (max-gpu-nodes.maxNodesPerPool.${ctx.environment})`,
        });
      }
    }
    if (perStack !== undefined && total > perStack) {
      out.push({
        message: `the stack's GPU pools can scale to ${total} nodes together, above the ${ctx.environment} limit of ${perStack} (max-gpu-nodes.maxNodesPerStack.${ctx.environment})`,
      });
    }
    return out;
  },
};
