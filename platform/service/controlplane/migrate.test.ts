/**
 * Re-quote sweeps and blue/green migration in the control plane (the test engine, PGlite and
 * Postgres): concurrent sweeps never duplicate a recommendation; a destroyed deployment's
 * recommendation disappears; a migration is exclusive with every other operation (409); an abort
 * or a failure before the route shift destroys the new stack and leaves the old one serving.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { ConflictError } from "../../core/errors";
import { DEFAULT_CATALOG_PATH } from "../../core/pricing/catalog";
import type { Catalog } from "../../core/pricing/types";
import type { Placement } from "../../core/placement";
import { footprintFromConfigFile } from "../../../programs/platform/footprint";
import { TestEngine } from "../engine/testing/test-engine";
import { readCatalogSource } from "../requote/catalog-source";
import { runSweep } from "../requote/sweep";
import { openTestDb, skipWithoutPostgres, TEST_BACKENDS, type TestDb } from "../store/testing/test-db";
import { TEST_PLACEMENT, testSpec } from "../store/testing/spec";
import { createControlPlane, type ControlPlaneImpl } from "./controlplane";
import type { Deployment, SubmitDeploymentInput } from "../types";

/** One L4 spot node in gcp us-central1, at the shipped catalog's price (2026-11-22 catalog). */
const PLACED: Placement = {
  ...TEST_PLACEMENT,
  instanceType: "g2-standard-4",
  unitHourlyUsd: 0.28184,
  hourlyUsd: 0.28184,
  monthlyUsd: 205.74,
  onDemandUnitHourlyUsd: 0.70683,
};

const FOOTPRINT = footprintFromConfigFile(path.join(__dirname, "..", "..", "..", "Pulumi.dev.yaml"));

