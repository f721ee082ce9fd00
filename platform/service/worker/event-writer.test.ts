import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Db } from "../store/db";
import { insertDeployment } from "../store/deployments";
import { listEvents } from "../store/events";
import { migrate } from "../store/migrate";
import { openTestDb, skipWithoutPostgres, TEST_BACKENDS, type TestDb } from "../store/testing/test-db";
import { TEST_PLACEMENT, testSpec } from "../store/testing/spec";
import type { DeploymentEvent } from "../types";
import { EventWriter } from "./event-writer";

/** `db` counting the event inserts sent through it. */
function counting(db: Db): { db: Db; inserts: () => number } {
  let n = 0;
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "query")
        return (text: string, values?: unknown[]) => {
          if (/INSERT INTO events/.test(text)) n += 1;
          return target.query(text, values);
        };
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: wrapped, inserts: () => n };
}

for (const backend of TEST_BACKENDS) {
  describe(`event writer on ${backend} (#14)`, function () {
    this.timeout(120_000);
    let t: TestDb;
    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, "event writer");
      t = await openTestDb(backend);
      await migrate(t.db);
    });
    after(() => t?.dispose());

    async function deployment(): Promise<string> {
      const d = await insertDeployment(t.db, {
        id: randomUUID(),
        tenant: "acme",
        name: "w",
        environment: "dev",
        model: "llama",
        stackName: `acme-${randomUUID()}`,
        placement: TEST_PLACEMENT,
        estimatedMonthlyUsd: 1,
        spec: testSpec("w"),
        createdBy: "k",
      });
      return d.id;
    }

    it("writes the events pushed while a write is under way in one statement, numbered and published in push order", async () => {
      const id = await deployment();
      const c = counting(t.db);
      const published: DeploymentEvent[] = [];
      const w = new EventWriter(c.db, id, null, (e) => published.push(e));
      for (let i = 0; i < 12; i++) w.push("log", { message: `m${i}` });
      await w.flush();
      assert.equal(c.inserts(), 1, "a burst of 12 events: one insert, not 12");
      w.push("status", { status: "deploying" });
      const inFlight = w.flush();
      w.push("log", { message: "late-1" });
      await inFlight;
      w.push("log", { message: "late-2" });
      await w.flush();
      assert.equal(c.inserts(), 3);
      const expected = [...Array.from({ length: 12 }, (_, i) => `m${i}`), "deploying", "late-1", "late-2"];
      const text = (e: DeploymentEvent) => String(e.data["message"] ?? e.data["status"]);
      assert.deepEqual(published.map(text), expected);
      assert.deepEqual(
        published.map((e) => e.id),
        expected.map((_, i) => i + 1),
      );
      assert.deepEqual((await listEvents(t.db, "acme", id, 0, 100)).map(text), expected);
    });
  });
}
