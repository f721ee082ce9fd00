/**
 * Schemas of Envoy Gateway's custom resources (gateway.envoyproxy.io/v1alpha1) that model stacks
 * register, for the offline schema check: no `@kubernetes-models/*` package ships them. Written
 * from the Go API types the CRDs are generated from, envoyproxy/gateway
 * `api/v1alpha1/backendtrafficpolicy_types.go` (spec fields, the CEL rules on targetRef(s)),
 * `retry_types.go` (Retry, RetryOn and its trigger enum, PerRetryPolicy, BackOffPolicy),
 * `timeout_types.go` and `shared_types.go` (MergeType), read 2026-11-30 for the pinned chart (the
 * envoy-gateway row of providers/limits/addons.ts). Only the fields a modelplane stack sets are
 * typed; the rest of the spec passes as unknown fields, which the API server prunes rather than
 * rejects. Durations are Gateway API `Duration`s (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`).
 */
import { z } from "zod";
import { errorsOf } from "./crd-schemas";

export const BACKEND_TRAFFIC_POLICY_SOURCE =
  "envoyproxy/gateway api/v1alpha1 backendtrafficpolicy_types.go + retry_types.go, read 2026-11-30";

const string = z.string({ error: "must be string" });
const object = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape, { error: "must be object" });
const duration = string.regex(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/, {
  error: 'must match pattern "^([0-9]{1,5}(h|m|s|ms)){1,4}$"',
});
const POLICY_TARGET_KINDS = ["Gateway", "HTTPRoute", "GRPCRoute", "UDPRoute", "TCPRoute", "TLSRoute"] as const;
const target = object({
  group: z.literal("gateway.networking.k8s.io", {
    error: "this policy can only have a targetRefs[*].group of gateway.networking.k8s.io",
  }),
  kind: z.enum(POLICY_TARGET_KINDS, {
    error: "this policy can only have a targetRefs[*].kind of Gateway/HTTPRoute/GRPCRoute/TCPRoute/UDPRoute/TLSRoute",
  }),
  name: string.min(1, { error: "must not be empty" }),
  sectionName: z.undefined({ error: "this policy does not yet support the sectionName field" }).optional(),
});
const TRIGGERS = [
  "5xx",
  "gateway-error",
  "reset",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
] as const;

const BACKEND_TRAFFIC_POLICY = object({
  apiVersion: string.optional(),
  kind: string.optional(),
  metadata: object({}).optional(),
  spec: object({
    targetRef: target.optional(),
    targetRefs: z.array(target, { error: "must be array" }).optional(),
    targetSelectors: z.array(object({}), { error: "must be array" }).optional(),
    mergeType: z.enum(["StrategicMerge", "JSONMerge"], { error: "must be StrategicMerge or JSONMerge" }).optional(),
    retry: object({
      numRetries: z.number({ error: "must be integer" }).int({ error: "must be integer" }).min(0).optional(),
      retryOn: object({
        triggers: z.array(z.enum(TRIGGERS, { error: `must be one of ${TRIGGERS.join(", ")}` })).optional(),
        httpStatusCodes: z
          .array(z.number().int({ error: "must be integer" }).min(100).max(600, { error: "must be 100-600" }))
          .optional(),
      }).optional(),
      perRetry: object({
        timeout: duration.optional(),
        backOff: object({ baseInterval: duration.optional(), maxInterval: duration.optional() }).optional(),
      }).optional(),
    }).optional(),
    timeout: object({
      tcp: object({ connectTimeout: duration.optional() }).optional(),
      http: object({
        connectionIdleTimeout: duration.optional(),
        maxConnectionDuration: duration.optional(),
        requestTimeout: duration.optional(),
      }).optional(),
    }).optional(),
  })
    .refine(
      (s) => (s.targetRef !== undefined) !== (s.targetRefs !== undefined) || (s.targetSelectors?.length ?? 0) > 0,
      {
        error: "either targetRef or targetRefs must be used",
      },
    )
    .refine(
      (s) => s.mergeType === undefined || ![s.targetRef, ...(s.targetRefs ?? [])].some((t) => t?.kind === "Gateway"),
      { error: "mergeType cannot be set when targeting a parent resource (Gateway)" },
    ),
});

/** gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy. */
export class BackendTrafficPolicy {
  static readonly apiVersion = "gateway.envoyproxy.io/v1alpha1";
  static readonly kind = "BackendTrafficPolicy";
  constructor(private readonly data: unknown) {}
  validate(): void {
    const errors = errorsOf(BACKEND_TRAFFIC_POLICY, this.data);
    if (errors.length > 0) {
      const err = new Error(errors.map((e) => `data${e.instancePath} ${e.message}`).join(", "));
      throw Object.assign(err, { errors });
    }
  }
}
