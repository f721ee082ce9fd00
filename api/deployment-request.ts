/**
 * A deployment request = a quote request plus deployment options. This module holds its schema and
 * the pure steps between the request and the control plane: choose the placement (the optimizer's
 * cheapest, or price an explicit one against the catalog), estimate the monthly cost, and build the
 * per-model stack spec. No I/O; `endpoints/create-deployment.ts` wires it to HTTP.
 */
import { z } from "zod";
import { InfeasibleError } from "../platform/core/errors";
import type { Footprint } from "../platform/core/footprint";
import { basePlacement, quote, type PlacementPolicy, type QuoteRequest } from "../platform/core/optimizer";
import { isCatalogCloud } from "../platform/core/types";
import { QuoteModelSchema, QuoteRequestSchema } from "../platform/core/optimizer/schema";
import type { Placement } from "../platform/core/placement";
import { findGpuOffer, findServerlessOffer } from "../platform/core/pricing/lookup";
import type { Catalog } from "../platform/core/pricing/types";
import { MAX_CODE_LENGTH } from "../platform/core/bounds";
import { EnvironmentSchema, PlacementCloudSchema } from "../platform/core/schemas";
import { CAPACITIES } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { TagsSchema } from "./input";
import { MODEL_NAME_MAX } from "./model-schemas";
import {
  floorPremiumUsd,
  placeOnPool,
  refuseExcluded,
  replicasOnPoolAtMax,
  requireInFootprint,
  round2,
} from "./explicit-placement";
import {
  parseDeploymentSpec,
  ScalingSchema,
  ServerSchema,
  type DeploymentSpec,
  type DeploymentSpecInput,
} from "../programs/deployment/spec";

/**
 * Pin the deployment to one catalog offer instead of the optimizer's choice (priced from the
 * catalog), or to a named pool of the footprint: `pool` (and optionally `cluster`), which a brought
 * cluster (`cloud: kubernetes`) always needs. A brought pool is priced at its declared price, or
 * carried as unpriced when it declares none.
 */
export const ExplicitPlacementSchema = z
  .object({
    cloud: PlacementCloudSchema,
    region: z.string().trim().min(1, "region must not be empty").max(MAX_CODE_LENGTH),
    instanceType: z.string().trim().min(1, "instanceType must not be empty").max(MAX_CODE_LENGTH).optional().meta({
      description:
        "Instance/VM/machine type, or the serverless SKU/profile for capacity serverless; required unless `pool` is given",
    }),
    capacity: z.enum(CAPACITIES, {
      error: (i) => `"${String(i.input)}" is not a capacity; use one of ${CAPACITIES.join(", ")}`,
    }),
    cluster: z.string().trim().min(1).max(MAX_CODE_LENGTH).optional().meta({
      description: "The footprint cluster's name (checked against the cluster in cloud + region)",
    }),
    pool: z.string().trim().min(1).max(MAX_CODE_LENGTH).optional().meta({
      description: "An existing pool of that cluster (a brought cluster's declared pool)",
    }),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.pool === undefined && p.instanceType === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["instanceType"],
        message: "instanceType is required (or name an existing pool of the footprint with pool)",
      });
    }
  })
  .meta({ id: "ExplicitPlacement" });

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The model of a deployment as the optimizer and the stack spec take it (inline, or resolved from `ref`). */
export const DeploymentModelSchema = QuoteModelSchema.extend({
  version: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: "Model version or revision. Default `latest`." }),
  source: z
    .string()
    .trim()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: "Artifact URI (s3://, gs://, https://, hf://) or a name in the platform's model store" }),
}).strict();

const INLINE_REQUIRED = ["name", "parametersBillions", "precision", "contextTokens"] as const;
const FROM_REGISTRY = ["name", "parametersBillions", "precision", "architecture", "version", "source"] as const;

/**
 * On the wire the model is either inline (name, parametersBillions, precision, contextTokens, …) or a
 * reference to the caller's model registry, `{ref: "name@version"}` (contextTokens/concurrency may
 * still be given; contextTokens defaults to the model's max context). The endpoint resolves a ref
 * (model-ref.ts) into the inline shape before sizing.
 */
export const DeploymentModelWireSchema = DeploymentModelSchema.partial({
  name: true,
  parametersBillions: true,
  precision: true,
  contextTokens: true,
})
  .extend({
    ref: z
      .string()
      .trim()
      .min(1, "ref must not be empty")
      .max(MODEL_NAME_MAX + 65)
      .optional()
      .meta({
        description:
          "A registered model, `name@version` (or `name` for its newest version): its artifact, precision, parameters and exact architecture are used",
      }),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.ref !== undefined) {
      for (const key of FROM_REGISTRY) {
        if (m[key] !== undefined) {
          ctx.addIssue({ code: "custom", path: [key], message: `${key} comes from the registry with ref; remove it` });
        }
      }
      return;
    }
    for (const key of INLINE_REQUIRED) {
      if (m[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `${key} is required (or give ref: "name@version" of a registered model)`,
        });
      }
    }
  });

