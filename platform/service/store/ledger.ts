/**
 * The cost ledger (issue 15, item 2): one row per deployment per whole UTC hour, priced at what
 * the deployment's placement was quoted when it was placed (`estimated_monthly_usd`, which already
 * holds serverless placements' modelled active hours and artifact storage). All money is USD.
 *
 * Which state costs what, per hour (HOURS_PER_MONTH = 730, the cost model's month):
 * - `ready`, `unverified`, `simulated`: serving (`unverified`: applied, its resources exist, but not
 *   seen serving) → estimatedMonthlyUsd / 730. A cluster placement that scales to
 *   zero still pays its nodes (the cost model bills them 730 h), and a serverless one is already
 *   priced for its active hours, so "scaled to zero" needs no rate of its own.
 * - `deploying`, `destroying`: the stack's resources exist (being made or removed) → the serving rate.
 * - `failed`: what a failed stack leaves running is unknown; only the artifact storage the placement
 *   priced (`placement.storageMonthlyUsd` / 730) is charged — nothing is invented for compute.
 * - `queued`, `previewing`: nothing created yet → no row.
 * - `destroyed`, `cancelled`: nothing → no row.
 *
 * Accrual is written, not derived on read: `accrueLedger(now)` appends every whole hour since a
 * deployment's last row (from the hour it was created) up to the hour before `now`, at the rate of
 * its state at accrual time, in one INSERT … SELECT. It runs on each GET /v1/costs and each
 * /metrics scrape, so a state change lands in the ledger at the next of those after its hour ends.
 * Reads then sum indexed rows instead of replaying event history on every query: whole days and
 * months from the rollups that triggers keep in the same transaction (migration 013), only a range's
 * edge hours from the hourly rows. The hour a deployment is created is billed whole, as the clouds do.
 */
import type { Db } from "./db";
import { ledgerSegments } from "./ledger-range";
import { num, str } from "./rows";
import { HOURS_PER_MONTH } from "../../core/types";
import { activeHoursPerMonth, ScheduleSchema } from "../../core/schedule";
import type { CostGroupBy, CostQuery, CostRow, CostTotal } from "../types";

/** Statuses that accrue the serving rate. */
export const SERVING_STATES = ["ready", "unverified", "simulated", "deploying", "destroying"] as const;
/** Statuses that accrue only the placement's artifact storage. */
export const STORAGE_ONLY_STATES = ["failed"] as const;

const COLUMN: Record<CostGroupBy, string> = {
  tenant: "tenant",
  costCenter: "cost_center",
  model: "model",
  cloud: "cloud",
};

const list = (xs: readonly string[]): string => xs.map((s) => `'${s}'`).join(",");

/**
 * Hibernation schedules (spec.schedule, platform/core/schedule.ts): a serving deployment with a
 * schedule accrues, per hour, by where the hour STARTS in its timezone: inside a window, its
 * compute at `(estimatedMonthlyUsd − storage) / scheduled hours per month` plus storage / 730 (so
 * a month of windows sums to the estimate, which the quote already priced for the scheduled
 * hours); outside, state `hibernated` and only the storage / 730. Hours are whole: a window
 * starting at 08:30 begins accruing with the 09:00 hour.
 */
const IN_WINDOW = `EXISTS (
  SELECT 1 FROM jsonb_array_elements(d.spec->'schedule'->'activeWindows') w
  WHERE (w->'days') ? lower(to_char(h AT TIME ZONE (d.spec->'schedule'->>'timezone'), 'Dy'))
    AND to_char(h AT TIME ZONE (d.spec->'schedule'->>'timezone'), 'HH24:MI') >= w->>'from'
    AND to_char(h AT TIME ZONE (d.spec->'schedule'->>'timezone'), 'HH24:MI') < w->>'to')`;

