/**
 * Schema check: every Kubernetes object a stack registers (type `kubernetes:<group>/<version>:<Kind>`)
 * validates against its upstream OpenAPI schema, as shipped in `kubernetes-models` 4.5.1 (the
 * Kubernetes API), `@kubernetes-models/keda` 0.4.2, `@kubernetes-models/gateway-api` 0.5.1 and
 * `@kubernetes-models/prometheus-operator` 5.0.1 (versions pinned in package.json). A Kubernetes
 * type with no row in SCHEMAS is an error ("no schema"): nothing passes unchecked.
 *
 * How recorded values are represented for validation:
 * - secrets: the recording shows `"[secret]"`, but keeps the plain value apart (the mocks know
 *   it); the check validates the plain value, and never prints it;
 * - outputs the mocks cannot compute are absent (a required one fails as "must have required
 *   property"); a value still shown as `"[unknown]"` that fails its schema is a warning
 *   ("not checkable offline"), not an error.
 *
 * The model packages are ESM-only (prometheus-operator) or dual; each module is imported once per
 * process (`import()` caches modules, and this file caches the lookups) and only when a stack
 * registers its type.
 */
import type { RecordedResource } from "../record";
import { UNKNOWN } from "../record";
import { kubernetesKindOf, PLAN_CHECK_MODULES } from "../../../../providers/plan-checks";
import { atPointer, fieldName, setAt } from "./paths";
import { HTTP_SCALED_OBJECT_SOURCE, HTTPScaledObject, modelOfSchema } from "./crd-schemas";
import { gatewayCrdSchemas } from "./gateway-crds";
import { BACKEND_TRAFFIC_POLICY_SOURCE, BackendTrafficPolicy } from "./envoy-gateway-schemas";
import type { PlanFinding } from "./types";

interface Model {
  validate(): void;
}
/** A model class (kubernetes-models' or ./crd-schemas'): `new X(obj).validate()` throws on a bad object. */
export type ModelClass = (new (data: unknown) => Model) & { apiVersion?: string; kind?: string };

/** Module and export of a model class, or a model written here from a chart's CRD (with its source). */
export type ModelRef =
  readonly [module: string, exportName: string] | { readonly model: ModelClass; readonly source: string };

const core = (kind: string): [string, ModelRef] => [
  `kubernetes:core/v1:${kind}`,
  [`kubernetes-models/v1/${kind}`, kind],
];
const api = (group: string, version: string, kind: string): [string, ModelRef] => [
  `kubernetes:${group}/${version}:${kind}`,
  [`kubernetes-models/${group}/${version}/${kind}`, kind],
];
const keda = (kind: string): [string, ModelRef] => [
  `kubernetes:keda.sh/v1alpha1:${kind}`,
  [`@kubernetes-models/keda/keda.sh/v1alpha1/${kind}`, kind],
];
const gateway = (version: string, kind: string): [string, ModelRef] => [
  `kubernetes:gateway.networking.k8s.io/${version}:${kind}`,
  [`@kubernetes-models/gateway-api/gateway.networking.k8s.io/${version}/${kind}`, kind],
];
const monitoring = (kind: string): [string, ModelRef] => [
  `kubernetes:monitoring.coreos.com/v1:${kind}`,
  [`@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`, kind],
];

const BTP_TOKEN = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";

/** A model class that validates with every one of `models` and reports all their errors. */
function allOf(models: readonly ModelClass[], apiVersion: string, kind: string): ModelClass {
  return class {
    static readonly apiVersion = apiVersion;
    static readonly kind = kind;
    constructor(private readonly data: unknown) {}
    validate(): void {
      const errors: unknown[] = [];
      const messages: string[] = [];
      for (const M of models) {
        try {
          new M(this.data).validate();
        } catch (err) {
          const e = err as Error & { errors?: unknown[] };
          errors.push(...(e.errors ?? []));
          messages.push(e.message);
        }
      }
      if (messages.length > 0) throw Object.assign(new Error(messages.join(", ")), { errors });
    }
  };
}

/** The BackendTrafficPolicy row: envoy-gateway-schemas.ts's model and gateway-crds.ts's contract together. */
function backendTrafficPolicyRef(): ModelRef {
  const contract = gatewayCrdSchemas().find(([token]) => token === BTP_TOKEN)?.[1];
  if (!contract || !("model" in contract))
    return { model: BackendTrafficPolicy, source: BACKEND_TRAFFIC_POLICY_SOURCE };
  return {
    model: allOf([BackendTrafficPolicy, contract.model], BackendTrafficPolicy.apiVersion, BackendTrafficPolicy.kind),
    source: `${BACKEND_TRAFFIC_POLICY_SOURCE}; ${contract.source}`,
  };
}

