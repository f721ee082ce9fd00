/**
 * The ledger's rollups (migration 013) answer exactly what the hourly rows answer: random accruals
 * (state changes, migrations to another cloud and cost center, catalog changes, purged
 * deployments), then random ranges starting and ending mid-hour, mid-day and mid-month, each
 * compared with the sum over `cost_ledger` alone. On PGlite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Placement } from "../../core/placement";
import { HOURS_PER_MONTH } from "../../core/types";
import { COST_GROUP_BY, type CostQuery, type CostRow, type DeploymentStatus } from "../types";
import { purgeDeployment } from "./applied";
import { insertDeployment } from "./deployments";
import { accrueLedger, ledgerTotals, queryLedger } from "./ledger";
import { ledgerSegments } from "./ledger-range";
import { migrate } from "./migrate";
import { num, str } from "./rows";
import { openTestDb, skipWithoutPostgres, TEST_BACKENDS, type TestDb } from "./testing/test-db";
import { testSpec } from "./testing/spec";

const HOUR = 3_600_000;
const START = Date.parse("2026-01-20T07:00:00Z");
const END = Date.parse("2026-05-10T00:00:00Z");

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const placement = (cloud: string, monthly: number): Placement => ({
  cloud: cloud as Placement["cloud"],
  region: "r1",
  instanceType: "t1",
  gpuType: "L4",
  gpuCount: 1,
  gpuMemoryGiB: 24,
  capacity: "on-demand",
  replicas: 1,
  unitHourlyUsd: monthly / HOURS_PER_MONTH,
  hourlyUsd: monthly / HOURS_PER_MONTH,
  monthlyUsd: monthly,
  storageMonthlyUsd: 7.3,
  onDemandUnitHourlyUsd: null,
});

/** The reference: today's query over the hourly rows only. */
async function rawQuery(t: TestDb, q: CostQuery): Promise<CostRow[]> {
  const col = { tenant: "tenant", costCenter: "cost_center", model: "model", cloud: "cloud" }[q.groupBy];
  const params: unknown[] = [q.from.toISOString(), q.to.toISOString()];
  if (q.tenant !== undefined) params.push(q.tenant);
  const r = await t.db.query(
    `SELECT ${col} AS key, catalog_version, sum(usd) AS usd, count(*) AS hours FROM cost_ledger
     WHERE hour >= $1 AND hour < $2 ${q.tenant !== undefined ? "AND tenant = $3" : ""}
     GROUP BY ${col}, catalog_version ORDER BY ${col}, catalog_version`,
    params,
  );
  return r.rows.map((row) => ({
    key: str(row["key"]),
    usd: num(row["usd"]),
    hours: num(row["hours"]),
    catalogVersion: str(row["catalog_version"]),
  }));
}

/** Same keys, versions and hours; dollars equal up to float summation order (1e-9 relative). */
function assertSame(got: CostRow[], want: CostRow[], what: string): void {
  assert.deepEqual(
    got.map((r) => [r.key, r.catalogVersion, r.hours]),
    want.map((r) => [r.key, r.catalogVersion, r.hours]),
    what,
  );
  got.forEach((r, i) => {
    const w = want[i]?.usd ?? NaN;
    assert.ok(Math.abs(r.usd - w) <= 1e-9 * Math.max(1, Math.abs(w)), `${what}: ${r.key} usd ${r.usd} ≠ ${w}`);
  });
}