/** Scheduled hours per month of each scheduled, accruing deployment, by id (the core function computes them). */
async function scheduledHours(db: Db): Promise<Record<string, number>> {
  const scheduled: Record<string, number> = {};
  const withSchedule = await db.query(
    `SELECT id, spec->'schedule' AS schedule FROM deployments
     WHERE spec ? 'schedule' AND status IN (${list([...SERVING_STATES, ...STORAGE_ONLY_STATES])})`,
  );
  for (const row of withSchedule.rows) {
    const parsed = ScheduleSchema.safeParse(row["schedule"]);
    if (parsed.success) scheduled[str(row["id"])] = activeHoursPerMonth(parsed.data);
  }
  return scheduled;
}

/**
 * A deployment `d`'s state and price for the hour starting at `h` (see the module comment), with
 * `scheduledParam` (a query parameter such as `$3`) the JSON map of scheduled hours per month by deployment id.
 */
function hourTerms(scheduledParam: string): { state: string; usd: string } {
  const storage = `COALESCE((d.placement->>'storageMonthlyUsd')::double precision, 0)`;
  const scheduledHours = `NULLIF((${scheduledParam}::jsonb->>(d.id::text))::double precision, 0)`;
  const hibernating = `(d.status IN (${list(SERVING_STATES)}) AND ${scheduledHours} IS NOT NULL AND NOT ${IN_WINDOW})`;
  return {
    state: `CASE WHEN ${hibernating} THEN 'hibernated' ELSE d.status END`,
    usd: `CASE WHEN d.status NOT IN (${list(SERVING_STATES)}) THEN ${storage} / ${HOURS_PER_MONTH}
            WHEN ${scheduledHours} IS NULL THEN d.estimated_monthly_usd / ${HOURS_PER_MONTH}
            WHEN ${hibernating} THEN ${storage} / ${HOURS_PER_MONTH}
            ELSE GREATEST(d.estimated_monthly_usd - ${storage}, 0) / ${scheduledHours} + ${storage} / ${HOURS_PER_MONTH} END`,
  };
}

/** Append the whole hours not yet accrued before `now`; returns the rows written. */
export async function accrueLedger(db: Db, now: Date, catalogVersion: string): Promise<number> {
  const terms = hourTerms("$3");
  const r = await db.query(
    `INSERT INTO cost_ledger (deployment_id, hour, tenant, cost_center, model, cloud, state, usd, catalog_version)
     SELECT d.id, h, d.tenant, COALESCE(d.spec->>'costCenter', ''), d.model, COALESCE(d.placement->>'cloud', ''),
       ${terms.state}, ${terms.usd}, $2
     FROM deployments d
     LEFT JOIN LATERAL (SELECT max(l.hour) AS last FROM cost_ledger l WHERE l.deployment_id = d.id) l ON true
     CROSS JOIN LATERAL generate_series(
       COALESCE(l.last + interval '1 hour', date_trunc('hour', d.created_at)),
       date_trunc('hour', $1::timestamptz) - interval '1 hour',
       interval '1 hour') AS h
     WHERE d.status IN (${list([...SERVING_STATES, ...STORAGE_ONLY_STATES])})
     ON CONFLICT DO NOTHING`,
    [now.toISOString(), catalogVersion, JSON.stringify(await scheduledHours(db))],
  );
  return r.rowCount;
}

/** The ledger's dimensions as expressions over a deployment row `d` (what accrual writes). */
const DEPLOYMENT_COLUMN: Record<CostGroupBy, string> = {
  tenant: "d.tenant",
  costCenter: "COALESCE(d.spec->>'costCenter', '')",
  model: "d.model",
  cloud: "COALESCE(d.placement->>'cloud', '')",
};

/**
 * The hour under way at `now` (not yet in the ledger: it is written when the hour ends), by one
 * dimension: what each accruing deployment will be charged for it at its current state, and how
 * many deployments. Nothing is written.
 */
