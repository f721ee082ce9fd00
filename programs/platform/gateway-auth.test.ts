/**
 * Which routes the gateway's inference-key check covers, on the rendered objects: the cluster's
 * gateway (as the platform program plans it), the control plane's objects and a model's HTTPRoute.
 * `attaches` and `effectivePolicy` follow Gateway API route attachment and Envoy Gateway's
 * SecurityPolicy precedence (route > listener > Gateway, no merging; see the header of
 * providers/kubernetes/control-plane.ts for the sources).
 */
import * as assert from "node:assert/strict";
import { planGatewayObjects, authEndpoint } from "../../components/ClusterGateway";
import { planControlPlane } from "../../components/controlPlanePlan";
import { apiServiceRef, controlPlaneManifests, type Manifest } from "../../providers/kubernetes/control-plane";
import { GATEWAY_NAMES, GATEWAY_NAMESPACE, HTTP_LISTENER, HTTPS_LISTENER } from "../../providers/kubernetes/gateway";
import { httpRoute, routePathPrefix } from "../../providers/kubernetes/model-route";
import { checkCrdContract, crdContractFor } from "../../providers/limits/gateway-crds";
import { parsePlatformConfig } from "./config";
import { planClusterGateway } from "./gateway-config";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  unknown
>;
type Listener = { name: string; hostname?: string; allowedRoutes: { namespaces: { from: string } } };
type ParentRef = { name: string; namespace?: string; sectionName?: string };
type Route = Obj & { spec: { parentRefs: ParentRef[]; hostnames?: string[] } };
type Policy = Obj & {
  spec: {
    targetRefs: Array<{ kind: string; name: string; sectionName?: string }>;
    extAuth?: { failOpen?: boolean };
    authorization?: unknown;
  };
};

/** The listener of `gateway` the route attaches to, or undefined when it does not attach. */
function attaches(route: Route, gateway: Obj): Listener | undefined {
  const listeners = (gateway["spec"] as { listeners: Listener[] }).listeners;
  for (const p of route.spec.parentRefs) {
    const ns = p.namespace ?? route.metadata.namespace;
    if (p.name !== gateway.metadata.name || ns !== gateway.metadata.namespace) continue;
    for (const l of listeners) {
      if (p.sectionName !== undefined && p.sectionName !== l.name) continue;
      const from = l.allowedRoutes.namespaces.from;
      if (from === "Same" && route.metadata.namespace !== gateway.metadata.namespace) continue;
      if (l.hostname && route.spec.hostnames && !route.spec.hostnames.includes(l.hostname)) continue;
      return l;
    }
  }
  return undefined;
}

/** The one SecurityPolicy Envoy Gateway applies to `route` on `listener`: the most specific target wins. */
function effectivePolicy(route: Route, gateway: Obj, listener: Listener, policies: Policy[]): Policy | undefined {
  const targets = (p: Policy, kind: string, name: string, section?: string) =>
    p.spec.targetRefs.some((t) => t.kind === kind && t.name === name && t.sectionName === section);
  const inNs = (ns: string | undefined) => policies.filter((p) => p.metadata.namespace === ns);
  return (
    inNs(route.metadata.namespace).find((p) => targets(p, "HTTPRoute", route.metadata.name)) ??
    inNs(gateway.metadata.namespace).find((p) => targets(p, "Gateway", gateway.metadata.name, listener.name)) ??
    inNs(gateway.metadata.namespace).find((p) => targets(p, "Gateway", gateway.metadata.name))
  );
}

const IMAGE = "ghcr.io/acme/modelplane:0.1.0";

function rendered(controlPlaneNamespace?: string) {
  const config = parsePlatformConfig({
    clouds: [{ cloud: "gcp", region: "us-central1" }],
    gateway: { dnsZone: "models.example.com", tls: { acmeEmail: "ops@example.com" } },
  });
  const gatewayPlan = planClusterGateway(config.gateway, "gcp-us-central1", {
    cluster: "gcp-us-central1",
    ...(controlPlaneNamespace ? { namespace: controlPlaneNamespace } : {}),
  });
  const gatewayObjects = planGatewayObjects(gatewayPlan).map(([, o]) => o as Obj);
  const cp = planControlPlane(
    {
      cloud: "gcp",
      region: "us-central1",
      image: IMAGE,
      ...(controlPlaneNamespace ? { namespace: controlPlaneNamespace } : {}),
      database: { kind: "url" },
      stateBackend: { kind: "object-store" },
      gateway: true,
    },
    "db-custom-1-3840",
  );
  const cpObjects = controlPlaneManifests({
    name: "modelplane",
    namespace: cp.namespace,
    image: cp.image,
    api: cp.api,
    worker: cp.worker,
    env: {},
    config: {},
    secret: {},
    gateway: { name: GATEWAY_NAMES.gateway, namespace: GATEWAY_NAMESPACE, listener: HTTPS_LISTENER },
  }) as Obj[];
  const model = httpRoute({
    name: "llama-abc123",
    namespace: "mp-research",
    pathPrefix: routePathPrefix("mp-research", "llama-abc123"),
    gateway: { name: GATEWAY_NAMES.gateway, namespace: GATEWAY_NAMESPACE, listener: HTTPS_LISTENER },
    targets: [{ revision: 1, service: "llama-abc123-r1", weight: 100 }],
    requestTimeoutSeconds: 600,
    labels: {},
  }) as unknown as Route;
  const all = [...gatewayObjects, ...cpObjects];
  const gateway = all.find((o) => o.kind === "Gateway");
  assert.ok(gateway);
  const policies = all.filter((o): o is Policy => o.kind === "SecurityPolicy");
  const apiRoute = cpObjects.find((o) => o.kind === "HTTPRoute") as Route | undefined;
  assert.ok(apiRoute, "the control plane routes its API through the gateway");
  return { gatewayPlan, gateway, policies, apiRoute, model, cpObjects, all };
}

