/**
 * Re-quote sweeps and blue/green migration in the control plane (the test engine, PGlite and
 * Postgres): concurrent sweeps never duplicate a recommendation; a destroyed deployment's
 * recommendation disappears; a migration is exclusive with every other operation (409); an abort
 * or a failure before the route shift destroys the new stack and leaves the old one serving.
 * Same-cluster moves (the route handoff) are in migrate-handoff.test.ts.
 */
import assert from "node:assert/strict";
import { ConflictError } from "../../core/errors";
import { skipWithoutPostgres, TEST_BACKENDS } from "../store/testing/test-db";
import { readCatalogSource } from "../requote/catalog-source";
import { runSweep } from "../requote/sweep";
import { FOOTPRINT, MigrationHarness, waitFor } from "./testing/migration";

for (const backend of TEST_BACKENDS)
  describe(`re-quote and migration on ${backend} (test engine)`, function () {
    this.timeout(60_000);
    const h = new MigrationHarness(backend);

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `re-quote on ${backend}`);
      await h.setUp();
    });
    after(() => h.tearDown());
    beforeEach(() => {
      h.engine.defaultBehavior = { kind: "succeed", delayMs: 5 };
    });

    it("concurrent sweeps leave one recommendation per deployment, with the same id", async function () {
      const d = await h.ready();
      const loaded = readCatalogSource(h.catalogFile);
      const sweep = () =>
        runSweep({
          db: h.db,
          loaded,
          footprint: FOOTPRINT,
          thresholds: { minSavingPct: 15, minSavingUsd: 50 },
          previous: undefined,
          pageSize: 2,
        });
      const reports = await Promise.all([sweep(), sweep(), sweep()]);
      const rows = await h.db.query(`SELECT id FROM recommendations WHERE deployment_id = $1`, [d.id]);
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
      const d = await h.ready();
      await h.recommendationFor(d.id);
      await h.cp.requestDestroy("acme", d.id, "key-1");
      assert.ok(!(await h.cp.listRecommendations({ tenant: "acme", limit: 100 })).some((r) => r.deploymentId === d.id));
      await waitFor("destroyed", async () =>
        (await h.cp.getDeployment("acme", d.id)).status === "destroyed" ? true : undefined,
      );
      await h.cp.requote({});
      const rows = await h.db.query(`SELECT 1 FROM recommendations WHERE deployment_id = $1`, [d.id]);
      assert.equal(rows.rows.length, 0);
    });

    it("a migration is exclusive (409 both ways); an abort mid-way destroys the new stack and leaves the old one serving", async function () {
      const d = await h.ready();
      const recId = await h.recommendationFor(d.id);
      h.engine.next("up", { kind: "hang" });
      const accepted = await h.cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const newStack = accepted.migration.toStack;
      await h.engine.started("up", newStack);
      await assert.rejects(h.cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1"), ConflictError);
      await assert.rejects(
        h.cp.requestUpdate("acme", d.id, { spec: d.spec, estimatedMonthlyUsd: 1 }, "key-1"),
        ConflictError,
      );
      await assert.rejects(h.cp.requestDestroy("acme", d.id, "key-1"), ConflictError);
      assert.equal(
        (await h.cp.getDeployment("acme", d.id)).status,
        "ready",
        "the old stack serves during the migration",
      );
      await h.cp.abortMigration("acme", d.id, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "cancelled");
      assert.equal(after.status, "ready");
      assert.equal(after.stackName, d.stackName);
      assert.deepEqual(after.placement, d.placement);
      assert.equal(h.engine.callsOf("destroy", newStack).length, 1, "the new stack is destroyed");
      assert.equal(h.engine.callsOf("destroy", d.stackName).length, 0, "the old stack is untouched");
      const steps = (await h.cp.listEvents("acme", d.id, 0, 500))
        .map((e) => (e.data["migration"] as { step?: string } | undefined)?.step)
        .filter(Boolean);
      assert.deepEqual(steps, ["requested", "new-stack-up", "rolled-back"]);
      // The recommendation still stands: the move can be tried again.
      assert.ok((await h.cp.listRecommendations({ tenant: "acme", limit: 100 })).some((r) => r.id === recId));
    });

    it("a failure bringing the new stack up leaves the old one serving", async function () {
      const d = await h.ready();
      const recId = await h.recommendationFor(d.id);
      h.engine.next("up", { kind: "fail", error: new Error("error: InsufficientInstanceCapacity: no capacity") });
      const { migration } = await h.cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "failed");
      assert.match(after.operations.at(-1)?.error?.message ?? "", /old stack keeps serving/);
      assert.equal(after.status, "ready");
      assert.equal(after.stackName, d.stackName);
      assert.equal(h.engine.callsOf("destroy", migration.toStack).length, 1);
      assert.equal(h.engine.callsOf("destroy", d.stackName).length, 0);
    });

    it("a migration moves the deployment: new stack up, route shifted, old stack destroyed, in that order", async function () {
      const d = await h.ready();
      const recId = await h.recommendationFor(d.id);
      const { migration } = await h.cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded");
      assert.equal(after.stackName, migration.toStack);
      assert.deepEqual(after.placement, migration.placement);
      assert.equal(after.estimatedMonthlyUsd, migration.monthlyUsd);
      const order = h.engine.calls
        .filter((c) => c.deploymentId === d.id && c.method !== "outputs")
        .map((c) => `${c.method}:${c.stackName === d.stackName ? "old" : "new"}`);
      // The cheaper offer is on the same cluster: the old route hands off before the old stack goes.
      assert.equal(migration.placement.region, d.placement.region);
      assert.deepEqual(order.slice(-4), ["preview:new", "up:new", "up:old", "destroy:old"]);
      assert.ok(!(await h.cp.listRecommendations({ tenant: "acme", limit: 100 })).some((r) => r.deploymentId === d.id));
      // An explicit target that is where it runs already is a 400 naming the field.
      await assert.rejects(
        h.cp.requestMigration("acme", d.id, { placement: { ...migration.placement } }, "key-1"),
        (e: unknown) => e instanceof Error && /placement/.test(e.message),
      );
    });

    it("a new stack that could not be seen serving leaves the deployment unverified, never ready, and says why", async function () {
      const d = await h.ready();
      const recId = await h.recommendationFor(d.id);
      const reason = "the stack's Deployments could not be observed: refresh failed";
      h.engine.next("up", {
        kind: "succeed",
        outputs: {
          endpoint: "https://new.test.invalid/v1",
          readiness: { state: "unverified", reason, checkedAt: "2026-12-01T00:00:00.000Z", waitedSeconds: 3 },
        },
      });
      await h.cp.requestMigration("acme", d.id, { recommendationId: recId }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded");
      assert.equal(after.status, "unverified");
      const events = await h.cp.listEvents("acme", d.id, 0, 500);
      const step = events.find((e) => /migration 2\/4/.test(String(e.data["message"])));
      assert.match(String(step?.data["message"]), /is applied, but unverified: .*refresh failed/);
    });
  });