// A deployment's replicas come from `replicas`/`scaling`; sizing them from a workload is for quotes
// (POST /v1/quotes) until the plan carries the sized count, so `workload` is refused here, not ignored.
export const CreateDeploymentBody = QuoteRequestSchema.omit({ workload: true })
  .extend({
    model: DeploymentModelWireSchema,
    name: z
      .string()
      .max(63, "name must be at most 63 characters")
      .regex(NAME, "name must be 1-63 characters of [a-z0-9-], starting and ending alphanumeric")
      .optional()
      .meta({
        description: "Deployment name. Default: the model name, slugged.",
      }),
    environment: EnvironmentSchema.default("dev"),
    scaling: ScalingSchema.optional().meta({ description: "Replica bounds. Default: min = max = `replicas`." }),
    onDemandFloorReplicas: z
      .number()
      .int("onDemandFloorReplicas must be a whole number")
      .min(0)
      .max(100)
      .default(0)
      .meta({
        description:
          "Spot placements: replicas pinned to on-demand capacity. > 0 makes the optimizer choose a spot placement.",
      }),
    placement: ExplicitPlacementSchema.optional(),
    owner: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "Owner tag. Default: the API key's name." }),
    costCenter: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "Cost-center tag. Default: the tenant." }),
    server: ServerSchema.optional(),
    tags: TagsSchema.optional(),
  })
  .strict()
  .meta({ id: "DeploymentRequest" });

export type CreateDeploymentWire = z.output<typeof CreateDeploymentBody>;
/** A deployment request with its model inline (a `ref` already resolved). */
export type CreateDeploymentRequest = Omit<CreateDeploymentWire, "model"> & {
  model: z.output<typeof DeploymentModelSchema>;
};

export interface ChosenPlacement {
  placement: Placement;
  /** Placement monthly cost plus the on-demand floor's premium, USD/month. */
  estimatedMonthlyUsd: number;
  warnings: string[];
}

/** The quote request inside a deployment request (the optimizer's own fields only). */
export function quoteRequestOf(body: CreateDeploymentRequest, replicas: number = body.replicas): QuoteRequest {
  const m = body.model;
  const model: QuoteRequest["model"] = {
    name: m.name,
    parametersBillions: m.parametersBillions,
    precision: m.precision,
    contextTokens: m.contextTokens,
    concurrency: m.concurrency,
  };
  if (m.architecture) model.architecture = m.architecture;
  return {
    model,
    replicas,
    activeHoursPerDay: body.activeHoursPerDay,
    environment: body.environment,
    constraints: body.constraints,
    ...(body.schedule ? { schedule: body.schedule } : {}),
  };
}

/** Where a deployment may be placed and under which policy (the server's footprint and policy config). */
export interface PlacementContext {
  footprint?: Footprint;
  policy?: PlacementPolicy;
}

/**
 * The placement a deployment runs on. Without `placement` in the request: the optimizer's cheapest
 * (a spot one when an on-demand floor is asked for and capacity is `any`). With one: that exact
 * catalog offer, priced and checked for fit like any candidate. Nothing fits → InfeasibleError.
 */
