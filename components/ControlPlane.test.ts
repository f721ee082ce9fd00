import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { planControlPlane, type ControlPlanePlanInput } from "./controlPlanePlan";
import { installMocks, settle, valueOf, type Registered } from "./testing/pulumiMocks";
import { checkCrdContract, crdContractFor } from "../providers/limits/gateway-crds";

const IMAGE = "ghcr.io/example/modelplane:0.1.0";
const GATEWAY = {
  name: "inference",
  namespace: "modelplane-gateway",
  listener: "https",
  url: "https://gw.example.com",
};

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** A recorded value with Pulumi's secret wrappers removed. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  if (SECRET_SIG in o) return plain(o["value"]);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
}

/** Validate a registered Kubernetes object against its upstream schema (kubernetes-models). */
async function schemaCheck(r: Registered): Promise<void> {
  const m = /^kubernetes:(?:(core)\/)?([^:]+):(\w+)$/.exec(r.type);
  assert.ok(m, r.type);
  const [, core, groupVersion, kind] = m;
  if (groupVersion?.startsWith("gateway.envoyproxy.io")) {
    // No models package ships Envoy Gateway's CRDs: the offline contract (providers/limits/gateway-crds.ts).
    const contract = crdContractFor(groupVersion, kind ?? "");
    assert.ok(contract, `${r.type} has a CRD contract`);
    assert.deepEqual(checkCrdContract(contract, plain(r.inputs)), [], r.name);
    return;
  }
  const module = core
    ? `kubernetes-models/${groupVersion}/${kind}`
    : groupVersion?.startsWith("gateway.networking.k8s.io")
      ? `@kubernetes-models/gateway-api/${groupVersion}/${kind}`
      : `kubernetes-models/${groupVersion}/${kind}`;
  const mod = (await import(module)) as Record<string, new (d: unknown) => { validate(): void }>;
  const Model = mod[kind ?? ""];
  assert.ok(Model, `${module} exports ${kind}`);
  const apiVersion = core ? groupVersion : groupVersion;
  const body = { ...(plain(r.inputs) as Record<string, unknown>), apiVersion, kind };
  delete (body as Record<string, unknown>)["metadata"];
  const metadata = plain(r.inputs["metadata"]) as Record<string, unknown>;
  new Model({ ...body, metadata }).validate();
}

const base = (over: Partial<ControlPlanePlanInput> = {}): ControlPlanePlanInput => ({
  cloud: "aws",
  region: "us-east-1",
  image: IMAGE,
  database: { kind: "managed" },
  stateBackend: { kind: "object-store" },
  gateway: true,
  ...over,
});

describe("ControlPlane: plan (pure)", () => {
  it("defaults: 2 API + 2 worker pods, managed Postgres 16 on the cloud's default size, object store + KMS, path on the gateway", () => {
    const p = planControlPlane(base(), "db.t4g.medium");
    assert.deepEqual(p.api, { replicas: 2, cpu: "500m", memory: "1Gi" });
    assert.deepEqual(p.worker, { replicas: 2, cpu: "1", memory: "2Gi", concurrency: 2 });
    assert.deepEqual(p.database, { kind: "managed", instanceClass: "db.t4g.medium", storageGiB: 32, version: "16" });
    assert.equal(p.kmsKey, true);
    assert.equal(p.exposure, "gateway-path");
    assert.equal(planControlPlane(base({ hostname: "api.example.com" }), "x").exposure, "gateway-hostname");
    assert.equal(planControlPlane(base({ gateway: false }), "x").exposure, "in-cluster");
    const cloud = planControlPlane(base({ stateBackend: { kind: "pulumi-cloud" } }), "x");
    assert.deepEqual(cloud.stateBackend, { kind: "pulumi-cloud", url: "https://api.pulumi.com" });
    assert.equal(cloud.kmsKey, false, "Pulumi Cloud keeps the secrets itself");
  });

  it("names the argument and the fix", () => {
    const bad: Array<[Partial<ControlPlanePlanInput>, string, RegExp]> = [
      [{ image: "ghcr.io/example/modelplane" }, "image", /no tag or digest/],
      [{ image: "ghcr.io/example/modelplane:latest" }, "image", /:latest/],
      [{ api: { replicas: 0 } }, "api.replicas", /1 to 50/],
      [{ worker: { memory: "lots" } }, "worker.memory", /quantity/],
      [{ worker: { concurrency: 100 } }, "worker.concurrency", /1 to 64/],
      [{ database: { kind: "managed", version: "12" } }, "database.version", /15, 16, 17/],
      [{ database: { kind: "managed", storageGiB: 5 } }, "database.storageGiB", /20 to 16384/],
      [{ stateBackend: { kind: "pulumi-cloud", url: "http://x" } }, "stateBackend.url", /https/],
      [{ hostname: "not a host" }, "hostname", /DNS name/],
      [{ hostname: "api.example.com", gateway: false }, "hostname", /gateway/],
      [{ namespace: "Mod_Plane" }, "namespace", /namespace name/],
    ];
    for (const [over, field, message] of bad)
      assert.throws(
        () => planControlPlane(base(over), "x"),
        (e: unknown) => e instanceof ValidationError && e.field === field && message.test(e.message),
        field,
      );
    assert.ok(planControlPlane(base({ image: `r/m@sha256:${"a".repeat(64)}` }), "x"));
  });
});

