/**
 * The worker's hot-path writes: claim an operation for the job that carries it (one statement), and
 * end (or re-queue) an attempt together with the deployment's status and its status event (one
 * transaction; the status moves through ./lifecycle.ts).
 */
import type { DeploymentEvent, DeploymentStatus, ErrorInfo } from "../types";
import type { Db } from "./db";
import { toRecord, type OperationRecord } from "./deployments";
import { appendEvent } from "./events";
import { sources, transition, type LifecycleEvent } from "./lifecycle";
import { isUuid } from "./rows";
import { settleAppliedSpec } from "./applied";

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
  deploymentId: string;
  /** The deployment's lifecycle event and the status it leads to (from any status the table allows). */
  event: LifecycleEvent;
  status: DeploymentStatus;
  /** Set the deployment's error/outputs too (undefined: leave as is). */
  deploymentError?: ErrorInfo | null;
  outputs?: Record<string, unknown> | null;
  /** Why the status is what it is (an `unverified` deployment's readiness reason), on the status event. */
  reason?: string;
}

/**
 * End the attempt, move the deployment (through the lifecycle) and append its status event, in one
 * transaction; nothing happens (null) when `claim` no longer owns the operation (crash recovery
 * took it over).
 */
export async function endAttempt(db: Db, a: AttemptEnd): Promise<DeploymentEvent | null> {
  const requeue = a.end === "requeue";
  return db.transaction(async (tx) => {
    const op = await tx.query(
      `UPDATE operations SET
         status = $3, error = $4::jsonb, heartbeat_at = NULL,
         finished_at = CASE WHEN $5::boolean THEN NULL ELSE now() END,
         worker_id = CASE WHEN $5::boolean THEN NULL ELSE worker_id END
       WHERE id = $1 AND status = 'running' AND worker_id = $2
       RETURNING id, kind`,
      [a.operationId, a.claim, requeue ? "queued" : a.end, a.error === null ? null : JSON.stringify(a.error), requeue],
    );
    if (op.rows.length === 0) return null;
    // A successful create/update is what the deployment now runs; a failed update leaves the last one.
    if (a.end !== "requeue") await settleAppliedSpec(tx, a.deploymentId, String(op.rows[0]?.["kind"]), a.end);
    await transition(tx, a.deploymentId, sources(a.event, a.status), a.status, a.event, {
      ...(a.deploymentError !== undefined ? { error: a.deploymentError } : {}),
      ...(a.outputs !== undefined ? { outputs: a.outputs } : {}),
    });
    return appendEvent(tx, {
      deploymentId: a.deploymentId,
      operationId: a.operationId,
      type: "status",
      data: {
        status: a.status,
        ...(a.deploymentError ? { error: a.deploymentError } : {}),
        ...(a.reason !== undefined ? { reason: a.reason } : {}),
      },
    });
  });
}

/** Move a deployment to an in-progress status, only while `claim` still owns the operation. */
export async function setStatusIfOwned(
  db: Db,
  a: { deploymentId: string; operationId: string; claim: string; event: LifecycleEvent; status: DeploymentStatus },
): Promise<boolean> {
  return transition(db, a.deploymentId, sources(a.event, a.status), a.status, a.event, {
    whileOwnedBy: { operationId: a.operationId, claim: a.claim },
  });
}
