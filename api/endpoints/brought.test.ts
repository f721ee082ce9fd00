/**
 * Deployments on a brought cluster (`cloud: kubernetes`) over real HTTP, with the real pre-flight
 * planner and the shipped policy config: an explicit placement on a declared pool is accepted
 * (priced at its declared price, or carried as unpriced), and one naming a cluster, region or pool
 * the footprint lacks is refused naming the field.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseFootprint } from "../../platform/core/footprint";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
import { PlacementPolicies } from "../../policy/policies/placement-policy";
import { createPlanner, type OfflinePlanner } from "../planner";
import { DeploymentAcceptedSchema } from "../schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  makeKey,
  serve,
  type Fixture,
  type RunningApi,
} from "../testing/harness";

const footprint = () =>
  parseFootprint({
    source: { kind: "config", file: "brought.yaml" },
    clusters: [
      { cloud: "aws", region: "us-east-1", name: "aws-us-east-1", pools: [] },
      {
        cloud: "kubernetes",
        region: "on-prem-fra",
        name: "lab",
        dedicatedPools: false,
        pools: [
          {
            name: "a100",
            gpu: "A100-80GB",
            gpusPerNode: 8,
            capacity: "spot",
            minNodes: 2,
            maxNodes: 2,
            nodeHourlyUsd: 2,
          },
          { name: "l4", gpu: "L4", gpusPerNode: 1, capacity: "spot", minNodes: 4, maxNodes: 4 },
        ],
      },
    ],
  });
const LLAMA = {
  name: "llama-3.1-8b",
  parametersBillions: 8,
  precision: "bf16",
  contextTokens: 8192,
  source: "hf://meta-llama/Llama-3.1-8B-Instruct",
};

describe("api: deployments on a brought cluster (real planner, shipped policy config)", function () {
  this.timeout(60_000);
  let fx: Fixture;
  let api: RunningApi;
  let planner: OfflinePlanner;
  let deployer: string;

  before(async () => {
    const policyConfig: unknown = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "policy", "config.example.json"), "utf8"),
    );
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    planner = createPlanner({ catalog: fx.catalog, footprint: footprint(), policyConfig });
    await planner.warm();
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      settings: DEFAULT_TEST_SETTINGS,
      planner,
      footprint: footprint(),
      policies: new PlacementPolicies(policyConfig, "policy/config.example.json"),
    });
    deployer = (await makeKey(api.base, fx.adminKey, "research", "deployer")).secret;
  });

  after(async () => {
    await api?.close();
    await planner?.close();
    await fx?.close();
  });

  const deploy = (placement: Record<string, unknown>, key: string) =>
    call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { model: { ...LLAMA, name: `llama-${key}` }, environment: "dev", placement },
      headers: { "idempotency-key": key },
    });

  it("an explicit placement on an unpriced declared pool is accepted, carried as unpriced", async () => {
    const r = await deploy({ cloud: "kubernetes", region: "on-prem-fra", pool: "l4", capacity: "spot" }, "b-l4");
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const d = DeploymentAcceptedSchema.parse(r.body);
    assert.deepEqual(
      [d.placement.cloud, d.placement.region, d.placement.cluster, d.placement.pool],
      ["kubernetes", "on-prem-fra", "lab", "l4"],
    );
    assert.equal(d.placement.pricing?.basis, "unpriced");
    assert.equal(d.placement.monthlyUsd, 0);
  });

  it("a priced declared pool is priced at its declared price, labelled as such", async () => {
    const r = await deploy({ cloud: "kubernetes", region: "on-prem-fra", pool: "a100", capacity: "spot" }, "b-a100");
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const d = DeploymentAcceptedSchema.parse(r.body);
    assert.equal(d.placement.unitHourlyUsd, 2);
    assert.equal(d.placement.pricing?.basis, "declared");
  });

  it("a cluster, region or pool the footprint lacks is refused, naming the field", async () => {
    const cluster = await deploy(
      { cloud: "kubernetes", region: "on-prem-fra", cluster: "lab9", pool: "l4", capacity: "spot" },
      "b-c",
    );
    assert.equal(cluster.status, 400);
    assert.equal(errorOf(cluster).field, "placement.cluster", JSON.stringify(cluster.body));
    assert.match(errorOf(cluster).message, /lab \(kubernetes on-prem-fra\)/);
    const region = await deploy({ cloud: "kubernetes", region: "on-prem-par", pool: "l4", capacity: "spot" }, "b-r");
    assert.equal(region.status, 422);
    assert.equal(errorOf(region).code, "outside_footprint");
    assert.match(errorOf(region).message, /kubernetes on-prem-fra/);
    const pool = await deploy({ cloud: "kubernetes", region: "on-prem-fra", pool: "h100", capacity: "spot" }, "b-p");
    assert.equal(pool.status, 400);
    assert.equal(errorOf(pool).field, "placement.pool");
    assert.match(errorOf(pool).message, /a100, l4/);
    const none = await deploy({ cloud: "kubernetes", region: "on-prem-fra", capacity: "spot" }, "b-n");
    assert.equal(errorOf(none).field, "placement.instanceType", JSON.stringify(none.body));
  });
});
