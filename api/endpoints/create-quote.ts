/**
 * `POST /v1/quotes`: the optimizer over HTTP — the same request and answer as `modelplane quote`.
 * An infeasible request is still a 200: the answer's `infeasible` says which constraint excluded
 * what and what would fit (a quote is advice; POST /v1/deployments answers 422 instead).
 */
import { z } from "zod";
import { quote } from "../../platform/core/optimizer";
import { QuoteRequestSchema } from "../../platform/core/optimizer/schema";
import { defineEndpoint } from "../endpoint";
import { PlacementSchema } from "../schemas";

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
    placements: z.array(PlacementSchema).meta({ description: "Feasible placements, cheapest first" }),
    feasibleCount: z.number().int(),
    catalog: z.object({ version: z.string(), asOf: z.string(), ageDays: z.number() }),
    warnings: z.array(z.string()),
    infeasible: z
      .object({
        message: z.string(),
        requiredGiB: z.number(),
        constraints: z.array(z.string()),
        relax: z.array(z.string()),
        cheapestFit: PlacementSchema.nullable(),
      })
      .optional(),
  })
  .meta({ id: "Quote" });

export const createQuote = defineEndpoint({
  method: "post",
  path: "/v1/quotes",
  summary: "Quote a model: GPU memory needed and the cheapest feasible placements across clouds",
  tags: ["quotes"],
  role: "viewer",
  body: QuoteRequestSchema,
  responses: {
    200: { description: "The quote (check `infeasible` when `placements` is empty)", schema: QuoteResponseSchema },
  },
  async handle({ body, deps, now }) {
    return { status: 200, body: quote(body, deps.catalog, { now: now() }) };
  },
});
