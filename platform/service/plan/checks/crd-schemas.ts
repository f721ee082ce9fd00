/**
 * Schemas of custom resources no `@kubernetes-models/*` package ships, written from the CRD the
 * pinned chart installs (providers/limits/addons.ts), as model classes shaped like
 * kubernetes-models' (`new X(obj).validate()` throws with ajv-style `errors`), so the schema
 * check treats them alike.
 *
 * HTTPScaledObject (http.keda.sh/v1alpha1), KEDA HTTP add-on: fields and types from the CRD
 * `config/crd/bases/http.keda.sh_httpscaledobjects.yaml` of kedacore/http-add-on (controller-gen
 * v0.19.0, the version with `scalingMetric`, `coldStartTimeoutFailoverRef` and `timeouts`),
 * https://github.com/kedacore/http-add-on/blob/main/config/crd/bases/http.keda.sh_httpscaledobjects.yaml,
 * read 2026-11-30. Unknown fields are pruned by the API server, not rejected, so they pass here too.
 */
import { z } from "zod";

export const HTTP_SCALED_OBJECT_SOURCE =
  "kedacore/http-add-on CRD http.keda.sh_httpscaledobjects.yaml (controller-gen v0.19.0), read 2026-11-30";

/** format: int32 integers. */
const int32 = z
  .number({ error: "must be integer" })
  .int({ error: "must be integer" })
  .min(-(2 ** 31), { error: "must be an int32" })
  .max(2 ** 31 - 1, { error: "must be an int32" });
const integer = z.number({ error: "must be integer" }).int({ error: "must be integer" });
const string = z.string({ error: "must be string" });
const strings = z.array(string, { error: "must be array" });
const object = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape, { error: "must be object" });

/** A service and port (or port name), exactly one of port and portName (the CRD's CEL rule). */
const serviceRef = <T extends z.ZodRawShape>(extra: T) =>
  object({ service: string, port: int32.optional(), portName: string.optional(), ...extra }).refine(
    (r) => (r.port !== undefined) !== (r.portName !== undefined),
    { error: "must define either the 'portName' or the 'port'" },
  );

const HTTP_SCALED_OBJECT = object({
  apiVersion: string.optional(),
  kind: string.optional(),
  metadata: object({}).optional(),
  spec: object({
    hosts: strings.optional(),
    pathPrefixes: strings.optional(),
    headers: z
      .array(object({ name: string.min(1, { error: "must not be empty" }), value: string.optional() }))
      .optional(),
    initialCooldownPeriod: int32.optional(),
    replicas: object({ min: int32.optional(), max: int32.optional() }).optional(),
    scaleTargetRef: serviceRef({ apiVersion: string.optional(), kind: string.optional(), name: string.optional() }),
    coldStartTimeoutFailoverRef: serviceRef({ timeoutSeconds: int32.optional() }).optional(),
    scaledownPeriod: int32.optional(),
    scalingMetric: object({
      concurrency: object({ targetValue: integer.optional() }).optional(),
      requestRate: object({
        granularity: string.optional(),
        targetValue: integer.optional(),
        window: string.optional(),
      }).optional(),
    }).optional(),
    targetPendingRequests: int32.optional(),
    timeouts: object({ conditionWait: string.optional(), responseHeader: string.optional() }).optional(),
  }),
});

/** An ajv-style error, as kubernetes-models' validate() reports them. */
export interface SchemaError {
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let cur: unknown = data;
  for (const p of path) cur = typeof cur === "object" && cur !== null ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

export function errorsOf(schema: z.ZodType, data: unknown): SchemaError[] {
  const result = schema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const missing = issue.code === "invalid_type" && valueAt(data, path) === undefined;
    if (missing) {
      const last = path.pop() ?? "";
      return {
        instancePath: path.map((p) => `/${p}`).join(""),
        message: "is required",
        params: { missingProperty: last },
      };
    }
    return { instancePath: path.map((p) => `/${p}`).join(""), message: issue.message, params: {} };
  });
}

/** http.keda.sh/v1alpha1 HTTPScaledObject. */
export class HTTPScaledObject {
  static readonly apiVersion = "http.keda.sh/v1alpha1";
  static readonly kind = "HTTPScaledObject";
  constructor(private readonly data: unknown) {}
  validate(): void {
    const errors = errorsOf(HTTP_SCALED_OBJECT, this.data);
    if (errors.length > 0) {
      const err = new Error(errors.map((e) => `data${e.instancePath} ${e.message}`).join(", "));
      throw Object.assign(err, { errors });
    }
  }
}

/** A model class (as kubernetes-models') over a CRD schema a cloud writes as data (providers' `crdSchemas`). */
export function modelOfSchema(
  apiVersion: string,
  kind: string,
  schema: z.ZodType,
): (new (data: unknown) => { validate(): void }) & { apiVersion: string; kind: string } {
  return class {
    static readonly apiVersion = apiVersion;
    static readonly kind = kind;
    constructor(private readonly data: unknown) {}
    validate(): void {
      const errors = errorsOf(schema, this.data);
      if (errors.length > 0) {
        const err = new Error(errors.map((e) => `data${e.instancePath} ${e.message}`).join(", "));
        throw Object.assign(err, { errors });
      }
    }
  };
}
