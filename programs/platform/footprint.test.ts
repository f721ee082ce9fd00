/**
 * One Footprint, read two ways: offline from the platform config (the program's own validator) and
 * from the platform stack's outputs (the program run under mocks). They agree; neither carries a
 * kubeconfig. End to end: the deployment program picks the right cluster and refuses eu-south-2.
 */
import * as assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../platform/core/validation";
import {
  computedState,
  installMocks,
  obj,
  settle,
  valueOf,
  type Obj,
  type Registered,
} from "../../components/testing/pulumiMocks";
import { rawConfigFromStackYaml } from "./stackConfig";
import { parsePlatformConfig } from "./config";
import {
  footprintFromConfigFile,
  footprintFromOutputs,
  footprintFromPlatformConfig,
  footprintFromStack,
} from "./footprint";

const DEV = join(__dirname, "..", "..", "Pulumi.dev.yaml");
const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: s3cr3t-onprem-token}}]\n";

/** The shipped config plus aws eu-west-1 and an existing cluster. */
function twoRegionsAndExisting(): Record<string, unknown> {
  const raw = structuredClone(rawConfigFromStackYaml(readFileSync(DEV, "utf8"), DEV)) as { clouds: unknown[] };
  raw.clouds.push(
    { cloud: "aws", region: "eu-west-1", gpuPools: [{ name: "t4", gpu: "T4", maxNodes: 2 }] },
    {
      cloud: "kubernetes",
      region: "on-prem-fra",
      name: "onprem",
      kubeconfig: KUBECONFIG,
      gpuPools: [{ name: "a100", gpu: "A100-80GB", gpusPerNode: 8, nodes: 2, nodeHourlyUsd: 12.5 }],
    },
  );
  return raw;
}

/** Everything but `source`, which says where each was read from. */
const body = (fp: { source: unknown }) => ({ ...fp, source: undefined });

