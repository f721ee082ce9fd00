/**
 * `POST /v1/quotes`: the optimizer over HTTP — the same request and answer as `modelplane quote`.
 * An infeasible request is still a 200: the answer's `infeasible` says which constraint excluded
 * what and what would fit (a quote is advice; POST /v1/deployments answers 422 instead).
 */
import { z } from "zod";
import { quote } from "../../platform/core/optimizer";
import { QUOTE_SCOPES, QuoteRequestSchema } from "../../platform/core/optimizer/schema";
import { CLOUDS } from "../../platform/core/types";
import { defineEndpoint } from "../endpoint";
import { PlacementSchema } from "../schemas";

const QuotedPlacementSchema = PlacementSchema.extend({
  cluster: z.string().optional().meta({ description: "The footprint cluster it lands on" }),
  pool: z
    .string()
    .optional()
    .meta({ description: "The existing platform pool it runs on (absent: a new dedicated pool)" }),
  atRestMonthlyUsd: z
    .number()
    .meta({ description: "Month with no traffic: nodes bill 730 h, serverless scales to zero" }),
  atMaxMonthlyUsd: z
    .number()
    .meta({ description: "Month with every replica running 24 h a day (the budget policy checks this)" }),
  weightsTransferUsd: z
    .number()
    .nullable()
    .optional()
    .meta({ description: "One copy of the weights from the nearest model store; null unpriced" }),
  usdPerMillionTokens: z.number().optional().meta({
    description:
      "Workload quotes: monthlyUsd over the month's tokens (prompt + completion, during the active hours), USD",
  }),
  predicted: z.object({ ttftMs: z.number(), tpotMs: z.number(), tokensPerSecond: z.number() }).optional().meta({
    description:
      "Workload quotes: the performance model's p95 TTFT and TPOT at `replicas`, and output tokens/s across them (docs/performance.md)",
  }),
  mix: z
    .array(
      z.object({
        cloud: z.string(),
        region: z.string(),
        instanceType: z.string(),
        gpuType: z.string(),
        gpuCount: z.number().int(),
        capacity: z.string(),
        unitHourlyUsd: z.number(),
        replicas: z.number().int(),
        loadRps: z
          .number()
          .meta({ description: "Requests/s this part carries; its route weight is this over the rate" }),
        predicted: z.object({ ttftMs: z.number(), tpotMs: z.number() }),
      }),
    )
    .optional()
    .meta({
      description:
        "workload.allowMix: the two GPU shapes of a mix placement (the placement's own shape fields are the first part's, its replicas and costs the mix's totals)",
    }),
  mixSaving: z
    .object({
      versus: z.object({
        cloud: z.string(),
        region: z.string(),
        instanceType: z.string(),
        gpuType: z.string(),
        replicas: z.number().int(),
        monthlyUsd: z.number(),
      }),
      monthlyUsd: z.number(),
      percent: z.number(),
    })
    .optional()
    .meta({ description: "workload.allowMix: what the mix saves against the cheapest single-type placement" }),
}).meta({ id: "QuotedPlacement" });

const ExpansionSchema = z
  .object({
    cloud: z.enum(CLOUDS),
    region: z.string(),
    instanceType: z.string(),
    gpuType: z.string(),
    gpuCount: z.number().int(),
    capacity: z.enum(["on-demand", "spot"]),
    monthlyUsd: z.number(),
    controlPlaneMonthlyUsd: z.number(),
    monthlySavingsUsd: z.number().nullable(),
    configEntry: z.object({
      cloud: z.enum(CLOUDS),
      region: z.string(),
      gpuPools: z.array(
        z.object({
          name: z.string(),
          gpu: z.string(),
          instanceType: z.string(),
          minNodes: z.number().int(),
          maxNodes: z.number().int(),
          spot: z.boolean(),
        }),
      ),
    }),
  })
  .meta({
    id: "Expansion",
    description: "A cheaper placement outside the footprint and the modelplane:clouds entry that adds it",
  });

const PoolOptionSchema = z.object({
  cluster: z.string(),
  pool: z.string(),
  cloud: z.string(),
  region: z.string(),
  gpuType: z.string(),
  gpuCount: z.number().int(),
  capacity: z.enum(["on-demand", "spot", "serverless"]),
  replicas: z.number().int(),
  nodeHourlyUsd: z.number().nullable(),
  hourlyUsd: z.number().nullable(),
  monthlyUsd: z.number().nullable(),
  note: z.string(),
});

