/**
 * `PATCH /v1/deployments/:id`: change scaling or the on-demand floor (same placement, re-priced),
 * or re-place it (an explicit `placement`, or new `constraints`/`replicas`/`activeHoursPerDay`/
 * `concurrency` re-run the optimizer). Pre-flighted like a create; queues an update job; 202.
 * The environment and model are fixed: they name the stack.
 *
 * With `rollout: {strategy, weight}` (and optionally a new `model.version`/`model.source` or
 * `server.image`) it starts a canary or blue/green rollout of a new revision beside the serving one,
 * or moves the weight of the rollout in progress (controlplane/rollout.ts); promote and abort end it.
 */
import { z } from "zod";
import { QuoteConstraintsSchema } from "../../platform/core/optimizer/schema";
import { ConflictError, InfeasibleError } from "../../platform/core/errors";
import { isCatalogCloud } from "../../platform/core/types";
import { ValidationError } from "../../platform/core/validation";
import { planRolloutPatch } from "../../platform/service/controlplane/rollout";
import { parseDeploymentSpec, ROLLOUT_STRATEGIES, ScalingSchema } from "../../programs/deployment/spec";
import {
  buildSpec,
  choosePlacement,
  ExplicitPlacementSchema,
  type CreateDeploymentRequest,
} from "../deployment-request";
import { defineEndpoint, IdParams } from "../endpoint";
import { quotedActiveHours } from "../../platform/service/requote/spec-request";
import { preflightOrDeny } from "../preflight";
import { acceptedReply } from "../replies";
import { rolloutStepReply } from "../rollout-step";
import { DeploymentAcceptedSchema } from "../schemas";

export const UpdateDeploymentBody = z
  .object({
    scaling: ScalingSchema.optional(),
    onDemandFloorReplicas: z.number().int("onDemandFloorReplicas must be a whole number").min(0).max(100).optional(),
    placement: ExplicitPlacementSchema.optional().meta({ description: "Move to this catalog offer" }),
    constraints: QuoteConstraintsSchema.optional().meta({
      description: "Re-run the optimizer under these constraints",
    }),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: "Replicas the estimate covers. Default: the scaling floor, else the current count." }),
    activeHoursPerDay: z
      .number()
      .gt(0)
      .max(24)
      .optional()
      .meta({ description: "Re-quote for these active hours per day. Default: the hours it was quoted for." }),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .meta({ description: "Re-size for this many concurrent sequences. Default 1." }),
    rollout: z
      .strictObject({
        strategy: z.enum(ROLLOUT_STRATEGIES, {
          error: (i) => `"${String(i.input)}" is not a rollout strategy; use one of ${ROLLOUT_STRATEGIES.join(", ")}`,
        }),
        weight: z
          .number()
          .int("must be a whole number")
          .min(0, "must be 0-100")
          .max(100, "must be 0-100")
          .optional()
          .meta({ description: "Percent of requests to the new revision (blue-green: 0 or 100, default 0)" }),
      })
      .optional()
      .meta({
        description:
          "Start a canary or blue/green rollout of a new revision beside the serving one, or move the weight of the one in progress",
      }),
    model: z
      .strictObject({
        version: z.string().trim().min(1).max(64).optional(),
        source: z.string().trim().min(1).max(1024).optional(),
      })
      .optional()
      .meta({ description: "With `rollout`: the new revision's model version or weights source" }),
    server: z
      .strictObject({ image: z.string().trim().min(1).max(512).optional() })
      .optional()
      .meta({ description: "With `rollout`: the new revision's server image" }),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message:
      "nothing to change: send scaling, onDemandFloorReplicas, placement, constraints, replicas, activeHoursPerDay, concurrency or rollout",
  })
  .meta({ id: "DeploymentUpdate" });

