/**
 * Pure builders for a model's route through the cluster's inference gateway (issue 14): the
 * Gateway API objects a model stack adds beside its ModelService. No Pulumi here; tested without
 * mocks and validated against `@kubernetes-models/gateway-api` by the tests.
 *
 * Path routing (the `GatewayOutput` contract in programs/platform/outputs.ts): a model is served at
 * `https://<gateway>/<namespace>/<service>/v1`. The `HTTPRoute` matches PathPrefix
 * `/<namespace>/<service>` and rewrites it to `/` (URLRewrite `ReplacePrefixMatch`), so vLLM sees
 * `/v1/chat/completions` and the OpenAI SDK works unchanged with that `base_url`.
 *
 * Revisions and canaries: each revision of the serving spec runs as its own Service and Deployment
 * (`revisionName`); the route splits one rule's traffic by backendRef `weight`
 * (`routeBackends`). Without a rollout there is one backend at weight 100.
 *
 * Wake from zero: a scale-to-zero revision is reached through the KEDA HTTP add-on interceptor
 * (installed by the platform, providers/kubernetes/platform-addons.ts), which routes by Host
 * header, counts the request and holds it while KEDA scales the Deployment from zero. The backend
 * is then the interceptor's Service in the add-on's namespace (a `ReferenceGrant` there lets the
 * route reach it) and the Host is rewritten to the revision's wake host, which its
 * HTTPScaledObject lists. The route's request timeout covers the wake window (`wakeWindow`), and a
 * `BackendTrafficPolicy` retries a refused connection or a 503 with backoff instead of failing the
 * first request at once.
 *
 * Field names: Gateway API v1 HTTPRoute (`rules[].timeouts.request`, `filters[].urlRewrite`,
 * `backendRefs[].weight`/`filters`) and v1beta1 ReferenceGrant, as in `@kubernetes-models/gateway-api`
 * 0.5.1; Envoy Gateway's BackendTrafficPolicy (`targetRefs`, `mergeType`, `retry.numRetries`,
 * `retry.retryOn.{triggers,httpStatusCodes}`, `retry.perRetry.backOff.{baseInterval,maxInterval}`)
 * from envoyproxy/gateway `api/v1alpha1/backendtrafficpolicy_types.go` and `retry_types.go`, read
 * 2026-11-30. A per-backend `URLRewrite` of the hostname needs Envoy Gateway >= v1.7
 * (envoyproxy/gateway#7826, "support urlrewrite filter for individual backends", merged
 * 2025-12-26); the platform pins a later release (the envoy-gateway row of providers/limits/addons.ts).
 */
import { ValidationError } from "../../platform/core/validation";
import { checkName } from "../limits/names";
import {
  INTERCEPTOR_PORT,
  INTERCEPTOR_RESPONSE_HEADER_TIMEOUT,
  INTERCEPTOR_SERVICE,
  INTERCEPTOR_WAIT_TIMEOUT,
  KEDA_NAMESPACE,
} from "./platform-addons";

/** Port of a model's ClusterIP Service (ModelService). */
export const MODEL_SERVICE_PORT = 80;

/** Gateway API group, for parentRefs, targetRefs and ReferenceGrants. */
export const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** Seconds in a Go-style duration the charts use (`"3600s"`). */
function seconds(duration: string): number {
  const m = /^(\d+)s$/.exec(duration);
  if (!m) throw new Error(`unreachable: duration "${duration}" is not whole seconds`);
  return Number(m[1]);
}

/** How long the interceptor holds a request for a model at zero replicas (the platform's chart value). */
export const INTERCEPTOR_WAIT_SECONDS = seconds(INTERCEPTOR_WAIT_TIMEOUT);
/** How long the interceptor waits for response headers once forwarded (the platform's chart value). */
export const RESPONSE_HEADER_SECONDS = seconds(INTERCEPTOR_RESPONSE_HEADER_TIMEOUT);

/**
 * Kubernetes name of a revision's Service and Deployment. Revision 1 keeps the unsuffixed name, so
 * a deployment that never rolls out keeps the names it always had; revision N is `<base>-r<N>`.
 * The longest name derived from it, the wake Service `<name>-wake`, must stay a valid Service name.
 */