/** Pulumi type token → model class (module, export): the one table of schemas. */
export const SCHEMAS: ReadonlyMap<string, ModelRef> = new Map<string, ModelRef>([
  ...["Namespace", "Service", "ServiceAccount", "ConfigMap", "Secret", "Pod", "PersistentVolumeClaim"].map(core),
  ...["LimitRange", "ResourceQuota", "Endpoints"].map(core),
  ...["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].map((k) => api("apps", "v1", k)),
  api("autoscaling", "v2", "HorizontalPodAutoscaler"),
  api("autoscaling", "v1", "HorizontalPodAutoscaler"),
  api("policy", "v1", "PodDisruptionBudget"),
  api("batch", "v1", "Job"),
  api("batch", "v1", "CronJob"),
  ...["Ingress", "IngressClass", "NetworkPolicy"].map((k) => api("networking.k8s.io", "v1", k)),
  ...["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"].map((k) => api("rbac.authorization.k8s.io", "v1", k)),
  api("scheduling.k8s.io", "v1", "PriorityClass"),
  api("storage.k8s.io", "v1", "StorageClass"),
  api("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
  api("apiregistration.k8s.io", "v1", "APIService"),
  ...["ScaledObject", "ScaledJob", "TriggerAuthentication", "ClusterTriggerAuthentication"].map(keda),
  ...["Gateway", "GatewayClass", "HTTPRoute"].map((k) => gateway("v1", k)),
  ...["Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant"].map((k) => gateway("v1beta1", k)),
  gateway("v1alpha2", "GRPCRoute"),
  ...["PodMonitor", "ServiceMonitor", "PrometheusRule", "Prometheus", "Alertmanager", "Probe"].map(monitoring),
  ["kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject", { model: HTTPScaledObject, source: HTTP_SCALED_OBJECT_SOURCE }],
  // Envoy Gateway policies, filter and Backend; BackendTLSPolicy v1; cert-manager (providers/limits/gateway-crds.ts).
  ...gatewayCrdSchemas().filter(([token]) => token !== BTP_TOKEN),
  // BackendTrafficPolicy: the typed retry/timeout/target model AND the rate-limit contract, both.
  [BTP_TOKEN, backendTrafficPolicyRef()],
  // Custom resources a cloud writes as data (GKE's ComputeClass: providers/gcp/compute-class.ts).
  ...PLAN_CHECK_MODULES.flatMap((m) => m.crdSchemas ?? []).map((c): [string, ModelRef] => [
    `kubernetes:${c.apiVersion}:${c.kind}`,
    { model: modelOfSchema(c.apiVersion, c.kind, c.schema), source: c.source },
  ]),
]);

/** Where the schemas come from, for messages. */
const SOURCES: ReadonlyArray<readonly [prefix: string, source: string]> = [
  ["kubernetes-models/", "kubernetes-models 4.5.1 (Kubernetes OpenAPI)"],
  ["@kubernetes-models/keda/", "@kubernetes-models/keda 0.4.2 (KEDA CRDs)"],
  ["@kubernetes-models/gateway-api/", "@kubernetes-models/gateway-api 0.5.1 (Gateway API CRDs)"],
  [
    "@kubernetes-models/prometheus-operator/",
    "@kubernetes-models/prometheus-operator 5.0.1 (Prometheus Operator CRDs)",
  ],
];
const sourceOf = (ref: ModelRef): string =>
  "model" in ref ? ref.source : (SOURCES.find(([p]) => ref[0].startsWith(p))?.[1] ?? ref[0]);

const loaded = new Map<string, Promise<ModelClass>>();

/** The model class for a table row, imported once per process. */
export function load(ref: ModelRef): Promise<ModelClass> {
  if ("model" in ref) return Promise.resolve(ref.model);
  const key = `${ref[0]}#${ref[1]}`;
  let p = loaded.get(key);
  if (!p) {
    p = import(ref[0]).then((mod: unknown) => {
      const cls = (mod as Record<string, unknown>)[ref[1]];
      if (typeof cls !== "function") throw new Error(`${ref[0]} exports no ${ref[1]}`);
      return cls as ModelClass;
    });
    loaded.set(key, p);
  }
  return p;
}

/** Load every schema the table names (the bench and tests warm the cache with it). */
export async function loadAllSchemas(): Promise<number> {
  await Promise.all([...SCHEMAS.values()].map(load));
  return SCHEMAS.size;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** The object as it will be sent: inputs with secrets put back (plain deep copy). */
function objectOf(r: RecordedResource): Record<string, unknown> {
  const copy = structuredClone(r.inputs);
  for (const s of r.secrets ?? []) setAt(copy, s.path, s.value);
  return copy;
}

/** Validate one Kubernetes object; [] when it is valid or not a Kubernetes object. */
export async function checkSchema(r: RecordedResource): Promise<PlanFinding[]> {
  const kind = kubernetesKindOf(r.type);
  if (!kind || !r.custom) return [];
  const resource = { type: r.type, name: r.name };
  const ref = SCHEMAS.get(r.type);
  if (!ref) {
    return [
      {
        level: "error",
        check: "schema",
        resource,
        message: `${r.type} ${r.name}: no schema for ${kind.apiVersion} ${kind.kind}, so the object cannot be validated offline; add its model to SCHEMAS in platform/service/plan/checks/schema.ts`,
      },
    ];
  }
  const source = sourceOf(ref);
  const Model = await load(ref);
  const object = objectOf(r);
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    const list: AjvError[] = Array.isArray(errors) && errors.length > 0 ? errors : [{ message: String(err) }];
    return list.map((e): PlanFinding => {
      const pointer = e.instancePath ?? "";
      const missing = typeof e.params?.["missingProperty"] === "string" ? e.params["missingProperty"] : undefined;
      const field = fieldName(missing ? `${pointer}/${missing}` : pointer);
      const unknown = atPointer(r.inputs, pointer) === UNKNOWN;
      return {
        level: unknown ? "warning" : "error",
        check: "schema",
        resource,
        field,
        message: unknown
          ? `${r.type} ${r.name}: ${field} is only known after deployment; not checkable offline against ${source}`
          : `${r.type} ${r.name}: ${field || "(object)"} ${missing ? "is required" : (e.message ?? "is invalid")} (schema: ${source}, ${kind.apiVersion} ${kind.kind})`,
        source,
      };
    });
  }
}