describe("ControlPlane: under mocks, per cloud", function () {
  this.timeout(30_000);
  let registered: Registered[];
  let mod: typeof import("./ControlPlane");
  before(async () => {
    registered = await installMocks({
      state: (type, name, inputs) => {
        if (type === "aws:rds/instance:Instance") return { address: `${name}.abc.us-east-1.rds.amazonaws.com` };
        if (type === "aws:s3/bucket:Bucket") return { bucket: `${name}-1a2b3c` };
        if (type === "aws:kms/alias:Alias") return { name: inputs["name"] };
        if (type === "gcp:sql/databaseInstance:DatabaseInstance")
          return { name: `${name}-1a2b`, privateIpAddress: "10.20.0.3" };
        if (type === "gcp:storage/bucket:Bucket") return { name: `${name}-1a2b` };
        if (type === "gcp:kms/cryptoKey:CryptoKey")
          return { id: `projects/p/locations/us-central1/keyRings/r/cryptoKeys/${name}` };
        if (type.startsWith("azure-native:"))
          return {
            name:
              inputs["containerName"] ??
              inputs["keyName"] ??
              inputs["databaseName"] ??
              inputs["serverName"] ??
              inputs["vaultName"] ??
              inputs["accountName"] ??
              name,
            fullyQualifiedDomainName: `${String(inputs["serverName"])}.postgres.database.azure.com`,
          };
        return {};
      },
      call: (token) =>
        token === "azure-native:authorization:getClientConfig" ? { tenantId: "t-1", subscriptionId: "s" } : undefined,
    });
    mod = await import("./ControlPlane");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  const cloudTypes: Record<Cloud, string[]> = {
    aws: ["aws:kms/alias:Alias", "aws:kms/key:Key", "aws:rds/instance:Instance", "aws:s3/bucket:Bucket"],
    gcp: [
      "gcp:compute/globalAddress:GlobalAddress",
      "gcp:servicenetworking/connection:Connection",
      "gcp:kms/cryptoKey:CryptoKey",
      "gcp:kms/keyRing:KeyRing",
      "gcp:sql/database:Database",
      "gcp:sql/databaseInstance:DatabaseInstance",
      "gcp:sql/user:User",
      "gcp:storage/bucket:Bucket",
    ],
    azure: [
      "azure-native:dbforpostgresql:Database",
      "azure-native:dbforpostgresql:Server",
      "azure-native:keyvault:Key",
      "azure-native:keyvault:Vault",
      "azure-native:resources:ResourceGroup",
      "azure-native:storage:BlobContainer",
      "azure-native:storage:StorageAccount",
    ],
  };
  const expected: Record<Cloud, { backend: RegExp; secrets: RegExp; db: RegExp }> = {
    aws: {
      backend: /^s3:\/\/cp-aws-state-1a2b3c\?region=us-east-1$/,
      secrets: /^awskms:\/\/alias\/cp-aws-secrets\?region=us-east-1$/,
      db: /^postgres:\/\/modelplane:p%40ss@cp-aws-db\.abc\.us-east-1\.rds\.amazonaws\.com:5432\/modelplane\?sslmode=require$/,
    },
    gcp: {
      backend: /^gs:\/\/cp-gcp-state-1a2b$/,
      secrets: /^gcpkms:\/\/projects\/p\/locations\/us-central1\/keyRings\/r\/cryptoKeys\/cp-gcp-secrets-key$/,
      // The private IP in the GKE cluster's network: the instance has no public IP.
      db: /@10\.20\.0\.3:5432\/modelplane\?sslmode=require$/,
    },
    azure: {
      backend: /^azblob:\/\/pulumi-state\?storage_account=mpcpstate[a-f0-9]{10}$/,
      secrets: /^azurekeyvault:\/\/mp-cp-kv-[a-f0-9]{10}\.vault\.azure\.net\/keys\/pulumi-secrets$/,
      db: /@mp-cp-db-[a-f0-9]{10}\.postgres\.database\.azure\.com:5432\/modelplane\?sslmode=require$/,
    },
  };
  const regions: Record<Cloud, string> = { aws: "us-east-1", gcp: "us-central1", azure: "westus3" };

  for (const cloud of ["aws", "gcp", "azure"] as const) {
    it(`${cloud}: managed Postgres, state bucket and KMS key; API and worker Deployments, Secret, Service, HTTPRoute, all schema-valid`, async () => {
      const provider = new k8s.Provider(`k-${cloud}`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
      const cp = new mod.ControlPlane(`cp-${cloud}`, {
        cloud,
        region: regions[cloud],
        kubernetes: provider,
        image: IMAGE,
        database: { kind: "managed", password: pulumi.secret("p@ss") },
        stateBackend: { kind: "object-store" },
        adminKey: pulumi.secret("admin-key-0123456789abcdef"),
        gateway: GATEWAY,
        platformStack: "org/modelplane/prod",
        owner: "platform",
        ...(cloud === "gcp" ? { project: "p" } : {}),
        // Azure places the server in a delegated subnet of the cluster's network (ControlPlane.azure.test.ts).
        ...(cloud === "azure"
          ? {
              clusterSubnetIds: [
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes",
              ],
            }
          : {}),
      });
      const [url, backend, secrets] = await Promise.all([
        valueOf(cp.url),
        valueOf(cp.backendUrl),
        valueOf(cp.secretsProvider),
      ]);
      await settle(registered);
      assert.equal(url, "https://gw.example.com/_modelplane");
      assert.match(backend, expected[cloud].backend);
      assert.match(secrets, expected[cloud].secrets);
      const types = registered.map((r) => r.type);
      for (const t of cloudTypes[cloud]) assert.ok(types.includes(t), `${cloud} creates ${t}`);
      const kube = registered.filter((r) => r.type.startsWith("kubernetes:"));
      assert.deepEqual(kube.map((r) => r.type).sort(), [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:Service",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy",
        "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      ]);
      for (const r of kube) await schemaCheck(r);
      for (const r of kube) assert.ok(r.provider?.includes(`k-${cloud}`), `${r.name} runs on the cluster's provider`);
      // The policy pack's cost-tags-required reads these labels on every Kubernetes object.
      for (const r of kube) {
        const labels = (plain(r.inputs["metadata"]) as { labels?: Record<string, string> }).labels ?? {};
        assert.equal(labels["owner"], "platform", `${r.name} carries the owner label`);
        assert.equal(labels["managed-by"], "modelplane", `${r.name} carries managed-by`);
      }

      // Separate Deployments, one image, roles by flag, non-root, the shared config and secret.
      const deployments = kube.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
      const containers = deployments.map((d) => {
        const spec = d.inputs["spec"] as {
          replicas: number;
          template: { spec: { containers: Array<Record<string, unknown>>; securityContext: Record<string, unknown> } };
        };
        assert.equal(spec.replicas, 2);
        assert.equal(spec.template.spec.securityContext["runAsNonRoot"], true);
        return spec.template.spec.containers[0] ?? {};
      });
      assert.deepEqual(
        containers.map((c) => c["args"]),
        [
          ["serve", "--role", "api"],
          ["serve", "--role", "worker"],
        ],
      );
      for (const c of containers) assert.equal(c["image"], IMAGE);
      const env = (c: Record<string, unknown>) =>
        Object.fromEntries((c["env"] as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
      assert.equal(env(containers[1] ?? {})["MODELPLANE_WORKERS"], "2");
      assert.equal(env(containers[0] ?? {})["MODELPLANE_PLATFORM_STACK"], "org/modelplane/prod");

      const config = kube.find((r) => r.type === "kubernetes:core/v1:ConfigMap")?.inputs["data"] as Record<
        string,
        string
      >;
      assert.match(config["MODELPLANE_BACKEND_URL"] ?? "", expected[cloud].backend);
      assert.match(config["MODELPLANE_SECRETS_PROVIDER"] ?? "", expected[cloud].secrets);
      const secret = plain(kube.find((r) => r.type === "kubernetes:core/v1:Secret")?.inputs["stringData"]) as Record<
        string,
        string
      >;
      assert.match(secret["DATABASE_URL"] ?? "", expected[cloud].db);
      assert.equal(secret["MODELPLANE_ADMIN_KEY"], "admin-key-0123456789abcdef");

      const route = kube.find((r) => r.type.endsWith(":HTTPRoute"))?.inputs["spec"] as Record<string, unknown>;
      assert.deepEqual(route["parentRefs"], [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: "inference",
          namespace: "modelplane-gateway",
          sectionName: "https",
        },
      ]);
      const rule = (route["rules"] as Array<Record<string, unknown>>)[0] ?? {};
      assert.deepEqual(rule["matches"], [{ path: { type: "PathPrefix", value: "/_modelplane" } }]);
      assert.deepEqual(rule["backendRefs"], [{ name: "modelplane-api", port: 80 }]);
      assert.deepEqual(rule["timeouts"], { request: "0s" }, "SSE streams are not cut by a route timeout");
      // The API checks its own keys: its route's SecurityPolicy replaces the listener's inference-key check.
      const routeName = (kube.find((r) => r.type.endsWith(":HTTPRoute"))?.inputs["metadata"] as { name: string }).name;
      const policy = kube.find((r) => r.type.endsWith(":SecurityPolicy"))?.inputs["spec"] as Record<string, unknown>;
      assert.deepEqual(policy["targetRefs"], [
        { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: routeName },
      ]);
      assert.equal(policy["extAuth"], undefined);
    });
  }

  it("a given URL and Pulumi Cloud: no database, bucket or key; hostname route; no gateway → no route", async () => {
    const provider = new k8s.Provider("k-url", { kubeconfig: "x" });
    const cp = new mod.ControlPlane("cp-url", {
      cloud: "aws",
      region: "us-east-1",
      kubernetes: provider,
      image: IMAGE,
      database: { kind: "url", url: pulumi.secret("postgres://u:p@db.internal:5432/mp") },
      stateBackend: { kind: "pulumi-cloud", accessToken: pulumi.secret("pul-xyz") },
      adminKey: "admin-key-0123456789abcdef",
      gateway: GATEWAY,
      hostname: "api.example.com",
    });
    assert.equal(await valueOf(cp.url), "https://api.example.com");
    assert.equal(await valueOf(cp.secretsProvider), "service");
    assert.equal(await valueOf(cp.backendUrl), "https://api.pulumi.com");
    await settle(registered);
    assert.deepEqual(
      registered.filter((r) => /^(aws|gcp|azure-native):/.test(r.type)).map((r) => r.type),
      [],
    );
    const secret = plain(
      registered.find((r) => r.type === "kubernetes:core/v1:Secret")?.inputs["stringData"],
    ) as Record<string, string>;
    assert.equal(secret["DATABASE_URL"], "postgres://u:p@db.internal:5432/mp");
    assert.equal(secret["PULUMI_ACCESS_TOKEN"], "pul-xyz");
    const route = registered.find((r) => r.type.endsWith(":HTTPRoute"));
    assert.deepEqual((route?.inputs["spec"] as Record<string, unknown>)["hostnames"], ["api.example.com"]);
    for (const r of registered.filter((x) => x.type.startsWith("kubernetes:"))) await schemaCheck(r);

    registered.length = 0;
    const inCluster = new mod.ControlPlane("cp-in", {
      cloud: "gcp",
      region: "us-central1",
      kubernetes: provider,
      image: IMAGE,
      database: { kind: "url", url: "postgres://u@h/mp" },
      stateBackend: { kind: "object-store" },
      adminKey: "admin-key-0123456789abcdef",
    });
    assert.equal(await valueOf(inCluster.url), undefined);
    assert.equal(inCluster.internalUrl, "http://modelplane-api.modelplane-system.svc.cluster.local");
    await settle(registered);
    assert.ok(!registered.some((r) => r.type.endsWith(":HTTPRoute")));
  });
});
