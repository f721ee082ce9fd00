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
  k: {
    tenant: string;
    role: Role;
    name: string;
    createdBy: string;
    secret: string;
    prefix: string;
    bootstrap?: boolean;
  },
): Promise<ApiKey> {
  const r = await db.query(
    `INSERT INTO api_keys (id, prefix, secret_hash, tenant, role, name, created_by, bootstrap)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [randomUUID(), k.prefix, hashSecret(k.secret), k.tenant, k.role, k.name, k.createdBy, k.bootstrap === true],
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

/** Revoke key `id`; with `tenant`, only when the key belongs to that tenant. */
export async function revokeApiKey(db: Db, id: string, tenant?: string): Promise<ApiKey | null> {
  const r =
    tenant === undefined
      ? await db.query(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id::text = $1 RETURNING *`, [
          id,
        ])
      : await db.query(
          `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id::text = $1 AND tenant = $2 RETURNING *`,
          [id, tenant],
        );
  return r.rows[0] ? toApiKey(r.rows[0]) : null;
}

/** Keys newest first, of one tenant or of all. Never returns the hash. */
export async function listApiKeys(db: Db, o: { tenant?: string; limit: number }): Promise<ApiKey[]> {
  const r =
    o.tenant === undefined
      ? await db.query(`SELECT * FROM api_keys ORDER BY created_at DESC, id LIMIT $1`, [o.limit])
      : await db.query(`SELECT * FROM api_keys WHERE tenant = $1 ORDER BY created_at DESC, id LIMIT $2`, [
          o.tenant,
          o.limit,
        ]);
  return r.rows.map(toApiKey);
}

/** Record a use of key `id`, at most once a minute (so the hot path writes rarely). */
export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE api_keys SET last_used_at = now()
     WHERE id::text = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')`,
    [id],
  );
}

/** Live bootstrap keys (the platform-admin keys the control plane made from MODELPLANE_ADMIN_KEY or generated). */
export async function countLiveBootstrapKeys(db: Db): Promise<number> {
  const r = await db.query(`SELECT count(*) AS n FROM api_keys WHERE bootstrap AND revoked_at IS NULL`);
  return Number(str(r.rows[0]?.["n"] ?? 0));
}

/** Revoke every live bootstrap key except the one with `keepHash`; returns the revoked keys. */
export async function revokeOtherBootstrapKeys(db: Db, keepHash: string): Promise<ApiKey[]> {
  const r = await db.query(
    `UPDATE api_keys SET revoked_at = now()
     WHERE bootstrap AND revoked_at IS NULL AND secret_hash <> $1 RETURNING *`,
    [keepHash],
  );
  return r.rows.map(toApiKey);
}

/** Tenants that hold at least one key (live or revoked). */
export async function tenantsWithKeys(db: Db): Promise<string[]> {
  const r = await db.query(`SELECT DISTINCT tenant FROM api_keys`);
  return r.rows.map((row) => str(row["tenant"]));
}
