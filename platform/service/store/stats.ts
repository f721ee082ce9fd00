/** Aggregates for /metrics. */
import { OPERATION_STATUSES, type ControlPlaneStats, type OperationKind, type OperationStatus } from "../types";
import type { Db } from "./db";
import { ledgerTotals } from "./ledger";
import { num, str } from "./rows";

export async function readStats(db: Db): Promise<ControlPlaneStats> {
  const jobsByState = Object.fromEntries(OPERATION_STATUSES.map((s) => [s, 0])) as Record<OperationStatus, number>;
  const states = await db.query(`SELECT status, count(*) AS n FROM operations GROUP BY status`);
  for (const r of states.rows) {
    const s = str(r["status"]) as OperationStatus;
    if (s in jobsByState) jobsByState[s] = num(r["n"]);
  }
  const spend = await db.query(
    `SELECT tenant, sum(estimated_monthly_usd) AS usd FROM deployments
     WHERE status NOT IN ('destroyed','cancelled','failed') GROUP BY tenant`,
  );
  const durations = await db.query(
    `SELECT kind, status, count(*) AS n,
       COALESCE(sum(EXTRACT(EPOCH FROM (finished_at - COALESCE(started_at, created_at)))), 0) AS secs
     FROM operations WHERE finished_at IS NOT NULL GROUP BY kind, status`,
  );
  return {
    jobsByState,
    queueDepth: jobsByState.queued,
    monthlySpendByTenant: Object.fromEntries(spend.rows.map((r) => [str(r["tenant"]), num(r["usd"])])),
    operationDurations: durations.rows.map((r) => ({
      kind: str(r["kind"]) as OperationKind,
      status: str(r["status"]) as OperationStatus,
      count: num(r["n"]),
      totalSeconds: num(r["secs"]),
    })),
    costTotals: await ledgerTotals(db),
  };
}
