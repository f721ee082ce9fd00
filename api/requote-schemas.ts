/**
 * Schemas of re-quote and migration (issue 15 item 3): `GET /v1/recommendations`,
 * `POST /v1/admin/requote`, `POST /v1/deployments/:id/migrate` and its abort. Money is USD per
 * month, priced under the catalog version each answer names.
 */
import { z } from "zod";
import { RECOMMENDATION_REASONS } from "../platform/service/types";
import { TENANT_MAX, TENANT_PATTERN, TENANT_RULE } from "../platform/core/tenant";
import { CAPACITIES } from "../platform/core/types";
import { CloudSchema } from "../platform/core/schemas";
import { MAX_CODE_LENGTH } from "../platform/core/bounds";
import { DeploymentSchema, PlacementSchema } from "./schemas";

const timestamp = z.string().meta({ description: "ISO 8601 timestamp" });
const usd = z.number().meta({ description: "USD per month" });

export const RecommendationSchema = z
  .object({
    id: z.string(),
    deploymentId: z.string(),
    tenant: z.string(),
    reason: z.enum(RECOMMENDATION_REASONS).meta({
      description:
        "price-change: the current offer's price rose (or another's fell); new-offer: the proposal was not in the previous catalog; spot-drop: a spot price fell below the current cost",
    }),
    current: z.object({ placement: PlacementSchema, monthlyUsd: usd }).meta({
      description: "Where it runs now, repriced under catalogVersion",
    }),
    proposed: z.object({ placement: PlacementSchema, monthlyUsd: usd }).meta({
      description: "The cheapest placement inside the footprint under catalogVersion",
    }),
    savingMonthlyUsd: usd,
    savingPct: z.number().meta({ description: "Saving, percent of the current monthly cost" }),
    currency: z.literal("USD"),
    catalogVersion: z.string(),
    createdAt: timestamp,
    sweptAt: timestamp.meta({ description: "The last sweep that found it still worth it" }),
  })
  .meta({ id: "Recommendation" });

export const RecommendationListSchema = z
  .object({ items: z.array(RecommendationSchema) })
  .meta({ id: "RecommendationList" });

export const RecommendationsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    tenant: z
      .string()
      .max(TENANT_MAX)
      .regex(TENANT_PATTERN, TENANT_RULE)
      .optional()
      .meta({ description: "platform-admin only: one tenant's (default: every tenant's)" }),
  })
  .strict();

export const RequoteBody = z
  .object({
    tenant: z
      .string()
      .max(TENANT_MAX)
      .regex(TENANT_PATTERN, TENANT_RULE)
      .optional()
      .meta({ description: "platform-admin only: sweep one tenant (default: every tenant; an admin sweeps its own)" }),
  })
  .strict();

export const RequoteReportSchema = z
  .object({
    catalogVersion: z.string(),
    catalogHash: z.string().meta({ description: "SHA-256 of the catalog file the sweep read" }),
    swept: z.number().int().meta({ description: "Live deployments re-quoted" }),
    skipped: z
      .number()
      .int()
      .meta({ description: "Live deployments not re-quoted (offer unpriced, nothing feasible)" }),
    recommended: z.number().int().meta({ description: "Recommendations this sweep made or refreshed" }),
    durationMs: z.number(),
    currency: z.literal("USD"),
    recommendations: z
      .array(RecommendationSchema)
      .meta({ description: "Standing after the sweep, biggest saving first (at most 1,000)" }),
  })
  .meta({ id: "RequoteReport" });

export const MigrateBody = z
  .union([
    z.object({ recommendationId: z.string().min(1).max(64) }).strict(),
    z
      .object({
        placement: z
          .object({
            cloud: CloudSchema,
            region: z.string().trim().min(1).max(MAX_CODE_LENGTH),
            instanceType: z.string().trim().min(1).max(MAX_CODE_LENGTH),
            capacity: z.enum(CAPACITIES),
          })
          .strict(),
      })
      .strict(),
  ])
  .meta({
    id: "MigrateRequest",
    description: "Where to move it: a recommendation of this deployment, or one catalog offer inside the footprint",
  });

export const MigrationAcceptedSchema = z
  .object({
    deployment: DeploymentSchema,
    migration: z.object({
      operationId: z.string(),
      fromStack: z.string(),
      toStack: z.string(),
      placement: PlacementSchema,
      monthlyUsd: usd,
      currency: z.literal("USD"),
      catalogVersion: z.string(),
      recommendationId: z.string().nullable(),
    }),
  })
  .meta({ id: "MigrationAccepted" });
