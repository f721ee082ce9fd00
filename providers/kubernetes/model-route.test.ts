import { strict as assert } from "node:assert";
import { ValidationError } from "../../platform/core/validation";
import { rolloutTimeoutSeconds } from "../limits/timeouts";
import { ASSUMED_SERVER_IMAGE_GIB } from "./model-server";
import { INTERCEPTOR_HOST, INTERCEPTOR_PORT, INTERCEPTOR_SERVICE, KEDA_NAMESPACE } from "./platform-addons";
import {
  gatewayEndpoint,
  httpRoute,
  INTERCEPTOR_WAIT_SECONDS,
  referenceGrants,
  RESPONSE_HEADER_SECONDS,
  revisionName,
  revisionWeights,
  routePathPrefix,
  wakeTrafficPolicy,
  wakeWindow,
  type HttpRouteArgs,
} from "./model-route";

/** `fn` throws a ValidationError naming `field` (with `includes` in its message, when given). */
function throwsField(fn: () => unknown, field: string, includes?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    assert.equal(err.field, field);
    if (includes) assert.ok(err.message.includes(includes), `"${err.message}" should include "${includes}"`);
    return true;
  });
}

const gateway = { name: "inference", namespace: "modelplane-gateway", listener: "https" };
const routeArgs = (targets: HttpRouteArgs["targets"], requestTimeoutSeconds = 600): HttpRouteArgs => ({
  name: "llama-abc123",
  namespace: "mp-research",
  pathPrefix: "/mp-research/llama-abc123",
  gateway,
  targets,
  requestTimeoutSeconds,
  labels: { "managed-by": "modelplane" },
});

