/**
 * The API's zod schemas that are not the optimizer's or the spec's own: list/query inputs, key
 * management, and the response shapes (they document the API in /openapi.json, and the HTTP tests
 * check real responses against them so the document cannot drift from the code).
 */
import { z } from "zod";
import { DEPLOYMENT_STATUSES, OPERATION_KINDS, OPERATION_STATUSES, ROLES } from "../platform/service/types";
import { TENANT_MAX, TENANT_PATTERN, TENANT_RULE } from "../platform/core/tenant";
import { PlacementSchema } from "../programs/deployment/spec";

export { PlacementSchema };

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. `invalid_request`, `policy_denied`" }),
      message: z.string(),
      field: z.string().optional().meta({ description: "The offending input field, e.g. `constraints.clouds[1]`" }),
      issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      violations: z
        .array(
          z.object({
            policy: z.string(),
            level: z.enum(["mandatory", "advisory"]),
            message: z.string(),
            resource: z.string().optional(),
          }),
        )
        .optional(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

const ErrorInfoSchema = z.object({ code: z.string(), message: z.string() });
const timestamp = z.string().meta({ description: "ISO 8601 timestamp" });

export const OperationSchema = z
  .object({
    id: z.string(),
    deploymentId: z.string(),
    kind: z.enum(OPERATION_KINDS),
    status: z.enum(OPERATION_STATUSES),
    attempts: z.number().int(),
    error: ErrorInfoSchema.nullable(),
    actor: z.string(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: "Operation" });

export const DeploymentSchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    environment: z.string(),
    model: z.string(),
    stackName: z.string(),
    status: z.enum(DEPLOYMENT_STATUSES),
    placement: PlacementSchema,
    estimatedMonthlyUsd: z.number(),
    spec: z.record(z.string(), z.unknown()).meta({ description: "The validated per-model stack spec" }),
    outputs: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "Stack outputs (endpoint URL, ...) after a successful up" }),
    error: ErrorInfoSchema.nullable(),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    operations: z.array(OperationSchema),
  })
  .meta({ id: "Deployment" });

/** 202 answer to create/update/destroy/cancel: the deployment, plus advisory policy findings. */
export const DeploymentAcceptedSchema = DeploymentSchema.extend({
  advisories: z.array(z.object({ policy: z.string(), message: z.string() })).meta({
    description: "Advisory policy findings of the pre-flight plan (they do not block)",
  }),
  warnings: z
    .array(z.string())
    .meta({ description: "The optimizer's warnings (catalog age, spot reclaim, estimates)" }),
}).meta({ id: "DeploymentAccepted" });

export const DeploymentPageSchema = z
  .object({
    items: z.array(DeploymentSchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last" }),
  })
  .meta({ id: "DeploymentPage" });

export const DeleteDeploymentQuery = z.object({
  purge: z
    .enum(["true", "false"], { error: () => 'purge must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true")
    .meta({
      description:
        "`true`: remove a deployment that never reached the deploy or destroy phase (nothing was applied) at once, with its events and history; its stack name is free afterwards",
    }),
});

export const PurgedDeploymentSchema = z.object({
  id: z.string(),
  purged: z.literal(true),
});

export const ListDeploymentsQuery = z.object({
  status: z
    .enum(DEPLOYMENT_STATUSES, {
      error: (i) => `"${String(i.input)}" is not a status; use one of ${DEPLOYMENT_STATUSES.join(", ")}`,
    })
    .optional(),
  model: z.string().trim().min(1).max(128).optional(),
  limit: z.coerce
    .number()
    .int("limit must be a whole number")
    .min(1, "limit must be 1..200")
    .max(200, "limit must be 1..200")
    .default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export const DeploymentEventSchema = z
  .object({
    id: z.number().int(),
    deploymentId: z.string(),
    operationId: z.string().nullable(),
    type: z.enum(["status", "engine", "log", "summary"]),
    at: timestamp,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "DeploymentEvent" });

export const EventsQuery = z.object({
  after: z.coerce.number().int("after must be a whole number").min(0).optional().meta({
    description: "Replay events with id > after (same as the Last-Event-ID header, which wins)",
  }),
  follow: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1")
    .meta({
      description: "false: replay persisted events and close; true (default): then stream live events",
    }),
});

export const ApiKeySchema = z
  .object({
    id: z.string(),
    prefix: z.string(),
    tenant: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp
      .nullable()
      .meta({ description: "Last authenticated request (minute precision); null if never" }),
    revokedAt: timestamp.nullable(),
    bootstrap: z.boolean().meta({ description: "The bootstrap key (MODELPLANE_ADMIN_KEY or the first generated one)" }),
  })
  .meta({ id: "ApiKey" });

export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) }).meta({ id: "ApiKeyList" });

export const ListApiKeysQuery = z
  .object({
    tenant: z
      .string()
      .max(TENANT_MAX)
      .regex(TENANT_PATTERN, TENANT_RULE)
      .optional()
      .meta({ description: "platform-admin only: one tenant's keys (default: every tenant's)" }),
    limit: z.coerce
      .number()
      .int("limit must be a whole number")
      .min(1, "limit must be 1..500")
      .max(500, "limit must be 1..500")
      .default(100),
  })
  .strict();

export const CreateApiKeyBody = z
  .object({
    tenant: z
      .string()
      .max(TENANT_MAX, `tenant must be at most ${TENANT_MAX} characters`)
      .regex(TENANT_PATTERN, `tenant must be ${TENANT_RULE}`)
      .optional()
      .meta({
        description: "Tenant the key acts for; default: the calling admin's tenant",
      }),
    role: z.enum(ROLES, { error: (i) => `"${String(i.input)}" is not a role; use one of ${ROLES.join(", ")}` }),
    name: z.string().trim().min(1, "name must not be empty").max(64),
  })
  .strict();

export const CreatedApiKeySchema = z
  .object({
    key: ApiKeySchema,
    secret: z.string().meta({ description: "The key itself; shown once, stored only hashed" }),
  })
  .meta({ id: "CreatedApiKey" });

export const HealthSchema = z.object({ status: z.literal("ok") });

export const ReadySchema = z
  .object({
    ready: z.boolean(),
    database: z.object({ ok: z.boolean(), error: z.string().optional() }),
    pulumi: z.object({ available: z.boolean(), version: z.string().optional(), reason: z.string().optional() }),
    /** The platform's footprint deployments are placed in, and where it was read. */
    footprint: z.object({
      source: z.string(),
      clusters: z.array(z.object({ cloud: z.string(), region: z.string(), name: z.string() })),
    }),
    reasons: z.array(z.string()),
  })
  .meta({ id: "Readiness" });
