import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConflictError } from "../../core/errors";
import type { Placement } from "../../core/placement";
import * as keys from "./api-keys";
import { createDeployments, type BatchItem } from "./batch";
import { audit, findIdempotencyKey, insertIdempotencyKey, listAudit } from "./audit";
import * as deployments from "./deployments";
import { appendEvent, listEvents } from "./events";
import { lockDataDir } from "./db";
import { loadMigrations, migrate } from "./migrate";
import { claimOperationForJob, endAttempt, setStatusIfOwned } from "./finish";
import { requeueStaleOperations } from "./recovery";
import { readStats } from "./stats";
import { openTestDb, skipWithoutPostgres, TEST_BACKENDS, type TestDb } from "./testing/test-db";
import { driveTo } from "./testing/lifecycle-path";
import { testSpec } from "./testing/spec";

const placement: Placement = {
  cloud: "aws",
  region: "us-east-1",
  instanceType: "g5.xlarge",
  gpuType: "A10G",
  gpuCount: 1,
  gpuMemoryGiB: 24,
  capacity: "on-demand",
  replicas: 1,
  unitHourlyUsd: 1.006,
  hourlyUsd: 1.006,
  monthlyUsd: 734.38,
  storageMonthlyUsd: 0,
  onDemandUnitHourlyUsd: null,
};

function newDeployment(tenant: string, stackName: string, model = "llama-3-8b") {
  return {
    id: randomUUID(),
    tenant,
    name: `${model}-svc`,
    environment: "dev",
    model,
    stackName,
    placement,
    estimatedMonthlyUsd: 734.38,
    spec: testSpec(model),
    createdBy: "key-1",
  };
}