export function revisionName(base: string, revision: number): string {
  if (!Number.isInteger(revision) || revision < 1)
    throw new ValidationError("revision", `${JSON.stringify(revision)} must be a whole number >= 1`);
  const name = revision === 1 ? base : `${base}-r${revision}`;
  const violation = checkName("k8s-service", `${name}-wake`);
  if (violation) throw new ValidationError("revision", `${revision} makes a name too long: ${violation.message}`);
  return name;
}

/** The path a model is served under on its cluster's gateway: `/<namespace>/<service>`. */
export function routePathPrefix(namespace: string, service: string): string {
  for (const [field, v] of [
    ["namespace", namespace],
    ["service", service],
  ] as const) {
    const violation = checkName("k8s-dns-label", v);
    if (violation) throw new ValidationError(field, violation.message);
  }
  return `/${namespace}/${service}`;
}

/** The OpenAI base URL of a model on a gateway: `${gatewayUrl}/<namespace>/<service>/v1`. */
export function gatewayEndpoint(gatewayUrl: string, namespace: string, service: string): string {
  if (!gatewayUrl.startsWith("https://"))
    throw new ValidationError("gateway.url", `"${gatewayUrl}" must start with https://`);
  return `${gatewayUrl.replace(/\/+$/, "")}${routePathPrefix(namespace, service)}/v1`;
}

/** One revision the route sends traffic to. */
export interface RevisionTarget {
  revision: number;
  /** The revision's Service (same namespace as the route). */
  service: string;
  /** Percent of requests, 0-100. */
  weight: number;
  /**
   * Scale-to-zero revisions: the Host the KEDA HTTP interceptor routes to this revision (one of its
   * HTTPScaledObject's `hosts`). Absent: the route calls the Service directly.
   */
  wakeHost?: string;
}

/** The rollout in progress, as the route sees it. */
export interface RouteRollout {
  /** Percent of requests to the spec's (new) revision, 0-100. */
  weight: number;
  /** The revision serving before the rollout. */
  stableRevision: number;
}

/**
 * Weights per revision: the spec's revision alone at 100 without a rollout; during a rollout the
 * new revision gets `weight` and the stable one `100 - weight` (blue/green is 0, then 100 on
 * promote). Pure; the weights always sum to 100.
 */
export function revisionWeights(
  revision: number,
  rollout: RouteRollout | undefined,
): Array<{ revision: number; weight: number }> {
  if (!rollout) return [{ revision, weight: 100 }];
  const w = rollout.weight;
  if (!Number.isInteger(w) || w < 0 || w > 100)
    throw new ValidationError("rollout.weight", `${JSON.stringify(w)} must be a whole number 0-100`);
  if (rollout.stableRevision >= revision)
    throw new ValidationError(
      "rollout.stable.revision",
      `${rollout.stableRevision} must be older than the spec's revision (${revision})`,
    );
  return [
    { revision, weight: w },
    { revision: rollout.stableRevision, weight: 100 - w },
  ];
}

/** The gateway a route attaches to (from `GatewayOutput`). */
export interface RouteGateway {
  name: string;
  namespace: string;
  listener: string;
}

export interface HttpRouteArgs {
  /** The HTTPRoute's name (and the BackendTrafficPolicy's). */
  name: string;
  /** The route's namespace: the model's (tenant) namespace, where its Services live. */
  namespace: string;
  /** `routePathPrefix(namespace, service)`. */
  pathPrefix: string;
  gateway: RouteGateway;
  targets: RevisionTarget[];
  /** `timeouts.request` of the rule, seconds (whole request, including a wake). */
  requestTimeoutSeconds: number;
  labels: Record<string, string>;
}

type UrlRewrite = {
  type: "URLRewrite";
  urlRewrite: { hostname?: string; path?: { type: "ReplacePrefixMatch"; replacePrefixMatch: string } };
};