export function choosePlacement(
  body: CreateDeploymentRequest,
  catalog: Catalog,
  now: Date,
  replicas: number = body.replicas,
  context: PlacementContext = {},
): ChosenPlacement {
  const request = quoteRequestOf(body, replicas);
  const floor = body.onDemandFloorReplicas;
  const explicit = body.placement;
  const { footprint, policy } = context;
  const options = { now, ...(footprint ? { footprint } : {}), ...(policy ? { policy } : {}) };
  if (footprint) {
    // A deployment always lands where the platform runs; "anywhere" is for quotes.
    if (request.constraints.scope === "anywhere") {
      throw new ValidationError(
        "constraints.scope",
        'a deployment is placed inside the platform\'s footprint; "anywhere" is for quotes (drop it, or add the region to the platform)',
      );
    }
    request.constraints = { ...request.constraints, scope: "footprint" };
  }
  if (!explicit) {
    if (floor > 0 && request.constraints.capacity === "any") {
      request.constraints = { ...request.constraints, capacity: "spot" };
    }
    // A pool must hold scaling.maxReplicas, or the program runs the deployment on a dedicated pool.
    const maxReplicas = replicasOnPoolAtMax(body, replicas, request.constraints.capacity);
    const result = quote(request, catalog, { ...options, limit: 1, maxReplicas });
    const quoted = result.placements[0];
    if (!quoted) {
      throw new InfeasibleError(result.infeasible?.message ?? "no placement satisfies the request", result.infeasible);
    }
    const best = basePlacement(quoted);
    return {
      placement: best,
      estimatedMonthlyUsd: round2(best.monthlyUsd + floorPremiumUsd(best, floor)),
      warnings: result.warnings,
    };
  }

  const cloud = explicit.cloud;
  const instanceType = explicit.instanceType;
  if (explicit.pool !== undefined || !isCatalogCloud(cloud) || instanceType === undefined) {
    // The pool must hold every replica up to scaling.maxReplicas: the program would otherwise build a
    // dedicated pool in its place (or, on a brought cluster, leave the extra replicas pending).
    const atMax = replicasOnPoolAtMax(body, replicas, explicit.capacity);
    return placeOnPool(request, explicit, catalog, footprint, floor, atMax);
  }
  const offer = { cloud, region: explicit.region, instanceType, capacity: explicit.capacity };
  const inCatalog =
    offer.capacity === "serverless"
      ? findServerlessOffer(catalog, { cloud, region: offer.region, sku: instanceType }) !== undefined
      : findGpuOffer(catalog, offer) !== undefined;
  if (!inCatalog) {
    throw new ValidationError(
      "placement.instanceType",
      `the catalog has no ${explicit.capacity === "serverless" ? "serverless SKU" : "instance type"} "${instanceType}" on ${cloud} ${explicit.region}; quote first (POST /v1/quotes) to see what is offered`,
    );
  }
  if (footprint) requireInFootprint(footprint, explicit);
  const c = request.constraints;
  refuseExcluded(c, explicit);
  // Price it the optimizer's way: the same request narrowed to that cloud, region and capacity.
  const narrowed: QuoteRequest = {
    ...request,
    constraints: {
      ...c,
      clouds: [cloud],
      regions: [explicit.region],
      capacity: explicit.capacity === "serverless" ? "any" : explicit.capacity,
    },
  };
  // No placement policy here: an explicit placement the policy denies gets the pre-flight's 422
  // policy_denied, with every violation named, not a bare "infeasible".
  // maxReplicas: a pool of this shape without room for them is not what the program would use.
  const result = quote(narrowed, catalog, {
    now,
    ...(footprint ? { footprint } : {}),
    limit: 10_000,
    maxReplicas: replicasOnPoolAtMax(body, replicas, explicit.capacity),
  });
  const match = result.placements.find(
    (p) => p.instanceType === explicit.instanceType && p.capacity === explicit.capacity,
  );
  if (!match) {
    const why =
      result.infeasible?.message ??
      `it does not hold the model (${result.requirement.totalGiB.toFixed(1)} GiB of GPU memory per replica needed) within the request's constraints`;
    throw new InfeasibleError(
      `the explicit placement ${explicit.cloud} ${explicit.region} ${explicit.instanceType} (${explicit.capacity}) is not feasible: ${why}`,
      result.infeasible,
    );
  }
  const placement = basePlacement(match);
  placement.why = "explicit placement from the request";
  return {
    placement,
    estimatedMonthlyUsd: round2(placement.monthlyUsd + floorPremiumUsd(placement, floor)),
    warnings: result.warnings,
  };
}

export interface SpecContext {
  tenant: string;
  /** The caller's key name (default owner). */
  keyName: string;
  /** The deployment id the stack's resources are labelled with. */
  deploymentId: string;
  platformStack: string;
}

/** Replicas the price covers: `replicas` when given, else the scaling floor (at least 1). */
export function pricedReplicas(raw: unknown, body: CreateDeploymentRequest): number {
  const given = typeof raw === "object" && raw !== null && "replicas" in raw;
  if (given || !body.scaling) return body.replicas;
  return Math.max(1, body.scaling.minReplicas ?? 1);
}

/** Build and validate the per-model stack spec (errors name the field, e.g. `onDemandFloorReplicas`). */
export function buildSpec(body: CreateDeploymentRequest, placement: Placement, ctx: SpecContext): DeploymentSpec {
  const model: DeploymentSpecInput["model"] = {
    name: body.model.name,
    parametersBillions: body.model.parametersBillions,
    precision: body.model.precision,
    contextTokens: body.model.contextTokens,
    // What the placement was sized for: re-placements (failover, re-quote, migration) size for the same.
    concurrency: body.model.concurrency,
  };
  if (body.model.architecture) model.architecture = body.model.architecture;
  if (body.model.version) model.version = body.model.version;
  if (body.model.source) model.source = body.model.source;
  const input: DeploymentSpecInput = {
    deploymentId: ctx.deploymentId,
    tenant: ctx.tenant,
    owner: body.owner ?? ctx.keyName,
    costCenter: body.costCenter ?? ctx.tenant,
    environment: body.environment,
    model,
    placement,
    scaling: body.scaling ?? { minReplicas: placement.replicas, maxReplicas: placement.replicas },
    onDemandFloorReplicas: body.onDemandFloorReplicas,
    platformStack: ctx.platformStack,
  };
  if (body.server) input.server = body.server;
  if (body.tags) input.tags = body.tags;
  if (body.schedule) input.schedule = body.schedule;
  input.placementConstraints = body.constraints;
  if (body.activeHoursPerDay !== 24) input.activeHoursPerDay = body.activeHoursPerDay;
  return parseDeploymentSpec(input);
}
