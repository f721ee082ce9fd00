/**
 * The worker's hot-path writes, one statement each (no explicit transaction needed): claim an
 * operation for the job that carries it, and end (or re-queue) an attempt together with the
 * deployment's status and its status event.
 */
import type { DeploymentEvent, DeploymentStatus, ErrorInfo } from "../types";
import type { Db } from "./db";
import { isUuid, toRecord, type OperationRecord } from "./deployments";
import { toEvent } from "./rows";

/**
 * queued → running for `claim`, but only when `jobId` is the operation's current job (a job
 * superseded by crash recovery claims nothing) and no cancel was requested.
 */
export async function claimOperationForJob(
  db: Db,
  operationId: string,
  jobId: string,
  claim: string,
): Promise<OperationRecord | null> {
  if (!isUuid(operationId)) return null;
  const r = await db.query(
    `UPDATE operations SET status = 'running', attempts = attempts + 1, worker_id = $3, heartbeat_at = now(),
       started_at = COALESCE(started_at, now())
     WHERE id = $1 AND status = 'queued' AND NOT cancel_requested AND (job_id IS NULL OR job_id = $2)
     RETURNING *`,
    [operationId, jobId, claim],
  );
  const row = r.rows[0];
  if (!row) return null;
  return toRecord(row);
}

export interface AttemptEnd {
  operationId: string;
  claim: string;
  /** How the attempt ends: the operation's final status, or `requeue` (retry later / resume). */
  end: "succeeded" | "failed" | "cancelled" | "requeue";
  error: ErrorInfo | null;
  tenant: string;
  deploymentId: string;
  status: DeploymentStatus;
  /** Set the deployment's error/outputs too (undefined: leave as is). */
  deploymentError?: ErrorInfo | null;
  outputs?: Record<string, unknown> | null;
}

/**
 * End the attempt, set the deployment's status and append its status event, atomically; nothing
 * happens (null) when `claim` no longer owns the operation (crash recovery took it over).
 */
export async function endAttempt(db: Db, a: AttemptEnd): Promise<DeploymentEvent | null> {
  const requeue = a.end === "requeue";
  const data = { status: a.status, ...(a.deploymentError ? { error: a.deploymentError } : {}) };
  const r = await db.query(
    `WITH op AS (
       UPDATE operations SET
         status = $3, error = $4::jsonb, heartbeat_at = NULL,
         finished_at = CASE WHEN $5::boolean THEN NULL ELSE now() END,
         worker_id = CASE WHEN $5::boolean THEN NULL ELSE worker_id END
       WHERE id = $1 AND status = 'running' AND worker_id = $2
       RETURNING id
     ), dep AS (
       UPDATE deployments SET
         status = $8, updated_at = now(),
         error = CASE WHEN $9::boolean THEN $10::jsonb ELSE error END,
         outputs = CASE WHEN $11::boolean THEN $12::jsonb ELSE outputs END
       WHERE tenant = $6 AND id = $7 AND EXISTS (SELECT 1 FROM op)
       RETURNING id
     )
     INSERT INTO events (deployment_id, operation_id, type, data)
     SELECT $7, $1, 'status', $13::jsonb FROM dep
     RETURNING *`,
    [
      a.operationId,
      a.claim,
      requeue ? "queued" : a.end,
      a.error === null ? null : JSON.stringify(a.error),
      requeue,
      a.tenant,
      a.deploymentId,
      a.status,
      a.deploymentError !== undefined,
      a.deploymentError ? JSON.stringify(a.deploymentError) : null,
      a.outputs !== undefined,
      a.outputs ? JSON.stringify(a.outputs) : null,
      JSON.stringify(data),
    ],
  );
  const row = r.rows[0];
  return row ? toEvent(row) : null;
}

/** Set a deployment's in-progress status, only while `claim` still owns the operation. */
export async function setStatusIfOwned(
  db: Db,
  a: { tenant: string; deploymentId: string; operationId: string; claim: string; status: DeploymentStatus },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE deployments SET status = $3, updated_at = now()
     WHERE tenant = $1 AND id = $2
       AND EXISTS (SELECT 1 FROM operations WHERE id = $4 AND worker_id = $5 AND status = 'running')
     RETURNING id`,
    [a.tenant, a.deploymentId, a.status, a.operationId, a.claim],
  );
  return r.rows.length > 0;
}
