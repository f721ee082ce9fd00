/**
 * Cost ledger queries (issue 15, item 2): a year of hourly rows for 1,000 deployments (8.76 M rows
 * by default; LEDGER_BENCH_DEPLOYMENTS / LEDGER_BENCH_HOURS shrink it), then `queryLedger` as
 * GET /v1/costs runs it: one tenant's year by model, one tenant's month, and every tenant's year.
 * Whole months and days are read from the rollups (migration 013), the edges from the hourly rows.
 * Target: p99 under 100 ms. On PGlite, and on Postgres when TEST_DATABASE_URL is set.
 * LEDGER_BENCH_BASELINE=1 also times the query over the hourly rows alone (before the rollups).
 */
import { performance } from "node:perf_hooks";
import { Pool } from "pg";
import type { Section } from "./report";
import { queryLedger } from "../platform/service/store/ledger";
import { migrate } from "../platform/service/store/migrate";
import { openTestDb, TEST_DATABASE_URL, type TestBackend } from "../platform/service/store/testing/test-db";
import type { Db } from "../platform/service/store/db";
import type { CostQuery } from "../platform/service/types";

export const name = "ledger";

const DEPLOYMENTS = Number(process.env["LEDGER_BENCH_DEPLOYMENTS"] ?? 1000);
const HOURS = Number(process.env["LEDGER_BENCH_HOURS"] ?? 8760);
const TENANTS = 20;
const RUNS = 30;
/** A UTC midnight (the seeded daily rollups start there). */
const START = new Date("2025-12-01T00:00:00Z");

/** LEDGER_BENCH_BASELINE=1: also time the pre-rollup query (sum of the hourly rows), a few runs. */
const BASELINE = process.env["LEDGER_BENCH_BASELINE"] === "1";
const BASELINE_RUNS = 3;