export interface HttpRouteObject {
  apiVersion: "gateway.networking.k8s.io/v1";
  kind: "HTTPRoute";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    parentRefs: Array<{ group: string; kind: "Gateway"; name: string; namespace: string; sectionName: string }>;
    rules: Array<{
      matches: Array<{ path: { type: "PathPrefix"; value: string } }>;
      filters: UrlRewrite[];
      backendRefs: Array<{
        group: "";
        kind: "Service";
        name: string;
        namespace?: string;
        port: number;
        weight: number;
        filters?: UrlRewrite[];
      }>;
      timeouts: { request: string };
    }>;
  };
}

/**
 * The HTTPRoute: one rule, PathPrefix `pathPrefix` rewritten to `/`, one weighted backendRef per
 * revision. A direct revision is its Service on port 80; a scale-to-zero revision is the
 * interceptor's Service (another namespace: see `referenceGrant`) with the Host rewritten to the
 * revision's wake host: in the rule's URLRewrite when it is the only backend, else on its own
 * backendRef (each revision has its own wake host).
 */
export function httpRoute(a: HttpRouteArgs): HttpRouteObject {
  if (a.targets.length === 0) throw new ValidationError("targets", "a route needs at least one revision");
  const total = a.targets.reduce((s, t) => s + t.weight, 0);
  if (total !== 100) throw new ValidationError("targets", `weights must sum to 100 (got ${total})`);
  if (!(a.requestTimeoutSeconds >= 1 && a.requestTimeoutSeconds <= 99_999))
    throw new ValidationError("requestTimeoutSeconds", `${a.requestTimeoutSeconds} must be 1-99999`);
  const single = a.targets.length === 1 ? a.targets[0] : undefined;
  const rewrite: UrlRewrite = {
    type: "URLRewrite",
    urlRewrite: {
      ...(single?.wakeHost !== undefined ? { hostname: single.wakeHost } : {}),
      path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" },
    },
  };
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: a.name, namespace: a.namespace, labels: a.labels },
    spec: {
      parentRefs: [
        {
          group: GATEWAY_GROUP,
          kind: "Gateway",
          name: a.gateway.name,
          namespace: a.gateway.namespace,
          sectionName: a.gateway.listener,
        },
      ],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: a.pathPrefix } }],
          filters: [rewrite],
          backendRefs: a.targets.map((t) =>
            t.wakeHost === undefined
              ? { group: "", kind: "Service", name: t.service, port: MODEL_SERVICE_PORT, weight: t.weight }
              : {
                  group: "",
                  kind: "Service",
                  name: INTERCEPTOR_SERVICE,
                  namespace: KEDA_NAMESPACE,
                  port: INTERCEPTOR_PORT,
                  weight: t.weight,
                  ...(single ? {} : { filters: [{ type: "URLRewrite", urlRewrite: { hostname: t.wakeHost } }] }),
                },
          ),
          timeouts: { request: `${a.requestTimeoutSeconds}s` },
        },
      ],
    },
  };
}

export interface ReferenceGrantObject {
  apiVersion: "gateway.networking.k8s.io/v1beta1";
  kind: "ReferenceGrant";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    from: Array<{ group: string; kind: "HTTPRoute"; namespace: string }>;
    to: Array<{ group: ""; kind: "Service"; name: string }>;
  };
}

/**
 * The ReferenceGrants a route needs: one in each namespace other than the route's that one of its
 * backendRefs points into (today only the interceptor's), letting HTTPRoutes of the route's
 * namespace reach exactly the named Service. Without it the gateway refuses the backend
 * (`ResolvedRefs: RefNotPermitted`).
 */
export function referenceGrants(route: HttpRouteObject, name: string): ReferenceGrantObject[] {
  const refs = route.spec.rules.flatMap((r) => r.backendRefs);
  const foreign = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (ref.namespace === undefined || ref.namespace === route.metadata.namespace) continue;
    foreign.set(ref.namespace, (foreign.get(ref.namespace) ?? new Set()).add(ref.name));
  }
  return [...foreign].map(([namespace, services]) => ({
    apiVersion: "gateway.networking.k8s.io/v1beta1",
    kind: "ReferenceGrant",
    metadata: { name, namespace, labels: route.metadata.labels },
    spec: {
      from: [{ group: GATEWAY_GROUP, kind: "HTTPRoute", namespace: route.metadata.namespace }],
      to: [...services].map((s) => ({ group: "", kind: "Service", name: s })),
    },
  }));
}

