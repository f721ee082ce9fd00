/**
 * Deployments on a brought cluster (`cloud: kubernetes`) over real HTTP, with the real pre-flight
 * planner and the shipped policy config: an explicit placement on a declared pool is accepted
 * (priced at its declared price, or carried as unpriced), and one naming a cluster, region or pool
 * the footprint lacks is refused naming the field.
 */
import * as assert from "node:assert/strict";
import { parseFootprint } from "../../platform/core/footprint";
import { plannedApi, type PlannedApi } from "../testing/planned";
import { DeploymentAcceptedSchema } from "../schemas";
import { call, errorOf, type RunningApi } from "../testing/harness";

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
  let rig: PlannedApi;
  let api: RunningApi;
  let deployer: string;

  before(async () => {
    rig = await plannedApi(footprint);
    ({ api, deployer } = rig);
  });

  after(async () => {
    await rig?.close();
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
