/**
 * Crash-recovery queries. `lostQueuedOperations` joins our operations with pg-boss's job table
 * (read only; its v10 columns `id`, `name`, `state`, `started_on`), so a sweep costs one query
 * however long the backlog is.
 */
import { SCHEMA_NAME, type Db } from "./db";
import { toRecord, type OperationRecord } from "./deployments";

/**
 * Queued operations whose queue job is gone: missing (archived or never written), finished
 * (`completed`, `cancelled`, `failed`), or `active` for longer than `staleSeconds` on a worker
 * that never claimed the operation (0: every active one; used at start on PGlite).
 */
export async function lostQueuedOperations(
  db: Db,
  jobSchema: string,
  queueName: string,
  staleSeconds: number,
): Promise<OperationRecord[]> {
  if (!SCHEMA_NAME.test(jobSchema)) throw new Error(`invalid job schema "${jobSchema}"`);
  const r = await db.query(
    `SELECT o.* FROM operations o
       LEFT JOIN ${jobSchema}.job j ON j.name = $1 AND j.id::text = o.job_id
     WHERE o.status = 'queued'
       AND (o.job_id IS NULL OR j.id IS NULL
            OR j.state IN ('completed', 'cancelled', 'failed')
            OR (j.state = 'active' AND ($2::double precision = 0
                OR j.started_on < now() - ($2::double precision * interval '1 second'))))
     ORDER BY o.seq`,
    [queueName, staleSeconds],
  );
  return r.rows.map(toRecord);
}

/**
 * In one statement, take back every running operation whose heartbeat is older than
 * `staleSeconds` (its worker crashed, was killed, or hung): back to `queued`, or to `cancelled`
 * when a cancel was requested meanwhile. Returns them with their new status.
 */
export async function requeueStaleOperations(db: Db, staleSeconds: number): Promise<OperationRecord[]> {
  const r = await db.query(
    `UPDATE operations SET
       status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
       finished_at = CASE WHEN cancel_requested THEN now() ELSE NULL END,
       error = CASE WHEN cancel_requested THEN '{"code": "cancelled", "message": "cancelled by request"}'::jsonb ELSE error END,
       worker_id = NULL, heartbeat_at = NULL
     WHERE status = 'running'
       AND (heartbeat_at IS NULL OR heartbeat_at < now() - ($1::double precision * interval '1 second'))
     RETURNING *`,
    [staleSeconds],
  );
  return r.rows.map(toRecord);
}
