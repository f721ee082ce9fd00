/**
 * A migration on the same cluster (#15): the new stack is the deployment's next generation, with
 * objects of its own beside the old stack's; the old stack's route hands its traffic to the new
 * Service before the old stack goes, and is put back when the migration fails or is aborted. On
 * another cluster there is no route to hand off, and the endpoint changes. Test engine, PGlite and
 * Postgres.
 */
import assert from "node:assert/strict";
import { ConflictError } from "../../core/errors";
import { skipWithoutPostgres, TEST_BACKENDS } from "../store/testing/test-db";
import { MigrationHarness, SAME_CLUSTER, waitFor } from "./testing/migration";
import type { Deployment } from "../types";

for (const backend of TEST_BACKENDS)
  describe(`migration on one cluster: generations and the route handoff, on ${backend} (test engine)`, function () {
    this.timeout(60_000);
    const h = new MigrationHarness(backend);

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `migration on ${backend}`);
      await h.setUp();
    });
    after(() => h.tearDown());
    beforeEach(() => {
      h.engine.defaultBehavior = { kind: "succeed", delayMs: 5 };
    });

    /** Destroy the deployment; the destroy's summary event once it is destroyed. */
    async function destroyed(d: Deployment): Promise<Record<string, unknown>> {
      await h.cp.requestDestroy("acme", d.id, "key-1");
      await waitFor("destroyed", async () =>
        (await h.cp.getDeployment("acme", d.id)).status === "destroyed" ? true : undefined,
      );
      const events = await h.cp.listEvents("acme", d.id, 0, 1000);
      const summary = events.filter((e) => e.type === "summary" && e.data["kind"] === "destroy").at(-1);
      assert.ok(summary, "a destroy summary");
      return summary.data;
    }

    it("a same-cluster migration is the next generation and hands the old route to the new Service before the old stack goes", async function () {
      const d = await h.ready();
      assert.equal(d.spec.generation, 1);
      const from = h.engine.calls.length;
      const { migration } = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded", JSON.stringify(after.operations.at(-1)));
      assert.deepEqual(h.callsOn(d, from), ["preview:new", "up:new", "up:old", "destroy:old"]);
      const [upNew, handoff] = h.engine.calls.slice(from).filter((c) => c.deploymentId === d.id && c.method === "up");
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
      assert.match(await h.shiftMessage(d), /100% of requests to its Service \(same cluster, same endpoint\)/);
    });

    it("after a migration, an update that fails goes back to the migrated spec and placement, never the old stack's", async function () {
      const d = await h.ready();
      const { migration } = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const moved = await h.lastOp(d);
      assert.equal(moved.operations.at(-1)?.status, "succeeded");
      h.engine.next("up", { kind: "fail", error: new Error("error: the update failed") });
      const spec = { ...moved.spec, scaling: { ...moved.spec.scaling, maxReplicas: 2 } };
      await h.cp.requestUpdate("acme", d.id, { spec, estimatedMonthlyUsd: 1 }, "key-1");
      const after = await waitFor("the update to fail", async () => {
        const g = await h.cp.getDeployment("acme", d.id);
        const op = g.operations.at(-1);
        return op?.kind === "update" && op.status === "failed" ? g : undefined;
      });
      assert.equal(after.stackName, migration.toStack);
      assert.equal(after.spec.generation, 2);
      assert.deepEqual(after.placement, migration.placement);
      assert.equal(after.estimatedMonthlyUsd, migration.monthlyUsd);
    });

    it("a migration to another cluster has no route to hand off: the endpoint changes, and the event says so", async function () {
      const d = await h.ready();
      const from = h.engine.calls.length;
      const target = { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge", capacity: "spot" };
      await h.cp.requestMigration("acme", d.id, { placement: target }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded", JSON.stringify(after.operations.at(-1)));
      assert.deepEqual(h.callsOn(d, from), ["preview:new", "up:new", "destroy:old"]);
      assert.equal(after.placement.cloud, "aws");
      assert.match(
        await h.shiftMessage(d),
        /on another cluster, at its own endpoint https:\/\/.*: clients must change their base URL/,
      );
    });

    it("a rollout in progress blocks a migration (409 naming the rollout): the new stack would carry half of it", async function () {
      const d = await h.ready();
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
      await h.cp.requestUpdate("acme", d.id, { spec, estimatedMonthlyUsd: d.estimatedMonthlyUsd ?? 1 }, "key-1");
      await waitFor("the canary to apply", async () => {
        const g = await h.cp.getDeployment("acme", d.id);
        return g.spec.rollout && g.operations.at(-1)?.status === "succeeded" ? g : undefined;
      });
      await assert.rejects(
        h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1"),
        (e: unknown) => e instanceof ConflictError && /canary rollout is in progress.*promote or abort/.test(e.message),
      );
    });

    it("a failed handoff puts the old route back on its own Service before the new stack is destroyed", async function () {
      const d = await h.ready();
      const from = h.engine.calls.length;
      h.engine.forStack(d.stackName, "up", { kind: "fail", error: new Error("error: the HTTPRoute update failed") });
      const { migration } = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "failed");
      assert.match(after.operations.at(-1)?.error?.message ?? "", /old stack keeps serving/);
      assert.deepEqual(h.callsOn(d, from), ["preview:new", "up:new", "up:old", "up:old", "destroy:new"]);
      const restore = h.engine.calls.slice(from).filter((c) => c.stackName === d.stackName && c.method === "up")[1];
      assert.equal(restore?.spec.handoff, undefined, "the restore is the old spec, without the handoff");
      assert.equal(after.stackName, d.stackName);
      assert.equal(after.status, "ready");
      assert.equal(h.engine.callsOf("destroy", migration.toStack).length, 1);
    });

    it("when the route cannot be put back, the new stack is kept (the old route sends to it) and the failure says so", async function () {
      const d = await h.ready();
      const from = h.engine.calls.length;
      h.engine.forStack(
        d.stackName,
        "up",
        { kind: "fail", error: new Error("error: the HTTPRoute update failed") },
        { kind: "fail", error: new Error("error: the API server is unreachable") },
      );
      const { migration } = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await h.lastOp(d);
      const op = after.operations.at(-1);
      assert.equal(op?.status, "failed");
      assert.equal(op?.error?.code, "route_restore_failed");
      assert.match(op?.error?.message ?? "", /new stack .* is kept/);
      assert.deepEqual(h.callsOn(d, from), ["preview:new", "up:new", "up:old", "up:old"]);
      assert.equal(h.engine.callsOf("destroy", migration.toStack).length, 0, "the stack the route sends to stays");
      // The kept stack is recorded: the deployment's destroy removes it too.
      const summary = await destroyed(d);
      assert.equal(h.engine.callsOf("destroy", migration.toStack).length, 1);
      assert.deepEqual(summary["leftStacksRemoved"], [migration.toStack]);
    });

    it("an old stack a migration could not destroy goes with the deployment; one that fails again stays recorded and named", async function () {
      const d = await h.ready();
      h.engine.forStack(d.stackName, "destroy", { kind: "fail", error: new Error("error: timeout") });
      const { migration } = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const moved = await h.lastOp(d);
      assert.equal(moved.operations.at(-1)?.error?.code, "old_stack_left");
      assert.equal(moved.stackName, migration.toStack, "the new stack serves");
      h.engine.forStack(d.stackName, "destroy", { kind: "fail", error: new Error("error: still stuck") });
      const first = await destroyed(d);
      assert.deepEqual(first["leftStacksKept"], [d.stackName]);
      assert.equal(first["leftStacksRemoved"], undefined);
      const left = await h.db.query(`SELECT left_stack FROM migrations WHERE deployment_id = $1`, [d.id]);
      assert.deepEqual(
        left.rows.map((r) => r["left_stack"]),
        [d.stackName],
      );
    });

    it("a migration whose new stack could not be destroyed leaves its generation used: the next one takes the one after", async function () {
      const d = await h.ready();
      h.engine.next(
        "up",
        { kind: "succeed" },
        { kind: "fail", error: new Error("error: the HTTPRoute update failed") },
      );
      const first = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      h.engine.forStack(first.migration.toStack, "destroy", { kind: "fail", error: new Error("error: timeout") });
      const failed = await h.lastOp(d);
      assert.equal(failed.operations.at(-1)?.status, "failed");
      assert.equal(h.engine.callsOf("destroy", first.migration.toStack).length, 1, "its destroy was tried, and failed");
      const from = h.engine.calls.length;
      const second = await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      await h.lastOp(d);
      const upNew = h.engine.calls
        .slice(from)
        .find((c) => c.method === "up" && c.stackName === second.migration.toStack);
      assert.equal(upNew?.spec.generation, 3, "generation 2's objects may still exist");
    });

    it("a cluster without a gateway has no route to hand off: no up of the old stack, and the in-cluster URL changes", async function () {
      const d = await h.ready();
      const from = h.engine.calls.length;
      const inCluster = "http://mistral-7b-0a1b2c.mp-acme.svc.cluster.local/v1";
      h.engine.next("up", {
        kind: "succeed",
        outputs: {
          endpointReason: "the platform stack installs no gateway on this cluster",
          inClusterEndpoint: inCluster,
        },
      });
      await h.cp.requestMigration("acme", d.id, { placement: SAME_CLUSTER }, "key-1");
      const after = await h.lastOp(d);
      assert.equal(after.operations.at(-1)?.status, "succeeded");
      assert.deepEqual(h.callsOn(d, from), ["preview:new", "up:new", "destroy:old"]);
      const message = await h.shiftMessage(d);
      assert.match(message, /no gateway, so there is no route to hand off/);
      assert.ok(message.includes(`in-cluster endpoint is now ${inCluster}`), message);
    });
  });
