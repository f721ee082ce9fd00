/**
 * Cost ledger queries (issue 15, item 2): a year of hourly rows for 1,000 deployments (8.76 M rows
 * by default; LEDGER_BENCH_DEPLOYMENTS / LEDGER_BENCH_HOURS shrink it), then `queryLedger` as
 * GET /v1/costs runs it: one tenant's year by model, one tenant's month, and every tenant's year.
 * Target: p99 under 100 ms. On PGlite, and on Postgres when TEST_DATABASE_URL is set.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Pool } from "pg";
import type { Section } from "./report";
import { queryLedger } from "../platform/service/store/ledger";
import { migrate } from "../platform/service/store/migrate";
import { openTestDb, TEST_DATABASE_URL, type TestBackend } from "../platform/service/store/testing/test-db";
import type { CostQuery } from "../platform/service/types";

export const name = "ledger";

const DEPLOYMENTS = Number(process.env["LEDGER_BENCH_DEPLOYMENTS"] ?? 1000);
const HOURS = Number(process.env["LEDGER_BENCH_HOURS"] ?? 8760);
const TENANTS = 20;
const RUNS = 30;
const START = new Date("2025-12-01T00:00:00Z");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function runOn(backend: TestBackend): Promise<Section> {
  const title = `${backend}: ${DEPLOYMENTS} deployments × ${HOURS} hourly rows, ${TENANTS} tenants`;
  const t = await openTestDb(backend);
  try {
    await migrate(t.db);
    const seedStart = performance.now();
    // Deployments (the ledger's foreign key), then every hour of each in one INSERT … SELECT per batch.
    for (let i = 0; i < DEPLOYMENTS; i += 100) {
      const ids = Array.from({ length: Math.min(100, DEPLOYMENTS - i) }, () => randomUUID());
      await t.db.query(
        `INSERT INTO deployments (id, tenant, name, environment, model, stack_name, status, placement,
           estimated_monthly_usd, spec, created_by)
         SELECT id::uuid, 'tenant-' || (n % ${TENANTS}), 'svc-' || n, 'dev', 'model-' || (n % 7), 'stack-' || id,
           'ready', '{"cloud":"aws"}'::jsonb, 730, '{"costCenter":"cc"}'::jsonb, 'bench'
         FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n)`,
        [ids],
      );
      await t.db.query(
        `INSERT INTO cost_ledger (deployment_id, hour, tenant, cost_center, model, cloud, state, usd, catalog_version)
         SELECT d.id, $2::timestamptz + (h * interval '1 hour'), d.tenant, 'cc', d.model, 'aws', 'ready', 1, 'bench'
         FROM deployments d CROSS JOIN generate_series(0, $3::int - 1) AS h WHERE d.id = ANY($1::uuid[])`,
        [ids, START.toISOString(), HOURS],
      );
    }
    await t.db.query("ANALYZE cost_ledger");
    const seedSeconds = (performance.now() - seedStart) / 1000;
    process.stdout.write(`-- ${backend}: seeded in ${seedSeconds.toFixed(1)} s\n`);

    const yearEnd = new Date(START.getTime() + HOURS * 3_600_000);
    const monthEnd = new Date(START.getTime() + 31 * 86_400_000);
    const cases: [string, CostQuery][] = [
      ["one tenant, a year, by model", { groupBy: "model", from: START, to: yearEnd, tenant: "tenant-3" }],
      ["one tenant, a month, by model", { groupBy: "model", from: START, to: monthEnd, tenant: "tenant-3" }],
      ["every tenant, a year, by tenant (platform-admin)", { groupBy: "tenant", from: START, to: yearEnd }],
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
