/**
 * The deployment spec: everything one per-model stack needs, validated with zod before any
 * resource is registered. The API, the offline plan and the worker build a spec and hand it to
 * `deploymentProgram`; `parseDeploymentSpec` is the one entry point that turns unknown input into a
 * spec, and its errors name the field (`placement.gpuCount: ...`, `scaling.minReplicas: ...`).
 */
import { z } from "zod";
import { EnvironmentSchema, PlacementCloudSchema } from "../../platform/core/schemas";
import { CAPACITIES, GPU_TYPES, PRECISIONS } from "../../platform/core/types";
import type { Placement } from "../../platform/core/placement";
import { parseOrThrow } from "../../platform/core/validation";
import { fetchPlan } from "../../providers/kubernetes/model-fetch";
import { ScheduleSchema } from "../../platform/core/schedule";
import { ArchitectureSchema, QuoteConstraintsSchema } from "../../platform/core/optimizer/schema";

/** Model servers the ModelService can run. Both speak an OpenAI-compatible HTTP API. */
export const SERVER_KINDS = ["vllm", "triton"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

const nonEmpty = () => z.string().trim().min(1, "must not be empty");
const money = z.number().finite().nonnegative();

/** Matches `Placement` in platform/core/placement.ts field for field (checked at compile time below). */
export const PlacementSchema = z.object({
  cloud: PlacementCloudSchema,
  region: nonEmpty(),
  instanceType: nonEmpty(),
  gpuType: z.enum(GPU_TYPES, {
    error: (i) => `"${String(i.input)}" is not a GPU type; use one of ${GPU_TYPES.join(", ")}`,
  }),
  gpuCount: z.number().int("must be a whole number").min(1, "a placement needs at least 1 GPU per replica"),
  gpuMemoryGiB: z.number().positive("must be > 0"),
  capacity: z.enum(CAPACITIES, {
    error: (i) => `"${String(i.input)}" is not a capacity; use one of ${CAPACITIES.join(", ")}`,
  }),
  serverlessProduct: z.string().trim().min(1).optional(),
  cluster: z.string().trim().min(1).optional(),
  pool: z.string().trim().min(1).optional(),
  replicas: z.number().int().min(0),
  unitHourlyUsd: money,
  replicasPerNode: z.number().int().min(2).optional(),
  hourlyUsd: money,
  monthlyUsd: money,
  storageMonthlyUsd: money,
  onDemandUnitHourlyUsd: money.nullable(),
  pricing: z.object({ basis: z.enum(["declared", "unpriced"]), note: z.string() }).optional(),
  why: z.string().optional(),
});

// Compile-time guard: the schema's output and the Placement interface must stay identical.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const placementMatches: Exact<z.output<typeof PlacementSchema>, Placement> = true;
void placementMatches;

/** Artifact URI schemes the model fetcher understands (`hf://` is loaded by the server itself). */
export const URI_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//;

export const ModelSchema = z.object({
  /** Model name as users know it, e.g. `Llama-3.1-70B-Instruct`. */
  name: nonEmpty()
    .max(128)
    .regex(/^[^'"\\\n\r`$]+$/, "must not contain quotes, backslashes, backticks, $ or line breaks"),
  /** Version or revision, e.g. `v1`, `2024-07-23`. */
  version: nonEmpty().max(64).default("latest"),
  /**
   * Where the weights are: an artifact URI (`s3://`, `gs://`, `https://...blob.core.windows.net/...`,
   * `hf://org/repo`) or a registry name resolved inside the platform's ModelStore
   * (`<store uri>/<source>`). Default: `<name>/<version>` in the store.
   */
  source: z.string().trim().min(1).optional(),
  /** Parameters, billions (e.g. 70 for a 70B model). */
  parametersBillions: z.number().positive("must be > 0"),
  precision: z.enum(PRECISIONS, {
    error: (i) => `"${String(i.input)}" is not a precision; use one of ${PRECISIONS.join(", ")}`,
  }),
  /** Maximum context the server is started with, tokens. */
  contextTokens: z.number().int().min(256, "must be at least 256 tokens").max(2_000_000),
  /**
   * Sequences held in the KV cache at once, as the request sized the placement (absent: 1). A
   * re-placement (failover, re-quote, migration) sizes for the same.
   */
  concurrency: z.number().int().min(1).max(100_000).optional(),
  /** The attention shape the placement was sized with, when the request gave it (or its registry entry). */
  architecture: ArchitectureSchema.optional(),
});

export const ScalingSchema = z.strictObject({
  /** Fewest replicas. Default 0 when `scaleToZero`, else 1. 0 requires `scaleToZero: true`. */
  minReplicas: z.number().int().min(0).optional(),
  /** Most replicas. Default: max(1, minReplicas). */
  maxReplicas: z.number().int().min(1).max(100).optional(),
  /** Allow scaling to zero replicas when idle (KEDA on clusters; the product's own on serverless). */
  scaleToZero: z.boolean().default(false),
  /** Concurrent requests one replica should carry before another is added. */
  targetConcurrencyPerReplica: z.number().int().min(1).max(1024).default(8),
});

export const ServerSchema = z.strictObject({
  kind: z
    .enum(SERVER_KINDS, {
      error: (i) => `"${String(i.input)}" is not a model server; use one of ${SERVER_KINDS.join(", ")}`,
    })
    .default("vllm"),
  /** Container image; default: the pinned image of the chosen server kind. */
  image: z.string().trim().min(1).max(512).optional(),
});

/** Rollout strategies: blue/green is a canary that goes from 0 straight to 100 on promote. */
export const ROLLOUT_STRATEGIES = ["canary", "blue-green"] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

/**
 * A rollout in progress. The spec's own `model`/`server` are the new revision (`revision`), which
 * gets `weight` percent of the traffic; `stable` is the revision that was serving before and keeps
 * `100 - weight` percent until the rollout is promoted (spec without `rollout`) or aborted (spec
 * back to `stable`).
 */
export const RolloutSchema = z.strictObject({
  strategy: z.enum(ROLLOUT_STRATEGIES, {
    error: (i) => `"${String(i.input)}" is not a rollout strategy; use one of ${ROLLOUT_STRATEGIES.join(", ")}`,
  }),
  /** Percent of requests sent to the new revision, 0-100. */
  weight: z.number().int("must be a whole number").min(0, "must be 0-100").max(100, "must be 0-100"),
  /** The revision serving before the rollout began. */
  stable: z.strictObject({
    revision: z.number().int().min(1),
    model: ModelSchema,
    server: ServerSchema,
  }),
});
export type Rollout = z.output<typeof RolloutSchema>;

/**
 * A migration's route handoff: this (old) stack's route sends `weight` percent of the requests to
 * the new stack generation's Service on the same cluster and the rest to its own, so the old route
 * can be deleted with no request reaching a Service that is going away.
 */
export const HandoffSchema = z.strictObject({
  /** The new stack's generation (the migration target, same deployment, same cluster). */
  generation: z.number().int("must be a whole number").min(2, "must be >= 2 (a migration's new stack)"),
  /** Percent of requests sent to the new generation, 0-100. */
  weight: z.number().int("must be a whole number").min(0, "must be 0-100").max(100, "must be 0-100"),
});
export type Handoff = z.output<typeof HandoffSchema>;

const LABEL_SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const DeploymentSpecBase = z.object({
  /** Stable id of this deployment (the API's id); lands on every resource as `modelplane/deployment-id`. */
  deploymentId: z.string().regex(LABEL_SAFE, "must be 1-63 characters of [A-Za-z0-9._-], starting alphanumeric"),
  /** Tenant (team) that owns the deployment; one Kubernetes namespace per tenant. */
  tenant: z.string().trim().min(1, "must not be empty").max(40),
  owner: nonEmpty().max(128),
  costCenter: nonEmpty().max(128),
  environment: EnvironmentSchema.default("dev"),
  model: ModelSchema,
  placement: PlacementSchema,
  scaling: ScalingSchema.default({ scaleToZero: false, targetConcurrencyPerReplica: 8 }),
  /** Spot placements: replicas pinned to on-demand capacity (SkyServe's `base_ondemand_fallback_replicas`). */
  onDemandFloorReplicas: z.number().int().min(0).default(0),
  server: ServerSchema.default({ kind: "vllm" }),
  /** Revision of the serving spec (model + server), 1 for the first deploy; each rollout adds one. */
  revision: z.number().int().min(1).default(1),
  /** A canary or blue/green rollout in progress (cluster placements only). */
  rollout: RolloutSchema.optional(),
  /**
   * Stack generation, 1 for the first deploy; a migration's new stack is the next one. Kubernetes
   * and cloud object names of generation N > 1 are its own, so two stacks of the deployment live
   * side by side during a migration; the endpoint's path keeps generation 1's name.
   */
  generation: z.number().int("must be a whole number").min(1, "must be >= 1").default(1),
  /** Set by the control plane during a same-cluster migration (cluster placements only). */
  handoff: HandoffSchema.optional(),
  /** The platform stack to read through a StackReference, e.g. `org/modelplane-platform/dev`. */
  platformStack: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+){0,2}$/, "must be `stack`, `project/stack` or `org/project/stack`"),
  /** Extra tags/labels (never override model, owner, cost-center, managed-by). */
  tags: z.record(z.string(), z.string()).default({}),
  /** Hibernation: 0 replicas outside these weekly windows (a KEDA cron trigger on clusters). */
  schedule: ScheduleSchema.optional(),
  /**
   * The request's placement constraints (clouds, regions, GPU types, capacity, price cap): a
   * capacity/quota failover re-places the deployment only within them.
   */
  placementConstraints: QuoteConstraintsSchema.optional(),
  /**
   * The active hours per day the placement was quoted for (a serverless price covers only these).
   * Kept so a PATCH, re-quote, failover or migration prices the same hours; absent: 24.
   */
  activeHoursPerDay: z.number().gt(0).max(24).optional(),
});

/** Resolved scaling: both bounds present. */
export interface ResolvedScaling {
  minReplicas: number;
  maxReplicas: number;
  scaleToZero: boolean;
  targetConcurrencyPerReplica: number;
}

export const DeploymentSpecSchema = DeploymentSpecBase.superRefine((spec, ctx) => {
  const p = spec.placement;
  const s = spec.scaling;
  const isServerless = p.capacity === "serverless";
  if (isServerless && !p.serverlessProduct) {
    ctx.addIssue({
      code: "custom",
      path: ["placement", "serverlessProduct"],
      message:
        "serverless capacity needs a serverless placement: set serverlessProduct (e.g. cloud-run, container-apps, sagemaker-async)",
    });
  }
  if (!isServerless && p.serverlessProduct) {
    ctx.addIssue({
      code: "custom",
      path: ["placement", "serverlessProduct"],
      message: `serverlessProduct is only valid with capacity "serverless" (capacity is "${p.capacity}")`,
    });
  }
  if (isServerless && !s.scaleToZero) {
    ctx.addIssue({
      code: "custom",
      path: ["scaling", "scaleToZero"],
      message:
        "serverless placements always scale to zero; set scaleToZero: true, or choose a cluster placement to keep replicas warm",
    });
  }
  if (isServerless && spec.server.kind !== "vllm") {
    ctx.addIssue({
      code: "custom",
      path: ["server", "kind"],
      message: `serverless placements run the vLLM server; "${spec.server.kind}" needs a cluster placement`,
    });
  }
  if (spec.rollout && isServerless) {
    ctx.addIssue({
      code: "custom",
      path: ["rollout"],
      message:
        "rollouts split traffic at the cluster gateway; a serverless placement has its own endpoint, so redeploy it instead",
    });
  }
  if (spec.schedule && s.scaleToZero && !isServerless) {
    ctx.addIssue({
      code: "custom",
      path: ["schedule"],
      message:
        "a schedule scales the model to 0 outside its windows, and scaleToZero wakes it on any request; choose one (drop schedule, or set scaleToZero: false)",
    });
  }
  if (spec.schedule && spec.onDemandFloorReplicas > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["schedule"],
      message:
        "an on-demand floor always runs, so it cannot hibernate; set onDemandFloorReplicas to 0 or drop schedule",
    });
  }
  if (spec.handoff && isServerless) {
    ctx.addIssue({
      code: "custom",
      path: ["handoff"],
      message: "a route handoff moves a cluster route; a serverless placement has its own endpoint",
    });
  }
  if (spec.handoff && spec.rollout) {
    ctx.addIssue({
      code: "custom",
      path: ["handoff"],
      message: "a route handoff cannot run during a rollout; promote or abort the rollout first",
    });
  }
  if (spec.handoff && spec.handoff.generation === spec.generation) {
    ctx.addIssue({
      code: "custom",
      path: ["handoff", "generation"],
      message: `${spec.handoff.generation} is this stack's own generation; hand off to the migration's new generation`,
    });
  }
  if (spec.rollout && spec.rollout.stable.revision >= spec.revision) {
    ctx.addIssue({
      code: "custom",
      path: ["rollout", "stable", "revision"],
      message: `the stable revision (${spec.rollout.stable.revision}) must be older than the spec's revision (${spec.revision})`,
    });
  }
  const source = spec.model.source;
  if (source !== undefined && URI_PATTERN.test(source)) {
    try {
      fetchPlan(source);
    } catch (err) {
      ctx.addIssue({
        code: "custom",
        path: ["model", "source"],
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  const min = s.minReplicas ?? (s.scaleToZero ? 0 : 1);
  const max = s.maxReplicas ?? Math.max(1, min);
  if (min > max) {
    ctx.addIssue({
      code: "custom",
      path: ["scaling", "minReplicas"],
      message: `minReplicas (${min}) must be <= maxReplicas (${max})`,
    });
  }
  if (min === 0 && !s.scaleToZero) {
    ctx.addIssue({
      code: "custom",
      path: ["scaling", "minReplicas"],
      message: "minReplicas 0 needs scaleToZero: true (or set minReplicas >= 1)",
    });
  }
  if (s.scaleToZero && min > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["scaling", "minReplicas"],
      message: `scaleToZero: true scales to 0 replicas; omit minReplicas or set it to 0 (got ${min})`,
    });
  }
  const floor = spec.onDemandFloorReplicas;
  if (floor > 0) {
    if (s.scaleToZero) {
      ctx.addIssue({
        code: "custom",
        path: ["onDemandFloorReplicas"],
        message: `scaleToZero forbids an on-demand floor (got ${floor}); set onDemandFloorReplicas to 0 or scaleToZero to false`,
      });
    } else if (p.capacity !== "spot") {
      ctx.addIssue({
        code: "custom",
        path: ["onDemandFloorReplicas"],
        message: `an on-demand floor only applies to spot placements (capacity is "${p.capacity}"); set it to 0`,
      });
    } else if (floor > min) {
      ctx.addIssue({
        code: "custom",
        path: ["onDemandFloorReplicas"],
        message: `the on-demand floor (${floor}) is part of minReplicas and must be <= it (${min})`,
      });
    } else if (floor >= max) {
      ctx.addIssue({
        code: "custom",
        path: ["onDemandFloorReplicas"],
        message: `the on-demand floor (${floor}) leaves no spot replicas (maxReplicas ${max}); lower it or use capacity "on-demand"`,
      });
    }
  }
}).transform((spec) => {
  const s = spec.scaling;
  const minReplicas = s.minReplicas ?? (s.scaleToZero ? 0 : 1);
  const scaling: ResolvedScaling = {
    minReplicas,
    maxReplicas: s.maxReplicas ?? Math.max(1, minReplicas),
    scaleToZero: s.scaleToZero,
    targetConcurrencyPerReplica: s.targetConcurrencyPerReplica,
  };
  return { ...spec, scaling };
});

/** What callers write (defaults optional). */
export type DeploymentSpecInput = z.input<typeof DeploymentSpecSchema>;
/** A validated spec with every default applied and replica bounds resolved. */
export type DeploymentSpec = z.output<typeof DeploymentSpecSchema>;

/** Validate `input`; throws `ValidationError` naming the first bad field. */
export function parseDeploymentSpec(input: unknown): DeploymentSpec {
  return parseOrThrow(DeploymentSpecSchema, input);
}
