/**
 * What a deployment last applied (migration 011): recorded when a create or update succeeds, put
 * back when an update fails or is cancelled; and the purge of a deployment whose operations never
 * reached the engine's deploy or destroy phase.
 */
import type { Db } from "./db";
import { isUuid } from "./rows";

/** The operation ended: a successful create/update records its spec; a failed/cancelled update restores the last. */
export async function settleAppliedSpec(
  tx: Db,
  deploymentId: string,
  kind: string,
  end: "succeeded" | "failed" | "cancelled",
): Promise<void> {
  if (kind !== "create" && kind !== "update") return;
  if (end === "succeeded") {
    await tx.query(
      `UPDATE deployments SET applied_spec = spec, applied_placement = placement,
         applied_estimated_monthly_usd = estimated_monthly_usd WHERE id = $1`,
      [deploymentId],
    );
  } else if (kind === "update") {
    await tx.query(
      `UPDATE deployments SET spec = applied_spec, placement = applied_placement,
         estimated_monthly_usd = applied_estimated_monthly_usd, updated_at = now()
       WHERE id = $1 AND applied_spec IS NOT NULL`,
      [deploymentId],
    );
  }
}

/** Why a deployment may not be purged, or undefined when it may (it never reached the engine's deploy/destroy phase). */
async function purgeRefusal(db: Db, tenant: string, id: string): Promise<string | undefined> {
  const r = await db.query(
    `SELECT d.applied_spec IS NOT NULL AS applied,
       EXISTS (SELECT 1 FROM operations o WHERE o.deployment_id = d.id AND o.status IN ('queued', 'running')) AS busy,
       EXISTS (SELECT 1 FROM events e WHERE e.deployment_id = d.id AND e.type = 'status'
                 AND e.data->>'status' IN ('deploying', 'destroying')) AS touched
     FROM deployments d WHERE d.tenant = $1 AND d.id = $2`,
    [tenant, id],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  if (row["busy"] === true) return "an operation is queued or running on it; cancel it first";
  if (row["applied"] === true || row["touched"] === true) {
    return "it reached the deploy or destroy phase, so its stack may hold resources; DELETE it without purge to destroy them";
  }
  return undefined;
}

/**
 * Remove the deployment and its rows in every table that references it (operations, events, the
 * cost ledger, idempotency keys, and any later table with a foreign key to it). Its stack name is
 * free afterwards. Call inside a transaction: the row is locked first (an operation being enqueued
 * meanwhile waits on its foreign key), then checked. Returns false when there is no such
 * deployment, or why it may not be purged.
 */
export async function purgeDeployment(tx: Db, tenant: string, id: string): Promise<true | false | string> {
  if (!isUuid(id)) return false;
  const refs = await tx.query(
    `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = 'deployments'::regclass AND array_length(c.conkey, 1) = 1`,
  );
  const owned = await tx.query(`SELECT 1 FROM deployments WHERE tenant = $1 AND id = $2 FOR UPDATE`, [tenant, id]);
  if (owned.rows.length === 0) return false;
  const refusal = await purgeRefusal(tx, tenant, id);
  if (refusal !== undefined) return refusal;
  for (const ref of refs.rows) {
    // Identifiers come from the catalog, not from input; quote the column, keep regclass's own quoting.
    const col = `"${String(ref["col"]).replace(/"/g, '""')}"`;
    await tx.query(`DELETE FROM ${String(ref["tbl"])} WHERE ${col} = $1`, [id]);
  }
  await tx.query(`DELETE FROM deployments WHERE tenant = $1 AND id = $2`, [tenant, id]);
  return true;
}
