/**
 * The cost ledger's accrual rules on the real schema (PGlite, and Postgres when TEST_DATABASE_URL
 * is set): which state costs what, whole hours only, never twice, nothing once destroyed.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Placement } from "../../core/placement";
import { HOURS_PER_MONTH } from "../../core/types";
import type { DeploymentStatus } from "../types";
import { insertDeployment } from "./deployments";
import { accrueLedger, queryLedger } from "./ledger";
import { migrate } from "./migrate";
import { openTestDb, skipWithoutPostgres, TEST_BACKENDS, type TestDb } from "./testing/test-db";
import { testSpec } from "./testing/spec";

const HOUR = 3_600_000;
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
  monthlyUsd: 1.006 * HOURS_PER_MONTH + 7.3,
  storageMonthlyUsd: 7.3,
  onDemandUnitHourlyUsd: null,
};
const created = new Date("2026-11-01T10:20:00Z");

for (const backend of TEST_BACKENDS) {
  describe(`cost ledger on ${backend}`, function () {
    let t: TestDb;

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `cost ledger on ${backend}`);
      t = await openTestDb(backend);
      await migrate(t.db);
    });
    after(async function () {
      await t?.dispose();
    });

    async function deployment(tenant: string, status: DeploymentStatus): Promise<string> {
      const id = randomUUID();
      await insertDeployment(t.db, {
        id,
        tenant,
        name: `svc-${status}`,
        environment: "dev",
        model: `m-${status}`,
        stackName: `stack-${id}`,
        placement,
        estimatedMonthlyUsd: placement.monthlyUsd,
        spec: testSpec(`m-${status}`),
        createdBy: "key-1",
      });
      await t.db.query("UPDATE deployments SET status = $2, created_at = $3 WHERE id = $1", [
        id,
        status,
        created.toISOString(),
      ]);
      return id;
    }

    it("serving and in-flight states pay the placed price, failed pays storage, the rest nothing", async () => {
      const statuses: DeploymentStatus[] = [
        "ready",
        "simulated",
        "deploying",
        "destroying",
        "failed",
        "queued",
        "previewing",
        "cancelled",
        "destroyed",
      ];
      for (const s of statuses) await deployment("rates", s);
      // 10:20 → 13:05: the hours 10:00, 11:00 and 12:00 are whole; 13:00 is not yet.
      const now = new Date("2026-11-01T13:05:00Z");
      await accrueLedger(t.db, now, "cat-1");
      assert.equal(await accrueLedger(t.db, now, "cat-1"), 0, "a second accrual at the same time writes nothing");
      const rows = await queryLedger(t.db, {
        groupBy: "model",
        from: new Date("2026-11-01T00:00:00Z"),
        to: new Date("2026-11-02T00:00:00Z"),
        tenant: "rates",
      });
      const by = new Map(rows.map((r) => [r.key, r]));
      const serving = placement.hourlyUsd + placement.storageMonthlyUsd / HOURS_PER_MONTH;
      for (const s of ["ready", "simulated", "deploying", "destroying"]) {
        const r = by.get(`m-${s}`);
        assert.equal(r?.hours, 3, s);
        assert.ok(Math.abs((r?.usd ?? 0) - 3 * serving) < 1e-9, `${s}: ${r?.usd}`);
        assert.equal(r?.catalogVersion, "cat-1");
      }
      const failed = by.get("m-failed");
      assert.ok(Math.abs((failed?.usd ?? 0) - (3 * placement.storageMonthlyUsd) / HOURS_PER_MONTH) < 1e-9);
      for (const s of ["queued", "previewing", "cancelled", "destroyed"]) assert.equal(by.get(`m-${s}`), undefined, s);
    });

    it("a destroyed deployment keeps what it accrued and accrues nothing more; the range is [from, to)", async () => {
      const id = await deployment("life", "ready");
      await accrueLedger(t.db, new Date(created.getTime() + 2 * HOUR), "cat-1"); // 10:00, 11:00
      await t.db.query("UPDATE deployments SET status = 'destroyed' WHERE id = $1", [id]);
      await accrueLedger(t.db, new Date(created.getTime() + 48 * HOUR), "cat-1");
      const all = await queryLedger(t.db, {
        groupBy: "tenant",
        from: new Date("2026-10-01T00:00:00Z"),
        to: new Date("2026-12-01T00:00:00Z"),
        tenant: "life",
      });
      assert.equal(all[0]?.hours, 2);
      const second = await queryLedger(t.db, {
        groupBy: "tenant",
        from: new Date("2026-11-01T11:00:00Z"),
        to: new Date("2026-11-01T12:00:00Z"),
        tenant: "life",
      });
      assert.equal(second[0]?.hours, 1, "only the 11:00 hour lies in [11:00, 12:00)");
    });

    it("a range that starts after a deployment's last hour of that day leaves it out (an edge day read whole, less its outside hours)", async () => {
      const id = await deployment("edge", "ready"); // created 10:20 on Nov 1
      await accrueLedger(t.db, new Date(created.getTime() + HOUR), "cat-1"); // 10:00 only
      await t.db.query("UPDATE deployments SET status = 'destroyed' WHERE id = $1", [id]);
      // From 10:30 on Nov 1 (13 whole hours of that day in range, so the day is read whole from the
      // daily rollup less 00:00-11:00): its one hour lies before 11:00, so it has no row at all.
      const rows = await queryLedger(t.db, {
        groupBy: "model",
        from: new Date("2026-11-01T10:30:00Z"),
        to: new Date("2026-11-20T00:00:00Z"),
        tenant: "edge",
      });
      assert.deepEqual(rows, []);
    });
  });
}
