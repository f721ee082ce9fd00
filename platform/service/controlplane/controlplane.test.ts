import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { ConflictError, NotFoundError } from "../../core/errors";
import { PULUMI_CLI_MISSING } from "../engine/errors";
import { lockedStackError, policyDeniedError, TestEngine } from "../engine/testing/test-engine";
import type { Placement } from "../../core/placement";
import { openTestDb, skipWithoutPostgres, TEST_BACKENDS, type TestDb } from "../store/testing/test-db";
import { ValidationError } from "../../core/validation";
import { createControlPlane, type ControlPlaneImpl } from "./controlplane";
import type { ControlPlane, Deployment, DeploymentEvent, DeploymentStatus, SubmitDeploymentInput } from "../types";
import { TEST_PLACEMENT, testSpec } from "../store/testing/spec";
import { waitFor as waitUntil } from "../store/testing/wait";

const placement: Placement = TEST_PLACEMENT;

let counter = 0;
function request(tenant = "acme", over: Partial<SubmitDeploymentInput> = {}): SubmitDeploymentInput {
  counter++;
  return {
    tenant,
    actor: "key-1",
    name: `svc-${counter}`,
    environment: "dev",
    model: "mistral-7b",
    spec: testSpec(counter),
    stackName: `${tenant}-mistral-${counter}`,
    placement,
    estimatedMonthlyUsd: 255.5,
    ...over,
  };
}

const waitFor = <T>(what: string, fn: () => Promise<T | undefined>) => waitUntil(what, fn, 15_000);

