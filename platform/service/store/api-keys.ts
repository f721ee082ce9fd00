/**
 * API keys, stored hashed. A key reads `mp_<prefix>_<secret>`: the prefix (public, unique) finds
 * the row, the sha256 of the whole key is compared in constant time. Keys configured from outside
 * (MODELPLANE_ADMIN_KEY) need not follow the format; they are found by their hash.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { ApiKey, Role } from "../types";
import type { Db } from "./db";
import { str, toApiKey } from "./rows";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A fresh key: `mp_<12 hex prefix>_<43 chars of base64url secret>` (256 bits of entropy). */
export function generateKey(): { prefix: string; secret: string } {
  const prefix = randomBytes(6).toString("hex");
  return { prefix, secret: `mp_${prefix}_${randomBytes(32).toString("base64url")}` };
}

const KEY_FORMAT = /^mp_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/;

export async function insertApiKey(
  db: Db,
  k: { tenant: string; role: Role; name: string; createdBy: string; secret: string; prefix: string },
): Promise<ApiKey> {
  const r = await db.query(
    `INSERT INTO api_keys (id, prefix, secret_hash, tenant, role, name, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [randomUUID(), k.prefix, hashSecret(k.secret), k.tenant, k.role, k.name, k.createdBy],
  );
  const row = r.rows[0];
  if (!row) throw new Error("api key insert returned no row");
  return toApiKey(row);
}

/** The live key for `secret`, or null (unknown, revoked, malformed). */
export async function findKeyBySecret(db: Db, secret: string): Promise<ApiKey | null> {
  if (secret.length === 0 || secret.length > 512) return null;
  const hash = hashSecret(secret);
  const m = KEY_FORMAT.exec(secret);
  const r = m
    ? await db.query(`SELECT * FROM api_keys WHERE prefix = $1`, [m[1]])
    : await db.query(`SELECT * FROM api_keys WHERE secret_hash = $1`, [hash]);
  const row = r.rows[0];
  if (!row || row["revoked_at"] !== null) return null;
  const stored = Buffer.from(str(row["secret_hash"]), "hex");
  const given = Buffer.from(hash, "hex");
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
  return toApiKey(row);
}

export async function findKeyByHash(db: Db, secret: string): Promise<ApiKey | null> {
  const r = await db.query(`SELECT * FROM api_keys WHERE secret_hash = $1`, [hashSecret(secret)]);
  return r.rows[0] ? toApiKey(r.rows[0]) : null;
}

export async function revokeApiKey(db: Db, id: string): Promise<ApiKey | null> {
  const r = await db.query(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id::text = $1 RETURNING *`,
    [id],
  );
  return r.rows[0] ? toApiKey(r.rows[0]) : null;
}

export async function countLiveAdminKeys(db: Db): Promise<number> {
  const r = await db.query(`SELECT count(*) AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`);
  return Number(str(r.rows[0]?.["n"] ?? 0));
}
