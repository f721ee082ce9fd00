/**
 * A deployment on a pool of the platform stays on that pool when a PATCH changes its replicas (#10):
 * the placement is kept by pool name, not re-derived from the instance type (which lands on a
 * dedicated pool of the same shape: another node group, and another price basis).
 */
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { footprintFromConfigFile } from "../../programs/platform/footprint";
import { DeploymentSchema } from "../schemas";
import { call, eventually, obj, type RunningApi } from "../testing/harness";
import { plannedApi, type PlannedApi } from "../testing/planned";

const DEV = join(__dirname, "..", "..", "Pulumi.dev.yaml");

describe("api: PATCH of a deployment on a platform pool", function () {
  this.timeout(120_000);
  let rig: PlannedApi;
  let api: RunningApi;
  let deployer: string;

  before(async () => {
    rig = await plannedApi(() => footprintFromConfigFile(DEV));
    ({ api, deployer } = rig);
  });
  after(async () => {
    await rig?.close();
  });

  it("keeps the pool (and its cluster) by name when the replicas change; without room, a dedicated pool of its shape", async () => {
    const created = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: {
        model: { name: "llama-pool", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
        environment: "dev",
        placement: { cloud: "aws", region: "us-east-1", pool: "l4", capacity: "spot" },
      },
      headers: { "idempotency-key": "pool-patch" },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = String(obj(created.body)["id"]);
    const placed = DeploymentSchema.parse(
      await eventually(async () => {
        const r = await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer });
        return obj(r.body)["status"] === "ready" ? r.body : undefined;
      }),
    ).placement;
    assert.equal(placed.pool, "l4");
    const patched = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: { scaling: { minReplicas: 2, maxReplicas: 3 } },
    });
    assert.equal(patched.status, 202, JSON.stringify(patched.body));
    const after = DeploymentSchema.parse(patched.body).placement;
    assert.equal(after.pool, "l4", "still on the platform's l4 pool");
    assert.equal(after.cluster, placed.cluster);
    assert.equal(after.instanceType, placed.instanceType);
    assert.equal(after.replicas, 2);
    assert.equal(after.unitHourlyUsd, placed.unitHourlyUsd, "priced as the same pool's node");
    await eventually(async () => {
      const r = await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer });
      return obj(r.body)["status"] === "ready" ? true : undefined;
    });
    // Past the pool's 3 nodes: a dedicated pool of the same shape, as the program builds one.
    const beyond = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: { scaling: { minReplicas: 4, maxReplicas: 4 } },
    });
    assert.equal(beyond.status, 202, JSON.stringify(beyond.body));
    const dedicated = DeploymentSchema.parse(beyond.body).placement;
    assert.equal(dedicated.pool, undefined, "no room on l4: not on the pool");
    assert.equal(dedicated.instanceType, placed.instanceType);
    assert.equal(dedicated.capacity, placed.capacity);
    assert.equal(dedicated.replicas, 4);
  });
});