const RequirementSchema = z.object({
  weightsGiB: z.number(),
  kvCacheGiB: z.number(),
  overheadGiB: z.number(),
  subtotalGiB: z.number(),
  utilization: z.number(),
  totalGiB: z.number(),
  architecture: z.object({ layers: z.number(), kvHeads: z.number(), headDim: z.number() }),
  kvEstimated: z.boolean(),
});

export const QuoteResponseSchema = z
  .object({
    request: QuoteRequestSchema,
    requirement: RequirementSchema,
    scope: z.enum(QUOTE_SCOPES),
    placements: z.array(QuotedPlacementSchema).meta({ description: "Feasible placements, cheapest per month first" }),
    feasibleCount: z.number().int(),
    footprint: z
      .object({ clusters: z.array(z.object({ cloud: z.string(), region: z.string(), name: z.string() })) })
      .optional(),
    expansions: z
      .array(ExpansionSchema)
      .optional()
      .meta({ description: "Footprint quotes: up to 3 cheaper regions outside it" }),
    pools: z
      .array(PoolOptionSchema)
      .optional()
      .meta({ description: "Footprint quotes: fitting pools on brought clusters or without a price" }),
    policy: z
      .object({
        environment: z.string(),
        source: z.string(),
        shapedBy: z.array(z.object({ policy: z.string(), excluded: z.number().int(), rule: z.string() })),
      })
      .optional()
      .meta({ description: "Which policies left placements out" }),
    catalog: z.object({ version: z.string(), asOf: z.string(), ageDays: z.number() }),
    warnings: z.array(z.string()),
    excluded: z
      .array(
        z.object({
          cloud: z.string(),
          region: z.string(),
          instanceType: z.string(),
          capacity: z.enum(["on-demand", "spot", "serverless"]),
          code: z.string(),
          providerCode: z.string(),
          failedAt: z.string(),
          until: z.string(),
          reason: z.string(),
        }),
      )
      .optional()
      .meta({
        description:
          "Placements skipped after a recent capacity or quota failure (remembered 6 h by default), with the reason",
      }),
    infeasible: z
      .object({
        message: z.string(),
        requiredGiB: z.number(),
        constraints: z.array(z.string()),
        relax: z.array(z.string()),
        cheapestFit: PlacementSchema.nullable(),
        precisionRules: z
          .array(z.string())
          .optional()
          .meta({ description: "The vLLM precision rules that excluded every GPU in scope" }),
        workload: z
          .array(z.object({ field: z.string(), bestAchievable: z.number(), shape: z.string() }))
          .optional()
          .meta({ description: "Workload quotes: each field no offer meets and the best value reached" }),
      })
      .optional(),
  })
  .meta({ id: "Quote" });

export const createQuote = defineEndpoint({
  method: "post",
  path: "/v1/quotes",
  summary:
    "Quote a model: GPU memory needed and the cheapest feasible placements per month, inside the platform's footprint by default, within policy",
  tags: ["quotes"],
  role: "viewer",
  body: QuoteRequestSchema,
  responses: {
    200: { description: "The quote (check `infeasible` when `placements` is empty)", schema: QuoteResponseSchema },
    503: {
      description:
        "Too many quotes in progress (`code: busy`), or the quote worker stopped; nothing was done, retry after `Retry-After` seconds",
    },
  },
  async handle({ body, deps, now }) {
    const at = now();
    const exclude = (await deps.controlPlane.placementExclusions?.(at)) ?? [];
    const options = {
      now: at,
      ...(exclude.length > 0 ? { exclude } : {}),
      ...(deps.policies ? { policy: deps.policies.for(body.environment ?? "dev") } : {}),
    };
    // Off the event loop when a quote pool is given (serve): a large request must not hold up others.
    const result = deps.quotes
      ? await deps.quotes.quote(body, options)
      : quote(body, deps.catalog, { ...options, ...(deps.footprint ? { footprint: deps.footprint } : {}) });
    return { status: 200, body: result };
  },
});
