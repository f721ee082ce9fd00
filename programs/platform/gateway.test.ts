/**
 * The inference gateway under mocks: every cluster of the platform (AWS, GCP, Azure and an existing
 * cluster) gets a Gateway with a TLS listener, ext auth, a per-key rate limit and a catch-all 404,
 * and exports `clusters.<name>.gateway`; a DNS zone adds the record in the configured cloud. And
 * `modelplane:gateway` config errors name the key.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../platform/core/validation";
import { computedState, installMocks, settle, valueOf, type Registered } from "../../components/testing/pulumiMocks";
import { parsePlatformConfig, validatePlatformConfig } from "./config";
import { planClusterGateway } from "./gateway-config";
import { rawConfigFromStackYaml } from "./stackConfig";
import type { PlatformClusterOutput } from "./outputs";
import { PlatformClusterSchema } from "./output-schema";
import { providerFor } from "../../providers/registry";

const DEV = join(__dirname, "..", "..", "Pulumi.dev.yaml");
const ADDRESS = "203.0.113.7";

function withExisting(gateway?: Record<string, unknown>): Record<string, unknown> {
  const raw = structuredClone(rawConfigFromStackYaml(readFileSync(DEV, "utf8"), DEV)) as { clouds: unknown[] } & Record<
    string,
    unknown
  >;
  raw.clouds.push({
    cloud: "kubernetes",
    region: "on-prem-fra",
    name: "onprem",
    kubeconfig: "apiVersion: v1\nkind: Config\n",
    gpuPools: [{ name: "a100", gpu: "A100-80GB", gpusPerNode: 8, nodes: 1 }],
  });
  if (gateway) raw["gateway"] = gateway;
  return raw;
}

type Obj = Record<string, unknown>;

describe("inference gateway (mocks: aws, gcp, azure and an existing cluster)", function () {
  // Four clusters' programs under mocks: about 20 s each on a quiet machine.
  this.timeout(180_000);
  let registered: Registered[];
  let mod: typeof import("./program");

  before(async () => {
    registered = await installMocks({
      state: (type, name, inputs) =>
        type === "kubernetes:gateway.networking.k8s.io/v1:Gateway"
          ? { status: { addresses: [{ type: "IPAddress", value: ADDRESS }] } }
          : computedState(type, name, inputs),
    });
    mod = await import("./program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function run(raw: Record<string, unknown>): Promise<Record<string, PlatformClusterOutput>> {
    const res = mod.platformProgram(parsePlatformConfig(raw));
    const out: Record<string, PlatformClusterOutput> = {};
    for (const [name, value] of Object.entries(res.outputs.clusters)) {
      out[name] = await valueOf(pulumi.output(value) as pulumi.Output<PlatformClusterOutput>);
    }
    await settle(registered);
    return out;
  }
  const of = (type: string, prefix: string): Registered[] =>
    registered.filter((r) => r.type === type && r.name.startsWith(prefix));

  it("every cluster gets a Gateway with TLS, ext auth, a per-key rate limit and a catch-all 404, and exports it", async () => {
    const out = await run(withExisting({ dnsZone: "models.example.com", tls: { acmeEmail: "ops@example.com" } }));
    const bases: Record<string, string> = {
      "aws-us-east-1": "modelplane-aws-gateway",
      "gcp-us-central1": "modelplane-gcp-gateway",
      "azure-westus3": "modelplane-azure-gateway",
      onprem: "modelplane-onprem-gateway",
    };
    assert.deepEqual(Object.keys(out).sort(), Object.keys(bases).sort());
    for (const [cluster, base] of Object.entries(bases)) {
      const gw = of("kubernetes:gateway.networking.k8s.io/v1:Gateway", base);
      assert.equal(gw.length, 1, `${cluster}: one Gateway`);
      const listeners = (gw[0]?.inputs["spec"] as Obj)["listeners"] as Obj[];
      const https = listeners.find((l) => l["name"] === "https");
      assert.equal(https?.["hostname"], `${cluster}.models.example.com`);
      assert.deepEqual((https?.["tls"] as Obj)["certificateRefs"], [
        { kind: "Secret", name: "modelplane-gateway-tls" },
      ]);
      // The certificate comes from cert-manager over ACME HTTP-01 through the Gateway.
      const cert = of("kubernetes:cert-manager.io/v1:Certificate", base)[0];
      assert.deepEqual((cert?.inputs["spec"] as Obj)["dnsNames"], [`${cluster}.models.example.com`]);
      const issuer = of("kubernetes:cert-manager.io/v1:Issuer", base)[0];
      assert.equal(((issuer?.inputs["spec"] as Obj)["acme"] as Obj)["email"], "ops@example.com");
      const sp = of("kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy", base)[0];
      const http = ((sp?.inputs["spec"] as Obj)["extAuth"] as Obj)["http"] as Obj;
      assert.deepEqual(http["headersToBackend"], ["x-modelplane-tenant", "x-modelplane-inference-key"]);
      const btp = of("kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", base)[0];
      const rule = (((btp?.inputs["spec"] as Obj)["rateLimit"] as Obj)["global"] as { rules: Obj[] }).rules[0];
      assert.deepEqual(rule?.["limit"], { requests: 600, unit: "Minute" });
      assert.equal(of("kubernetes:gateway.envoyproxy.io/v1alpha1:HTTPRouteFilter", base).length, 1);
      const releases = of("kubernetes:helm.sh/v3:Release", base).map((r) => r.inputs["chart"]);
      assert.deepEqual(releases.sort(), ["cert-manager", "oci://docker.io/envoyproxy/gateway-helm"]);
      // Every Kubernetes object goes to this cluster's provider.
      for (const r of registered.filter((x) => x.name.startsWith(`${base}-`) && x.type.startsWith("kubernetes:"))) {
        assert.ok(r.provider?.includes(base.replace(/-gateway$/, "")), `${r.name} on its cluster's provider`);
      }
      const g = out[cluster]?.gateway;
      assert.deepEqual(g, {
        name: "modelplane",
        namespace: "envoy-gateway-system",
        listener: "https",
        hostname: `${cluster}.models.example.com`,
        address: ADDRESS,
        url: `https://${cluster}.models.example.com`,
      });
      assert.ok(PlatformClusterSchema.safeParse(out[cluster]).success, `${cluster} output fits the schema`);
    }
    // The managed clusters' Gateways say which cloud's load balancer they create; the brought one does not.
    const lbCloud = (base: string) =>
      (of("kubernetes:gateway.networking.k8s.io/v1:Gateway", base)[0]?.inputs["metadata"] as Obj)["labels"] as Obj;
    assert.equal(lbCloud("modelplane-aws-gateway")["modelplane.dev/lb-cloud"], "aws");
    assert.equal(lbCloud("modelplane-onprem-gateway")["modelplane.dev/lb-cloud"], undefined);
  });

  it("without a zone: self-signed TLS, the address is the hostname; a DNS zone in one cloud adds a record per cluster", async () => {
    const out = await run(withExisting());
    assert.equal(out["gcp-us-central1"]?.gateway?.url, `https://${ADDRESS}`);
    assert.ok(
      of("kubernetes:cert-manager.io/v1:Issuer", "modelplane-gcp-gateway").some(
        (r) => (r.inputs["spec"] as Obj)["selfSigned"] !== undefined,
      ),
    );
    assert.equal(registered.filter((r) => r.type === "aws:route53/record:Record").length, 0);

    registered.length = 0;
    await run(withExisting({ dnsZone: "models.example.com", dns: { cloud: "aws", zoneId: "Z0123" } }));
    const records = registered.filter((r) => r.type === "aws:route53/record:Record");
    assert.deepEqual(records.map((r) => r.inputs["name"]).sort(), [
      "aws-us-east-1.models.example.com",
      "azure-westus3.models.example.com",
      "gcp-us-central1.models.example.com",
      "onprem.models.example.com",
    ]);
    assert.deepEqual(records[0]?.inputs["records"], [ADDRESS]);
    assert.equal(records[0]?.inputs["type"], "A");
  });

  it("each cloud's DNS provider writes its own record type (Cloud DNS, Azure DNS)", async () => {
    registered.length = 0;
    const parent = new pulumi.ComponentResource("test:dns:Parent", "dns-parent");
    providerFor("gcp").dns?.createRecord(
      "g",
      { zoneId: "zone", zone: "example.com", fqdn: "a.example.com", address: "lb.example.net", ttl: 60 },
      parent,
    );
    providerFor("azure").dns?.createRecord(
      "z",
      { zoneId: "rg", zone: "example.com", fqdn: "a.b.example.com", address: ADDRESS, ttl: 60 },
      parent,
    );
    await settle(registered);
    const g = registered.find((r) => r.type === "gcp:dns/recordSet:RecordSet");
    assert.deepEqual(
      [g?.inputs["name"], g?.inputs["type"], g?.inputs["rrdatas"]],
      ["a.example.com.", "CNAME", ["lb.example.net."]],
    );
    const z = registered.find((r) => r.type === "azure-native:dns:RecordSet");
    assert.deepEqual(
      [z?.inputs["relativeRecordSetName"], z?.inputs["recordType"], z?.inputs["aRecords"]],
      ["a.b", "A", [{ ipv4Address: ADDRESS }]],
    );
  });

  it("enabled: false installs no gateway and exports none", async () => {
    const out = await run(withExisting({ enabled: false }));
    assert.equal(registered.filter((r) => r.type === "modelplane:network:ClusterGateway").length, 0);
    assert.equal(out["aws-us-east-1"]?.gateway, undefined);
  });
});

describe("modelplane:gateway config", () => {
  const parse = (gateway: unknown) =>
    parsePlatformConfig({ clouds: [{ cloud: "gcp", region: "us-central1" }], gateway });
  const field = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ValidationError) return e.field;
      throw e;
    }
    return "";
  };

  it("defaults: on, pinned charts, self-signed TLS, the in-cluster control plane, 600 requests/minute", () => {
    const g = parse(undefined).gateway;
    assert.equal(g.enabled, true);
    const plan = planClusterGateway(g, "gcp-us-central1");
    assert.equal(plan.envoyGatewayVersion, "v1.10.0");
    assert.equal(plan.tls.mode, "self-signed");
    assert.deepEqual(plan.auth, {
      kind: "service",
      name: "modelplane-api",
      namespace: "modelplane-system",
      port: 80,
      pathPrefix: "/v1/inference-keys/check",
    });
    assert.equal(plan.requestsPerMinute, 600);
    assert.equal(plan.hostname, undefined);
  });

  it("an external control plane keeps its base path before the check path", () => {
    const plan = planClusterGateway(parse({ auth: { url: "https://cp.example.com:8443/api/" } }).gateway, "x");
    assert.deepEqual(plan.auth, {
      kind: "external",
      hostname: "cp.example.com",
      port: 8443,
      pathPrefix: "/api/v1/inference-keys/check",
    });
  });

  it("errors name the key", () => {
    assert.equal(
      field(() => parse({ rateLimit: { requestsPerMinute: 0 } })),
      "modelplane:gateway.rateLimit.requestsPerMinute",
    );
    assert.equal(
      field(() => parse({ auth: { url: "http://cp.example.com" } })),
      "modelplane:gateway.auth.url",
    );
    assert.equal(
      field(() => parse({ envoyGatewayVersion: "^1.10" })),
      "modelplane:gateway.envoyGatewayVersion",
    );
    assert.equal(
      field(() => parse({ dnsZone: "Not A Zone" })),
      "modelplane:gateway.dnsZone",
    );
    assert.equal(
      field(() => parse({ tsl: {} })),
      "modelplane:gateway.tsl",
    );
    const config = parse({ tls: { acmeEmail: "ops@example.com" } });
    assert.equal(
      field(() =>
        validatePlatformConfig(config, (c) => ({ cluster: providerFor(c).cluster, pool: providerFor(c).pool })),
      ),
      "modelplane:gateway.tls.acmeEmail",
    );
    const dnsOnly = parse({ dns: { cloud: "aws", zoneId: "Z1" } });
    assert.equal(
      field(() => planClusterGateway(dnsOnly.gateway, "x")),
      "modelplane:gateway.dns",
    );
  });
});