describe("ledger range segments", () => {
  it("cover exactly the whole hours in [from, to), each once (counted with their signs), for random ranges", () => {
    const rand = rng(7);
    for (let i = 0; i < 300; i++) {
      const from = new Date(START + Math.floor(rand() * 90 * 24 * 60) * 60_000);
      const to = new Date(from.getTime() + Math.floor(rand() * 80 * 24 * 60) * 60_000);
      const seg = ledgerSegments(from, to);
      const count = new Map<number, number>();
      const add = (a: number, b: number, sign: number) => {
        for (let h = a; h < b; h += HOUR) count.set(h, (count.get(h) ?? 0) + sign);
      };
      for (const [a, b] of seg.hours) add(a.getTime(), b.getTime(), 1);
      for (const [a, b] of seg.minusHours) add(a.getTime(), b.getTime(), -1);
      for (const [a, b] of [...seg.days, ...seg.months])
        add(Date.parse(`${a}T00:00:00Z`), Date.parse(`${b}T00:00:00Z`), 1);
      const covered = [...count].filter(([, n]) => n !== 0);
      for (const [h, n] of covered) assert.equal(n, 1, `hour ${new Date(h).toISOString()} counted ${n} times`);
      const want: number[] = [];
      for (let h = Math.ceil(from.getTime() / HOUR) * HOUR; h < to.getTime(); h += HOUR) want.push(h);
      assert.deepEqual(
        covered.map(([h]) => h).sort((x, y) => x - y),
        want,
        `${from.toISOString()} → ${to.toISOString()}`,
      );
      // A subtracted hour is one a rollup span counts: never subtracted from nothing.
      for (const [a, b] of seg.minusHours)
        for (let h = a.getTime(); h < b.getTime(); h += HOUR) assert.equal(count.get(h), 0);
      // No edge reads more than half a day of hourly rows.
      for (const [a, b] of [...seg.hours, ...seg.minusHours])
        if (seg.days.length + seg.months.length > 0)
          assert.ok(b.getTime() - a.getTime() <= 12 * HOUR, `${a.toISOString()}–${b.toISOString()}`);
    }
  });

  it("reads whole months from the monthly rollup and whole days from the daily one", () => {
    const iso = (spans: Array<[Date, Date]>) => spans.map(([a, b]) => [a.toISOString(), b.toISOString()]);
    const seg = ledgerSegments(new Date("2026-01-30T14:30:00Z"), new Date("2026-04-02T05:00:00Z"));
    assert.deepEqual(iso(seg.hours), [
      ["2026-01-30T15:00:00.000Z", "2026-01-31T00:00:00.000Z"],
      ["2026-04-02T00:00:00.000Z", "2026-04-02T05:00:00.000Z"],
    ]);
    assert.deepEqual(seg.minusHours, []);
    assert.deepEqual(seg.days, [
      ["2026-01-31", "2026-02-01"],
      ["2026-04-01", "2026-04-02"],
    ]);
    assert.deepEqual(seg.months, [["2026-02-01", "2026-04-01"]]);
  });

  it("reads a mostly-covered edge day whole from the daily rollup, less its hours outside the range", () => {
    const iso = (spans: Array<[Date, Date]>) => spans.map(([a, b]) => [a.toISOString(), b.toISOString()]);
    // 13 hours of Jan 30 and 20 of Apr 2 in range: the complement is 11 and 4 hours.
    const seg = ledgerSegments(new Date("2026-01-30T10:30:00Z"), new Date("2026-04-02T20:00:00Z"));
    assert.deepEqual(iso(seg.hours), []);
    assert.deepEqual(iso(seg.minusHours), [
      ["2026-01-30T00:00:00.000Z", "2026-01-30T11:00:00.000Z"],
      ["2026-04-02T20:00:00.000Z", "2026-04-03T00:00:00.000Z"],
    ]);
    assert.deepEqual(seg.days, [
      ["2026-01-30", "2026-02-01"],
      ["2026-04-01", "2026-04-03"],
    ]);
    assert.deepEqual(seg.months, [["2026-02-01", "2026-04-01"]]);
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`cost ledger rollups on ${backend}`, function () {
    this.timeout(300_000);
    let t: TestDb;

    before(async function () {
      if (backend === "postgres") skipWithoutPostgres(this, `cost ledger rollups on ${backend}`);
      t = await openTestDb(backend);
      await migrate(t.db);
      const rand = rng(42);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const id = randomUUID();
        ids.push(id);
        await insertDeployment(t.db, {
          id,
          tenant: `tenant-${i % 3}`,
          name: `svc-${i}`,
          environment: "dev",
          model: `model-${i % 4}`,
          stackName: `stack-${id}`,
          placement: placement("aws", 500 + 100 * i),
          estimatedMonthlyUsd: 500 + 100 * i + rand(),
          spec: testSpec(i % 2),
          createdBy: "key-1",
        });
        const created = new Date(START + Math.floor(rand() * 40 * 24 * 60) * 60_000);
        await t.db.query("UPDATE deployments SET status = 'ready', created_at = $2 WHERE id = $1", [
          id,
          created.toISOString(),
        ]);
      }
      // Accrue in irregular steps; between steps change states, migrate, re-price, change catalogs.
      const statuses: DeploymentStatus[] = ["ready", "simulated", "failed", "deploying", "unverified"];
      let now = START;
      let version = 1;
      while (now < END) {
        now += Math.floor(rand() * 5 * 24 * 60) * 60_000 + 7 * 60_000;
        if (rand() < 0.3) version++;
        await accrueLedger(t.db, new Date(now), `cat-${version}`);
        const id = pick(ids);
        const r = rand();
        if (r < 0.3) {
          await t.db.query("UPDATE deployments SET status = $2 WHERE id = $1", [id, pick(statuses)]);
        } else if (r < 0.5) {
          const cloud = pick(["aws", "gcp", "azure"]);
          await t.db.query(
            `UPDATE deployments SET placement = $2::jsonb, estimated_monthly_usd = $3, spec = $4::jsonb WHERE id = $1`,
            [
              id,
              JSON.stringify(placement(cloud, 300 + 900 * rand())),
              300 + 900 * rand(),
              JSON.stringify(testSpec(cloud)),
            ],
          );
        }
      }
      // Purge one deployment (its hours go, and so do their rollups) and destroy another.
      const purged = await t.db.transaction((tx) => purgeDeployment(tx, "tenant-1", ids[1]!));
      assert.equal(purged, true);
      await t.db.query("UPDATE deployments SET status = 'destroyed' WHERE id = $1", [ids[2]]);
      await accrueLedger(t.db, new Date(END + 3 * 24 * HOUR), `cat-${version + 1}`);
    });
    after(async function () {
      await t?.dispose();
    });

    it("hold the hourly rows' sums per deployment per day and per month", async () => {
      for (const [table, period] of [
        ["cost_ledger_daily", "(hour AT TIME ZONE 'UTC')::date"],
        ["cost_ledger_monthly", "date_trunc('month', hour AT TIME ZONE 'UTC')::date"],
      ] as const) {
        const col = table === "cost_ledger_daily" ? "day" : "month";
        const diff = await t.db.query(
          `WITH raw AS (SELECT deployment_id, ${period} AS p, tenant, cost_center, model, cloud, catalog_version,
                          sum(usd) AS usd, count(*) AS hours FROM cost_ledger GROUP BY 1, 2, 3, 4, 5, 6, 7)
           SELECT count(*) AS n FROM raw FULL JOIN ${table} r
             ON r.deployment_id = raw.deployment_id AND r.${col} = raw.p AND r.tenant = raw.tenant
            AND r.cost_center = raw.cost_center AND r.model = raw.model AND r.cloud = raw.cloud
            AND r.catalog_version = raw.catalog_version
           WHERE raw.hours IS DISTINCT FROM r.hours OR abs(raw.usd - r.usd) > 1e-9 * greatest(1, raw.usd)
              OR r.usd IS NULL OR raw.usd IS NULL`,
        );
        assert.equal(num(diff.rows[0]?.["n"]), 0, `${table} differs from cost_ledger`);
      }
      const n = await t.db.query("SELECT count(*) AS n FROM cost_ledger_daily");
      assert.ok(num(n.rows[0]?.["n"]) > 100, "the accruals wrote rollup rows");
    });

    it("answer random ranges (mid-hour, mid-day, mid-month edges) as the hourly rows do", async () => {
      const rand = rng(99);
      const instants = [
        () => START + Math.floor(rand() * 110 * 24 * 60) * 60_000, // any minute
        () => START + Math.floor(rand() * 110 * 24) * HOUR, // a whole hour
        () => Date.parse(`2026-0${1 + Math.floor(rand() * 5)}-01T00:00:00Z`), // a month's start
      ];
      for (let i = 0; i < 60; i++) {
        const a = instants[i % 3]!();
        const b = instants[Math.floor(rand() * 3)]!();
        if (a === b) continue;
        const from = new Date(Math.min(a, b));
        const to = new Date(Math.max(a, b));
        const groupBy = COST_GROUP_BY[i % COST_GROUP_BY.length]!;
        const tenant = i % 2 === 0 ? undefined : `tenant-${i % 3}`;
        const q: CostQuery = { groupBy, from, to, ...(tenant !== undefined ? { tenant } : {}) };
        assertSame(await queryLedger(t.db, q), await rawQuery(t, q), JSON.stringify(q));
      }
    });

    it("sum every accrued dollar for /metrics as the hourly rows do", async () => {
      const raw = await t.db.query("SELECT tenant, model, cloud, sum(usd) AS usd FROM cost_ledger GROUP BY 1, 2, 3");
      const key = (r: { tenant: string; model: string; cloud: string }): string => `${r.tenant} ${r.model} ${r.cloud}`;
      const byKey = (x: { k: string }, y: { k: string }): number => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0);
      const want = raw.rows
        .map((r) => ({
          k: key({ tenant: str(r["tenant"]), model: str(r["model"]), cloud: str(r["cloud"]) }),
          usd: num(r["usd"]),
        }))
        .sort(byKey);
      const got = (await ledgerTotals(t.db)).map((r) => ({ k: key(r), usd: r.usd })).sort(byKey);
      assert.deepEqual(
        got.map((r) => r.k),
        want.map((r) => r.k),
      );
      got.forEach((r, i) => assert.ok(Math.abs(r.usd - (want[i]?.usd ?? NaN)) <= 1e-9 * Math.max(1, r.usd)));
    });

    it("refuse to rewrite an hourly row (the ledger is append-only, so the rollups cannot go stale)", async () => {
      await assert.rejects(t.db.query("UPDATE cost_ledger SET usd = usd + 1"), /append-only/);
    });
  });
}