/** The shipped catalog with the placed offer (spot and on-demand) `factor` times dearer. */
function dearer(factor: number): Catalog {
  const c = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, "utf8")) as Catalog;
  c.version = `${c.version}-x${factor}`;
  const o = c.gpuOffers.find(
    (x) => x.cloud === PLACED.cloud && x.region === PLACED.region && x.instanceType === PLACED.instanceType,
  );
  assert.ok(o && o.spotHourlyUsd !== null, "the shipped catalog sells the placed offer as spot");
  o.spotHourlyUsd = PLACED.unitHourlyUsd * factor;
  o.onDemandHourlyUsd = Math.max(o.onDemandHourlyUsd, o.spotHourlyUsd * 1.5);
  return c;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const backend of TEST_BACKENDS)
  describe(`re-quote and migration on ${backend} (test engine)`, function () {
    this.timeout(60_000);
    let t: TestDb;
    let engine: TestEngine;
    let cp: ControlPlaneImpl;
    const dataDir = mkdtempSync(path.join(tmpdir(), "mp-requote-"));
    const catalogFile = path.join(dataDir, "catalog.json");
    let n = 0;

    async function ready(tenant = "acme"): Promise<Deployment> {
      n++;
      const input: SubmitDeploymentInput = {
        tenant,
        actor: "key-1",
        name: `svc-${n}`,
        environment: "dev",
        model: "mistral-7b",
        spec: testSpec(n, { placement: PLACED }),
        stackName: `${tenant}-mistral-rq-${n}`,
        placement: PLACED,
        estimatedMonthlyUsd: PLACED.monthlyUsd,
      };
      const { deployment } = await cp.submitDeployment(input);
      return waitFor("ready", async () => {
        const d = await cp.getDeployment(tenant, deployment.id);
        return d.status === "ready" ? d : undefined;
      });
    }

    async function recommendationFor(id: string): Promise<string> {
      const report = await cp.requote({});
      const rec = report.recommendations.find((r) => r.deploymentId === id);
      assert.ok(rec, `a recommendation for ${id}: ${JSON.stringify(report)}`);
      return rec.id;
    }

    async function lastOp(d: Deployment): Promise<Deployment> {
      return waitFor("the migration to end", async () => {
        const g = await cp.getDeployment(d.tenant, d.id);
        const op = g.operations.at(-1);
        return op && op.kind === "migrate" && op.status !== "queued" && op.status !== "running" ? g : undefined;
      });
    }

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `re-quote on ${backend}`);
      writeFileSync(catalogFile, JSON.stringify(dearer(3)));
      t = await openTestDb(backend);
      engine = new TestEngine();
      const config = testConfig({
        dataDir,
        schema: t.schema,
        workers: 2,
        catalogFile,
        footprintSource: {
          kind: "config",
          file: path.join(__dirname, "..", "..", "..", "Pulumi.dev.yaml"),
          fromEnv: true,
        },
      });
      cp = await createControlPlane(config, {
        engine,
        db: t.db,
        heartbeatMs: 50,
        requoteSchedule: false,
        queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryBackoff: false, retryLimit: 0 },
      });
      await cp.start();
    });
    after(async function () {
      await cp?.close();
      await t?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });
    beforeEach(() => {
      engine.defaultBehavior = { kind: "succeed", delayMs: 5 };
    });

    it("concurrent sweeps leave one recommendation per deployment, with the same id", async function () {
      const d = await ready();
      const loaded = readCatalogSource(catalogFile);
      const sweep = () =>
        runSweep({
          db: t.db,
          loaded,
          footprint: FOOTPRINT,
          thresholds: { minSavingPct: 15, minSavingUsd: 50 },
          previous: undefined,
          pageSize: 2,
        });
      const reports = await Promise.all([sweep(), sweep(), sweep()]);
      const rows = await t.db.query(`SELECT id FROM recommendations WHERE deployment_id = $1`, [d.id]);
      assert.equal(rows.rows.length, 1);
      for (const r of reports) {
        const mine = r.recommendations.filter((x) => x.deploymentId === d.id);
        assert.equal(mine.length, 1);
        assert.equal(mine[0]?.id, rows.rows[0]?.["id"]);
        assert.equal(mine[0]?.reason, "price-change");
        assert.equal(mine[0]?.catalogVersion, loaded.catalog.version);
      }
    });

    it("a destroyed deployment's recommendation disappears", async function () {
      const d = await ready();
      await recommendationFor(d.id);
      await cp.requestDestroy("acme", d.id, "key-1");
      assert.ok(!(await cp.listRecommendations({ tenant: "acme", limit: 100 })).some((r) => r.deploymentId === d.id));
      await waitFor("destroyed", async () =>
        (await cp.getDeployment("acme", d.id)).status === "destroyed" ? true : undefined,
      );
      await cp.requote({});
      const rows = await t.db.query(`SELECT 1 FROM recommendations WHERE deployment_id = $1`, [d.id]);
      assert.equal(rows.rows.length, 0);
    });

    it("a migration is exclusive (409 both ways); an abort mid-way destroys the new stack and leaves the old one serving", async function () {
      const d = await ready();
      const recId = await recommendationFor(d.id);
      engine.next("up", { kind: "hang" });
      const accepted = await cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const newStack = accepted.migration.toStack;
      await engine.started("up", newStack);
      await assert.rejects(cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1"), ConflictError);
      await assert.rejects(
        cp.requestUpdate("acme", d.id, { spec: d.spec, estimatedMonthlyUsd: 1 }, "key-1"),
        ConflictError,
      );
      await assert.rejects(cp.requestDestroy("acme", d.id, "key-1"), ConflictError);
      assert.equal((await cp.getDeployment("acme", d.id)).status, "ready", "the old stack serves during the migration");
      await cp.abortMigration("acme", d.id, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "cancelled");
      assert.equal(after.status, "ready");
      assert.equal(after.stackName, d.stackName);
      assert.deepEqual(after.placement, d.placement);
      assert.equal(engine.callsOf("destroy", newStack).length, 1, "the new stack is destroyed");
      assert.equal(engine.callsOf("destroy", d.stackName).length, 0, "the old stack is untouched");
      const steps = (await cp.listEvents("acme", d.id, 0, 500))
        .map((e) => (e.data["migration"] as { step?: string } | undefined)?.step)
        .filter(Boolean);
      assert.deepEqual(steps, ["requested", "new-stack-up", "rolled-back"]);
      // The recommendation still stands: the move can be tried again.
      assert.ok((await cp.listRecommendations({ tenant: "acme", limit: 100 })).some((r) => r.id === recId));
    });

    it("a failure bringing the new stack up leaves the old one serving", async function () {
      const d = await ready();
      const recId = await recommendationFor(d.id);
      engine.next("up", { kind: "fail", error: new Error("error: InsufficientInstanceCapacity: no capacity") });
      const { migration } = await cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "failed");
      assert.match(after.operations.at(-1)?.error?.message ?? "", /old stack keeps serving/);
      assert.equal(after.status, "ready");
      assert.equal(after.stackName, d.stackName);
      assert.equal(engine.callsOf("destroy", migration.toStack).length, 1);
      assert.equal(engine.callsOf("destroy", d.stackName).length, 0);
    });

    it("a migration moves the deployment: new stack up, route shifted, old stack destroyed, in that order", async function () {
      const d = await ready();
      const recId = await recommendationFor(d.id);
      const { migration } = await cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded");
      assert.equal(after.stackName, migration.toStack);
      assert.deepEqual(after.placement, migration.placement);
      assert.equal(after.estimatedMonthlyUsd, migration.monthlyUsd);
      const order = engine.calls
        .filter((c) => c.deploymentId === d.id && c.method !== "outputs")
        .map((c) => `${c.method}:${c.stackName === d.stackName ? "old" : "new"}`);
      // The cheaper offer is on the same cluster: the old route hands off before the old stack goes.
      assert.equal(migration.placement.region, d.placement.region);
      assert.deepEqual(order.slice(-4), ["preview:new", "up:new", "up:old", "destroy:old"]);
      assert.ok(!(await cp.listRecommendations({ tenant: "acme", limit: 100 })).some((r) => r.deploymentId === d.id));
      // An explicit target that is where it runs already is a 400 naming the field.
      await assert.rejects(
        cp.requestMigration("acme", d.id, { placement: { ...migration.placement } }, "key-1"),
        (e: unknown) => e instanceof Error && /placement/.test(e.message),
      );
    });

    /** Engine calls on the deployment's stacks, as `method:old|new`, after `from`. */
    const callsOn = (d: Deployment, from = 0) =>
      engine.calls
        .slice(from)
        .filter((c) => c.deploymentId === d.id && c.method !== "outputs")
        .map((c) => `${c.method}:${c.stackName === d.stackName ? "old" : "new"}`);
    /** The same offer on demand: same cloud, region and instance type, so the same cluster. */
    const SAME_CLUSTER = {
      cloud: PLACED.cloud,
      region: PLACED.region,
      instanceType: PLACED.instanceType,
      capacity: "on-demand",
    };

    it("a same-cluster migration is the next generation and hands the old route to the new Service before the old stack goes", async function () {
      const d = await ready();
      assert.equal(d.spec.generation, 1);
      const from = engine.calls.length;
      const { migration } = await cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded", JSON.stringify(after.operations.at(-1)));
      assert.deepEqual(callsOn(d, from), ["preview:new", "up:new", "up:old", "destroy:old"]);
      const [upNew, handoff] = engine.calls.slice(from).filter((c) => c.deploymentId === d.id && c.method === "up");
      assert.equal(upNew?.stackName, migration.toStack);
      assert.equal(upNew?.spec.generation, 2, "the new stack is the next generation (names of its own)");
      assert.equal(upNew?.spec.handoff, undefined);
      assert.equal(handoff?.stackName, d.stackName);
      assert.deepEqual(
        handoff?.spec.handoff,
        { generation: 2, weight: 100 },
        "the old route sends everything to generation 2",
      );
      assert.equal(handoff?.spec.generation, 1);
      assert.equal(after.spec.generation, 2, "the deployment now runs generation 2");
      assert.equal(after.spec.handoff, undefined, "the handoff is never stored");
      const events = await cp.listEvents("acme", d.id, 0, 500);
      const shifted = events.find(
        (e) => (e.data["migration"] as { step?: string } | undefined)?.step === "route-shifted",
      );
      assert.match(String(shifted?.data["message"]), /100% of requests .*same cluster, same endpoint/);
    });

    it("after a migration, an update that fails goes back to the migrated spec and placement, never the old stack's", async function () {
      const d = await ready();
      const { migration } = await cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const moved = await lastOp(d);
      assert.equal(moved.operations.at(-1)?.status, "succeeded");
      engine.next("up", { kind: "fail", error: new Error("error: the update failed") });
      const spec = { ...moved.spec, scaling: { ...moved.spec.scaling, maxReplicas: 2 } };
      await cp.requestUpdate("acme", d.id, { spec, estimatedMonthlyUsd: 1 }, "key-1");
      const after = await waitFor("the update to fail", async () => {
        const g = await cp.getDeployment("acme", d.id);
        const op = g.operations.at(-1);
        return op?.kind === "update" && op.status === "failed" ? g : undefined;
      });
      assert.equal(after.stackName, migration.toStack);
      assert.equal(after.spec.generation, 2);
      assert.deepEqual(after.placement, migration.placement);
      assert.equal(after.estimatedMonthlyUsd, migration.monthlyUsd);
    });

    it("a migration to another cluster has no route to hand off: the endpoint changes, and the event says so", async function () {
      const d = await ready();
      const from = engine.calls.length;
      const target = { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge", capacity: "spot" };
      await cp.requestMigration("acme", d.id, { placement: target }, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded", JSON.stringify(after.operations.at(-1)));
      assert.deepEqual(callsOn(d, from), ["preview:new", "up:new", "destroy:old"]);
      assert.equal(after.placement.cloud, "aws");
      const shifted = (await cp.listEvents("acme", d.id, 0, 500)).find(
        (e) => (e.data["migration"] as { step?: string } | undefined)?.step === "route-shifted",
      );
      assert.match(
        String(shifted?.data["message"]),
        /on another cluster; .* at its own endpoint https:\/\/.*: clients must change their base URL/,
      );
    });

    it("a rollout in progress blocks a migration (409 naming the rollout): the new stack would carry half of it", async function () {
      const d = await ready();
      const spec = {
        ...d.spec,
        model: { ...d.spec.model, version: "v2" },
        revision: 2,
        rollout: {
          strategy: "canary" as const,
          weight: 10,
          stable: { revision: 1, model: d.spec.model, server: d.spec.server },
        },
      };
      await cp.requestUpdate("acme", d.id, { spec, estimatedMonthlyUsd: d.estimatedMonthlyUsd ?? 1 }, "key-1");
      await waitFor("the canary to apply", async () => {
        const g = await cp.getDeployment("acme", d.id);
        return g.spec.rollout && g.operations.at(-1)?.status === "succeeded" ? g : undefined;
      });
      await assert.rejects(
        cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1"),
        (e: unknown) => e instanceof ConflictError && /canary rollout is in progress.*promote or abort/.test(e.message),
      );
    });

    it("a failed handoff puts the old route back on its own Service before the new stack is destroyed", async function () {
      const d = await ready();
      const from = engine.calls.length;
      engine.forStack(d.stackName, "up", { kind: "fail", error: new Error("error: the HTTPRoute update failed") });
      const { migration } = await cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "failed");
      assert.match(after.operations.at(-1)?.error?.message ?? "", /old stack keeps serving/);
      assert.deepEqual(callsOn(d, from), ["preview:new", "up:new", "up:old", "up:old", "destroy:new"]);
      const restore = engine.calls.slice(from).filter((c) => c.stackName === d.stackName && c.method === "up")[1];
      assert.equal(restore?.spec.handoff, undefined, "the restore is the old spec, without the handoff");
      assert.equal(after.stackName, d.stackName);
      assert.equal(after.status, "ready");
      assert.equal(engine.callsOf("destroy", migration.toStack).length, 1);
    });

    it("when the route cannot be put back, the new stack is kept (the old route sends to it) and the failure says so", async function () {
      const d = await ready();
      const from = engine.calls.length;
      engine.forStack(
        d.stackName,
        "up",
        { kind: "fail", error: new Error("error: the HTTPRoute update failed") },
        { kind: "fail", error: new Error("error: the API server is unreachable") },
      );
      const { migration } = await cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await lastOp(d);
      const op = after.operations.at(-1);
      assert.equal(op?.status, "failed");
      assert.equal(op?.error?.code, "route_restore_failed");
      assert.match(op?.error?.message ?? "", /new stack .* is kept/);
      assert.deepEqual(callsOn(d, from), ["preview:new", "up:new", "up:old", "up:old"]);
      assert.equal(engine.callsOf("destroy", migration.toStack).length, 0, "the stack the route sends to stays");
    });

    it("a new stack that could not be seen serving leaves the deployment unverified, never ready, and says why", async function () {
      const d = await ready();
      const recId = await recommendationFor(d.id);
      const reason = "the stack's Deployments could not be observed: refresh failed";
      engine.next("up", {
        kind: "succeed",
        outputs: {
          endpoint: "https://new.test.invalid/v1",
          readiness: { state: "unverified", reason, checkedAt: "2026-12-01T00:00:00.000Z", waitedSeconds: 3 },
        },
      });
      await cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const after = await lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded");
      assert.equal(after.status, "unverified");
      const events = await cp.listEvents("acme", d.id, 0, 500);
      const step = events.find((e) => /migration 2\/4/.test(String(e.data["message"])));
      assert.match(String(step?.data["message"]), /is applied, but unverified: .*refresh failed/);
    });
  });
