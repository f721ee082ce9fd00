/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied in order, each in its own
 * transaction, recorded in `schema_migrations`. Safe to call from several processes at once on
 * Postgres (an advisory lock serialises them); idempotent.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Db } from "./db";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS_DIR = path.join(__dirname, "migrations");

/** The migrations on disk, ordered by version; a malformed file name is an error. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .map((file) => {
      const m = /^(\d+)_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m || !m[1] || !m[2]) throw new Error(`migration file "${file}" must be named NNN_name.sql`);
      return { version: Number(m[1]), name: m[2], sql: readFileSync(path.join(dir, file), "utf8") };
    })
    .sort((a, b) => a.version - b.version);
}

/** Apply every migration not yet applied; returns the versions applied now. */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations()): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (tx.kind === "postgres") {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`modelplane-migrate-${tx.schema}`]);
      }
      const seen = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (seen.rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
