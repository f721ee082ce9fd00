/**
 * A brought cluster (`cloud: kubernetes`) end to end, under mocks: the platform program exports its
 * declared pools → the footprint read from those outputs → a quote that ranks the priced pool at
 * its declared price → the deployment program puts the model on that pool through the cluster's
 * own kubeconfig, with no node pool created anywhere. An explicit placement on an unpriced pool is
 * carried as unpriced; a placement naming a cluster the platform lacks is refused, naming the field.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../platform/core/validation";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { basePlacement, parseQuoteRequest, quote } from "../../platform/core/optimizer";
import { poolPlacement } from "../../platform/core/optimizer/pool-placement";
import type { Placement } from "../../platform/core/placement";
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
import { footprintFromOutputs } from "./footprint";

const DEV = join(__dirname, "..", "..", "Pulumi.dev.yaml");
const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: onprem-lab-token}}]\n";
const NODE_CLOUD_TYPES = [
  "aws:eks/nodeGroup:NodeGroup",
  "gcp:container/nodePool:NodePool",
  "azure-native:containerservice:AgentPool",
];

/** The shipped config plus a brought cluster: a priced 8×A100 pool and an unpriced L4 pool with its own labels. */
function withBrought(): Record<string, unknown> {
  const raw = structuredClone(rawConfigFromStackYaml(readFileSync(DEV, "utf8"), DEV)) as { clouds: unknown[] };
  raw.clouds.push({
    cloud: "kubernetes",
    region: "on-prem-fra",
    name: "lab",
    kubeconfig: KUBECONFIG,
    gpuPools: [
      { name: "a100", gpu: "A100-80GB", gpusPerNode: 8, nodes: 2, nodeHourlyUsd: 12.5 },
      { name: "l4", gpu: "L4", gpusPerNode: 1, nodes: 4, nodeSelector: { "gpu.example.com/pool": "lab-l4" } },
    ],
  });
  return raw;
}

const MODEL70 = { name: "llama-3.1-70b", parametersBillions: 70, precision: "fp16", contextTokens: 4096 } as const;
const MODEL8 = { name: "llama-3.1-8b", parametersBillions: 8, precision: "fp16", contextTokens: 4096 } as const;

function specOf(placement: Placement, model: { name: string; parametersBillions: number }) {
  return {
    deploymentId: "dep-brought",
    tenant: "research",
    owner: "alice@example.com",
    costCenter: "cc-1",
    environment: "dev" as const,
    model: {
      ...model,
      version: "v1",
      precision: "fp16" as const,
      contextTokens: 4096,
      source: `hf://meta/${model.name}`,
    },
    placement,
    platformStack: "acme/modelplane-platform/dev",
  };
}

