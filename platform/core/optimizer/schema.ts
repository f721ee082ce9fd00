/**
 * The quote request: one zod schema for the CLI (`modelplane quote FILE`) and the API
 * (`POST /v1/quotes`). Objects are strict, so a misspelt key is an error naming it, not ignored.
 */
import { z } from "zod";
import { enumListMax, MAX_CODE_LENGTH, MAX_REGIONS } from "../bounds";
import { PlacementCloudSchema } from "../schemas";
import { ScheduleSchema } from "../schedule";
import { CAPACITY_PREFERENCES, GPU_TYPES, PLACEMENT_CLOUDS, PRECISIONS } from "../types";
import { formatPath, parseOrThrow, ValidationError } from "../validation";

/** Where a quote looks: the platform's footprint, or the whole catalog. */
export const QUOTE_SCOPES = ["footprint", "anywhere"] as const;
export type QuoteScope = (typeof QUOTE_SCOPES)[number];

const positiveInt = (what: string) =>
  z.number().int(`${what} must be a whole number`).positive(`${what} must be at least 1`);

export const ArchitectureSchema = z
  .object({
    layers: positiveInt("layers").max(1000).describe("Transformer layers."),
    kvHeads: positiveInt("kvHeads").max(1024).describe("Key/value attention heads (grouped-query attention)."),
    headDim: positiveInt("headDim").max(4096).describe("Dimension of one attention head."),
  })
  .strict()
  .describe("Attention shape; when absent the KV cache is estimated from the model size.");

export const QuoteModelSchema = z
  .object({
    name: z.string().min(1, "name must not be empty").max(200).describe("Model name, e.g. llama-3.1-8b."),
    parametersBillions: z
      .number()
      .positive("parametersBillions must be positive")
      .max(10_000)
      .describe("Parameters, in billions."),
    precision: z.enum(PRECISIONS).describe("Serving precision of the weights."),
    contextTokens: positiveInt("contextTokens")
      .max(10_000_000)
      .describe("Context length served (prompt + output), tokens."),
    concurrency: positiveInt("concurrency")
      .max(100_000)
      .default(1)
      .describe("Sequences held in the KV cache at once. Default 1."),
    architecture: ArchitectureSchema.optional(),
  })
  .strict();

export const QuoteConstraintsSchema = z
  .object({
    clouds: z
      .array(PlacementCloudSchema)
      .min(1, "clouds must list at least one cloud (omit it for all)")
      .max(enumListMax(PLACEMENT_CLOUDS), `clouds lists at most ${enumListMax(PLACEMENT_CLOUDS)} clouds`)
      .optional()
      .describe(
        "Clouds to consider; kubernetes means the footprint's brought clusters (cloud: kubernetes). Default: all.",
      ),
    regions: z
      .array(z.string().min(1).max(MAX_CODE_LENGTH))
      .min(1, "regions must list at least one region (omit it for all)")
      .max(MAX_REGIONS, `regions lists at most ${MAX_REGIONS} regions`)
      .optional()
      .describe(
        "Region codes to consider (any cloud's), e.g. us-east-1, us-central1, eastus, or geography groups for data residency: us, ca, eu, asia, oceania, sa, me, af. An unknown code is an error. Default: all.",
      ),
    gpuTypes: z
      .array(z.enum(GPU_TYPES))
      .min(1, "gpuTypes must list at least one GPU type (omit it for all)")
      .max(enumListMax(GPU_TYPES), `gpuTypes lists at most ${enumListMax(GPU_TYPES)} GPU types`)
      .optional()
      .describe("GPU types to consider. Default: all."),
    capacity: z
      .enum(CAPACITY_PREFERENCES)
      .default("any")
      .describe("on-demand, spot, or any (the cheapest of on-demand, spot and serverless). Default any."),
    maxHourlyUsd: z
      .number()
      .positive("maxHourlyUsd must be positive")
      .max(1_000_000)
      .optional()
      .describe("Upper bound on hourlyUsd (all replicas' compute), USD/hour."),
    scope: z
      .enum(QUOTE_SCOPES)
      .optional()
      .describe(
        "footprint: only where the platform runs (its pools, dedicated pools in its regions, its serverless SKUs), with expansion advice; anywhere: the whole catalog. Default: footprint when a platform footprint is known, else anywhere.",
      ),
    allowSuspect: z
      .boolean()
      .optional()
      .describe(
        "Include catalog offers the anomaly guard marked suspect (a price that contradicts the rest of the catalog; see the offer's note). Default false.",
      ),
  })
  .strict();