describe("footprint: from config and from outputs (mocks)", () => {
  let registered: Registered[];
  let stackOutputs: Obj = {};
  let program: typeof import("./program");

  before(async () => {
    registered = await installMocks({
      project: "modelplane-deployment",
      stack: "dev",
      state: (type, name, inputs) =>
        type === "pulumi:pulumi:StackReference"
          ? { id: String(inputs["name"] ?? name), outputs: stackOutputs, secretOutputNames: [] }
          : computedState(type, name, inputs),
    });
    program = await import("./program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  /** Run the platform program under mocks; resolve its outputs as the engine would return them. */
  async function platformOutputs(raw: unknown): Promise<Obj> {
    const res = program.platformProgram(parsePlatformConfig(raw));
    const clusters: Obj = {};
    for (const [name, value] of Object.entries(res.outputs.clusters))
      clusters[name] = await valueOf(pulumi.output(value));
    const kubeconfigs: Obj = {};
    for (const [name, value] of Object.entries(res.outputs.kubeconfigs)) kubeconfigs[name] = await valueOf(value);
    await settle(registered);
    return { clusters, kubeconfigs };
  }

  it("the shipped Pulumi.dev.yaml: the file and the stack outputs give the same footprint", async () => {
    const fromFile = footprintFromConfigFile(DEV);
    const fromOutputs = footprintFromOutputs(
      await platformOutputs(rawConfigFromStackYaml(readFileSync(DEV, "utf8"))),
      "dev",
    );
    assert.deepEqual(body(fromOutputs), body(fromFile));
    assert.deepEqual(fromFile.source, { kind: "config", file: DEV });
    assert.deepEqual(fromOutputs.source, { kind: "stack", stack: "dev" });
    assert.deepEqual(
      fromFile.clusters.map((c) => `${c.name}=${c.cloud} ${c.region}`),
      ["aws-us-east-1=aws us-east-1", "azure-westus3=azure westus3", "gcp-us-central1=gcp us-central1"],
    );
    const aws = fromFile.clusters.find((c) => c.cloud === "aws");
    assert.deepEqual(
      aws?.pools.map((p) => [p.name, p.gpu, p.instanceType, p.capacity, p.fallback]),
      [
        ["l4", "L4", "g6.xlarge", "spot", true],
        ["l4-fallback", "L4", "g6.xlarge", "on-demand", false],
        ["a10g", "A10G", "g5.xlarge", "spot", false],
      ],
    );
    assert.ok((aws?.serverless ?? []).every((s) => s.product === "sagemaker-async"));
    // The optimizer's hand-written dev fixture describes the same pools (kept honest here).
    const { devFootprint } = await import("../../platform/core/optimizer/test-fixtures");
    const poolsOf = (fp: { clusters: Array<{ cloud: string; pools: Array<Record<string, unknown>> }> }) =>
      Object.fromEntries(
        fp.clusters.map((c) => [
          c.cloud,
          c.pools.map((p) => [p["name"], p["gpu"], p["instanceType"], p["capacity"], p["maxNodes"]]),
        ]),
      );
    assert.deepEqual(poolsOf(fromFile), poolsOf(devFootprint()));
    assert.equal(fromFile.stores.length, 3);
  });

  it("two AWS regions and an existing cluster: both ways agree, and no kubeconfig is in either", async () => {
    const raw = twoRegionsAndExisting();
    const outputs = await platformOutputs(raw);
    const fromConfig = footprintFromPlatformConfig(raw, "two.yaml");
    const fromOutputs = footprintFromOutputs(outputs, "dev");
    assert.deepEqual(body(fromOutputs), body(fromConfig));
    assert.deepEqual(
      fromConfig.clusters.filter((c) => c.cloud === "aws").map((c) => c.region),
      ["eu-west-1", "us-east-1"],
    );
    const onprem = fromConfig.clusters.find((c) => c.name === "onprem");
    assert.deepEqual(onprem && { ...onprem }, {
      cloud: "kubernetes",
      region: "on-prem-fra",
      name: "onprem",
      pools: [
        {
          name: "a100",
          gpu: "A100-80GB",
          gpusPerNode: 8,
          capacity: "on-demand",
          minNodes: 2,
          maxNodes: 2,
          fallback: false,
          nodeHourlyUsd: 12.5,
        },
      ],
      serverless: [],
      dedicatedPools: false,
    });
    for (const text of [JSON.stringify(fromConfig), JSON.stringify(fromOutputs), JSON.stringify(outputs["clusters"])]) {
      assert.ok(!text.includes("s3cr3t-onprem-token"), "no kubeconfig in a footprint or the plain clusters output");
    }
    // The existing cluster: a provider from its kubeconfig, the device plugin on its declared pools.
    const plugin = registered.find(
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "modelplane-onprem-nvidia-device-plugin",
    );
    assert.ok(plugin, "device plugin installed on the existing cluster");
    const terms = obj(
      obj(obj(obj(plugin.inputs["values"])["affinity"])["nodeAffinity"])[
        "requiredDuringSchedulingIgnoredDuringExecution"
      ],
    )["nodeSelectorTerms"];
    assert.deepEqual(terms, [{ matchExpressions: [{ key: "modelplane.dev/pool", operator: "In", values: ["a100"] }] }]);
    assert.equal(obj(outputs["kubeconfigs"])["onprem"], KUBECONFIG, "the secret output carries it for model stacks");
    // The same platform add-ons as a managed cluster (autoscaling needs KEDA and Prometheus there too).
    for (const addon of ["keda", "kube-prometheus-stack"]) {
      assert.ok(
        registered.some((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === `modelplane-onprem-${addon}`),
        addon,
      );
    }
  });

  it("the existing cluster's kubeconfig output is secret", async () => {
    const res = program.platformProgram(parsePlatformConfig(twoRegionsAndExisting()));
    const kc = res.outputs.kubeconfigs["onprem"];
    assert.ok(kc);
    assert.equal(await pulumi.isSecret(kc), true);
    await settle(registered);
  });

  it("footprintFromStack reads the outputs through the engine-like reader", async () => {
    const outputs = await platformOutputs(twoRegionsAndExisting());
    const asked: string[] = [];
    const fp = await footprintFromStack(
      {
        stackOutputs: (stack) => {
          asked.push(stack);
          return Promise.resolve(outputs);
        },
      },
      "acme/modelplane-platform/dev",
    );
    assert.deepEqual(asked, ["acme/modelplane-platform/dev"]);
    assert.equal(fp.clusters.length, 5);
    await assert.rejects(
      footprintFromStack({ stackOutputs: () => Promise.resolve({}) }, "empty"),
      (e: unknown) => e instanceof ValidationError && e.field === "platformStack(empty).clusters",
    );
  });

  it("an unreadable or invalid config file is an error naming the file or the key", () => {
    const dir = mkdtempSync(join(tmpdir(), "mp-fp-"));
    try {
      assert.throws(
        () => footprintFromConfigFile(join(dir, "missing.yaml")),
        (e: unknown) => e instanceof ValidationError && e.message.includes(join(dir, "missing.yaml")),
      );
      const bad = join(dir, "Pulumi.bad.yaml");
      writeFileSync(
        bad,
        "config:\n  modelplane:clouds:\n    - cloud: aws\n      region: us-east-1\n    - cloud: aws\n      region: us-east-1\n",
      );
      assert.throws(
        () => footprintFromConfigFile(bad),
        (e: unknown) => e instanceof ValidationError && e.field === "modelplane:clouds[1]",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("end to end: platform program → footprint → deployment program", () => {
    const spec = (region: string) => ({
      deploymentId: "dep-e2e",
      tenant: "research",
      owner: "alice@example.com",
      costCenter: "cc-1",
      environment: "dev",
      model: { name: "llama-3.1-8b", version: "v1", parametersBillions: 8, precision: "fp16", contextTokens: 4096 },
      placement: {
        cloud: "aws",
        region,
        instanceType: "g4dn.xlarge",
        gpuType: "T4",
        gpuCount: 1,
        gpuMemoryGiB: 16,
        capacity: "spot",
        replicas: 1,
        unitHourlyUsd: 0.3147,
        hourlyUsd: 0.3147,
        monthlyUsd: 230,
        storageMonthlyUsd: 0.4,
        onDemandUnitHourlyUsd: 0.587,
      },
      model_source: undefined,
      platformStack: "acme/modelplane-platform/dev",
    });

    it("a placement in aws eu-west-1 lands on the eu-west-1 cluster, with that cluster's kubeconfig", async () => {
      stackOutputs = await platformOutputs(twoRegionsAndExisting());
      const west = obj(obj(stackOutputs["clusters"])["aws-eu-west-1"]);
      registered.length = 0;
      const { deploymentProgram } = await import("../deployment/program");
      const { model_source: _m, ...s } = spec("eu-west-1");
      void _m;
      const out = await deploymentProgram(s as Parameters<typeof deploymentProgram>[0])();
      await settle(registered);
      // The eu-west-1 cluster's own t4 spot pool (g4dn.xlarge): no node group is added anywhere.
      assert.equal(registered.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup").length, 0);
      assert.deepEqual(obj(out["pools"])["primary"], "t4");
      const t4 = (west["pools"] as Obj[]).find((p) => p["name"] === "t4");
      assert.ok(t4, "only the eu-west-1 cluster has a t4 pool");
      const deployment = registered.find((r) => r.type === "kubernetes:apps/v1:Deployment");
      const selector = obj(obj(obj(obj(deployment?.inputs["spec"])["template"])["spec"])["nodeSelector"]);
      assert.equal(selector["modelplane.dev/pool"], obj(t4["nodeSelector"])["modelplane.dev/pool"]);
      const providers = registered.filter((r) => r.type === "pulumi:providers:kubernetes");
      assert.ok(providers.length > 0);
      for (const p of providers) {
        // A secret input reaches the engine wrapped (Pulumi's secret signature) with its value.
        const k = obj(p.inputs["kubeconfig"]);
        assert.equal(k["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "passed as a secret");
        assert.equal(k["value"], testKubeconfigOf(stackOutputs, "aws-eu-west-1"), "the eu-west-1 cluster's kubeconfig");
      }
      assert.ok(out["endpoint"] !== undefined);
    });

    it("a placement in aws eu-west-1 on a shape the cluster lacks adds a pool to the eu-west-1 cluster", async () => {
      stackOutputs = await platformOutputs(twoRegionsAndExisting());
      const west = obj(obj(stackOutputs["clusters"])["aws-eu-west-1"]);
      registered.length = 0;
      const { deploymentProgram } = await import("../deployment/program");
      const { model_source: _m, ...s } = spec("eu-west-1");
      void _m;
      const onDemand = { ...s, placement: { ...s.placement, capacity: "on-demand", onDemandUnitHourlyUsd: null } };
      await deploymentProgram(onDemand as Parameters<typeof deploymentProgram>[0])();
      await settle(registered);
      const groups = registered.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
      assert.equal(groups.length, 1, "a dedicated on-demand pool");
      assert.equal(await valueOf(pulumi.output(groups[0]?.inputs["clusterName"])), west["clusterName"]);
      assert.notEqual(west["clusterName"], obj(obj(stackOutputs["clusters"])["aws-us-east-1"])["clusterName"]);
    });

    it("a placement in aws eu-south-2 is refused naming placement.region and listing the footprint; nothing is created", async () => {
      stackOutputs = await platformOutputs(twoRegionsAndExisting());
      registered.length = 0;
      const { deploymentProgram } = await import("../deployment/program");
      const { model_source: _m, ...s } = spec("eu-south-2");
      void _m;
      await assert.rejects(
        deploymentProgram(s as Parameters<typeof deploymentProgram>[0])(),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.field === "placement.region" &&
          e.message.includes("no cluster in aws eu-south-2") &&
          ["aws eu-west-1", "aws us-east-1", "gcp us-central1", "azure westus3", "kubernetes on-prem-fra"].every((r) =>
            e.message.includes(r),
          ),
      );
      await settle(registered);
      assert.deepEqual(
        registered.filter((r) => r.type !== "pulumi:pulumi:StackReference"),
        [],
      );
    });
  });
});

function testKubeconfigOf(outputs: Obj, name: string): unknown {
  return obj(outputs["kubeconfigs"])[name];
}
