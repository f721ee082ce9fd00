/**
 * Schemas of the inference-key endpoints (issue 14) and of the gateway's auth check, whose errors
 * take OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`): the gateway passes a
 * denied check's answer to the model's caller, an OpenAI SDK.
 */
import { z } from "zod";
import { TENANT_MAX, TENANT_PATTERN, TENANT_RULE } from "../platform/core/tenant";
import { MAX_INFERENCE_RATE_LIMIT_PER_MINUTE } from "../platform/service/controlplane/inference-keys";
import { DEFAULT_INFERENCE_RATE_LIMIT_PER_MINUTE } from "../platform/service/types";

const timestamp = z.string().meta({ description: "ISO 8601 timestamp" });
const tenant = z
  .string()
  .max(TENANT_MAX, `tenant must be at most ${TENANT_MAX} characters`)
  .regex(TENANT_PATTERN, `tenant must be ${TENANT_RULE}`);

export const InferenceKeySchema = z
  .object({
    id: z.string(),
    prefix: z.string().meta({ description: "The public part of the key, `mpi_<prefix>`" }),
    tenant: z.string(),
    name: z.string(),
    rateLimitPerMinute: z.number().int().meta({ description: "Requests per minute the gateway lets this key make" }),
    createdBy: z.string().meta({ description: "The management key that created it" }),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable().meta({ description: "Last request through the gateway (minute precision)" }),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: "InferenceKey" });

export const InferenceKeyListSchema = z.object({ items: z.array(InferenceKeySchema) }).meta({ id: "InferenceKeyList" });

export const CreatedInferenceKeySchema = z
  .object({
    key: InferenceKeySchema,
    secret: z.string().meta({ description: "The key (`mpi_…`); shown once, stored only hashed" }),
  })
  .meta({ id: "CreatedInferenceKey" });

export const CreateInferenceKeyBody = z
  .object({
    name: z.string().trim().min(1, "name must not be empty").max(64),
    rateLimitPerMinute: z
      .number()
      .int("rateLimitPerMinute must be a whole number")
      .min(1, `rateLimitPerMinute must be 1..${MAX_INFERENCE_RATE_LIMIT_PER_MINUTE}`)
      .max(MAX_INFERENCE_RATE_LIMIT_PER_MINUTE, `rateLimitPerMinute must be 1..${MAX_INFERENCE_RATE_LIMIT_PER_MINUTE}`)
      .optional()
      .meta({ description: `Requests per minute (default ${DEFAULT_INFERENCE_RATE_LIMIT_PER_MINUTE})` }),
    tenant: tenant.optional().meta({ description: "platform-admin only: another tenant (default: the caller's)" }),
  })
  .strict();

export const ListInferenceKeysQuery = z
  .object({
    tenant: tenant.optional().meta({ description: "platform-admin only: one tenant's keys (default: the caller's)" }),
    limit: z.coerce
      .number()
      .int("limit must be a whole number")
      .min(1, "limit must be 1..500")
      .max(500, "limit must be 1..500")
      .default(100),
  })
  .strict();

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const InferenceCheckParams = z.object({
  namespace: z.string().max(63).regex(DNS_LABEL, "namespace must be a Kubernetes namespace name"),
  service: z.string().max(63).regex(DNS_LABEL, "service must be a Kubernetes service name"),
  path: z
    .array(z.string().max(1024))
    .max(64)
    .optional()
    .meta({ description: "The original request path after `/<namespace>/<service>/` (e.g. `v1/chat/completions`)" }),
});

export const InferenceCheckSchema = z
  .object({
    allowed: z.literal(true),
    tenant: z.string(),
    keyId: z.string(),
  })
  .meta({ id: "InferenceCheck" });

/** OpenAI's error body, so the OpenAI SDKs raise their usual errors through the gateway. */
export const OpenAiErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().meta({ description: "`invalid_request_error`, `permission_error`, `rate_limit_error`" }),
      param: z.null(),
      code: z
        .string()
        .meta({ description: "`invalid_api_key`, `missing_api_key`, `forbidden`, `rate_limit_exceeded`" }),
    }),
  })
  .meta({ id: "OpenAiError" });
export type OpenAiError = z.output<typeof OpenAiErrorSchema>;

/** How to call a deployment's model (`GET /v1/deployments/:id`): a URL and a curl, or why there is none. */
export const CallEndpointSchema = z
  .union([
    z.object({
      url: z.string().meta({ description: "The OpenAI base URL (`https://…/v1`): `OpenAI(base_url=url)`" }),
      curl: z
        .string()
        .meta({ description: "A ready-to-paste call of `/chat/completions` with $MODELPLANE_INFERENCE_KEY" }),
      model: z.string().meta({ description: "The `model` the server answers to" }),
      unverified: z.string().optional().meta({
        description:
          "Present when the deployment is `unverified`: applied, but the control plane could not see it serve; why (the URL may not answer yet)",
      }),
    }),
    z.object({
      url: z.null(),
      reason: z.string().meta({ description: "Why there is no external https URL (yet)" }),
    }),
  ])
  .meta({ id: "CallEndpoint" });
export type CallEndpoint = z.output<typeof CallEndpointSchema>;
