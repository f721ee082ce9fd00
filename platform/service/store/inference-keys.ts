/**
 * Inference keys (issue 14), stored hashed in `inference_keys`, apart from the management keys.
 * A key reads `mpi_<12 hex prefix>_<43 chars base64url>`: the prefix (public, unique) finds the row,
 * the sha256 of the whole key is compared in constant time.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { InferenceKey } from "../types";
import type { Db, Row } from "./db";
import { iso, isoOrNull, num, str } from "./rows";

/** Every inference key starts with this, so a leaked one is recognisable (and never taken for a management key). */
export const INFERENCE_KEY_PREFIX = "mpi_";
const KEY_FORMAT = /^mpi_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

export function hashInferenceSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A fresh key: `mpi_<12 hex>_<43 base64url>` (256 bits of entropy in the secret part). */
export function generateInferenceKey(): { prefix: string; secret: string } {
  const prefix = randomBytes(6).toString("hex");
  return { prefix, secret: `${INFERENCE_KEY_PREFIX}${prefix}_${randomBytes(32).toString("base64url")}` };
}

function toInferenceKey(r: Row): InferenceKey {
  return {
    id: str(r["id"]),
    prefix: `${INFERENCE_KEY_PREFIX}${str(r["prefix"])}`,
    tenant: str(r["tenant"]),
    name: str(r["name"]),
    rateLimitPerMinute: num(r["rate_limit_per_minute"]),
    createdBy: str(r["created_by"]),
    createdAt: iso(r["created_at"]),
    lastUsedAt: isoOrNull(r["last_used_at"] ?? null),
    revokedAt: isoOrNull(r["revoked_at"] ?? null),
  };
}

export async function insertInferenceKey(
  db: Db,
  k: { tenant: string; name: string; rateLimitPerMinute: number; createdBy: string; prefix: string; secret: string },
): Promise<InferenceKey> {
  const r = await db.query(
    `INSERT INTO inference_keys (id, prefix, secret_hash, tenant, name, rate_limit_per_minute, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [randomUUID(), k.prefix, hashInferenceSecret(k.secret), k.tenant, k.name, k.rateLimitPerMinute, k.createdBy],
  );
  const row = r.rows[0];
  if (!row) throw new Error("inference key insert returned no row");
  return toInferenceKey(row);
}

/** The live key for `secret`, or null (malformed, unknown, revoked). */
export async function findInferenceKeyBySecret(db: Db, secret: string): Promise<InferenceKey | null> {
  const m = KEY_FORMAT.exec(secret);
  if (!m) return null;
  const r = await db.query(`SELECT * FROM inference_keys WHERE prefix = $1`, [m[1]]);
  const row = r.rows[0];
  if (!row || row["revoked_at"] !== null) return null;
  const stored = Buffer.from(str(row["secret_hash"]), "hex");
  const given = Buffer.from(hashInferenceSecret(secret), "hex");
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
  return toInferenceKey(row);
}

/** Revoke key `id`; with `tenant`, only when it is that tenant's. Revoking twice keeps the first time. */
export async function revokeInferenceKey(db: Db, id: string, tenant?: string): Promise<InferenceKey | null> {
  const r = await db.query(
    `UPDATE inference_keys SET revoked_at = COALESCE(revoked_at, now())
     WHERE id::text = $1 AND ($2::text IS NULL OR tenant = $2) RETURNING *`,
    [id, tenant ?? null],
  );
  return r.rows[0] ? toInferenceKey(r.rows[0]) : null;
}

/** Keys newest first, of one tenant or of all. */
export async function listInferenceKeys(db: Db, o: { tenant?: string; limit: number }): Promise<InferenceKey[]> {
  const r = await db.query(
    `SELECT * FROM inference_keys WHERE ($1::text IS NULL OR tenant = $1) ORDER BY created_at DESC, id LIMIT $2`,
    [o.tenant ?? null, o.limit],
  );
  return r.rows.map(toInferenceKey);
}

/** Record a use of key `id`, at most once a minute (the gateway's hot path writes rarely). */
export async function touchInferenceKey(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE inference_keys SET last_used_at = now()
     WHERE id::text = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')`,
    [id],
  );
}
