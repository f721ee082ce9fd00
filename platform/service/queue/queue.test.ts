import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { openTestDb, type TestDb } from "../store/testing/test-db";
import { bossDb, OperationQueue, type QueuedJob } from "./queue";

describe("operation queue: pg-boss on PGlite through the db option", function () {
  let t: TestDb;
  let queue: OperationQueue;

  before(async function () {
    t = await openTestDb("pglite");
    queue = new OperationQueue(t.db, {
      pollingIntervalSeconds: 0.5,
      retryLimit: 1,
      retryDelaySeconds: 1,
      retryBackoff: false,
    });
    await queue.start();
  });
  after(async function () {
    await queue?.stop();
    await t?.dispose();
  });

  it("answers multi-statement SQL with the rows of every statement", async function () {
    const r = await bossDb(t.db).executeSql("SELECT 1 AS a; SELECT 2 AS b", []);
    assert.deepEqual(r.rows, [{ a: 1 }, { b: 2 }]);
    const p = await bossDb(t.db).executeSql("SELECT $1::int + 1 AS n", [41]);
    assert.deepEqual(p.rows, [{ n: 42 }]);
  });

  it("tracks pg-boss statements until they settle, so a shutdown can wait for them", async function () {
    const inFlight = new Set<Promise<unknown>>();
    const adapter = bossDb(t.db, inFlight);
    const ok = adapter.executeSql("SELECT 1 AS a", []);
    const bad = adapter.executeSql("SELECT * FROM no_such_table_here", []);
    assert.equal(inFlight.size, 2);
    await ok;
    await assert.rejects(bad);
    await new Promise((r) => setImmediate(r));
    assert.equal(inFlight.size, 0);
  });

  it("installs pg-boss's schema next to ours", async function () {
    const r = await t.db.query("SELECT version FROM " + `${t.schema}_jobs.version`);
    assert.ok(Number(r.rows[0]?.["version"]) > 0);
  });

  it("enqueues inside the caller's transaction: a rollback leaves no job", async function () {
    let jobId = "";
    await assert.rejects(
      t.db.transaction(async (tx) => {
        jobId = await queue.send({ operationId: randomUUID(), stackName: "s" }, tx);
        throw new Error("rollback");
      }),
    );
    assert.ok(jobId);
    assert.equal(await queue.job(jobId), null);
    const kept = await t.db.transaction((tx) => queue.send({ operationId: randomUUID(), stackName: "s" }, tx));
    assert.equal((await queue.job(kept))?.state, "created");
    await queue.cancel(kept);
    assert.equal((await queue.job(kept))?.state, "cancelled");
  });

  it("delivers jobs to a bounded pool and retries a thrown handler", async function () {
    const seen: QueuedJob[] = [];
    let running = 0;
    let peak = 0;
    const failOnce = new Set<string>();
    await queue.work(2, async (job) => {
      running++;
      peak = Math.max(peak, running);
      seen.push(job);
      // The first two jobs each hold their slot until both are running (polled, 10 s at most).
      const holds = seen.length <= 2;
      for (const until = Date.now() + 10_000; holds && peak < 2 && Date.now() < until;)
        await new Promise((r) => setTimeout(r, 10));
      running--;
      if (job.data.stackName === "flaky" && !failOnce.has(job.id)) {
        failOnce.add(job.id);
        throw new Error("transient");
      }
    });
    const ids = await Promise.all(
      [1, 2, 3, 4].map((i) => queue.send({ operationId: randomUUID(), stackName: `s${i}` })),
    );
    const flaky = await queue.send({ operationId: randomUUID(), stackName: "flaky" });
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      const states = await Promise.all([...ids, flaky].map(async (id) => (await queue.job(id))?.state));
      if (states.every((s) => s === "completed")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const id of [...ids, flaky]) assert.equal((await queue.job(id))?.state, "completed", id);
    assert.equal(peak, 2, "never more than the pool size at once");
    const flakyRuns = seen.filter((j) => j.id === flaky);
    assert.deepEqual(
      flakyRuns.map((j) => j.retryCount),
      [0, 1],
      "retried once after the thrown attempt",
    );
  });
});
