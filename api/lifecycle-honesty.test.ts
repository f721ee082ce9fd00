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
import { call, errorOf, makeKey, obj } from "./testing/harness";
import { startApiRig, type ApiRig } from "./testing/rig";

const MODEL = { name: "honest-model", parametersBillions: 7, precision: "bf16", contextTokens: 4096 };

describe("api: lifecycle honesty and tenant spend (issue 11)", function () {
  this.timeout(60_000);
  const engine = new TestEngine();
  let spendLimit: number | undefined;
  let rig: ApiRig;
  before(async () => {
    rig = await startApiRig({
      engine,
      tenant: "honest",
      deps: { monthlySpendLimitUsd: (tenant) => (tenant === "spend-a" ? spendLimit : undefined) },
    });
  });
  after(() => rig?.close());

  const get = (id: string, key?: string) => rig.get(id, key);
  const settled = (id: string, key?: string) => rig.settled(id, key);
  const deploy = async (name: string, key = rig.key) => {
    const r = await call(rig.api.base, "POST", "/v1/deployments", { key, body: { model: { ...MODEL, name } } });
    return r;
  };
  const deployed = async (name: string, key = rig.key): Promise<string> => {
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
      const patch = await call(rig.api.base, "PATCH", `/v1/deployments/${id}`, {
        key: rig.key,
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
      const patch = await call(rig.api.base, "PATCH", `/v1/deployments/${id}`, {
        key: rig.key,
        body: { scaling: { minReplicas: 3, maxReplicas: 4 } },
      });
      assert.equal(patch.status, 202, JSON.stringify(patch.body));
      await started;
      const c = await call(rig.api.base, "POST", `/v1/deployments/${id}/cancel`, { key: rig.key });
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

      const r = await call(rig.api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: rig.key });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { id, purged: true });
      assert.equal((await call(rig.api.base, "GET", `/v1/deployments/${id}`, { key: rig.key })).status, 404);
      const events = await call(rig.api.base, "GET", `/v1/deployments/${id}/events?follow=false`, { key: rig.key });
      assert.equal(events.status, 404, "its events went with it");
      const audit = await rig.fx.controlPlane.listDeployments("honest", { limit: 200 });
      assert.ok(!audit.items.some((d) => d.id === id));
      const reused = await deploy("never-applied");
      assert.equal(reused.status, 202, "the stack name is free");
      await settled(String(obj(reused.body).id)); // its operations must not take the next test's engine behaviours
    });

    it("refuses one that reached its deploy phase (it may hold resources), naming the way out", async () => {
      engine.next("up", fail("engine_failed"));
      const id = await deployed("half-applied");
      assert.equal((await settled(id)).status, "failed");
      const r = await call(rig.api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: rig.key });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(errorOf(r).message, /deploy or destroy phase.*DELETE it without purge/);
      assert.equal((await get(id)).status, "failed", "nothing was removed");
    });

    it("refuses while an operation is queued or running, and refuses another tenant's (404)", async () => {
      engine.next("preview", { kind: "hang" });
      const started = engine.started("preview");
      const id = await deployed("busy-purge");
      await started;
      const r = await call(rig.api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: rig.key });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(errorOf(r).message, /cancel it first/);
      const other = (await makeKey(rig.api.base, rig.fx.adminKey, "honest-other", "deployer")).secret;
      const cross = await call(rig.api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: other });
      assert.equal(cross.status, 404);
      assert.equal((await call(rig.api.base, "POST", `/v1/deployments/${id}/cancel`, { key: rig.key })).status, 202);
      await settled(id);
      const purged = await call(rig.api.base, "DELETE", `/v1/deployments/${id}?purge=true`, { key: rig.key });
      assert.equal(purged.status, 200, "cancelled before its deploy phase: purgeable");
    });

    it("a bad purge value is a 400 naming the field", async () => {
      const id = await deployed("purge-typo");
      const r = await call(rig.api.base, "DELETE", `/v1/deployments/${id}?purge=yes`, { key: rig.key });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(errorOf(r).field, "purge");
    });
  });

  describe("per-tenant monthly spend (policy config tenant-monthly-spend.monthlyUsd)", () => {
    it("refuses a deployment or an update that takes the tenant past its limit, naming the limit and the spend", async () => {
      const key = (await makeKey(rig.api.base, rig.fx.adminKey, "spend-a", "deployer")).secret;
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

      const bigger = await call(rig.api.base, "PATCH", `/v1/deployments/${first}`, {
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
      const key = (await makeKey(rig.api.base, rig.fx.adminKey, "spend-a", "deployer", "spend-a-2")).secret;
      const live = await rig.fx.controlPlane.listDeployments("spend-a", { limit: 200 });
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
