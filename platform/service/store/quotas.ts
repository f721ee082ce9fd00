/** What per-tenant quotas count. */
import type { Db } from "./db";
import { str } from "./rows";

/** Deployments of `tenant` that hold a stack (every status but `destroyed`). */
export async function countLiveDeployments(db: Db, tenant: string): Promise<number> {
  const r = await db.query(`SELECT count(*) AS n FROM deployments WHERE tenant = $1 AND status <> 'destroyed'`, [
    tenant,
  ]);
  return Number(str(r.rows[0]?.["n"] ?? 0));
}

/**
 * Estimated monthly USD of `tenant`'s live deployments together (every status but `destroyed`),
 * leaving out `exceptId` (the deployment an update replaces the estimate of).
 */
export async function liveMonthlySpend(db: Db, tenant: string, exceptId?: string): Promise<number> {
  const r = await db.query(
    `SELECT coalesce(sum(estimated_monthly_usd), 0) AS usd FROM deployments
      WHERE tenant = $1 AND status <> 'destroyed' AND ($2::uuid IS NULL OR id <> $2::uuid)`,
    [tenant, exceptId ?? null],
  );
  return Number(str(r.rows[0]?.["usd"] ?? 0));
}
