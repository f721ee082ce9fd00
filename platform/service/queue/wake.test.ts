import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { openPostgres, type Db } from "../store/db";
import { dropPostgresSchemas, skipWithoutPostgres, testDatabaseUrl, testSchemaName } from "../store/testing/test-db";
import { OperationQueue, type QueuedJob } from "./queue";

/** `db` counting pg-boss's job fetches (its SKIP LOCKED select). */
function countingFetches(db: Db): { db: Db; fetches: () => number } {
  let n = 0;
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "query")
        return async (text: string, values?: unknown[]) => {
          const r = await target.query(text, values);
          if (/SKIP LOCKED/.test(text)) n += 1;
          return r;
        };
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: wrapped, fetches: () => n };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
}

describe("queue wake-ups across processes on Postgres (#14)", function () {
  this.timeout(60_000);
  const schema = testSchemaName();
  const dbs: Db[] = [];
  const queues: OperationQueue[] = [];
  before(function () {
    skipWithoutPostgres(this, "queue wake-ups");
  });
  after(async function () {
    for (const q of queues) await q.stop();
    for (const db of dbs) await db.close();
    if (dbs.length > 0) await dropPostgresSchemas(schema);
  });

  it("a worker of another process fetches a job it did not enqueue when told, not at its next poll", async function () {
    const open = async () => {
      const db = await openPostgres(testDatabaseUrl(), schema, 2);
      dbs.push(db);
      return db;
    };
    // The API side: enqueues only. The worker side: polls once an hour, listens for wake-ups.
    const api = new OperationQueue(await open(), { listenUrl: testDatabaseUrl() });
    queues.push(api);
    await api.start();
    const counted = countingFetches(await open());
    const worker = new OperationQueue(counted.db, { listenUrl: testDatabaseUrl(), pollingIntervalSeconds: 3600 });
    queues.push(worker);
    await worker.start();
    const seen: QueuedJob[] = [];
    await worker.work(1, async (job) => {
      seen.push(job);
    });
    await until("the worker's first (empty) fetch", () => counted.fetches() >= 1);
    const operationId = randomUUID();
    await api.send({ operationId, stackName: "s" });
    await until("the job reaches the other process's worker", () => seen.length === 1);
    assert.equal(seen[0]?.data.operationId, operationId);
  });
});
