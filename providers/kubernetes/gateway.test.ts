import * as assert from "node:assert/strict";
import {
  envoyGatewayValues,
  envoyProxy,
  gatewayObject,
  INFERENCE_KEY_HEADER,
  REDIS_URL,
  TENANT_HEADER,
  type K8sObject,
} from "./gateway";
import {
  authBackend,
  authBackendTls,
  notFoundBody,
  notFoundFilter,
  notFoundRoute,
  rateLimitPolicy,
  securityPolicy,
} from "./gateway-policies";
import { checkCrdContract, crdContractFor, GATEWAY_CRDS } from "../limits/gateway-crds";

type Obj = Record<string, unknown>;
const spec = (o: K8sObject): Obj => o["spec"] as Obj;

const external = { hostname: "api.example.com", port: 443, tls: true, pathPrefix: "/v1/inference-keys/check" };

describe("gateway objects (pure)", () => {
  it("the Gateway serves HTTPS with the given certificate for every namespace, HTTP only for its own", () => {
    const gw = gatewayObject({ hostname: "a.example.com", certificateSecret: { name: "tls" } });
    const [https, http] = spec(gw)["listeners"] as Obj[];
    assert.deepEqual(https, {
      name: "https",
      protocol: "HTTPS",
      port: 443,
      hostname: "a.example.com",
      tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "tls" }] },
      allowedRoutes: { namespaces: { from: "All" } },
    });
    assert.equal(http?.["port"], 80);
    assert.deepEqual(http?.["allowedRoutes"], { namespaces: { from: "Same" } });
    assert.equal(gw.metadata.annotations?.["pulumi.com/waitFor"], "condition=Programmed");
  });

  it("ext auth calls the check path and forwards the tenant and key headers, failing closed", () => {
    const sp = spec(securityPolicy(external));
    const ext = sp["extAuth"] as Obj;
    assert.equal(ext["failOpen"], false);
    const http = ext["http"] as Obj;
    assert.equal(http["path"], "/v1/inference-keys/check");
    assert.deepEqual(http["headersToBackend"], [TENANT_HEADER, INFERENCE_KEY_HEADER]);
    assert.deepEqual(sp["targetRefs"], [
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "modelplane", sectionName: "https" },
    ]);
    // An external control plane is a Backend verified against the system CAs.
    assert.deepEqual(spec(authBackend(external))["endpoints"], [{ fqdn: { hostname: "api.example.com", port: 443 } }]);
    assert.deepEqual(spec(authBackendTls(external))["validation"], {
      hostname: "api.example.com",
      wellKnownCACertificates: "System",
    });
  });

  it("rate-limits globally per distinct inference key, one shared bucket per key, in Redis", () => {
    const rl = spec(rateLimitPolicy(120))["rateLimit"] as Obj;
    assert.equal(rl["type"], "Global");
    assert.deepEqual((rl["global"] as Obj)["rules"], [
      {
        clientSelectors: [{ headers: [{ name: INFERENCE_KEY_HEADER, type: "Distinct" }] }],
        limit: { requests: 120, unit: "Minute" },
        shared: true,
      },
    ]);
    const eg = (envoyGatewayValues()["config"] as Obj)["envoyGateway"] as Obj;
    assert.deepEqual(eg["rateLimit"], { backend: { type: "Redis", redis: { url: REDIS_URL } } });
    assert.deepEqual(eg["extensionApis"], { enableBackend: true });
  });

  it("unknown paths get a 404 in OpenAI's error shape from a catch-all route", () => {
    const dr = spec(notFoundFilter())["directResponse"] as Obj;
    assert.equal(dr["statusCode"], 404);
    assert.equal(dr["contentType"], "application/json");
    const body = JSON.parse((dr["body"] as Obj)["inline"] as string) as { error: Obj };
    assert.equal(body.error["type"], "invalid_request_error");
    assert.equal(body.error["code"], "model_not_found");
    assert.equal(typeof body.error["message"], "string");
    assert.ok(Buffer.byteLength(notFoundBody()) <= 4096, "Envoy Gateway caps a direct response body at 4096 bytes");
    const rule = (spec(notFoundRoute())["rules"] as Obj[])[0];
    assert.deepEqual(rule?.["matches"], [{ path: { type: "PathPrefix", value: "/" } }]);
  });

  it("asks EKS for an NLB (the priced product); other clouds' defaults need no annotation", () => {
    const svc = (o: K8sObject) => ((spec(o)["provider"] as Obj)["kubernetes"] as Obj)["envoyService"] as Obj;
    assert.deepEqual(svc(envoyProxy("aws"))["annotations"], {
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    });
    assert.equal(svc(envoyProxy("gcp"))["annotations"], undefined);
  });

  it("a contract catches a missing required field, a second oneOf field and a bad enum", () => {
    const btp = crdContractFor("gateway.envoyproxy.io/v1alpha1", "BackendTrafficPolicy");
    assert.ok(btp);
    const obj = rateLimitPolicy(10);
    const rules = ((spec(obj)["rateLimit"] as Obj)["global"] as Obj)["rules"] as Obj[];
    delete (rules[0]?.["limit"] as Obj)["unit"];
    assert.deepEqual(checkCrdContract(btp, obj), [
      { field: "spec.rateLimit.global.rules[0].limit.unit", message: "is required" },
    ]);
    (rules[0]?.["limit"] as Obj)["unit"] = "Fortnight";
    assert.match(checkCrdContract(btp, obj)[0]?.message ?? "", /must be one of Second, Minute/);
    const be = crdContractFor("gateway.envoyproxy.io/v1alpha1", "Backend");
    assert.ok(be);
    const twice = { spec: { endpoints: [{ fqdn: { hostname: "a", port: 1 }, ip: { address: "1.2.3.4", port: 1 } }] } };
    assert.match(checkCrdContract(be, twice)[0]?.message ?? "", /exactly one of fqdn, ip, unix/);
    assert.ok(GATEWAY_CRDS.every((c) => c.source.url.startsWith("https://") && c.checked === "2026-11-30"));
  });
});
