/**
 * `ANY /v1/inference-keys/check/:namespace/:service/…` (public: it authenticates inference keys,
 * not management keys): the cluster gateway's ext auth (programs/platform/outputs.ts
 * `GatewayOutput`). Envoy forwards the original request's method and path, prefixed, with its
 * `Authorization` header (envoyproxy/envoy#44564, 2026-04-21: "The HTTP ext_authz filter forwards
 * the original request's method to the authorization server verbatim").
 *
 * 200 with `x-modelplane-tenant` and `x-modelplane-inference-key` (the key id, never the secret; the
 * gateway rate-limits on it); 401/403/429 in OpenAI's error shape, which the gateway returns to the
 * caller as it is. See api/inference-check.ts.
 */
import { defineEndpoint } from "../endpoint";
import { InferenceCheckParams, InferenceCheckSchema, OpenAiErrorSchema } from "../inference-schemas";
import { servicesOf } from "../services";

export const checkInferenceKey = defineEndpoint({
  method: "get",
  anyMethod: true,
  path: "/v1/inference-keys/check/:namespace/:service{/*path}",
  summary:
    "The gateway's auth check of an inference key (any method: the original request's); 200 with x-modelplane-tenant and x-modelplane-inference-key",
  tags: ["inference-keys"],
  role: null,
  params: InferenceCheckParams,
  responses: {
    200: { description: "The key may call this model", schema: InferenceCheckSchema },
    401: { description: "Missing, malformed, unknown or revoked key (OpenAI error shape)", schema: OpenAiErrorSchema },
    403: { description: "The key's tenant does not own the namespace (OpenAI error shape)", schema: OpenAiErrorSchema },
    429: {
      description: "The key's rate limit, or too many bad keys from this address (OpenAI error shape)",
      schema: OpenAiErrorSchema,
    },
  },
  async handle({ params, req }) {
    const auth = req.headers.authorization;
    const outcome = await servicesOf(req.app).inference.check(
      auth,
      req.socket.remoteAddress ?? "unknown",
      params.namespace,
    );
    if (!outcome.ok) {
      const headers: Record<string, string> = {};
      if (outcome.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="modelplane-inference"';
      if (outcome.retryAfterSeconds !== undefined) headers["Retry-After"] = String(outcome.retryAfterSeconds);
      return { status: outcome.status, body: outcome.body, headers };
    }
    return {
      status: 200,
      body: { allowed: true, tenant: outcome.key.tenant, keyId: outcome.key.id },
      headers: { "x-modelplane-tenant": outcome.key.tenant, "x-modelplane-inference-key": outcome.key.id },
    };
  },
});