/** The wake window of a scale-to-zero model, and what bounds it. */
export interface WakeWindow {
  /** Seconds the first request may wait for a replica: the cold-start estimate, at most the interceptor's hold. */
  seconds: number;
  /** The model's cold-start estimate (a GPU node from zero, image, weights, server start; ASSUMED rates). */
  coldStartSeconds: number;
  /** True when the interceptor's hold (`INTERCEPTOR_WAIT_SECONDS`) is shorter than the estimate. */
  cappedByInterceptor: boolean;
  /** The route's `timeouts.request`: the window plus the time to the response's headers. */
  requestTimeoutSeconds: number;
}

/**
 * The wake window from the model's cold-start estimate (`rolloutTimeoutSeconds` in
 * providers/limits/timeouts.ts: node from zero, image pull, weight download and load, server start,
 * times a safety factor; every rate an ASSUMPTION). The interceptor holds a request at most
 * `INTERCEPTOR_WAIT_SECONDS`, so a longer estimate is capped there and says so.
 */
export function wakeWindow(coldStartSeconds: number): WakeWindow {
  if (!(coldStartSeconds > 0) || !Number.isFinite(coldStartSeconds))
    throw new ValidationError("coldStartSeconds", `${coldStartSeconds} must be a finite number > 0`);
  const cold = Math.ceil(coldStartSeconds);
  const secondsHeld = Math.min(cold, INTERCEPTOR_WAIT_SECONDS);
  return {
    seconds: secondsHeld,
    coldStartSeconds: cold,
    cappedByInterceptor: cold > INTERCEPTOR_WAIT_SECONDS,
    requestTimeoutSeconds: secondsHeld + RESPONSE_HEADER_SECONDS,
  };
}

/** Route timeout of a model that never scales to zero: time to the response's headers. */
export const WARM_REQUEST_TIMEOUT_SECONDS = RESPONSE_HEADER_SECONDS;

export interface BackendTrafficPolicyObject {
  apiVersion: "gateway.envoyproxy.io/v1alpha1";
  kind: "BackendTrafficPolicy";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    targetRefs: Array<{ group: string; kind: "HTTPRoute"; name: string }>;
    mergeType: "StrategicMerge";
    retry: {
      numRetries: number;
      retryOn: { triggers: string[]; httpStatusCodes: number[] };
      perRetry: { backOff: { baseInterval: string; maxInterval: string } };
    };
  };
}

/** Backoff of the wake retries: Envoy's fully jittered exponential backoff between these bounds. */
export const WAKE_RETRY_BASE_SECONDS = 1;
export const WAKE_RETRY_MAX_SECONDS = 30;

/**
 * The wake route's BackendTrafficPolicy: retry a refused or reset connection and a 503 (the
 * interceptor or a just-started pod not ready yet) with backoff, as many times as the wake window
 * holds at the longest backoff, so the first request to a model at zero is retried, never answered
 * 503 at once. `mergeType: StrategicMerge` merges it into the gateway's own BackendTrafficPolicy
 * (rate limits per key) instead of replacing it for this route (without it, only the most specific
 * policy applies).
 */
export function wakeTrafficPolicy(
  route: HttpRouteObject,
  window: WakeWindow,
  name: string = route.metadata.name,
): BackendTrafficPolicyObject {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { name, namespace: route.metadata.namespace, labels: route.metadata.labels },
    spec: {
      targetRefs: [{ group: GATEWAY_GROUP, kind: "HTTPRoute", name: route.metadata.name }],
      mergeType: "StrategicMerge",
      retry: {
        numRetries: Math.max(1, Math.ceil(window.seconds / WAKE_RETRY_MAX_SECONDS)),
        retryOn: {
          triggers: ["connect-failure", "refused-stream", "reset", "retriable-status-codes"],
          httpStatusCodes: [503],
        },
        perRetry: {
          backOff: { baseInterval: `${WAKE_RETRY_BASE_SECONDS}s`, maxInterval: `${WAKE_RETRY_MAX_SECONDS}s` },
        },
      },
    },
  };
}
