import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
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

  it("aws: the workers' role boundary is exported on the clusters of the control plane's cloud, no other", async () => {
    const res = mod.platformProgram(
      parsePlatformConfig({ ...shippedRaw(), controlPlane: { ...CP, cluster: "aws-us-east-1" } }),
    );
    await settle(registered);
    const boundary = registered.find(
      (r) => r.type === "aws:iam/policy:Policy" && r.name.endsWith("-stack-role-boundary"),
    );
    assert.ok(boundary, "the control plane creates the boundary policy");
    for (const [name, out] of Object.entries(res.outputs.clusters)) {
      const arn =
        out.stackRoleBoundaryArn === undefined ? undefined : await valueOf(pulumi.output(out.stackRoleBoundaryArn));
      if (name.startsWith("aws-"))
        assert.equal(arn, `arn:aws:iam::123456789012:policy/${String(boundary.inputs["name"])}`, name);
      else assert.equal(arn, undefined, name);
    }
  });

  it("gcp: Cloud SQL has no public IP, a private IP in the GKE cluster's network, and waits for the peering", async () => {
    // Every child's options, through a transformation the parent hands down (mocks keep no dependsOn).
    const opts = new Map<string, pulumi.CustomResourceOptions>();
    const holder = new pulumi.ComponentResource(
      "test:index:Holder",
      "holder-gcp-db",
      {},
      {
        transformations: [
          (a) => {
            opts.set(`${a.type}::${a.name}`, a.opts as pulumi.CustomResourceOptions);
            return undefined;
          },
        ],
      },
    );
    const { ControlPlane } = await import("../../components/ControlPlane");
    new ControlPlane(
      "cp-gcp-db",
      {
        cloud: "gcp",
        region: "us-central1",
        project: "proj-1",
        kubernetes: new k8s.Provider("k-gcp-db", { kubeconfig: "x" }),
        image: CP.image,
        database: { kind: "managed", password: pulumi.secret("pw-0123456789") },
        stateBackend: { kind: "object-store" },
        adminKey: CP.adminKey,
      },
      { parent: holder },
    );
    await settle(registered);
    const one = (type: string) => {
      const found = registered.filter((r) => r.type === type);
      assert.equal(found.length, 1, type);
      return found[0] as Registered;
    };
    const network = "projects/proj-1/global/networks/default";
    const db = one("gcp:sql/databaseInstance:DatabaseInstance");
    const ip = (db.inputs["settings"] as { ipConfiguration: Record<string, unknown> }).ipConfiguration;
    assert.equal(ip["ipv4Enabled"], false, "no public IP");
    assert.equal(ip["privateNetwork"], network);
    assert.equal(ip["sslMode"], "ENCRYPTED_ONLY");
    assert.equal(ip["authorizedNetworks"], undefined);
    const range = one("gcp:compute/globalAddress:GlobalAddress");
    assert.deepEqual(
      [range.inputs["purpose"], range.inputs["addressType"], range.inputs["network"], range.inputs["project"]],
      ["VPC_PEERING", "INTERNAL", network, "proj-1"],
    );
    const peering = one("gcp:servicenetworking/connection:Connection");
    assert.equal(peering.inputs["service"], "servicenetworking.googleapis.com");
    assert.equal(peering.inputs["network"], network);
    assert.match(String(range.inputs["name"]), /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, "an RFC 1035 name");
    assert.deepEqual(peering.inputs["reservedPeeringRanges"], [range.inputs["name"]]);
    // The same network as the cluster's: GKE clusters name it (providers/gcp/cluster.ts).
    const { GKE_NETWORK } = await import("../../providers/gcp/cluster");
    assert.equal(network.split("/").pop(), GKE_NETWORK);
    // The instance waits for the peering connection: without it, the create fails on a network with no private services access.
    const dependsOn = opts.get(`gcp:sql/databaseInstance:DatabaseInstance::${db.name}`)?.dependsOn;
    const deps = (Array.isArray(dependsOn) ? dependsOn : [dependsOn]) as pulumi.Resource[];
    const urns = await Promise.all(deps.filter((d) => d !== undefined).map((d) => valueOf(d.urn)));
    assert.ok(
      urns.some((u) => u.endsWith(`::${peering.name}`)),
      `dependsOn the Service Networking connection: ${urns.join(", ")}`,
    );
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
