/**
 * Memory of the embedded database (issue 11: an idle server held about 1 GB, 800 MB of it PGlite).
 *
 * - `initdb` of a new data directory runs in a short-lived child process: PGlite's initdb
 *   instance leaves about 500 MB resident in the process that ran it (measured with
 *   @electric-sql/pglite 0.5.16 on 2026-12-01: 807 MB RSS after creating a new directory in
 *   process, 283 MB after opening an existing one). A child's memory goes back when it exits.
 * - Postgres' `shared_buffers` is 16 MB instead of its 128 MB default: one process's control-plane
 *   rows fit many times over (re-opening measured 283 MB RSS at 128 MB, 166 MB at 16 MB).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** postgresql.conf lines every embedded database starts with. */
export const PGLITE_CONF = ["shared_buffers = 16MB"];

/** True when `dataDir` holds no database yet (Postgres writes PG_VERSION at initdb). */
export function needsInitdb(dataDir: string): boolean {
  return !existsSync(join(dataDir, "PG_VERSION"));
}

/**
 * Create the database files of `dataDir` in a child process, then return. Rejects with the
 * child's stderr when it fails (the caller may then create the database in process).
 */
export function initdbInChild(dataDir: string): Promise<void> {
  const entry = require.resolve("@electric-sql/pglite");
  const script =
    `import(${JSON.stringify(entry)}).then(async ({ PGlite }) => {` +
    ` const pg = await PGlite.create(${JSON.stringify(dataDir)}); await pg.close(); })` +
    `.catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script], { timeout: 120_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`initdb of ${dataDir} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}
