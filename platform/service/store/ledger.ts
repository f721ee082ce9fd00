/**
 * The cost ledger (issue 15, item 2): one row per deployment per whole UTC hour, priced at what
 * the deployment's placement was quoted when it was placed (`estimated_monthly_usd`, which already
 * holds serverless placements' modelled active hours and artifact storage). All money is USD.
 *
 * Which state costs what, per hour (HOURS_PER_MONTH = 730, the cost model's month):
 * - `ready`, `simulated`: serving → estimatedMonthlyUsd / 730. A cluster placement that scales to
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
 * Reads then sum indexed rows (cheap over a year × 1,000 deployments) instead of replaying event
 * history on every query. The hour a deployment is created is billed whole, as the clouds do.
 */
import type { Db } from "./db";
import { num, str } from "./rows";
import { HOURS_PER_MONTH } from "../../core/types";
import type { CostGroupBy, CostQuery, CostRow, CostTotal } from "../types";

/** Statuses that accrue the serving rate. */
export const SERVING_STATES = ["ready", "simulated", "deploying", "destroying"] as const;
/** Statuses that accrue only the placement's artifact storage. */
export const STORAGE_ONLY_STATES = ["failed"] as const;

const COLUMN: Record<CostGroupBy, string> = {
  tenant: "tenant",
  costCenter: "cost_center",
  model: "model",
  cloud: "cloud",
};

const list = (xs: readonly string[]): string => xs.map((s) => `'${s}'`).join(",");

/** Append the whole hours not yet accrued before `now`; returns the rows written. */
export async function accrueLedger(db: Db, now: Date, catalogVersion: string): Promise<number> {
  const r = await db.query(
    `INSERT INTO cost_ledger (deployment_id, hour, tenant, cost_center, model, cloud, state, usd, catalog_version)
     SELECT d.id, h, d.tenant, COALESCE(d.spec->>'costCenter', ''), d.model, COALESCE(d.placement->>'cloud', ''),
       d.status,
       CASE WHEN d.status IN (${list(SERVING_STATES)}) THEN d.estimated_monthly_usd / ${HOURS_PER_MONTH}
            ELSE COALESCE((d.placement->>'storageMonthlyUsd')::double precision, 0) / ${HOURS_PER_MONTH} END,
       $2
     FROM deployments d
     LEFT JOIN LATERAL (SELECT max(l.hour) AS last FROM cost_ledger l WHERE l.deployment_id = d.id) l ON true
     CROSS JOIN LATERAL generate_series(
       COALESCE(l.last + interval '1 hour', date_trunc('hour', d.created_at)),
       date_trunc('hour', $1::timestamptz) - interval '1 hour',
       interval '1 hour') AS h
     WHERE d.status IN (${list([...SERVING_STATES, ...STORAGE_ONLY_STATES])})
     ON CONFLICT DO NOTHING`,
    [now.toISOString(), catalogVersion],
  );
  return r.rowCount;
}

/** Sum the ledger's hours in [from, to) by one dimension (and catalog version), ordered by key. */
export async function queryLedger(db: Db, q: CostQuery): Promise<CostRow[]> {
  const col = COLUMN[q.groupBy];
  const params: unknown[] = [q.from.toISOString(), q.to.toISOString()];
  if (q.tenant !== undefined) params.push(q.tenant);
  const r = await db.query(
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

/** Every accrued dollar by (tenant, model, cloud): the `modelplane_cost_usd_total` counter. */
export async function ledgerTotals(db: Db): Promise<CostTotal[]> {
  const r = await db.query(
    `SELECT tenant, model, cloud, sum(usd) AS usd FROM cost_ledger GROUP BY tenant, model, cloud`,
  );
  return r.rows.map((row) => ({
    tenant: str(row["tenant"]),
    model: str(row["model"]),
    cloud: str(row["cloud"]),
    usd: num(row["usd"]),
  }));
}