export const updateDeployment = defineEndpoint({
  method: "patch",
  path: "/v1/deployments/:id",
  summary: "Rescale or re-place a deployment (async update job)",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  body: UpdateDeploymentBody,
  responses: {
    202: { description: "Update queued", schema: DeploymentAcceptedSchema },
    404: { description: "No such deployment in the caller's tenant" },
    409: {
      description:
        "Another operation is queued or running, it is destroyed, or (`field: rollout`) a rollout is already in progress",
    },
    422: { description: "The new placement is infeasible, or a mandatory policy denies it" },
  },
  async handle({ params, body, principal, deps, now }) {
    const { rollout, model, server, ...rest } = body;
    if (rollout !== undefined) {
      const other = Object.keys(rest).find((k) => rest[k as keyof typeof rest] !== undefined);
      if (other !== undefined) {
        throw new ValidationError(
          other,
          `a rollout PATCH changes the revision only (rollout, model, server); send ${other} in its own PATCH`,
        );
      }
      return rolloutStepReply(deps, principal, params.id, (spec) =>
        planRolloutPatch(spec, rollout, {
          ...(model !== undefined ? { model } : {}),
          ...(server !== undefined ? { server } : {}),
        }),
      );
    }
    if (model !== undefined || server !== undefined) {
      throw new ValidationError(
        model !== undefined ? "model" : "server",
        "a new model version or server image is a new revision: send it with rollout: {strategy, weight}",
      );
    }
    const current = await deps.controlPlane.getDeployment(principal.tenant, params.id);
    const spec = parseDeploymentSpec(current.spec);
    const replace =
      body.placement !== undefined ||
      body.constraints !== undefined ||
      body.activeHoursPerDay !== undefined ||
      body.concurrency !== undefined;
    const p = current.placement;
    const replicas = body.replicas ?? (body.scaling ? Math.max(1, body.scaling.minReplicas ?? 1) : p.replicas);
    const request: CreateDeploymentRequest = {
      model: {
        name: spec.model.name,
        parametersBillions: spec.model.parametersBillions,
        precision: spec.model.precision,
        contextTokens: spec.model.contextTokens,
        concurrency: body.concurrency ?? spec.model.concurrency ?? 1,
        ...(spec.model.architecture ? { architecture: spec.model.architecture } : {}),
        version: spec.model.version,
        ...(spec.model.source ? { source: spec.model.source } : {}),
      },
      replicas,
      // What the deployment was quoted for, unless the PATCH sends new hours.
      activeHoursPerDay: body.activeHoursPerDay ?? quotedActiveHours(spec),
      constraints: body.constraints ?? spec.placementConstraints ?? { capacity: "any" },
      environment: spec.environment,
      ...(spec.schedule ? { schedule: spec.schedule } : {}),
      scaling: body.scaling ?? spec.scaling,
      onDemandFloorReplicas: body.onDemandFloorReplicas ?? spec.onDemandFloorReplicas,
      owner: spec.owner,
      costCenter: spec.costCenter,
      server: spec.server,
      tags: spec.tags,
    };
    // Without a re-placement the deployment stays on its offer, re-priced for the new replica count.
    if (body.placement) request.placement = body.placement;
    else if (!replace)
      request.placement = {
        cloud: p.cloud,
        region: p.region,
        instanceType: p.instanceType,
        capacity: p.capacity,
        // A placement on a pool of the platform (or a brought cluster's) stays on that pool, by name:
        // by instance type alone it would be re-placed on a dedicated pool of the same shape (#10).
        ...(p.pool !== undefined ? { pool: p.pool } : {}),
        ...(p.pool !== undefined && p.cluster !== undefined ? { cluster: p.cluster } : {}),
      };
    // A re-placement lands inside the footprint under the policy; staying on its offer is re-priced only.
    const replacing = body.placement !== undefined || replace;
    if (replacing && spec.rollout) {
      throw new ConflictError(
        `rollout: a ${spec.rollout.strategy} of revision ${spec.revision} is in progress; promote or abort it before moving the deployment`,
        "rollout",
      );
    }
    const options = {
      // Staying on a pool needs the footprint to price it (and a brought cluster's always does).
      ...(deps.footprint ? { footprint: deps.footprint } : {}),
      ...(replacing && deps.policies ? { policy: deps.policies.for(spec.environment) } : {}),
    };
    // Only the pool it stays on by default may give way; a pool the PATCH names is refused like a POST's.
    const place = () => choosePlacement(request, deps.catalog, now(), replicas, options);
    const chosen = body.placement ? place() : stayOnPool(request, place);
    const built = buildSpec(request, chosen.placement, {
      tenant: spec.tenant,
      keyName: spec.owner,
      deploymentId: spec.deploymentId,
      platformStack: spec.platformStack,
    });
    // Rescaling keeps the revision being served, and the rollout in progress with it.
    // A migrated deployment keeps its stack generation: its objects keep the names they have (#15).
    const next = {
      ...built,
      revision: spec.revision,
      generation: spec.generation,
      ...(spec.rollout ? { rollout: spec.rollout } : {}),
    };
    const advisories = await preflightOrDeny(deps.planner, next, { activeHoursPerDay: request.activeHoursPerDay });
    const deployment = await deps.controlPlane.requestUpdate(
      principal.tenant,
      params.id,
      {
        spec: next,
        placement: chosen.placement,
        estimatedMonthlyUsd: chosen.estimatedMonthlyUsd,
      },
      principal.keyId,
    );
    return acceptedReply(deployment, advisories, chosen.warnings);
  },
});

/**
 * Place `request`; when it stays (implicitly: the PATCH names no placement) on a cloud pool of the
 * platform that has no room for the new replica count or `scaling.maxReplicas`, place it on a
 * dedicated pool of the pool's shape instead (what the deployment program builds for a pool without
 * room, platform-ref.ts). A brought cluster has no dedicated pools: its refusal stands.
 */
function stayOnPool<T>(request: { placement?: { cloud: string; pool?: string; cluster?: string } }, place: () => T): T {
  try {
    return place();
  } catch (err) {
    const at = request.placement;
    if (!(err instanceof InfeasibleError) || at?.pool === undefined || !isCatalogCloud(at.cloud)) throw err;
    const { pool: _pool, cluster: _cluster, ...shape } = at;
    request.placement = shape;
    return place();
  }
}