/** Validate with the upstream Gateway API schema (@kubernetes-models/gateway-api 0.5.1). */
async function validate(kind: "HTTPRoute" | "ReferenceGrant", object: object): Promise<void> {
  const version = kind === "HTTPRoute" ? "v1" : "v1beta1";
  const mod = (await import(`@kubernetes-models/gateway-api/gateway.networking.k8s.io/${version}/${kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = mod[kind];
  assert.ok(Model, kind);
  new Model(object).validate();
}

describe("model route (pure)", () => {
  it("revision names: revision 1 keeps the old name, others get -r<N>; too long is refused naming revision", () => {
    assert.equal(revisionName("llama-abc123", 1), "llama-abc123");
    assert.equal(revisionName("llama-abc123", 2), "llama-abc123-r2");
    const base50 = "m".repeat(43) + "-abc123";
    assert.equal(revisionName(base50, 999_999), `${base50}-r999999`); // + "-wake" = 63
    throwsField(() => revisionName(base50, 1_000_000), "revision", "at most 63");
    throwsField(() => revisionName("x", 0), "revision");
  });

  it("path and endpoint: /<namespace>/<service>, https only, no double slash", () => {
    assert.equal(routePathPrefix("mp-research", "llama-abc123"), "/mp-research/llama-abc123");
    assert.equal(
      gatewayEndpoint("https://gw.example.com/", "mp-research", "llama-abc123"),
      "https://gw.example.com/mp-research/llama-abc123/v1",
    );
    throwsField(() => gatewayEndpoint("http://gw.example.com", "mp-research", "x"), "gateway.url", "https://");
    throwsField(() => routePathPrefix("mp/research", "x"), "namespace");
  });

  it("weights: 100 alone; a canary 10/90; blue/green 0/100 then 100/0; out of range refused", () => {
    assert.deepEqual(revisionWeights(1, undefined), [{ revision: 1, weight: 100 }]);
    assert.deepEqual(revisionWeights(2, { weight: 10, stableRevision: 1 }), [
      { revision: 2, weight: 10 },
      { revision: 1, weight: 90 },
    ]);
    assert.deepEqual(revisionWeights(3, { weight: 0, stableRevision: 2 }), [
      { revision: 3, weight: 0 },
      { revision: 2, weight: 100 },
    ]);
    assert.deepEqual(revisionWeights(3, { weight: 100, stableRevision: 2 }), [
      { revision: 3, weight: 100 },
      { revision: 2, weight: 0 },
    ]);
    throwsField(() => revisionWeights(2, { weight: 101, stableRevision: 1 }), "rollout.weight");
    throwsField(() => revisionWeights(2, { weight: -1, stableRevision: 1 }), "rollout.weight");
    throwsField(() => revisionWeights(2, { weight: 10, stableRevision: 2 }), "rollout.stable.revision");
  });

  it("a warm model: parentRef to the gateway listener, PathPrefix rewritten to /, its Service on port 80 at 100", async () => {
    const route = httpRoute(routeArgs([{ revision: 1, service: "llama-abc123", weight: 100 }]));
    await validate("HTTPRoute", route);
    assert.deepEqual(route.spec.parentRefs, [
      {
        group: "gateway.networking.k8s.io",
        kind: "Gateway",
        name: "inference",
        namespace: "modelplane-gateway",
        sectionName: "https",
      },
    ]);
    const rule = route.spec.rules[0];
    assert.deepEqual(rule?.matches, [{ path: { type: "PathPrefix", value: "/mp-research/llama-abc123" } }]);
    assert.deepEqual(rule?.filters, [
      { type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } },
    ]);
    assert.deepEqual(rule?.backendRefs, [{ group: "", kind: "Service", name: "llama-abc123", port: 80, weight: 100 }]);
    assert.deepEqual(rule?.timeouts, { request: "600s" });
    assert.deepEqual(referenceGrants(route, "g"), [], "no backend in another namespace: no grant");
  });

  it("a canary 10/90 between two revisions' Services, schema-valid", async () => {
    const route = httpRoute(
      routeArgs([
        { revision: 2, service: "llama-abc123-r2", weight: 10 },
        { revision: 1, service: "llama-abc123", weight: 90 },
      ]),
    );
    await validate("HTTPRoute", route);
    assert.deepEqual(
      route.spec.rules[0]?.backendRefs.map((b) => [b.name, b.weight]),
      [
        ["llama-abc123-r2", 10],
        ["llama-abc123", 90],
      ],
    );
  });

  it("weights that do not sum to 100, no target, or a timeout out of the Gateway API range are refused", () => {
    throwsField(() => httpRoute(routeArgs([{ revision: 1, service: "a", weight: 90 }])), "targets", "sum to 100");
    throwsField(() => httpRoute(routeArgs([])), "targets");
    throwsField(
      () => httpRoute(routeArgs([{ revision: 1, service: "a", weight: 100 }], 100_000)),
      "requestTimeoutSeconds",
    );
  });

  it("wake from zero, one revision: the interceptor's Service in its namespace, Host rewritten in the rule, a ReferenceGrant there", async () => {
    const wakeHost = "llama-abc123-wake.mp-research.svc.cluster.local";
    const route = httpRoute(routeArgs([{ revision: 1, service: "llama-abc123", weight: 100, wakeHost }], 4200));
    await validate("HTTPRoute", route);
    const rule = route.spec.rules[0];
    assert.deepEqual(rule?.backendRefs, [
      { group: "", kind: "Service", name: INTERCEPTOR_SERVICE, namespace: KEDA_NAMESPACE, port: 8080, weight: 100 },
    ]);
    assert.equal(INTERCEPTOR_HOST, `${INTERCEPTOR_SERVICE}.${KEDA_NAMESPACE}.svc.cluster.local`);
    assert.equal(INTERCEPTOR_PORT, 8080);
    assert.deepEqual(rule?.filters[0]?.urlRewrite, {
      hostname: wakeHost,
      path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" },
    });
    const grants = referenceGrants(route, "mp-research-llama-abc123");
    assert.equal(grants.length, 1);
    await validate("ReferenceGrant", grants[0] as object);
    assert.deepEqual(grants[0]?.metadata.namespace, KEDA_NAMESPACE);
    assert.deepEqual(grants[0]?.spec, {
      from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "mp-research" }],
      to: [{ group: "", kind: "Service", name: INTERCEPTOR_SERVICE }],
    });
  });

  it("wake from zero during a canary: each backendRef rewrites the Host to its own revision's wake host", async () => {
    const route = httpRoute(
      routeArgs([
        { revision: 2, service: "llama-abc123-r2", weight: 10, wakeHost: "llama-abc123-r2-wake.mp-research" },
        { revision: 1, service: "llama-abc123", weight: 90, wakeHost: "llama-abc123-wake.mp-research" },
      ]),
    );
    await validate("HTTPRoute", route);
    const rule = route.spec.rules[0];
    assert.deepEqual(rule?.filters[0]?.urlRewrite, { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } });
    assert.deepEqual(
      rule?.backendRefs.map((b) => [b.weight, b.filters?.[0]?.urlRewrite.hostname]),
      [
        [10, "llama-abc123-r2-wake.mp-research"],
        [90, "llama-abc123-wake.mp-research"],
      ],
    );
    assert.equal(referenceGrants(route, "g").length, 1, "one grant for the one foreign namespace");
  });

  it("wake window: the cold-start estimate, capped at the interceptor's hold; the request timeout adds the response time", () => {
    const cold70b = rolloutTimeoutSeconds({ weightsGiB: 130, imageGiB: ASSUMED_SERVER_IMAGE_GIB, nodeFromZero: true });
    const w = wakeWindow(cold70b);
    assert.equal(w.seconds, cold70b);
    assert.equal(w.cappedByInterceptor, false);
    assert.equal(w.requestTimeoutSeconds, cold70b + RESPONSE_HEADER_SECONDS);
    const huge = wakeWindow(INTERCEPTOR_WAIT_SECONDS + 1);
    assert.deepEqual(
      [huge.seconds, huge.cappedByInterceptor, huge.coldStartSeconds],
      [INTERCEPTOR_WAIT_SECONDS, true, INTERCEPTOR_WAIT_SECONDS + 1],
    );
    assert.equal(INTERCEPTOR_WAIT_SECONDS, 3600);
    throwsField(() => wakeWindow(0), "coldStartSeconds");
  });

  it("wake traffic policy: targets the route, merges into the gateway's policy, retries connect failures and 503 with backoff", () => {
    const route = httpRoute(routeArgs([{ revision: 1, service: "s", weight: 100, wakeHost: "s-wake.ns" }], 1500));
    const p = wakeTrafficPolicy(route, wakeWindow(900));
    assert.equal(p.apiVersion, "gateway.envoyproxy.io/v1alpha1");
    assert.equal(p.kind, "BackendTrafficPolicy");
    assert.equal(p.metadata.namespace, "mp-research");
    assert.deepEqual(p.spec.targetRefs, [
      { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "llama-abc123" },
    ]);
    assert.equal(p.spec.mergeType, "StrategicMerge");
    assert.ok(p.spec.retry.retryOn.triggers.includes("connect-failure"));
    assert.ok(p.spec.retry.retryOn.triggers.includes("retriable-status-codes"));
    assert.deepEqual(p.spec.retry.retryOn.httpStatusCodes, [503]);
    // Enough retries at the longest backoff to cover the window (900 s / 30 s).
    assert.equal(p.spec.retry.numRetries, 30);
    assert.deepEqual(p.spec.retry.perRetry.backOff, { baseInterval: "1s", maxInterval: "30s" });
  });
});