async function waitStatus(
  cp: ControlPlane,
  tenant: string,
  id: string,
  statuses: DeploymentStatus[],
): Promise<Deployment> {
  try {
    return await waitFor(`status ${statuses.join("|")}`, async () => {
      const d = await cp.getDeployment(tenant, id);
      return statuses.includes(d.status) ? d : undefined;
    });
  } catch (err) {
    const d = await cp.getDeployment(tenant, id);
    const events = await cp.listEvents(tenant, id, 0, 100);
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}; deployment is ${d.status}, operations ${JSON.stringify(d.operations)}, events ${JSON.stringify(events.map((e) => e.data))}`,
      { cause: err },
    );
  }
}

for (const backend of TEST_BACKENDS)
  describe(`control plane on ${backend} (test engine)`, function () {
    let t: TestDb;
    let engine: TestEngine;
    let cp: ControlPlaneImpl;
    const dataDir = mkdtempSync(path.join(tmpdir(), "mp-cp-"));

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `control plane on ${backend}`);
      t = await openTestDb(backend);
      engine = new TestEngine();
      const config = testConfig({ dataDir, schema: t.schema, workers: 2 });
      cp = await createControlPlane(config, {
        engine,
        db: t.db,
        heartbeatMs: 100,
        staleAfterSeconds: 5,
        queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryBackoff: false, retryLimit: 2 },
      });
      await cp.start();
    });
    after(async function () {
      await cp?.close();
      await t?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });
    beforeEach(function () {
      engine.defaultBehavior = { kind: "succeed", delayMs: 5 };
      engine.availabilityResult = { available: true, version: "test" };
    });

    it("accepts a deployment at once, then previews, deploys and reports outputs", async function () {
      const { deployment, created } = await cp.submitDeployment(request());
      assert.equal(created, true);
      assert.equal(deployment.status, "queued");
      assert.equal(deployment.operations.length, 1);
      const ready = await waitStatus(cp, "acme", deployment.id, ["ready", "failed"]);
      assert.equal(ready.status, "ready");
      assert.equal(ready.outputs?.["endpoint"], `https://${deployment.stackName}.test.invalid/v1`);
      assert.deepEqual(
        ready.operations.map((o) => [o.kind, o.status, o.attempts]),
        [["create", "succeeded", 1]],
      );
      const calls = engine.calls.filter((c) => c.deploymentId === deployment.id).map((c) => c.method);
      assert.deepEqual(calls, ["preview", "up"], "preview before every up");
      const events = await cp.listEvents("acme", deployment.id, 0, 100);
      const statuses = events.filter((e) => e.type === "status").map((e) => e.data["status"]);
      assert.deepEqual(statuses, ["queued", "previewing", "deploying", "ready"]);
      assert.ok(
        events.some((e) => e.type === "engine"),
        "engine events persisted",
      );
      const ids = events.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
      const replay = await cp.listEvents("acme", deployment.id, ids[1] ?? 0, 100);
      assert.equal(replay[0]?.id, ids[2], "replay starts after Last-Event-ID");
    });

    it("returns the same deployment for a repeated Idempotency-Key, and refuses a reused key with a different body", async function () {
      const req = request();
      const first = await cp.submitDeployment(req, "idem-abc");
      const second = await cp.submitDeployment({ ...req, actor: "another-key" }, "idem-abc");
      assert.equal(second.created, false);
      assert.equal(second.deployment.id, first.deployment.id);
      await assert.rejects(cp.submitDeployment({ ...req, estimatedMonthlyUsd: 1 }, "idem-abc"), ConflictError);
      const other = await cp.submitDeployment(request("globex"), "idem-abc");
      assert.equal(other.created, true, "keys are per tenant");
      const concurrent = request();
      const both = await Promise.all([
        cp.submitDeployment(concurrent, "idem-race"),
        cp.submitDeployment(concurrent, "idem-race"),
      ]);
      assert.equal(both[0].deployment.id, both[1].deployment.id);
      assert.deepEqual(both.map((b) => b.created).sort(), [false, true]);
    });

    it("accepts a burst of concurrent requests, answering each one on its own", async function () {
      const reqs = Array.from({ length: 40 }, () => request("burst"));
      const dup = { ...(reqs[0] as SubmitDeploymentInput), name: "same stack as #0" };
      const results = await Promise.allSettled([
        ...reqs.map((r, i) => cp.submitDeployment(r, `burst-${i}`)),
        cp.submitDeployment(dup),
        cp.submitDeployment(reqs[1] as SubmitDeploymentInput, "burst-1"),
      ]);
      const ok = results.slice(0, 40).map((r) => (r.status === "fulfilled" ? r.value : undefined));
      assert.ok(
        ok.every((r) => r?.created === true),
        "every distinct request created",
      );
      const dupResult = results[40];
      assert.ok(
        dupResult?.status === "rejected" && dupResult.reason instanceof ConflictError,
        "same stack, no key → conflict",
      );
      const replay = results[41];
      assert.ok(
        replay?.status === "fulfilled" &&
          replay.value.created === false &&
          replay.value.deployment.id === ok[1]?.deployment.id,
      );
      const page = await cp.listDeployments("burst", { limit: 200 });
      assert.equal(page.items.length, 40, "every accepted request persisted once");
      for (const r of ok) assert.equal(r?.deployment.operations.length, 1);
      // Leave an idle queue: a backlog of 40 operations would run under the next test's engine
      // behaviours (its 200 ms steps took the update test ~9 s).
      await Promise.all(ok.map((r) => waitStatus(cp, "burst", r?.deployment.id ?? "", ["ready", "failed"])));
    });

    it("keeps tenants apart", async function () {
      const { deployment } = await cp.submitDeployment(request("tenant-a"));
      await assert.rejects(cp.getDeployment("tenant-b", deployment.id), NotFoundError);
      await assert.rejects(cp.listEvents("tenant-b", deployment.id, 0, 10), NotFoundError);
      await assert.rejects(cp.requestDestroy("tenant-b", deployment.id, "k"), NotFoundError);
      await assert.rejects(cp.cancel("tenant-b", deployment.id, "k"), NotFoundError);
      const page = await cp.listDeployments("tenant-b", { limit: 50 });
      assert.ok(!page.items.some((d) => d.id === deployment.id));
      const own = await cp.listDeployments("tenant-a", { limit: 50 });
      assert.ok(own.items.some((d) => d.id === deployment.id));
    });

    it("validates input naming the field", async function () {
      await assert.rejects(
        cp.submitDeployment(request("acme", { estimatedMonthlyUsd: -1 })),
        (e: unknown) => e instanceof ValidationError && e.field === "estimatedMonthlyUsd",
      );
      await assert.rejects(
        cp.submitDeployment(request("acme", { stackName: "has space" })),
        (e: unknown) => e instanceof ValidationError && e.field === "stackName",
      );
      await assert.rejects(
        cp.submitDeployment(request("acme", { spec: testSpec(1, { tags: { team: "nul\u0000here" } }) })),
        (e: unknown) => e instanceof ValidationError && e.field === "spec.tags.team",
      );
      await assert.rejects(
        cp.submitDeployment(request("acme", { spec: { ...testSpec(1), owner: "" } })),
        (e: unknown) => e instanceof ValidationError && e.field === "spec.owner",
        "the spec is checked with the one DeploymentSpecSchema",
      );
      await assert.rejects(
        cp.listDeployments("acme", { limit: 0 }),
        (e: unknown) => e instanceof ValidationError && e.field === "limit",
      );
      await assert.rejects(
        cp.listDeployments("acme", { limit: 5, cursor: "nope" }),
        (e: unknown) => e instanceof ValidationError && e.field === "cursor",
      );
      await assert.rejects(
        cp.submitDeployment(request(), "bad key with spaces"),
        (e: unknown) => e instanceof ValidationError && e.field === "Idempotency-Key",
      );
    });

    it("updates, then destroys (removing the stack), one operation at a time", async function () {
      engine.defaultBehavior = { kind: "succeed", delayMs: 200 };
      const { deployment } = await cp.submitDeployment(request());
      await assert.rejects(
        cp.requestUpdate("acme", deployment.id, { spec: testSpec("x1"), estimatedMonthlyUsd: 300 }, "k"),
        ConflictError,
        "no second operation while the first is in flight",
      );
      await waitStatus(cp, "acme", deployment.id, ["ready"]);
      engine.defaultBehavior = { kind: "succeed", delayMs: 5 };
      const newPlacement = { ...placement, region: "europe-west4" };
      const updating = await cp.requestUpdate(
        "acme",
        deployment.id,
        { spec: testSpec("x2"), placement: newPlacement, estimatedMonthlyUsd: 300 },
        "k2",
      );
      assert.equal(updating.status, "queued");
      assert.equal(updating.placement.region, "europe-west4");
      const updated = await waitStatus(cp, "acme", deployment.id, ["ready", "failed"]);
      assert.equal(updated.status, "ready");
      assert.deepEqual(updated.spec, testSpec("x2"));
      await cp.requestDestroy("acme", deployment.id, "k3");
      const gone = await waitStatus(cp, "acme", deployment.id, ["destroyed", "failed"]);
      assert.equal(gone.status, "destroyed");
      assert.equal(gone.outputs, null);
      assert.deepEqual(
        gone.operations.map((o) => `${o.kind}:${o.status}`),
        ["create:succeeded", "update:succeeded", "destroy:succeeded"],
      );
      assert.equal(engine.callsOf("destroy", deployment.stackName).length, 1);
      await assert.rejects(cp.requestDestroy("acme", deployment.id, "k"), ConflictError);
      await assert.rejects(
        cp.requestUpdate("acme", deployment.id, { spec: testSpec(), estimatedMonthlyUsd: 1 }, "k"),
        ConflictError,
      );
      const again = await cp.submitDeployment(request("acme", { stackName: deployment.stackName }));
      assert.equal(again.created, true, "a destroyed deployment frees its stack name");
    });

    it("refuses a second live deployment on the same stack", async function () {
      const req = request();
      await cp.submitDeployment(req);
      await assert.rejects(cp.submitDeployment({ ...req, name: "other" }), ConflictError);
    });

    /** Submit a deployment whose first previews fail with `errors` (one each), and wait for it to end. */
    async function submitWithFailingPreviews(...errors: Error[]) {
      const req = request();
      engine.forStack(req.stackName, "preview", ...errors.map((error) => ({ kind: "fail" as const, error })));
      const { deployment } = await cp.submitDeployment(req);
      return waitStatus(cp, "acme", deployment.id, ["ready", "failed"]);
    }

    it("retries a locked stack with backoff, then succeeds", async function () {
      const d = await submitWithFailingPreviews(lockedStackError());
      assert.equal(d.status, "ready");
      assert.equal(d.operations[0]?.attempts, 2);
      const calls = engine.calls.filter((c) => c.deploymentId === d.id);
      assert.deepEqual(
        calls.map((c) => [c.method, c.resume]),
        [
          ["preview", false],
          ["preview", true],
          ["up", true],
        ],
      );
      const logs = (await cp.listEvents("acme", d.id, 0, 100))
        .filter((e) => e.type === "log")
        .map((e) => String(e.data["message"]));
      assert.ok(
        logs.some((m) => /locked/.test(m) && /retrying/.test(m)),
        logs.join("\n"),
      );
    });

    it("gives up on a locked stack after the retry limit", async function () {
      const d = await submitWithFailingPreviews(lockedStackError(), lockedStackError(), lockedStackError());
      assert.equal(d.status, "failed");
      assert.equal(d.error?.code, "stack_locked");
      assert.equal(d.operations[0]?.attempts, 3, "first try + retryLimit (2) retries");
    });

    it("does not retry a policy denial", async function () {
      const d = await submitWithFailingPreviews(policyDeniedError());
      assert.equal(d.status, "failed");
      assert.equal(d.error?.code, "policy_denied");
      assert.match(d.error?.message ?? "", /max-monthly-cost/);
      assert.equal(d.operations[0]?.attempts, 1);
      assert.equal(
        engine.calls.filter((c) => c.deploymentId === d.id && c.method === "up").length,
        0,
        "no up after a denied preview",
      );
    });

    it("fails fast with the reason when the engine is unavailable, and never pretends", async function () {
      engine.availabilityResult = { available: false, reason: PULUMI_CLI_MISSING };
      const { deployment } = await cp.submitDeployment(request());
      assert.equal(deployment.status, "queued", "the request is still accepted and persisted");
      const d = await waitStatus(cp, "acme", deployment.id, ["ready", "failed"]);
      assert.equal(d.status, "failed");
      assert.equal(d.error?.code, "engine_unavailable");
      assert.equal(d.error?.message, PULUMI_CLI_MISSING);
      assert.equal(d.outputs, null);
      assert.equal(engine.calls.filter((c) => c.deploymentId === deployment.id).length, 0);
      const h = await cp.health();
      assert.deepEqual(h, { database: { ok: true }, engine: { available: false, reason: PULUMI_CLI_MISSING } });
    });

    /** Submit a deployment whose preview hangs, and wait until that preview has started. */
    async function submitHanging() {
      const req = request();
      engine.forStack(req.stackName, "preview", { kind: "hang" });
      const started = engine.started("preview", req.stackName);
      const { deployment } = await cp.submitDeployment(req);
      await started;
      return { deployment };
    }

    it("cancels a running operation through the engine's abort signal", async function () {
      const { deployment } = await submitHanging();
      await cp.cancel("acme", deployment.id, "k");
      const d = await waitStatus(cp, "acme", deployment.id, ["cancelled", "failed", "ready"]);
      assert.equal(d.status, "cancelled");
      assert.equal(d.operations[0]?.status, "cancelled");
      await assert.rejects(cp.cancel("acme", deployment.id, "k"), ConflictError, "nothing left to cancel");
    });

    it("cancels a queued operation before it runs", async function () {
      // Occupy both workers so the third request stays queued.
      const [ra, rb] = [request(), request()];
      engine.forStack(ra.stackName, "preview", { kind: "hang" }).forStack(rb.stackName, "preview", { kind: "hang" });
      const a = await cp.submitDeployment(ra);
      const b = await cp.submitDeployment(rb);
      await waitFor("both running", async () =>
        engine.calls.filter((c) => [a, b].some((x) => x.deployment.id === c.deploymentId)).length >= 2
          ? true
          : undefined,
      );
      const c = await cp.submitDeployment(request());
      const cancelled = await cp.cancel("acme", c.deployment.id, "k");
      assert.equal(cancelled.status, "cancelled");
      await cp.cancel("acme", a.deployment.id, "k");
      await cp.cancel("acme", b.deployment.id, "k");
      await waitStatus(cp, "acme", a.deployment.id, ["cancelled"]);
      await waitStatus(cp, "acme", b.deployment.id, ["cancelled"]);
      // Both workers are free now: wait until c's queue job is done with (cancelled in the queue,
      // or fetched and completed by a worker that found the operation cancelled), then look.
      const op = await cp.db.query("SELECT job_id FROM operations WHERE deployment_id = $1", [c.deployment.id]);
      await waitFor("c's queue job to end", async () => {
        const job = await cp.db.query(`SELECT state FROM ${t.schema}_jobs.job WHERE id::text = $1`, [
          op.rows[0]?.["job_id"],
        ]);
        const state = job.rows[0]?.["state"];
        return state === undefined || ["completed", "cancelled", "failed"].includes(String(state)) ? true : undefined;
      });
      assert.equal(
        engine.calls.filter((x) => x.deploymentId === c.deployment.id).length,
        0,
        "a cancelled queued job never runs",
      );
    });

    it("lets crash recovery take over an operation whose worker looks dead; the old attempt stands down", async function () {
      const { deployment } = await submitHanging();
      // As if the heartbeat had gone stale: the sweeper re-queues the operation with a new job.
      const r = await cp.recover(0);
      assert.ok(r.requeued >= 1 && r.resent >= 1, JSON.stringify(r));
      const d = await waitStatus(cp, "acme", deployment.id, ["ready", "failed", "cancelled"]);
      assert.equal(d.status, "ready");
      assert.deepEqual(
        d.operations.map((o) => [o.status, o.attempts]),
        [["succeeded", 2]],
      );
      const calls = engine.calls.filter((c) => c.deploymentId === deployment.id).map((c) => `${c.method}:${c.resume}`);
      assert.deepEqual(calls, ["preview:false", "preview:true", "up:true"]);
      await waitFor("old attempt stood down", async () => {
        const logs = (await cp.listEvents("acme", deployment.id, 0, 200)).map((e) => String(e.data["message"] ?? ""));
        return logs.some((m) => /taken over/.test(m)) ? true : undefined;
      });
      assert.equal(
        (await cp.getDeployment("acme", deployment.id)).status,
        "ready",
        "the stale attempt changed nothing",
      );
    });

    it("gives a queued operation whose queue job was lost a new job", async function () {
      const [ra, rb, rc] = [request(), request(), request()];
      engine.forStack(ra.stackName, "preview", { kind: "hang" }).forStack(rb.stackName, "preview", { kind: "hang" });
      const a = await cp.submitDeployment(ra);
      const b = await cp.submitDeployment(rb);
      await waitFor("both workers busy", async () =>
        engine.calls.filter((x) => x.deploymentId === a.deployment.id || x.deploymentId === b.deployment.id).length >= 2
          ? true
          : undefined,
      );
      const c = await cp.submitDeployment(rc);
      // Lose c's job behind the control plane's back (as a crash between two writes could).
      const op = await cp.db.query("SELECT job_id FROM operations WHERE deployment_id = $1", [c.deployment.id]);
      await cp.db.query(`UPDATE ${t.schema}_jobs.job SET state = 'cancelled' WHERE id::text = $1`, [
        op.rows[0]?.["job_id"],
      ]);
      const r = await cp.recover(30);
      assert.ok(r.resent >= 1, JSON.stringify(r));
      await cp.cancel("acme", a.deployment.id, "k");
      await cp.cancel("acme", b.deployment.id, "k");
      const done = await waitStatus(cp, "acme", c.deployment.id, ["ready", "failed"]);
      assert.equal(done.status, "ready");
      assert.equal(done.operations[0]?.attempts, 1);
    });

    it("runs at most MODELPLANE_WORKERS operations at once and one per stack", async function () {
      engine.maxConcurrent = 0;
      engine.maxConcurrentPerStack = 0;
      engine.defaultBehavior = { kind: "succeed", delayMs: 150 };
      const subs = await Promise.all([1, 2, 3, 4, 5].map(() => cp.submitDeployment(request("bulk"))));
      for (const s of subs) await waitStatus(cp, "bulk", s.deployment.id, ["ready", "failed"]);
      assert.equal(engine.maxConcurrent, 2);
      assert.equal(engine.maxConcurrentPerStack, 1);
    });

    it("streams live events to subscribers as they are persisted", async function () {
      engine.defaultBehavior = { kind: "succeed", delayMs: 50 };
      const { deployment } = await cp.submitDeployment(request());
      const got: DeploymentEvent[] = [];
      const unsubscribe = cp.subscribe(deployment.id, (e) => got.push(e));
      await waitStatus(cp, "acme", deployment.id, ["ready"]);
      await waitFor("ready event", async () => (got.some((e) => e.data["status"] === "ready") ? true : undefined));
      unsubscribe();
      const persisted = await cp.listEvents("acme", deployment.id, 0, 100);
      const live = got.map((e) => e.id);
      assert.deepEqual(
        live,
        persisted.map((e) => e.id).filter((id) => live.includes(id)),
        "live events are persisted ones, in order",
      );
      assert.ok(got.some((e) => e.data["status"] === "previewing"));
    });

    it("manages API keys: create, authenticate, revoke; first admin key once", async function () {
      const first = await cp.ensureAdminKey();
      assert.equal(first.generated, true);
      assert.ok(first.secret && first.secret.startsWith("mp_"));
      const second = await cp.ensureAdminKey();
      assert.deepEqual(second, { secret: null, generated: false }, "generated only once");
      const admin = await cp.authenticate(first.secret ?? "");
      assert.equal(admin?.role, "platform-admin");
      assert.equal(admin?.bootstrap, true);
      const { key, secret } = await cp.createApiKey({ tenant: "acme", role: "viewer", name: "dash" }, admin?.id ?? "");
      assert.equal((await cp.authenticate(secret))?.id, key.id);
      assert.equal(await cp.authenticate("mp_000000000000_nope-nope-nope-nope-nope"), null);
      await cp.revokeApiKey(key.id, admin?.id ?? "");
      assert.equal(await cp.authenticate(secret), null, "revoked keys stop working at once");
      await assert.rejects(cp.revokeApiKey("00000000-0000-4000-8000-000000000000", "x"), NotFoundError);
      await assert.rejects(
        cp.createApiKey({ tenant: "acme", role: "root" as "admin", name: "x" }, "a"),
        (e: unknown) => e instanceof ValidationError && e.field === "role",
      );
      const configured = await cp.ensureAdminKey("configured-admin-key-0123456789");
      assert.deepEqual(configured, { secret: "configured-admin-key-0123456789", generated: false });
      assert.equal((await cp.authenticate("configured-admin-key-0123456789"))?.role, "platform-admin");
      assert.equal(
        await cp.authenticate(first.secret ?? ""),
        null,
        "configuring a bootstrap key revokes the generated one",
      );
    });

    it("rotating MODELPLANE_ADMIN_KEY revokes the previous bootstrap key, and only that one", async function () {
      const old = "rotation-old-key-0123456789";
      const next = "rotation-new-key-0123456789";
      await cp.ensureAdminKey(old);
      const oldKey = await cp.authenticate(old);
      assert.ok(oldKey);
      const team = await cp.createApiKey({ tenant: "rot-team", role: "admin", name: "team admin" }, oldKey.id);
      await cp.ensureAdminKey(next);
      assert.equal(await cp.authenticate(old), null, "the old bootstrap key stops working");
      assert.equal((await cp.authenticate(next))?.role, "platform-admin");
      assert.equal((await cp.authenticate(team.secret))?.id, team.key.id, "ordinary keys survive the rotation");
      await assert.rejects(
        cp.ensureAdminKey(old),
        (e: unknown) => e instanceof ValidationError && e.field === "MODELPLANE_ADMIN_KEY",
        "a revoked bootstrap key cannot come back",
      );
      const listed = await cp.listApiKeys({ limit: 500 });
      const oldListed = listed.find((k) => k.id === oldKey.id);
      assert.notEqual(oldListed?.revokedAt ?? null, null);
      assert.ok(listed.every((k) => !JSON.stringify(k).includes("secret")));
    });

    it("refuses tenant names whose namespace is not one-to-one, and namespaces of other tenants", async function () {
      for (const bad of ["team-a-", "team--a", "-team", "Team-A", "team_a", "a".repeat(41)]) {
        await assert.rejects(
          cp.createApiKey({ tenant: bad, role: "viewer", name: "x" }, "t"),
          (e: unknown) => e instanceof ValidationError && e.field === "tenant",
          bad,
        );
      }
      // A tenant that predates the rule (inserted directly) keeps its namespace: a new name that
      // folds onto it is refused.
      await cp.db.query(
        `INSERT INTO api_keys (id, prefix, secret_hash, tenant, role, name, created_by)
         VALUES ('00000000-0000-4000-8000-0000000000aa', 'legacy000001', 'legacyhash', 'ns-legacy-', 'viewer', 'old', 'test')`,
      );
      await assert.rejects(
        cp.createApiKey({ tenant: "ns-legacy", role: "viewer", name: "x" }, "t"),
        (e: unknown) => e instanceof ConflictError && /mp-ns-legacy.*belongs to tenant "ns-legacy-"/.test(e.message),
      );
    });

    it("reports stats for metrics", async function () {
      const s = await cp.stats();
      assert.ok(s.jobsByState.succeeded > 0);
      assert.ok(s.jobsByState.failed > 0);
      assert.ok(s.jobsByState.cancelled > 0);
      assert.ok((s.monthlySpendByTenant["acme"] ?? 0) > 0);
      assert.ok(s.operationDurations.length > 0);
    });
  });