/** Largest request rate a workload may ask for, requests/s (a bound, not a capacity claim). */
export const MAX_WORKLOAD_RPS = 1_000_000;
/** Longest mean prompt or completion, tokens (the longest served contexts are about 10M). */
export const MAX_WORKLOAD_TOKENS = 10_000_000;
/** Largest latency objective, ms (one hour). */
export const MAX_WORKLOAD_LATENCY_MS = 3_600_000;

const positive = (what: string, max: number, unit: string) =>
  z.number().positive(`${what} must be positive`).max(max, `${what} must be at most ${max} ${unit}`);

export const WorkloadSchema = z
  .object({
    requestsPerSecond: positive("requestsPerSecond", MAX_WORKLOAD_RPS, "requests/s").describe(
      "Mean arrival rate of requests, per second.",
    ),
    inputTokens: positive("inputTokens", MAX_WORKLOAD_TOKENS, "tokens").describe("Mean prompt length, tokens."),
    outputTokens: positive("outputTokens", MAX_WORKLOAD_TOKENS, "tokens").describe("Mean completion length, tokens."),
    ttftP95Ms: positive("ttftP95Ms", MAX_WORKLOAD_LATENCY_MS, "ms")
      .optional()
      .describe("Time-to-first-token objective, 95th percentile, ms."),
    tpotP95Ms: positive("tpotP95Ms", MAX_WORKLOAD_LATENCY_MS, "ms")
      .optional()
      .describe("Time-per-output-token objective, 95th percentile, ms."),
    allowMix: z
      .boolean()
      .optional()
      .describe(
        "Also look for the cheapest mix of two GPU types in one place that carries the rate within the objectives; returned as a placement with `mix` (its parts) and `mixSaving` when it beats the best single type. Default false.",
      ),
  })
  .strict()
  .describe(
    "Traffic to size the placement for: replicas come from the performance model (docs/performance.md) and placements rank by total cost. Absent: placement by memory only.",
  );

export const QuoteRequestSchema = z
  .object({
    model: QuoteModelSchema,
    replicas: positiveInt("replicas").max(1000).default(1).describe("Replicas to run. Default 1."),
    activeHoursPerDay: z
      .number()
      .gt(0, "activeHoursPerDay must be above 0")
      .max(24, "activeHoursPerDay must be at most 24")
      .default(24)
      .describe("Hours per day the model serves traffic; serverless is billed only for these. Default 24."),
    environment: z
      .string()
      .max(32, "environment must be at most 32 characters")
      .regex(/^[a-z][a-z0-9-]{0,31}$/, "environment must be a lowercase name such as dev, staging, production")
      .optional()
      .describe("Environment whose cost policy shapes the quote (when a policy config is loaded). Default dev."),
    constraints: QuoteConstraintsSchema.default({ capacity: "any" }),
    workload: WorkloadSchema.optional(),
    schedule: ScheduleSchema.optional(),
  })
  .strict();

export type QuoteRequest = z.output<typeof QuoteRequestSchema>;
/** What a caller may send (defaults not yet applied). */
export type QuoteRequestInput = z.input<typeof QuoteRequestSchema>;

/**
 * Validate a quote request; throws ValidationError naming the first bad field. A misspelt key is
 * named by its own path (`constraints.gpuType: unknown key; ...`), not by its parent object.
 */
export function parseQuoteRequest(input: unknown): QuoteRequest {
  const result = QuoteRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (first?.code === "unrecognized_keys") {
    const key = first.keys[0] ?? "";
    const field = formatPath([...first.path, key]);
    throw new ValidationError(field, `unknown key; allowed here: ${allowedKeys(first.path).join(", ")}`);
  }
  return parseOrThrow(QuoteRequestSchema, input);
}

function allowedKeys(path: ReadonlyArray<PropertyKey>): string[] {
  const shapes: Record<string, z.ZodObject> = {
    "": QuoteRequestSchema,
    model: QuoteModelSchema,
    constraints: QuoteConstraintsSchema,
    "model.architecture": ArchitectureSchema,
    workload: WorkloadSchema,
    schedule: ScheduleSchema,
  };
  const shape = shapes[path.map(String).join(".")];
  return shape ? Object.keys(shape.shape) : [];
}
