/**
 * ModelRoute: a model's route through its cluster's inference gateway (issue 14), on
 * `@pulumi/kubernetes`. Registers, through the cluster's Kubernetes provider:
 *
 * - an `HTTPRoute` (gateway.networking.k8s.io/v1) in the model's namespace, attached to the
 *   platform's Gateway and HTTPS listener, matching `/<namespace>/<service>` and rewriting it to
 *   `/`, with one weighted backendRef per serving revision (a canary splits 10/90, blue/green 0/100
 *   then 100/0);
 * - a `ReferenceGrant` in each other namespace a backend lives in (the KEDA HTTP interceptor's, for
 *   scale-to-zero revisions);
 * - for scale-to-zero, an Envoy Gateway `BackendTrafficPolicy` that retries with backoff while the
 *   model wakes; the route's request timeout covers the wake window.
 *
 * The objects are built by the pure functions in providers/kubernetes/model-route.ts; this file
 * only validates the arguments and registers them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ValidationError } from "../platform/core/validation";
import {
  gatewayEndpoint,
  httpRoute,
  referenceGrants,
  routePathPrefix,
  wakeTrafficPolicy,
  wakeWindow,
  WARM_REQUEST_TIMEOUT_SECONDS,
  type HttpRouteObject,
  type ReferenceGrantObject,
  type BackendTrafficPolicyObject,
  type RevisionTarget,
  type WakeWindow,
} from "../providers/kubernetes/model-route";
import { toK8sLabels } from "../providers/kubernetes/labels";
import { checkName } from "../providers/limits/names";

export interface ModelRouteGateway {
  /** The Gateway object's name (`GatewayOutput.name`). */
  name: string;
  /** The Gateway object's namespace (`GatewayOutput.namespace`). */
  namespace: string;
  /** The HTTPS listener's name (`GatewayOutput.listener`). */
  listener: string;
  /** `https://<hostname>` clients call (`GatewayOutput.url`). */
  url: string;
}

export interface ModelRouteArgs {
  /** The model's namespace, where the route and its Services live. Required. */
  namespace: string;
  /** The model's route name: the path segment after the namespace. Required. */
  service: string;
  /**
   * The HTTPRoute's (and its grants' and policy's) own name; default `service`. A migration's new
   * stack names its route apart (`ModelServicePlan.instanceName`) while it matches the same path.
   */
  name?: string;
  /** The cluster's gateway (the platform's `clusters.<name>.gateway` output). Required. */
  gateway: ModelRouteGateway;
  /** The revisions to send traffic to, weights summing to 100. Required, at least one. */
  targets: RevisionTarget[];
  /**
   * Scale-to-zero: the model's cold-start estimate, seconds (`ModelServicePlan.rolloutTimeoutSeconds`);
   * sets the wake window. Required when a target has a `wakeHost`, ignored otherwise.
   */
  coldStartSeconds?: number;
  /** Cost tags and deployment labels; converted to valid label syntax. `managed-by` is always added. */
  tags?: Readonly<Record<string, string>>;
}

/** The plain objects a ModelRoute registers, and what they mean for clients. */
export interface ModelRoutePlan {
  route: HttpRouteObject;
  grants: ReferenceGrantObject[];
  /** Present when a revision wakes from zero. */
  trafficPolicy?: BackendTrafficPolicyObject;
  /** Present when a revision wakes from zero. */
  wake?: WakeWindow;
  /** `https://<gateway>/<namespace>/<service>/v1`. */
  url: string;
  pathPrefix: string;
}

/** Validate the args and build every object. Pure; throws ValidationError naming the argument. */
export function planModelRoute(args: ModelRouteArgs): ModelRoutePlan {
  for (const f of ["name", "namespace", "listener", "url"] as const) {
    if (!args.gateway?.[f]) throw new ValidationError(`gateway.${f}`, "is required");
  }
  const pathPrefix = routePathPrefix(args.namespace, args.service);
  const url = gatewayEndpoint(args.gateway.url, args.namespace, args.service);
  const wakes = args.targets.some((t) => t.wakeHost !== undefined);
  if (wakes && args.coldStartSeconds === undefined)
    throw new ValidationError(
      "coldStartSeconds",
      "is required when a revision scales to zero (it sets the wake window)",
    );
  const wake = wakes ? wakeWindow(args.coldStartSeconds ?? 0) : undefined;
  const labels = toK8sLabels({ ...(args.tags ?? {}), "managed-by": "modelplane" });
  const name = args.name ?? args.service;
  const nameViolation = checkName("k8s-dns-label", name);
  if (nameViolation) throw new ValidationError("name", nameViolation.message);
  const route = httpRoute({
    name,
    namespace: args.namespace,
    pathPrefix,
    gateway: args.gateway,
    targets: args.targets,
    requestTimeoutSeconds: wake?.requestTimeoutSeconds ?? WARM_REQUEST_TIMEOUT_SECONDS,
    labels,
  });
  // The grant lives in the backend's namespace; the route's namespace in its name keeps tenants apart.
  const grants = referenceGrants(route, `${args.namespace}-${name}`.slice(0, 253));
  return {
    route,
    grants,
    ...(wake ? { wake, trafficPolicy: wakeTrafficPolicy(route, wake) } : {}),
    url,
    pathPrefix,
  };
}

export class ModelRoute extends pulumi.ComponentResource {
  /** The model's OpenAI base URL on the gateway, `https://<gateway>/<namespace>/<service>/v1`. */
  readonly url: pulumi.Output<string>;
  /** The HTTPRoute's name. */
  readonly routeName: pulumi.Output<string>;
  /** The resolved plan (objects, wake window). */
  readonly plan: ModelRoutePlan;

  constructor(name: string, args: ModelRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planModelRoute(args);
    super("modelplane:serving:ModelRoute", name, {}, opts);
    this.plan = plan;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const custom = (role: string, o: { apiVersion: string; kind: string; metadata: object; spec: object }) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${role}`,
        { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, spec: o.spec },
        child,
      );
    // Grants first: a route whose backend is not yet permitted is refused until the grant exists.
    const grants = plan.grants.map((g, i) => custom(plan.grants.length === 1 ? "grant" : `grant-${i}`, g));
    const route = new k8s.apiextensions.CustomResource(
      `${name}-route`,
      {
        apiVersion: plan.route.apiVersion,
        kind: plan.route.kind,
        metadata: plan.route.metadata,
        spec: plan.route.spec,
      },
      { ...child, dependsOn: grants },
    );
    if (plan.trafficPolicy) {
      const p = plan.trafficPolicy;
      new k8s.apiextensions.CustomResource(
        `${name}-wake-policy`,
        { apiVersion: p.apiVersion, kind: p.kind, metadata: p.metadata, spec: p.spec },
        { ...child, dependsOn: [route] },
      );
    }
    this.url = pulumi.output(plan.url);
    this.routeName = route.metadata.name;
    this.registerOutputs({ url: this.url, routeName: this.routeName });
  }
}
