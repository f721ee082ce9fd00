import * as assert from "node:assert/strict";
import { ValidationError } from "../platform/core/validation";
import { checkCrdContract, crdContractFor } from "../providers/limits/gateway-crds";
import type { K8sObject } from "../providers/kubernetes/gateway";
import { addressFromStatus, authEndpoint, planGatewayObjects, validateClusterGatewayArgs } from "./ClusterGateway";

const service = {
  kind: "service",
  name: "api",
  namespace: "cp",
  port: 8080,
  pathPrefix: "/v1/inference-keys/check",
} as const;

describe("ClusterGateway planning (pure)", () => {
  it("validates its arguments first, naming the argument", () => {
    const base = {
      tls: { mode: "self-signed", commonName: "x.invalid" },
      auth: service,
      requestsPerMinute: 60,
    } as const;
    assert.throws(
      () => validateClusterGatewayArgs({ ...base, requestsPerMinute: 0 }),
      (e: unknown) => e instanceof ValidationError && e.field === "requestsPerMinute",
    );
    assert.throws(
      () => validateClusterGatewayArgs({ ...base, tls: { mode: "acme", email: "a@b.c", server: "https://x/dir" } }),
      (e: unknown) => e instanceof ValidationError && e.field === "tls",
    );
    assert.throws(
      () =>
        validateClusterGatewayArgs({
          ...base,
          hostname: "a.other.org",
          dns: { cloud: "aws", zone: "example.com", zoneId: "Z1", ttl: 300 },
        }),
      (e: unknown) => e instanceof ValidationError && e.field === "dns.zone",
    );
    assert.doesNotThrow(() => validateClusterGatewayArgs(base));
  });

  it("reaches an in-cluster control plane by its Service DNS name, in plain HTTP; an external one over TLS", () => {
    assert.deepEqual(authEndpoint(service), {
      hostname: "api.cp.svc.cluster.local",
      port: 8080,
      tls: false,
      pathPrefix: "/v1/inference-keys/check",
    });
    const kinds = (auth: Parameters<typeof authEndpoint>[0]) =>
      planGatewayObjects({ tls: { mode: "secret", name: "mine" }, auth, requestsPerMinute: 1 }).map(([, o]) => o.kind);
    assert.ok(!kinds(service).includes("BackendTLSPolicy"));
    assert.ok(
      kinds({ kind: "external", hostname: "api.example.com", port: 443, pathPrefix: "/p" }).includes(
        "BackendTLSPolicy",
      ),
    );
    // A given certificate: no issuer, no Certificate.
    assert.ok(!kinds(service).includes("Certificate") && !kinds(service).includes("Issuer"));
  });

  it("labels every object with the cost labels, and the Gateway with its load balancer's cloud", () => {
    const objs = planGatewayObjects({
      tls: { mode: "self-signed", commonName: "x.invalid" },
      auth: service,
      requestsPerMinute: 5,
      labels: { owner: "platform", "cost-center": "ml" },
      loadBalancer: { cloud: "gcp", region: "us-central1" },
    });
    for (const [, o] of objs) assert.equal(o.metadata.labels?.["owner"], "platform", `${o.kind} carries owner`);
    const gw = objs.find(([, o]) => o.kind === "Gateway")?.[1];
    assert.equal(gw?.metadata.labels?.["modelplane.dev/lb-cloud"], "gcp");
    assert.equal(gw?.metadata.labels?.["modelplane.dev/lb-region"], "us-central1");
  });

  it("reads the address from the Gateway's status, or nothing", () => {
    assert.equal(
      addressFromStatus({ addresses: [{ type: "Hostname", value: "abc.elb.amazonaws.com" }] }),
      "abc.elb.amazonaws.com",
    );
    assert.equal(addressFromStatus({ addresses: [] }), undefined);
    assert.equal(addressFromStatus(undefined), undefined);
  });

  it("every custom object of every TLS and auth mode meets its CRD contract", () => {
    const modes = [
      { tls: { mode: "acme", email: "a@b.c", server: "https://acme.example/dir" }, hostname: "x.example.com" },
      { tls: { mode: "secret", name: "mine" } },
      { tls: { mode: "self-signed", commonName: "x.invalid" } },
    ] as const;
    let checked = 0;
    for (const m of modes) {
      for (const auth of [
        { kind: "service", name: "api", namespace: "cp", port: 8080, pathPrefix: "/v1/inference-keys/check" },
        { kind: "external", hostname: "api.example.com", port: 443, pathPrefix: "/v1/inference-keys/check" },
      ] as const) {
        for (const [, obj] of planGatewayObjects({ ...m, auth, requestsPerMinute: 60 })) {
          const contract = crdContractFor(obj.apiVersion, obj.kind);
          if (!contract) continue;
          assert.deepEqual(checkCrdContract(contract, obj), [], `${obj.kind} ${m.tls.mode} ${auth.kind}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 40, `checked ${checked}`);
  });

  it("a certificate Secret in another namespace gets a ReferenceGrant there for the Gateway; one beside the Gateway needs none", async () => {
    const objs = (tls: { mode: "secret"; name: string; namespace?: string }) =>
      planGatewayObjects({ tls, auth: service, requestsPerMinute: 1 }).map(([, o]) => o);
    const elsewhere = objs({ mode: "secret", name: "wildcard-tls", namespace: "certs" });
    const grants = elsewhere.filter((o) => o.kind === "ReferenceGrant");
    assert.equal(grants.length, 1);
    const grant = grants[0] as K8sObject & { spec: { from: unknown[]; to: unknown[] } };
    assert.equal(grant.metadata.namespace, "certs", "a grant lives in the namespace of what it grants");
    const gateway = elsewhere.find((o) => o.kind === "Gateway") as K8sObject & {
      spec: { listeners: Array<{ tls?: { certificateRefs: Array<{ name: string; namespace?: string }> } }> };
    };
    const ref = gateway.spec.listeners[0]?.tls?.certificateRefs[0];
    assert.deepEqual(ref, { kind: "Secret", name: "wildcard-tls", namespace: "certs" });
    assert.deepEqual(grant.spec.from, [
      { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: gateway.metadata.namespace },
    ]);
    assert.deepEqual(grant.spec.to, [{ group: "", kind: "Secret", name: "wildcard-tls" }]);
    assert.ok(
      elsewhere.findIndex((o) => o.kind === "ReferenceGrant") < elsewhere.findIndex((o) => o.kind === "Gateway"),
      "the grant exists before the Gateway reads the Secret",
    );
    const { ReferenceGrant } =
      await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant");
    new ReferenceGrant(grant as never).validate();

    for (const same of [
      objs({ mode: "secret", name: "mine" }),
      objs({ mode: "secret", name: "mine", namespace: String(gateway.metadata.namespace) }),
    ])
      assert.ok(!same.some((o) => o.kind === "ReferenceGrant"));
  });
});
