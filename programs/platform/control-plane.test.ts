import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../platform/core/validation";
import { installMocks, settle, valueOf, type Registered } from "../../components/testing/pulumiMocks";
import { parsePlatformConfig } from "./config";
import { rawConfigFromStackYaml } from "./stackConfig";

const shippedRaw = (): Record<string, unknown> =>
  rawConfigFromStackYaml(readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8"), "Pulumi.dev.yaml");

const CP = {
  image: "ghcr.io/acme/modelplane:0.1.0",
  adminKey: "admin-key-0123456789abcdef",
  database: { password: "pw-0123456789" },
};

describe("platform program: modelplane:controlPlane", function () {
  this.timeout(60_000);
  let registered: Registered[];
  let mod: typeof import("./program");
  before(async () => {
    registered = await installMocks();
    mod = await import("./program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  it("absent: no control plane", async () => {
    const res = mod.platformProgram(parsePlatformConfig(shippedRaw()));
    await settle(registered);
    assert.equal(res.controlPlane, undefined);
    assert.ok(!registered.some((r) => r.type === "modelplane:platform:ControlPlane"));
  });

  it("on the named cluster, attached to that cluster's gateway under TLS, with its cloud's database, bucket and key", async () => {
    const res = mod.platformProgram(
      parsePlatformConfig({ ...shippedRaw(), controlPlane: { ...CP, cluster: "gcp-us-central1" } }),
    );
    const cp = res.controlPlane;
    assert.ok(cp);
    const url = await valueOf(cp.url);
    await settle(registered);
    assert.match(url ?? "", /^https:\/\/.+\/_modelplane$/);
    const types = registered.map((r) => r.type);
    assert.ok(types.includes("gcp:sql/databaseInstance:DatabaseInstance"));
    assert.ok(types.includes("gcp:kms/cryptoKey:CryptoKey"));
    assert.ok(!types.includes("aws:rds/instance:Instance"), "only on the chosen cluster's cloud");
    const route = registered.find(
      (r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute" && r.name.includes("control-plane"),
    );
    assert.ok(route, "an HTTPRoute for the API");
    const parent = (route.inputs["spec"] as { parentRefs: Array<Record<string, unknown>> }).parentRefs[0] ?? {};
    const gateway = registered.find(
      (r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway" && r.name.includes("gcp"),
    );
    assert.ok(gateway);
    const gwMeta = gateway.inputs["metadata"] as { name: string; namespace: string };
    assert.equal(parent["name"], gwMeta.name);
    assert.equal(parent["namespace"], gwMeta.namespace);
    const listeners = (gateway.inputs["spec"] as { listeners: Array<{ name: string; protocol: string }> }).listeners;
    assert.equal(listeners.find((l) => l.name === parent["sectionName"])?.protocol, "HTTPS");
  });

  it("with a DNS zone, the other clusters' gateways check keys at the control plane's URL", async () => {
    mod.platformProgram(
      parsePlatformConfig({
        ...shippedRaw(),
        gateway: { dnsZone: "models.example.com", tls: { acmeEmail: "ops@example.com" } },
        controlPlane: CP, // default cluster: the first managed entry
      }),
    );
    await settle(registered);
    const backends = registered.filter((r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend");
    const hostOf = (r: Registered) =>
      (r.inputs["spec"] as { endpoints: Array<{ fqdn: { hostname: string } }> }).endpoints[0]?.fqdn.hostname;
    const first = (shippedRaw()["clouds"] as Array<{ cloud: string; region: string }>)[0];
    assert.ok(first);
    const cpCluster = `${first.cloud}-${first.region}`;
    assert.ok(backends.length >= 2);
    for (const b of backends) {
      const own = b.name.startsWith(`modelplane-${first.cloud}-gateway`);
      assert.equal(
        hostOf(b),
        own ? "modelplane-api.modelplane-system.svc.cluster.local" : `${cpCluster}.models.example.com`,
        b.name,
      );
    }
  });

  it("errors name the config key", () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...CP, cluster: "oracle-1" }, "modelplane:controlPlane.cluster"],
      [{ ...CP, image: "ghcr.io/acme/modelplane:latest" }, "modelplane:controlPlane.image"],
      [{ ...CP, database: { password: "x", url: "postgres://h/db" } }, "modelplane:controlPlane.database"],
      [{ ...CP, stateBackend: { kind: "pulumi-cloud" } }, "modelplane:controlPlane.stateBackend.accessToken"],
      [{ ...CP, api: { replicas: 0 } }, "modelplane:controlPlane.api.replicas"],
    ];
    for (const [controlPlane, field] of bad)
      assert.throws(
        () => mod.platformProgram(parsePlatformConfig({ ...shippedRaw(), controlPlane })),
        (e: unknown) => e instanceof ValidationError && e.field === field,
        field,
      );
    // A DNS zone gives the listener one hostname: an API hostname beside it would not be admitted.
    assert.throws(
      () =>
        mod.platformProgram(
          parsePlatformConfig({
            ...shippedRaw(),
            gateway: { dnsZone: "models.example.com" },
            controlPlane: { ...CP, hostname: "api.models.example.com" },
          }),
        ),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "modelplane:controlPlane.hostname" &&
        /serves only [a-z0-9-]+\.models\.example\.com/.test(e.message),
    );
    assert.throws(
      () => parsePlatformConfig({ ...shippedRaw(), controlPlane: { ...CP, replicas: 3 } }),
      /modelplane:controlPlane.replicas: unknown key "replicas"/,
    );
  });
});