describe("gateway auth scope: model routes need an inference key, the API route does not", () => {
  it("the HTTPS listener admits the API route from the control plane's namespace and a model's route from its own", () => {
    const { gateway, apiRoute, model } = rendered();
    assert.notEqual(apiRoute.metadata.namespace, gateway.metadata.namespace);
    assert.equal(attaches(apiRoute, gateway)?.name, HTTPS_LISTENER);
    assert.equal(attaches(model, gateway)?.name, HTTPS_LISTENER);
  });

  it("a model route gets the listener's ext auth (fail closed); the API route gets its own allow-all policy instead", () => {
    const { gateway, policies, apiRoute, model } = rendered();
    const onModel = effectivePolicy(model, gateway, attaches(model, gateway) as Listener, policies);
    assert.ok(onModel?.spec.extAuth, "model route: ext auth");
    assert.equal(onModel.spec.extAuth.failOpen, false);

    const onApi = effectivePolicy(apiRoute, gateway, attaches(apiRoute, gateway) as Listener, policies);
    assert.ok(onApi, "the API route has a policy of its own (else the listener's ext auth would apply)");
    assert.equal(onApi.metadata.namespace, apiRoute.metadata.namespace, "a SecurityPolicy targets its own namespace");
    assert.equal(onApi.spec.extAuth, undefined, "no inference-key check on the API");
    assert.deepEqual(onApi.spec.authorization, { defaultAction: "Allow" });
    const contract = crdContractFor(onApi.apiVersion, onApi.kind);
    assert.ok(contract);
    assert.deepEqual(checkCrdContract(contract, onApi), []);
  });

  it("nothing but the HTTPS redirect (and ACME's challenge) attaches to the plain-HTTP listener", () => {
    const { gateway, all, apiRoute, model } = rendered();
    const http = (gateway["spec"] as { listeners: Listener[] }).listeners.find((l) => l.name === HTTP_LISTENER);
    assert.equal(http?.allowedRoutes.namespaces.from, "Same");
    // A model's or the API's route naming the HTTP listener would still not attach: another namespace.
    for (const r of [model, apiRoute]) {
      const onHttp = {
        ...r,
        spec: { ...r.spec, parentRefs: r.spec.parentRefs.map((p) => ({ ...p, sectionName: HTTP_LISTENER })) },
      };
      assert.equal(attaches(onHttp, gateway), undefined, `${r.metadata.name} cannot attach to port 80`);
    }
    const onPort80 = all.filter(
      (o): o is Route => o.kind === "HTTPRoute" && attaches(o as Route, gateway)?.name === HTTP_LISTENER,
    );
    assert.deepEqual(
      onPort80.map((r) => r.metadata.name),
      [GATEWAY_NAMES.redirectRoute],
    );
  });

  it("the default check target is the API Service the control plane creates: name, namespace and port", () => {
    for (const ns of [undefined, "platform-cp"]) {
      const { gatewayPlan, cpObjects } = rendered(ns);
      const service = cpObjects.find((o) => o.kind === "Service") as Manifest & {
        spec: { ports: Array<{ port: number }> };
      };
      assert.ok(service);
      const auth = gatewayPlan.auth;
      assert.equal(auth.kind, "service");
      if (auth.kind !== "service") return;
      assert.deepEqual(
        { name: auth.name, namespace: auth.namespace, port: auth.port },
        { name: service.metadata.name, namespace: service.metadata.namespace, port: service.spec.ports[0]?.port },
      );
      assert.deepEqual(apiServiceRef(ns), { name: auth.name, namespace: auth.namespace, port: auth.port });
      assert.equal(
        authEndpoint(auth).hostname,
        `${service.metadata.name}.${String(service.metadata.namespace)}.svc.cluster.local`,
      );
    }
  });

  it("another cluster's gateway checks keys at the control plane's URL through the control plane's gateway (with a DNS zone)", () => {
    const gateway = parsePlatformConfig({
      clouds: [
        { cloud: "gcp", region: "us-central1" },
        { cloud: "aws", region: "us-east-1" },
      ],
      gateway: { dnsZone: "models.example.com", tls: { acmeEmail: "ops@example.com" } },
    }).gateway;
    const site = { cluster: "gcp-us-central1" };
    assert.deepEqual(planClusterGateway(gateway, "aws-us-east-1", site).auth, {
      kind: "external",
      hostname: "gcp-us-central1.models.example.com",
      port: 443,
      pathPrefix: "/_modelplane/v1/inference-keys/check",
    });
    assert.equal(
      planClusterGateway(gateway, "gcp-us-central1", site).auth.kind,
      "service",
      "its own cluster: in-cluster",
    );
    // Without a zone there is no name to call before apply: the in-cluster default stays (fails closed there).
    const noZone = parsePlatformConfig({ clouds: [{ cloud: "aws", region: "us-east-1" }] }).gateway;
    assert.equal(planClusterGateway(noZone, "aws-us-east-1", site).auth.kind, "service");
    // An explicit auth target wins.
    const given = parsePlatformConfig({
      clouds: [{ cloud: "aws", region: "us-east-1" }],
      gateway: { dnsZone: "models.example.com", auth: { url: "https://cp.example.com" } },
    }).gateway;
    assert.equal(
      (planClusterGateway(given, "aws-us-east-1", site).auth as { hostname: string }).hostname,
      "cp.example.com",
    );
  });
});