async function hourlyRowsOnly(db: Db, q: CostQuery): Promise<void> {
  const col = { tenant: "tenant", costCenter: "cost_center", model: "model", cloud: "cloud" }[q.groupBy];
  const params: unknown[] = [q.from.toISOString(), q.to.toISOString()];
  if (q.tenant !== undefined) params.push(q.tenant);
  await db.query(
    `SELECT ${col} AS key, catalog_version, sum(usd) AS usd, count(*) AS hours FROM cost_ledger
     WHERE hour >= $1 AND hour < $2 ${q.tenant !== undefined ? "AND tenant = $3" : ""}
     GROUP BY ${col}, catalog_version ORDER BY ${col}, catalog_version`,
    params,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * Set-based seeding: every deployment in one statement, then each batch's hours in one
 * INSERT … SELECT generate_series, with the hourly table's keys, foreign key and rollup trigger off
 * meanwhile; then the keys are built (and the foreign key checked) once, and the rollups are
 * written for what was seeded, a row per deployment per day, then summed per month (the trigger
 * that keeps them on accrual is tested against the hourly rows in store/ledger-rollup.test.ts).
 */
async function seed(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO deployments (id, tenant, name, environment, model, stack_name, status, placement,
       estimated_monthly_usd, spec, created_by)
     SELECT id, 'tenant-' || (n % ${TENANTS}), 'svc-' || n, 'dev', 'model-' || (n % 7), 'stack-' || id,
       'ready', '{"cloud":"aws"}'::jsonb, 730, '{"costCenter":"cc"}'::jsonb, 'bench'
     FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(0, $1::int - 1) AS n) x`,
    [DEPLOYMENTS],
  );
  await db.exec(`ALTER TABLE cost_ledger DROP CONSTRAINT cost_ledger_deployment_id_fkey;
    ALTER TABLE cost_ledger DROP CONSTRAINT cost_ledger_pkey;
    DROP INDEX cost_ledger_tenant_hour; DROP INDEX cost_ledger_hour;
    ALTER TABLE cost_ledger DISABLE TRIGGER cost_ledger_rollup_insert`);
  const ids = (await db.query<{ id: string }>("SELECT id FROM deployments ORDER BY id")).rows.map((r) => r.id);
  const batch = Math.max(1, Math.floor(1_000_000 / Math.max(1, HOURS)));
  for (let i = 0; i < ids.length; i += batch) {
    await db.query(
      `INSERT INTO cost_ledger (deployment_id, hour, tenant, cost_center, model, cloud, state, usd, catalog_version)
       SELECT d.id, $2::timestamptz + (h * interval '1 hour'), d.tenant, 'cc', d.model, 'aws', 'ready', 1, 'bench'
       FROM deployments d CROSS JOIN generate_series(0, $3::int - 1) AS h WHERE d.id = ANY($1::uuid[])`,
      [ids.slice(i, i + batch), START.toISOString(), HOURS],
    );
  }
  await db.exec(`SET maintenance_work_mem = '256MB';
    ALTER TABLE cost_ledger ADD PRIMARY KEY (deployment_id, hour);
    CREATE INDEX cost_ledger_tenant_hour ON cost_ledger (tenant, hour);
    CREATE INDEX cost_ledger_hour ON cost_ledger (hour);
    ALTER TABLE cost_ledger ADD CONSTRAINT cost_ledger_deployment_id_fkey
      FOREIGN KEY (deployment_id) REFERENCES deployments(id);
    ALTER TABLE cost_ledger ENABLE TRIGGER cost_ledger_rollup_insert`);
  // Each seeded hour costs $1 from START (a UTC midnight): day g holds min(24, HOURS − 24g) of them.
  await db.query(
    `INSERT INTO cost_ledger_daily (deployment_id, day, tenant, cost_center, model, cloud, catalog_version, usd, hours)
     SELECT d.id, $1::date + g, d.tenant, 'cc', d.model, 'aws', 'bench', least(24, $2::int - 24 * g), least(24, $2::int - 24 * g)
     FROM deployments d CROSS JOIN generate_series(0, ($2::int + 23) / 24 - 1) AS g`,
    [START.toISOString().slice(0, 10), HOURS],
  );
  await db.exec(`INSERT INTO cost_ledger_monthly (deployment_id, month, tenant, cost_center, model, cloud, catalog_version, usd, hours)
    SELECT deployment_id, date_trunc('month', day)::date, tenant, cost_center, model, cloud, catalog_version, sum(usd), sum(hours)
      FROM cost_ledger_daily GROUP BY 1, 2, 3, 4, 5, 6, 7`);
  const check = await db.query("SELECT sum(hours) AS h FROM cost_ledger_monthly");
  if (Number(check.rows[0]?.["h"]) !== DEPLOYMENTS * HOURS)
    throw new Error(`seeded rollups hold ${String(check.rows[0]?.["h"])} hours, not ${DEPLOYMENTS * HOURS}`);
}

async function runOn(backend: TestBackend): Promise<Section> {
  const title = `${backend}: ${DEPLOYMENTS} deployments × ${HOURS} hourly rows, ${TENANTS} tenants`;
  const t = await openTestDb(backend);
  try {
    await migrate(t.db);
    const seedStart = performance.now();
    await seed(t.db);
    await t.db.exec("ANALYZE cost_ledger; ANALYZE cost_ledger_daily; ANALYZE cost_ledger_monthly");
    const seedSeconds = (performance.now() - seedStart) / 1000;
    process.stdout.write(`-- ${backend}: seeded in ${seedSeconds.toFixed(1)} s\n`);

    const yearEnd = new Date(START.getTime() + HOURS * 3_600_000);
    const monthEnd = new Date(START.getTime() + 31 * 86_400_000);
    const midFrom = new Date(START.getTime() + (14 * 24 + 9.5) * 3_600_000);
    const midTo = new Date(Math.max(midFrom.getTime() + 3_600_000, yearEnd.getTime() - (16 * 24 + 5) * 3_600_000));
    const cases: [string, CostQuery][] = [
      ["one tenant, a year, by model", { groupBy: "model", from: START, to: yearEnd, tenant: "tenant-3" }],
      ["one tenant, a month, by model", { groupBy: "model", from: START, to: monthEnd, tenant: "tenant-3" }],
      ["every tenant, a year, by tenant (platform-admin)", { groupBy: "tenant", from: START, to: yearEnd }],
      // Edges mid-month and mid-day: whole months, then whole days, then hours at both ends.
      [
        "one tenant, mid-month to mid-month, by model",
        { groupBy: "model", from: midFrom, to: midTo, tenant: "tenant-3" },
      ],
      ["every tenant, mid-month to mid-month, by cloud", { groupBy: "cloud", from: midFrom, to: midTo }],
    ];
    const figures = [{ label: "seed (rows + indexes)", value: `${seedSeconds.toFixed(1)} s` }];
    for (const [label, q] of cases) {
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await queryLedger(t.db, q);
        ms.push(performance.now() - s);
      }
      ms.sort((a, b) => a - b);
      const value = `p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms (${RUNS} runs)`;
      process.stdout.write(`${label}: ${value}\n`);
      figures.push({ label, value });
    }
    if (BASELINE) {
      // The same queries over the hourly rows alone (the query before migration 013), for comparison.
      for (const [label, q] of cases) {
        const ms: number[] = [];
        for (let i = 0; i < BASELINE_RUNS; i++) {
          const s = performance.now();
          await hourlyRowsOnly(t.db, q);
          ms.push(performance.now() - s);
        }
        ms.sort((a, b) => a - b);
        const value = `p50 ${percentile(ms, 50).toFixed(1)} ms, max ${percentile(ms, 100).toFixed(1)} ms (${BASELINE_RUNS} runs)`;
        process.stdout.write(`hourly rows only — ${label}: ${value}\n`);
        figures.push({ label: `hourly rows only (before rollups): ${label}`, value });
      }
    }
    return { title, figures, note: "Target: p99 < 100 ms." };
  } finally {
    await t.dispose();
  }
}

async function postgresReachable(url: string): Promise<boolean> {
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 1000 });
  try {
    await pool.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

export async function run(): Promise<Section[]> {
  const sections = [await runOn("pglite")];
  const title = `postgres: ${DEPLOYMENTS} deployments × ${HOURS} hourly rows`;
  if (!TEST_DATABASE_URL) {
    sections.push({ title, figures: [], note: "Not measured in this run: TEST_DATABASE_URL is not set." });
  } else if (!(await postgresReachable(TEST_DATABASE_URL))) {
    sections.push({ title, figures: [], note: `Not measured in this run: ${TEST_DATABASE_URL} is not reachable.` });
  } else {
    sections.push(await runOn("postgres"));
  }
  return sections;
}