describe("brought cluster end to end: platform program → footprint → quote → deployment program (mocks)", () => {
  let registered: Registered[];
  let stackOutputs: Obj = {};
  let platform: typeof import("./program");
  let deployment: typeof import("../deployment/program");
  const catalog = defaultCatalog();
  const now = new Date(Date.parse(catalog.asOf) + 86_400_000);

  before(async () => {
    registered = await installMocks({
      project: "modelplane-deployment",
      stack: "dev",
      state: (type, name, inputs) =>
        type === "pulumi:pulumi:StackReference"
          ? { id: String(inputs["name"] ?? name), outputs: stackOutputs, secretOutputNames: [] }
          : computedState(type, name, inputs),
    });
    platform = await import("./program");
    deployment = await import("../deployment/program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function platformOutputs(raw: unknown): Promise<Obj> {
    const res = platform.platformProgram(parsePlatformConfig(raw));
    const clusters: Obj = {};
    for (const [name, value] of Object.entries(res.outputs.clusters))
      clusters[name] = await valueOf(pulumi.output(value));
    const kubeconfigs: Obj = {};
    for (const [name, value] of Object.entries(res.outputs.kubeconfigs)) kubeconfigs[name] = await valueOf(value);
    await settle(registered);
    return { clusters, kubeconfigs };
  }

  async function deploy(placement: Placement, model: { name: string; parametersBillions: number }): Promise<Obj> {
    registered.length = 0;
    const out = await deployment.deploymentProgram(specOf(placement, model))();
    await settle(registered);
    const resolved: Obj = {};
    for (const [k, v] of Object.entries(out)) resolved[k] = pulumi.Output.isInstance(v) ? await valueOf(v) : v;
    return resolved;
  }

  const podSpecOf = (r: Registered | undefined) => obj(obj(obj(obj(r?.inputs["spec"])["template"])["spec"]));

  it("ranks the priced brought pool at its declared price and deploys on it with the cluster's kubeconfig; no node pool anywhere", async () => {
    stackOutputs = await platformOutputs(withBrought());
    const fp = footprintFromOutputs(stackOutputs, "acme/modelplane-platform/dev");
    const lab = fp.clusters.find((c) => c.name === "lab");
    assert.equal(lab?.cloud, "kubernetes");
    assert.deepEqual(
      lab?.pools.map((p) => [p.name, p.nodeHourlyUsd]),
      [
        ["a100", 12.5],
        ["l4", undefined],
      ],
    );

    const r = quote(parseQuoteRequest({ model: MODEL70, constraints: { gpuTypes: ["A100-80GB"] } }), catalog, {
      now,
      footprint: fp,
      limit: 1000,
    });
    const onLab = r.placements.find((p) => p.cluster === "lab");
    assert.ok(onLab, `the lab pool is ranked among ${r.placements.length}`);
    assert.equal(onLab.pool, "a100");
    assert.equal(onLab.cloud, "kubernetes");
    assert.equal(onLab.region, "on-prem-fra");
    assert.equal(onLab.unitHourlyUsd, 12.5);
    assert.equal(onLab.monthlyUsd, 12.5 * 730, "the declared node price, nothing invented beside it");
    assert.equal(onLab.pricing?.basis, "declared");
    assert.match(onLab.pricing?.note ?? "", /not a market price/);
    // The dev footprint has model stores: the weights move to a brought cluster is unknown, so unpriced.
    assert.equal(onLab.weightsTransferUsd, null);
    assert.ok(!(r.pools ?? []).some((p) => p.cluster === "lab" && p.pool === "a100"), "ranked, not listed");
    const onlyLab = quote(parseQuoteRequest({ model: MODEL70, constraints: { regions: ["on-prem-fra"] } }), catalog, {
      now,
      footprint: fp,
    });
    assert.equal(onlyLab.placements[0]?.pool, "a100", "the only priced placement in on-prem-fra");

    const out = await deploy(basePlacement(onLab), MODEL70);
    for (const t of NODE_CLOUD_TYPES) assert.equal(registered.filter((x) => x.type === t).length, 0, t);
    assert.deepEqual(obj(out["pools"]), { primary: "a100", created: [] });
    const d = registered.find((x) => x.type === "kubernetes:apps/v1:Deployment");
    assert.deepEqual(podSpecOf(d)["nodeSelector"], { "modelplane.dev/pool": "a100" });
    assert.deepEqual(podSpecOf(d)["tolerations"], [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    const providers = registered.filter((x) => x.type === "pulumi:providers:kubernetes");
    assert.ok(providers.length > 0);
    for (const p of providers) assert.equal(obj(p.inputs["kubeconfig"])["value"], KUBECONFIG, "the lab's kubeconfig");
    assert.equal(obj(out["placement"])["cluster"], "lab");
  });

  it("an explicit placement on an unpriced pool is carried as unpriced and lands on the pool's declared labels", async () => {
    stackOutputs = await platformOutputs(withBrought());
    const fp = footprintFromOutputs(stackOutputs, "acme/modelplane-platform/dev");
    const r = quote(parseQuoteRequest({ model: MODEL8, constraints: { regions: ["on-prem-fra"] } }), catalog, {
      now,
      footprint: fp,
    });
    assert.ok(!r.placements.some((p) => p.pool === "l4"), "never ranked by cost");
    assert.match(r.pools?.find((p) => p.pool === "l4")?.note ?? "", /unpriced/);

    const warnings: string[] = [];
    const req = parseQuoteRequest({ model: MODEL8 });
    const placed = poolPlacement(
      req,
      catalog,
      fp,
      { cloud: "kubernetes", region: "on-prem-fra", pool: "l4" },
      warnings,
    );
    assert.equal(placed.pricing?.basis, "unpriced");
    assert.equal(placed.monthlyUsd, 0);
    assert.equal(placed.instanceType, "lab/l4");
    assert.ok(warnings.some((w) => /declares no nodeHourlyUsd/.test(w)));

    const out = await deploy(basePlacement(placed), MODEL8);
    for (const t of NODE_CLOUD_TYPES) assert.equal(registered.filter((x) => x.type === t).length, 0, t);
    assert.equal(obj(out["pools"])["primary"], "l4");
    const d = registered.find((x) => x.type === "kubernetes:apps/v1:Deployment");
    assert.deepEqual(podSpecOf(d)["nodeSelector"], { "gpu.example.com/pool": "lab-l4" });
  });

  it("a placement naming a cluster or region the platform lacks is refused, naming the field and listing the footprint", async () => {
    stackOutputs = await platformOutputs(withBrought());
    const fp = footprintFromOutputs(stackOutputs, "acme/modelplane-platform/dev");
    const placed = basePlacement(
      poolPlacement(parseQuoteRequest({ model: MODEL8 }), catalog, fp, {
        cloud: "kubernetes",
        region: "on-prem-fra",
        pool: "l4",
      }),
    );
    const refused = async (p: Placement, field: string, text: RegExp) => {
      registered.length = 0;
      await assert.rejects(
        deployment.deploymentProgram(specOf(p, MODEL8))(),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.field === field &&
          text.test(e.message) &&
          /aws us-east-1/.test(e.message) &&
          /kubernetes on-prem-fra/.test(e.message),
      );
      await settle(registered);
      assert.deepEqual(
        registered.filter((x) => x.type !== "pulumi:pulumi:StackReference"),
        [],
      );
    };
    await refused({ ...placed, cluster: "lab9" }, "placement.cluster", /no cluster "lab9" in kubernetes on-prem-fra/);
    await refused({ ...placed, region: "on-prem-par" }, "placement.region", /no cluster in kubernetes on-prem-par/);
    // The same refusal before any program runs (the API's and the CLI's path).
    assert.throws(
      () =>
        poolPlacement(parseQuoteRequest({ model: MODEL8 }), catalog, fp, {
          cloud: "kubernetes",
          region: "on-prem-fra",
          cluster: "lab9",
          pool: "l4",
        }),
      (e: unknown) =>
        e instanceof ValidationError && e.field === "placement.cluster" && /lab \(kubernetes/.test(e.message),
    );
    await assert.rejects(
      deployment.deploymentProgram({
        ...specOf({ ...placed, capacity: "serverless", serverlessProduct: "cloud-run", pool: undefined }, MODEL8),
        scaling: { scaleToZero: true, maxReplicas: 1 },
      })(),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "placement.capacity" &&
        /runs no serverless product/.test(e.message),
    );
    await assert.rejects(
      deployment.deploymentProgram(specOf({ ...placed, pool: "h100" }, MODEL8))(),
      (e: unknown) => e instanceof ValidationError && e.field === "placement.pool" && /a100 .*l4/.test(e.message),
    );
  });
});
