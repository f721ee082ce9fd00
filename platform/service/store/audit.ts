/** The audit trail (who did what to which thing) and idempotency keys. */
import type { Db } from "./db";
import { str } from "./rows";

export async function audit(
  db: Db,
  a: { actor: string; tenant: string | null; action: string; target: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await db.query(`INSERT INTO audit (actor, tenant, action, target, details) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    a.actor,
    a.tenant,
    a.action,
    a.target,
    JSON.stringify(a.details ?? {}),
  ]);
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  tenant: string | null;
  action: string;
  target: string | null;
}

export async function listAudit(db: Db, limit = 100): Promise<AuditEntry[]> {
  const r = await db.query(`SELECT id, at, actor, tenant, action, target FROM audit ORDER BY id DESC LIMIT $1`, [
    limit,
  ]);
  return r.rows.map((row) => ({
    id: Number(str(row["id"])),
    at: row["at"] instanceof Date ? row["at"].toISOString() : str(row["at"]),
    actor: str(row["actor"]),
    tenant: row["tenant"] === null ? null : str(row["tenant"]),
    action: str(row["action"]),
    target: row["target"] === null ? null : str(row["target"]),
  }));
}

/** The deployment an idempotency key already produced, with the hash of the request that made it. */
export async function findIdempotencyKey(
  db: Db,
  tenant: string,
  key: string,
): Promise<{ deploymentId: string; requestHash: string } | null> {
  const r = await db.query(`SELECT deployment_id, request_hash FROM idempotency_keys WHERE tenant = $1 AND key = $2`, [
    tenant,
    key,
  ]);
  const row = r.rows[0];
  return row ? { deploymentId: str(row["deployment_id"]), requestHash: str(row["request_hash"]) } : null;
}

/** Returns false when the key was taken meanwhile (a concurrent identical request). */
export async function insertIdempotencyKey(
  db: Db,
  tenant: string,
  key: string,
  requestHash: string,
  deploymentId: string,
): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO idempotency_keys (tenant, key, request_hash, deployment_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant, key) DO NOTHING RETURNING key`,
    [tenant, key, requestHash, deploymentId],
  );
  return r.rows.length > 0;
}
