/**
 * The cost ledger with a hibernation schedule (issue 15, item 5): hours inside the windows (in the
 * schedule's timezone) accrue the scheduled rate, hours outside are `hibernated` at storage only.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Placement } from "../../core/placement";
import { activeHoursPerMonth, ScheduleSchema } from "../../core/schedule";
import { HOURS_PER_MONTH } from "../../core/types";
import { insertDeployment } from "./deployments";
import { accrueLedger } from "./ledger";
import { migrate } from "./migrate";
import { openTestDb, type TestDb } from "./testing/test-db";
import { testSpec } from "./testing/spec";

const schedule = ScheduleSchema.parse({
  timezone: "Europe/Berlin",
  activeWindows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
});
const scheduledHours = activeHoursPerMonth(schedule); // 40 h/week → 173.8 h/month
const placement: Placement = {
  cloud: "aws",
  region: "us-east-1",
  instanceType: "g6.xlarge",
  gpuType: "L4",
  gpuCount: 1,
  gpuMemoryGiB: 24,
  capacity: "on-demand",
  replicas: 1,
  unitHourlyUsd: 0.805,
  hourlyUsd: 0.805,
  monthlyUsd: 0.805 * scheduledHours + 7.3,
  storageMonthlyUsd: 7.3,
  onDemandUnitHourlyUsd: null,
};

describe("cost ledger with a hibernation schedule (PGlite)", function () {
  this.timeout(120_000);
  let t: TestDb;
  before(async function () {
    t = await openTestDb("pglite");
    await migrate(t.db);
  });
  after(async function () {
    await t?.dispose();
  });

  it("bills the windows' hours (Berlin time) at the scheduled rate and the rest as hibernated storage", async function () {
    const id = randomUUID();
    await insertDeployment(t.db, {
      id,
      tenant: "acme",
      name: "office-hours",
      environment: "dev",
      model: "llama",
      stackName: `stack-${id}`,
      placement,
      estimatedMonthlyUsd: placement.monthlyUsd,
      spec: testSpec("sched", { schedule, placement }),
      createdBy: "key-1",
    });
    // Sunday 2026-11-01 00:00 UTC, accrued for one whole week.
    await t.db.query("UPDATE deployments SET status = 'simulated', created_at = $2 WHERE id = $1", [
      id,
      "2026-11-01T00:00:00Z",
    ]);
    await accrueLedger(t.db, new Date("2026-11-08T00:00:00Z"), "test-1");
    const r = await t.db.query<{ state: string; n: string | number; usd: number }>(
      "SELECT state, count(*) AS n, sum(usd) AS usd FROM cost_ledger WHERE deployment_id = $1 GROUP BY state ORDER BY state",
      [id],
    );
    const by = Object.fromEntries(r.rows.map((row) => [row.state, { n: Number(row.n), usd: Number(row.usd) }]));
    // 09:00-17:00 Berlin (CET, UTC+1) on Mon-Fri: 8 hours × 5 days.
    assert.equal(by["simulated"]?.n, 40);
    assert.equal(by["hibernated"]?.n, 168 - 40);
    const storageHour = 7.3 / HOURS_PER_MONTH;
    const serving = (placement.monthlyUsd - 7.3) / scheduledHours + storageHour;
    assert.ok(Math.abs((by["simulated"]?.usd ?? 0) - 40 * serving) < 1e-9);
    assert.ok(Math.abs((by["hibernated"]?.usd ?? 0) - 128 * storageHour) < 1e-9);
    // The first in-window hour is Monday 08:00 UTC (09:00 in Berlin), not 09:00 UTC.
    const first = await t.db.query<{ hour: Date }>(
      "SELECT min(hour) AS hour FROM cost_ledger WHERE deployment_id = $1 AND state = 'simulated'",
      [id],
    );
    assert.equal(new Date(first.rows[0]!.hour).toISOString(), "2026-11-02T08:00:00.000Z");
    // A 730-hour month of this schedule sums to the estimate the quote made.
    const month = scheduledHours * (serving - storageHour) + HOURS_PER_MONTH * storageHour;
    assert.ok(Math.abs(month - placement.monthlyUsd) < 1e-9);
  });
});