for (const backend of TEST_BACKENDS) {
  describe(`store on ${backend}`, function () {
    let t: TestDb;

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `store on ${backend}`);
      t = await openTestDb(backend);
      await migrate(t.db);
    });
    after(async function () {
      await t?.dispose();
    });

    it("applies every migration once and records it", async function () {
      const again = await migrate(t.db);
      assert.deepEqual(again, [], "a second run applies nothing");
      const r = await t.db.query("SELECT version FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        r.rows.map((x) => Number(x["version"])),
        loadMigrations().map((m) => m.version),
      );
      const tables = await t.db.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
        [t.schema],
      );
      const names = tables.rows.map((x) => String(x["table_name"]));
      for (const n of ["api_keys", "audit", "deployments", "events", "idempotency_keys", "operations"])
        assert.ok(names.includes(n), n);
    });

    it("exec returns the rows of every statement", async function () {
      const rows = await t.db.exec("SELECT 1 AS a; SELECT 2 AS b");
      assert.deepEqual(rows, [{ a: 1 }, { b: 2 }]);
    });

    it("rolls a transaction back on throw", async function () {
      const d = newDeployment("tx-tenant", `stack-${randomUUID()}`);
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await deployments.insertDeployment(tx, d);
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal(await deployments.getDeployment(t.db, "tx-tenant", d.id), null);
    });

    it("counts statements and transactions in flight (pending), queued ones too, until they settle", async function () {
      assert.equal(t.db.pending?.(), 0);
      const queries = [t.db.query("SELECT 1 AS a"), t.db.query("SELECT 2 AS b")];
      assert.equal(t.db.pending?.(), 2);
      // Settle both first: on a Postgres pool the transaction may otherwise run beside them (CI saw 2).
      await Promise.all(queries);
      let inside = -1;
      await t.db.transaction(async (x) => {
        await x.query("SELECT 3 AS c");
        inside = t.db.pending?.() ?? -1;
      });
      assert.equal(inside, 1, "the transaction counts while it runs");
      await assert.rejects(t.db.query("SELECT nope"));
      assert.equal(t.db.pending?.(), 0, "a failed statement is no longer pending");
    });

    it("stores a deployment as given and keeps tenants apart", async function () {
      const d = newDeployment("acme", "acme-llama-dev");
      const created = await deployments.insertDeployment(t.db, d);
      assert.equal(created.status, "queued");
      assert.deepEqual(created.placement, placement);
      assert.deepEqual(created.spec, d.spec);
      assert.equal(created.estimatedMonthlyUsd, 734.38);
      assert.equal(created.outputs, null);
      const same = await deployments.getDeployment(t.db, "acme", d.id);
      assert.equal(same?.stackName, "acme-llama-dev");
      assert.equal(await deployments.getDeployment(t.db, "globex", d.id), null, "another tenant sees nothing");
      assert.equal(await deployments.getDeployment(t.db, "acme", "not-a-uuid"), null);
    });

    it("refuses a second live deployment on the same stack, until the first is destroyed", async function () {
      const a = await deployments.insertDeployment(t.db, newDeployment("acme", "acme-shared"));
      await assert.rejects(deployments.insertDeployment(t.db, newDeployment("acme", "acme-shared")), ConflictError);
      await driveTo(t.db, a.id, "destroyed");
      const b = await deployments.insertDeployment(t.db, newDeployment("acme", "acme-shared"));
      assert.notEqual(a.id, b.id);
    });

    it("allows one queued-or-running operation per deployment; attempts are claimed and ended by token", async function () {
      const d = await deployments.insertDeployment(t.db, newDeployment("acme", `s-${randomUUID()}`));
      const op1 = await deployments.insertOperation(t.db, {
        id: randomUUID(),
        deploymentId: d.id,
        tenant: "acme",
        kind: "create",
        actor: "k",
      });
      await assert.rejects(
        deployments.insertOperation(t.db, {
          id: randomUUID(),
          deploymentId: d.id,
          tenant: "acme",
          kind: "update",
          actor: "k",
        }),
        ConflictError,
      );
      await deployments.setOperationJob(t.db, op1.id, "job-a");
      assert.equal(await claimOperationForJob(t.db, op1.id, "job-old", "w0"), null, "a superseded job claims nothing");
      const claimed = await claimOperationForJob(t.db, op1.id, "job-a", "w1");
      assert.equal(claimed?.status, "running");
      assert.equal(claimed?.attempts, 1);
      assert.equal(
        await claimOperationForJob(t.db, op1.id, "job-a", "w2"),
        null,
        "a running operation cannot be claimed twice",
      );
      assert.deepEqual(await deployments.heartbeat(t.db, op1.id, "w1"), { cancelRequested: false, owned: true });
      assert.deepEqual(await deployments.heartbeat(t.db, op1.id, "w2"), { cancelRequested: false, owned: false });
      const end = { operationId: op1.id, deploymentId: d.id, error: null } as const;
      const move = { deploymentId: d.id, operationId: op1.id, event: "start-preview", status: "previewing" } as const;
      assert.equal(await setStatusIfOwned(t.db, { ...move, claim: "w2" }), false);
      assert.equal((await deployments.getDeployment(t.db, "acme", d.id))?.status, "queued", "not the owner: unchanged");
      assert.equal(await setStatusIfOwned(t.db, { ...move, claim: "w1" }), true);
      assert.equal(
        await setStatusIfOwned(t.db, { ...move, event: "start-deploy", status: "deploying", claim: "w1" }),
        true,
      );
      assert.equal(
        await endAttempt(t.db, { ...end, claim: "w2", end: "failed", event: "fail", status: "failed" }),
        null,
        "not the owner: nothing changes",
      );
      const ev = await endAttempt(t.db, {
        ...end,
        claim: "w1",
        end: "succeeded",
        event: "succeed",
        status: "ready",
        deploymentError: null,
        outputs: { endpoint: "https://e" },
      });
      assert.deepEqual(ev?.data, { status: "ready" });
      assert.equal(
        await endAttempt(t.db, { ...end, claim: "w1", end: "failed", event: "fail", status: "failed" }),
        null,
        "finished stays finished",
      );
      const op2 = await deployments.insertOperation(t.db, {
        id: randomUUID(),
        deploymentId: d.id,
        tenant: "acme",
        kind: "update",
        actor: "k",
      });
      const withHistory = await deployments.getDeployment(t.db, "acme", d.id);
      assert.equal(withHistory?.status, "ready");
      assert.deepEqual(withHistory?.outputs, { endpoint: "https://e" });
      assert.deepEqual(
        withHistory?.operations.map((o) => [o.kind, o.status]),
        [
          ["create", "succeeded"],
          ["update", "queued"],
        ],
      );
      assert.equal((await deployments.inFlightOperation(t.db, "acme", d.id))?.id, op2.id);
    });

    it("re-queues an attempt for a retry; the next claim counts a second attempt", async function () {
      const d = await deployments.insertDeployment(t.db, newDeployment("acme", `s-${randomUUID()}`));
      const op = await deployments.insertOperation(t.db, {
        id: randomUUID(),
        deploymentId: d.id,
        tenant: "acme",
        kind: "create",
        actor: "k",
      });
      await claimOperationForJob(t.db, op.id, "j", "w1");
      const ev = await endAttempt(t.db, {
        operationId: op.id,
        claim: "w1",
        end: "requeue",
        error: { code: "stack_locked", message: "locked" },
        deploymentId: d.id,
        event: "requeue",
        status: "queued",
      });
      assert.equal(ev?.data["status"], "queued");
      const again = await claimOperationForJob(t.db, op.id, "j", "w2");
      assert.equal(again?.attempts, 2, "attempts count every claim");
      assert.equal(again?.error?.code, "stack_locked", "the last attempt's error is kept until the operation ends");
    });

    it("takes back stale running operations: re-queued, or cancelled when a cancel was requested", async function () {
      const ops: string[] = [];
      for (let i = 0; i < 2; i++) {
        const d = await deployments.insertDeployment(t.db, newDeployment("acme", `stale-${randomUUID()}`));
        const op = await deployments.insertOperation(t.db, {
          id: randomUUID(),
          deploymentId: d.id,
          tenant: "acme",
          kind: "create",
          actor: "k",
        });
        await claimOperationForJob(t.db, op.id, "j", `w${i}`);
        ops.push(op.id);
      }
      await deployments.requestCancel(t.db, ops[1] ?? "");
      assert.deepEqual(await requeueStaleOperations(t.db, 60), [], "fresh heartbeats are left alone");
      await t.db.query("UPDATE operations SET heartbeat_at = now() - interval '5 minutes' WHERE id = ANY($1::uuid[])", [
        ops,
      ]);
      const taken = await requeueStaleOperations(t.db, 60);
      const byId = new Map(taken.map((o) => [o.id, o]));
      assert.equal(byId.get(ops[0] ?? "")?.status, "queued");
      assert.equal(byId.get(ops[1] ?? "")?.status, "cancelled");
      assert.equal(byId.get(ops[1] ?? "")?.error?.code, "cancelled");
      assert.equal(
        await deployments.heartbeat(t.db, ops[0] ?? "", "w0").then((h) => h.owned),
        false,
        "the old worker no longer owns it",
      );
    });

    it("pages deployments newest first with a cursor, filtered, per tenant", async function () {
      const tenant = `pager-${randomUUID().slice(0, 8)}`;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const d = await deployments.insertDeployment(
          t.db,
          newDeployment(tenant, `${tenant}-${i}`, i % 2 === 0 ? "even" : "odd"),
        );
        ids.push(d.id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await deployments.listDeployments(t.db, tenant, { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...ids].reverse(), "every deployment once, newest first");
      const evens = await deployments.listDeployments(t.db, tenant, { limit: 50, model: "even" });
      assert.equal(evens.items.length, 4);
      assert.equal(evens.nextCursor, null);
      await driveTo(t.db, ids[0] ?? "", "ready", { outputs: { endpoint: "https://x" } });
      const ready = await deployments.listDeployments(t.db, tenant, { limit: 50, status: "ready" });
      assert.deepEqual(
        ready.items.map((d) => [d.id, d.outputs]),
        [[ids[0], { endpoint: "https://x" }]],
      );
      assert.equal((await deployments.listDeployments(t.db, "nobody", { limit: 50 })).items.length, 0);
      assert.throws(() => deployments.decodeCursor("garbage"), deployments.CursorError);
    });

    it("reveals no other tenant's counts: events are numbered per deployment, cursors carry an id (issue 11)", async function () {
      // Another tenant is busy first: its events and deployments must not show in ours.
      const noisy = await deployments.insertDeployment(t.db, newDeployment("noisy", `n-${randomUUID()}`));
      for (let i = 0; i < 7; i++)
        await appendEvent(t.db, { deploymentId: noisy.id, operationId: null, type: "log", data: { i } });
      const tenant = `quiet-${randomUUID().slice(0, 8)}`;
      const a = await deployments.insertDeployment(t.db, newDeployment(tenant, `a-${randomUUID()}`));
      const b = await deployments.insertDeployment(t.db, newDeployment(tenant, `b-${randomUUID()}`));
      const first = await appendEvent(t.db, { deploymentId: a.id, operationId: null, type: "log", data: { n: 1 } });
      await appendEvent(t.db, { deploymentId: noisy.id, operationId: null, type: "log", data: {} });
      const second = await appendEvent(t.db, { deploymentId: a.id, operationId: null, type: "log", data: { n: 2 } });
      const other = await appendEvent(t.db, { deploymentId: b.id, operationId: null, type: "log", data: {} });
      assert.deepEqual([first.id, second.id, other.id], [1, 2, 1], "numbered within each deployment");
      assert.deepEqual(
        (await listEvents(t.db, tenant, a.id, 1, 10)).map((e) => [e.id, e.data["n"]]),
        [[2, 2]],
        "replay after a number",
      );
      const page = await deployments.listDeployments(t.db, tenant, { limit: 1 });
      assert.ok(page.nextCursor);
      const decoded = Buffer.from(page.nextCursor, "base64url").toString("utf8");
      assert.equal(decoded, `d:${b.id}`, "the cursor names the last item, no sequence number");
      const next = await deployments.listDeployments(t.db, tenant, { limit: 1, cursor: page.nextCursor });
      assert.deepEqual(
        next.items.map((d) => d.id),
        [a.id],
      );
      // Another tenant's cursor pages nothing here.
      const foreign = deployments.encodeCursor(noisy.id);
      assert.deepEqual((await deployments.listDeployments(t.db, tenant, { limit: 5, cursor: foreign })).items, []);
    });

    it("appends events with increasing ids and replays after an id", async function () {
      const d = await deployments.insertDeployment(t.db, newDeployment("acme", `s-${randomUUID()}`));
      const ids: number[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await appendEvent(t.db, { deploymentId: d.id, operationId: null, type: "log", data: { i } })).id);
      assert.deepEqual(
        [...ids].sort((a, b) => a - b),
        ids,
        "monotonic",
      );
      const after = await listEvents(t.db, "acme", d.id, ids[1] ?? 0, 100);
      assert.deepEqual(
        after.map((e) => e.data["i"]),
        [2, 3, 4],
      );
      assert.equal((await listEvents(t.db, "globex", d.id, 0, 100)).length, 0, "events are tenant-scoped");
      const big = await appendEvent(t.db, {
        deploymentId: d.id,
        operationId: null,
        type: "log",
        data: { s: "x".repeat(100_000) },
      });
      assert.equal(big.data["truncated"], true);
    });

    it("stores API keys hashed and finds them by secret", async function () {
      const { prefix, secret } = keys.generateKey();
      const k = await keys.insertApiKey(t.db, {
        tenant: "acme",
        role: "deployer",
        name: "ci",
        createdBy: "admin",
        secret,
        prefix,
      });
      const raw = await t.db.query("SELECT secret_hash FROM api_keys WHERE id = $1", [k.id]);
      assert.equal(raw.rows[0]?.["secret_hash"], keys.hashSecret(secret));
      assert.ok(!JSON.stringify(raw.rows).includes(secret), "the secret itself is not stored");
      assert.equal((await keys.findKeyBySecret(t.db, secret))?.id, k.id);
      assert.equal(await keys.findKeyBySecret(t.db, `${secret}x`), null);
      assert.equal(
        await keys.findKeyBySecret(t.db, `mp_${prefix}_${"A".repeat(43)}`),
        null,
        "right prefix, wrong secret",
      );
      await keys.revokeApiKey(t.db, k.id);
      assert.equal(await keys.findKeyBySecret(t.db, secret), null, "revoked");
    });

    it("records idempotency keys and audit entries", async function () {
      const d = await deployments.insertDeployment(t.db, newDeployment("acme", `s-${randomUUID()}`));
      assert.equal(await insertIdempotencyKey(t.db, "acme", "k1", "h1", d.id), true);
      assert.equal(await insertIdempotencyKey(t.db, "acme", "k1", "h2", d.id), false, "first writer wins");
      assert.deepEqual(await findIdempotencyKey(t.db, "acme", "k1"), { deploymentId: d.id, requestHash: "h1" });
      assert.equal(await findIdempotencyKey(t.db, "globex", "k1"), null);
      await audit(t.db, { actor: "key-9", tenant: "acme", action: "deployment.create", target: d.id });
      const entries = await listAudit(t.db, 5);
      assert.equal(entries[0]?.actor, "key-9");
      assert.equal(entries[0]?.target, d.id);
    });

    it("writes a batch of deployments in one transaction, skipping conflicts item by item", async function () {
      const tenant = `batch-${randomUUID().slice(0, 8)}`;
      const taken = await deployments.insertDeployment(t.db, newDeployment(tenant, `${tenant}-taken`));
      const item = (stackName: string, key: string | null): BatchItem => ({
        deploymentId: randomUUID(),
        operationId: randomUUID(),
        jobId: randomUUID(),
        tenant,
        actor: "k",
        name: stackName,
        environment: "dev",
        model: "m",
        stackName,
        placement,
        estimatedMonthlyUsd: 10,
        spec: testSpec(stackName),
        idempotency: key ? { key, requestHash: `h-${key}` } : null,
      });
      const items = [
        item(`${tenant}-a`, "k-a"),
        item(`${tenant}-a`, null), // same stack as the first, same batch
        item(`${tenant}-b`, "k-a"), // same key as the first, same batch
        item(`${tenant}-taken`, "k-c"), // stack of a live deployment: its key must not stay claimed
        item(`${tenant}-d`, null),
      ];
      const enqueued: string[] = [];
      const out = await t.db.transaction((tx) =>
        createDeployments(tx, items, async (_tx, created) => {
          enqueued.push(...created.map((c) => c.jobId));
        }),
      );
      assert.deepEqual(
        out.map((o) => o.kind),
        ["created", "stack-taken", "key-taken", "stack-taken", "created"],
      );
      assert.deepEqual(enqueued, [items[0]?.jobId, items[4]?.jobId]);
      const first = out[0];
      assert.ok(first?.kind === "created");
      assert.equal(first.deployment.status, "queued");
      assert.deepEqual(
        first.deployment.operations.map((o) => [o.kind, o.status]),
        [["create", "queued"]],
      );
      assert.equal(first.event.data["status"], "queued");
      assert.equal((await deployments.getOperation(t.db, items[0]?.operationId ?? ""))?.jobId, items[0]?.jobId);
      assert.equal(await findIdempotencyKey(t.db, tenant, "k-c"), null, "the key of a refused item is released");
      assert.equal((await findIdempotencyKey(t.db, tenant, "k-a"))?.deploymentId, items[0]?.deploymentId);
      const listed = await deployments.listDeployments(t.db, tenant, { limit: 10 });
      assert.deepEqual(
        listed.items.map((d) => d.stackName),
        [`${tenant}-d`, `${tenant}-a`, taken.stackName],
      );
    });

    it("aggregates stats", async function () {
      const s = await readStats(t.db);
      assert.ok(s.jobsByState.succeeded >= 1);
      assert.equal(s.queueDepth, s.jobsByState.queued);
      assert.ok((s.monthlySpendByTenant["acme"] ?? 0) > 0);
      assert.ok(s.operationDurations.some((o) => o.kind === "create" && o.status === "succeeded" && o.count >= 1));
    });
  });
}

describe("embedded data directory lock", function () {
  it("lets one process own a PGlite data dir, and takes over the lock of a killed one", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "mp-lock-"));
    try {
      const db = path.join(dir, "db");
      const release = lockDataDir(db);
      assert.throws(() => lockDataDir(db), new RegExp(`in use by process ${process.pid}.*DATABASE_URL`));
      release();
      assert.equal(existsSync(`${db}.lock`), false);
      writeFileSync(`${db}.lock`, "2147483646"); // a pid no process has
      const again = lockDataDir(db);
      again();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
