/**
 * A deployment on a pool of the platform stays on that pool when a PATCH changes its replicas (#10):
 * the placement is kept by pool name, not re-derived from the instance type (which lands on a
 * dedicated pool of the same shape: another node group, and another price basis). A pool must also
 * hold `scaling.maxReplicas`, or the program builds a dedicated pool instead: a pool the request
 * names is then refused (422 naming scaling.maxReplicas), one it stays on by default gives way.
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

  const body = (scaling: Record<string, unknown>, extra: Record<string, unknown> = {}, model = "llama-pool-max") => ({
    model: { name: model, parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
    environment: "dev",
    placement: { cloud: "aws", region: "us-east-1", pool: "l4", capacity: "spot" },
    scaling,
    ...extra,
  });

  it("refuses a POST on a named pool that cannot hold scaling.maxReplicas (422, its capacity and the fix)", async () => {
    const refused = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: body({ minReplicas: 1, maxReplicas: 5 }),
      headers: { "idempotency-key": "pool-max-refused" },
    });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    const err = obj(obj(refused.body)["error"]);
    const message = String(err["message"]);
    assert.match(message, /scaling\.maxReplicas/);
    assert.match(message, /holds at most 3 replica/);
    assert.match(message, /asks 5/);
    assert.match(message, /drop placement\.pool/);
    assert.equal(err["field"], "scaling.maxReplicas");
    assert.deepEqual(obj(err["details"]), { field: "scaling.maxReplicas", poolCapacity: 3, maxReplicas: 5 });
    // An on-demand floor runs on its own pool: 4 at most, 1 of them on-demand, leaves 3 on l4.
    const floored = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: body({ minReplicas: 1, maxReplicas: 4 }, { onDemandFloorReplicas: 1 }, "llama-pool-floor"),
      headers: { "idempotency-key": "pool-max-floor" },
    });
    assert.equal(floored.status, 202, JSON.stringify(floored.body));
    assert.equal(DeploymentSchema.parse(floored.body).placement.pool, "l4");
  });

  it("PATCH of scaling.maxReplicas past the pool: the pool it stays on gives way to a dedicated one; a named pool is refused", async () => {
    const created = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: body({ minReplicas: 1, maxReplicas: 3 }, {}, "llama-pool-grow"),
      headers: { "idempotency-key": "pool-max-grow" },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = String(obj(created.body)["id"]);
    assert.equal(DeploymentSchema.parse(created.body).placement.pool, "l4", "3 fit the pool's 3 nodes");
    const ready = () =>
      eventually(async () => {
        const r = await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer });
        return obj(r.body)["status"] === "ready" ? true : undefined;
      });
    await ready();
    const named = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: {
        placement: { cloud: "aws", region: "us-east-1", pool: "l4", capacity: "spot" },
        scaling: { minReplicas: 1, maxReplicas: 4 },
      },
    });
    assert.equal(named.status, 422, JSON.stringify(named.body));
    assert.match(String(obj(obj(named.body)["error"])["message"]), /scaling\.maxReplicas/);
    const grown = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: { scaling: { minReplicas: 1, maxReplicas: 4 } },
    });
    assert.equal(grown.status, 202, JSON.stringify(grown.body));
    const placed = DeploymentSchema.parse(grown.body).placement;
    assert.equal(placed.pool, undefined, "4 replicas do not fit l4's 3 nodes: a dedicated pool, as the program builds");
    assert.equal(placed.instanceType, "g6.xlarge");
    assert.equal(placed.replicas, 1);
  });
});
