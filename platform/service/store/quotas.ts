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