export async function openHourLedger(
  db: Db,
  now: Date,
  groupBy: CostGroupBy,
  tenant?: string,
): Promise<Array<{ key: string; usd: number; deployments: number }>> {
  const terms = hourTerms("$2");
  const col = DEPLOYMENT_COLUMN[groupBy];
  const r = await db.query(
    `SELECT ${col} AS key, sum(${terms.usd}) AS usd, count(*) AS n
     FROM deployments d CROSS JOIN (SELECT date_trunc('hour', $1::timestamptz) AS h) hour
     WHERE d.status IN (${list([...SERVING_STATES, ...STORAGE_ONLY_STATES])})${tenant !== undefined ? " AND d.tenant = $3" : ""}
     GROUP BY 1 ORDER BY 1`,
    [now.toISOString(), JSON.stringify(await scheduledHours(db)), ...(tenant !== undefined ? [tenant] : [])],
  );
  return r.rows.map((row) => ({ key: str(row["key"]), usd: num(row["usd"]), deployments: num(row["n"]) }));
}

/**
 * Sum the ledger's hours in [from, to) by one dimension (and catalog version), ordered by key:
 * whole UTC months from `cost_ledger_monthly`, whole days from `cost_ledger_daily`, the edge
 * hours from `cost_ledger`, or a mostly-covered edge day whole less its hours outside the range
 * (ledger-range.ts). The rollups hold the same rows' sums (migration 013),
 * so the answer is the hourly rows' sum, read from about 1/700 as many rows for a year.
 */
export async function queryLedger(db: Db, q: CostQuery): Promise<CostRow[]> {
  const col = COLUMN[q.groupBy];
  const seg = ledgerSegments(q.from, q.to);
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const tenant = q.tenant !== undefined ? ` AND tenant = ${p(q.tenant)}` : "";
  // One branch per span (a plain range each: an index range scan, where an OR of ranges may not be).
  const branch = (
    table: string,
    period: string,
    cast: string,
    spans: Array<[unknown, unknown]>,
    hours: string,
    sign = "",
  ) =>
    spans.map(
      ([a, b]) =>
        `SELECT ${col} AS key, catalog_version, ${sign}sum(usd) AS usd, ${sign}${hours} AS hours FROM ${table}
         WHERE ${period} >= ${p(a)}::${cast} AND ${period} < ${p(b)}::${cast}${tenant}
         GROUP BY ${col}, catalog_version`,
    );
  const instants = (spans: Array<[Date, Date]>): Array<[string, string]> =>
    spans.map(([a, b]) => [a.toISOString(), b.toISOString()]);
  const parts = [
    ...branch("cost_ledger", "hour", "timestamptz", instants(seg.hours), "count(*)"),
    ...branch("cost_ledger", "hour", "timestamptz", instants(seg.minusHours), "count(*)", "-"),
    ...branch("cost_ledger_daily", "day", "date", seg.days, "sum(hours)"),
    ...branch("cost_ledger_monthly", "month", "date", seg.months, "sum(hours)"),
  ];
  if (parts.length === 0) return [];
  // A key whose edge-day hours all lie outside the range nets to 0 hours: not in the answer.
  const r = await db.query(
    `SELECT key, catalog_version, sum(usd) AS usd, sum(hours) AS hours FROM (${parts.join(" UNION ALL ")}) s
     GROUP BY key, catalog_version HAVING sum(hours) > 0 ORDER BY key, catalog_version`,
    params,
  );
  return r.rows.map((row) => ({
    key: str(row["key"]),
    usd: num(row["usd"]),
    hours: num(row["hours"]),
    catalogVersion: str(row["catalog_version"]),
  }));
}

/** Every accrued dollar by (tenant, model, cloud): the `modelplane_cost_usd_total` counter (from the monthly rollup). */
export async function ledgerTotals(db: Db): Promise<CostTotal[]> {
  const r = await db.query(
    `SELECT tenant, model, cloud, sum(usd) AS usd FROM cost_ledger_monthly GROUP BY tenant, model, cloud`,
  );
  return r.rows.map((row) => ({
    tenant: str(row["tenant"]),
    model: str(row["model"]),
    cloud: str(row["cloud"]),
    usd: num(row["usd"]),
  }));
}
