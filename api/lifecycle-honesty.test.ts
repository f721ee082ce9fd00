/**
 * Issue 11, lifecycle honesty and per-tenant spend, over real HTTP against the real control plane
 * on PGlite with the test engine: a failed or cancelled update keeps the last applied spec and
 * estimate; `DELETE ?purge=true` removes a deployment that never applied anything (its stack name
 * is free again) and refuses one that may hold resources; a tenant's live deployments together may
 * not exceed its monthly spend limit (policy config `tenant-monthly-spend`).
 */
import * as assert from "node:assert/strict";
import { EngineOperationError } from "../platform/service/engine/errors";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { DeploymentSchema } from "./schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  eventually,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

const MODEL = { name: "honest-model", parametersBillions: 7, precision: "bf16", contextTokens: 4096 };

describe("api: lifecycle honesty and tenant spend (issue 11)", function () {
  this.timeout(60_000);
  const engine = new TestEngine();
  let spendLimit: number | undefined;
  let fx: Fixture;
  let api: RunningApi;
  let deployer: string;

  before(async () => {
    fx = await controlPlaneFixture({
      engine,
      monthlySpendLimitUsd: (tenant) => (tenant === "spend-a" ? spendLimit : undefined),
    });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    deployer = (await makeKey(api.base, fx.adminKey, "honest", "deployer")).secret;
  });
  after(async () => {
    await api?.close();
    await fx?.close();
  });

  const get = async (id: string, key = deployer) => {
    const r = await call(api.base, "GET", `/v1/deployments/${id}`, { key });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return DeploymentSchema.parse(r.body);
  };
  const settled = (id: string, key = deployer) =>
    eventually(async () => {
      const d = await get(id, key);
      return d.operations.every((o) => !["queued", "running"].includes(o.status)) ? d : undefined;
    });
  const deploy = async (name: string, key = deployer) => {
    const r = await call(api.base, "POST", "/v1/deployments", { key, body: { model: { ...MODEL, name } } });
    return r;
  };
  const deployed = async (name: string, key = deployer): Promise<string> => {
    const r = await deploy(name, key);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    return String(obj(r.body).id);
  };
  const fail = (code: string) => ({
    kind: "fail" as const,
    error: new EngineOperationError(code === "policy_denied" ? "policy" : "failed", code, `simulated ${code}`),
  });

  describe("a failed update keeps the last applied spec and estimate", () => {
    it("restores spec, placement and estimate when the update's up fails", async () => {
      const id = await deployed("keep-on-fail");
      const applied = await settled(id);
      assert.equal(applied.status, "ready");
      engine.next("up", fail("engine_failed"));
      const patch = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
        key: deployer,
        body: { scaling: { minReplicas: 2, maxReplicas: 4 } },
      });
      assert.equal(patch.status, 202, JSON.stringify(patch.body));
      const asked = DeploymentSchema.parse(patch.body);
      assert.notEqual(asked.estimatedMonthlyUsd, applied.estimatedMonthlyUsd, "the update re-prices");
      const after = await settled(id);
      assert.equal(after.status, "failed");
      assert.deepEqual(after.spec, applied.spec, "the stored spec is the one that ran");
      assert.deepEqual(after.placement, applied.placement);
      assert.equal(after.estimatedMonthlyUsd, applied.estimatedMonthlyUsd);
    });

    it("restores them when the running update is cancelled", async () => {
      const id = await deployed("keep-on-cancel");
      const applied = await settled(id);
      engine.next("preview", { kind: "hang" });
      const started = engine.started("preview");
      // The first PATCH runs (and hangs); nothing else queues behind it, so cancel it while running.
      const patch = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
        key: deployer,
        body: { scaling: { minReplicas: 3, maxReplicas: 4 } },
      });
      assert.equal(patch.status, 202, JSON.stringify(patch.body));
      await started;
      const c = await call(api.base, "POST", `/v1/deployments/${id}/cancel`, { key: deployer });
      assert.equal(c.status, 202, JSON.stringify(c.body));
      const after = await settled(id);
      assert.equal(after.status, "cancelled");
      assert.deepEqual(after.spec, applied.spec);
      assert.equal(after.estimatedMonthlyUsd, applied.estimatedMonthlyUsd);
    });
  });

  describe("DELETE ?purge=true", () => {
    it("removes a deployment that failed before its deploy phase; its stack name is free again", async () => {
      engine.next("preview", fail("policy_denied"));
      const id = await deployed("never-applied");
      const failed = await settled(id);
      assert.equal(failed.status, "failed");
      const again = await deploy("never-applied");
      assert.equal(again.status, 409, "the stack name is taken while the failed deployment exists");

      const r = await call(api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: deployer });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { id, purged: true });
      assert.equal((await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer })).status, 404);
      const events = await call(api.base, "GET", `/v1/deployments/${id}/events?follow=false`, { key: deployer });
      assert.equal(events.status, 404, "its events went with it");
      const audit = await fx.controlPlane.listDeployments("honest", { limit: 200 });
      assert.ok(!audit.items.some((d) => d.id === id));
      const reused = await deploy("never-applied");
      assert.equal(reused.status, 202, "the stack name is free");
      await settled(String(obj(reused.body).id)); // its operations must not take the next test's engine behaviours
    });

    it("refuses one that reached its deploy phase (it may hold resources), naming the way out", async () => {
      engine.next("up", fail("engine_failed"));
      const id = await deployed("half-applied");
      assert.equal((await settled(id)).status, "failed");
      const r = await call(api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: deployer });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(errorOf(r).message, /deploy or destroy phase.*DELETE it without purge/);
      assert.equal((await get(id)).status, "failed", "nothing was removed");
    });

    it("refuses while an operation is queued or running, and refuses another tenant's (404)", async () => {
      engine.next("preview", { kind: "hang" });
      const started = engine.started("preview");
      const id = await deployed("busy-purge");
      await started;
      const r = await call(api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: deployer });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(errorOf(r).message, /cancel it first/);
      const other = (await makeKey(api.base, fx.adminKey, "honest-other", "deployer")).secret;
      const cross = await call(api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: other });
      assert.equal(cross.status, 404);
      assert.equal((await call(api.base, "POST", `/v1/deployments/${id}/cancel`, { key: deployer })).status, 202);
      await settled(id);
      const purged = await call(api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: deployer });
      assert.equal(purged.status, 200, "cancelled before its deploy phase: purgeable");
    });

    it("a bad purge value is a 400 naming the field", async () => {
      const id = await deployed("purge-typo");
      const r = await call(api.base, "DELETE", `/v1/deployments/${id}?purge=yes`, { key: deployer });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(errorOf(r).field, "purge");
    });
  });

  describe("per-tenant monthly spend (policy config tenant-monthly-spend.monthlyUsd)", () => {
    it("refuses a deployment or an update that takes the tenant past its limit, naming the limit and the spend", async () => {
      const key = (await makeKey(api.base, fx.adminKey, "spend-a", "deployer")).secret;
      spendLimit = undefined;
      const first = await deployed("spend-1", key);
      const one = (await settled(first, key)).estimatedMonthlyUsd;
      assert.ok(one > 0);
      spendLimit = one * 1.5;
      const second = await deploy("spend-2", key);
      assert.equal(second.status, 403, JSON.stringify(second.body));
      const e = errorOf(second);
      assert.equal(e.code, "quota_exceeded");
      assert.match(e.message, /tenant-monthly-spend\.monthlyUsd/);
      assert.ok(e.message.includes(`$${one.toFixed(2)}/month`), `names the current spend: ${e.message}`);
      assert.ok(e.message.includes(`$${spendLimit.toFixed(2)}/month`), `names the limit: ${e.message}`);

      const bigger = await call(api.base, "PATCH", `/v1/deployments/${first}`, {
        key,
        body: { scaling: { minReplicas: 2, maxReplicas: 2 } },
      });
      assert.equal(bigger.status, 403, "an update may not raise the spend past the limit either");
      assert.equal((await get(first, key)).estimatedMonthlyUsd, one, "nothing changed");

      const other = await deploy("spend-2"); // tenant "honest" has no limit
      assert.equal(other.status, 202);
      spendLimit = one * 2.5;
      assert.equal((await deploy("spend-2", key)).status, 202, "room again under a higher limit");
    });

    it("holds under concurrent requests: only what fits is accepted", async () => {
      const key = (await makeKey(api.base, fx.adminKey, "spend-a", "deployer", "spend-a-2")).secret;
      const live = await fx.controlPlane.listDeployments("spend-a", { limit: 200 });
      const spent = live.items.reduce((s, d) => s + d.estimatedMonthlyUsd, 0);
      const one = live.items[0]?.estimatedMonthlyUsd ?? 0;
      spendLimit = spent + one * 2.5;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => deploy(`spend-c-${i}`, key)));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 202).length, 2, statuses.join(","));
      assert.ok(
        statuses.every((s) => s === 202 || s === 403),
        statuses.join(","),
      );
    });
  });
});
