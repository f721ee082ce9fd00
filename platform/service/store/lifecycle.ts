/**
 * The one owner of `deployments.status`. The legal moves are the table below (status × event →
 * status), and `transition` is the only code that writes the column: it changes a deployment only
 * when its current status is one the caller names (`WHERE status = ANY(...)`), and refuses
 * anything else with an `IllegalTransitionError` that says where the deployment is and what the
 * event needs. New rows start at `CREATED_STATUS` (the `create` event).
 *
 *   create → queued ─start-preview→ previewing ─start-deploy→ deploying ─succeed→ ready
 *            queued ─start-destroy→ destroying ─succeed→ destroyed
 *   queued, previewing, deploying, destroying ─fail→ failed | ─cancel→ cancelled | ─requeue→ queued
 *   deploying ─simulate→ simulated (the dry-run engine: planned offline, nothing created)
 *   deploying ─succeed-unverified→ unverified (applied, but nothing could be seen serving)
 *   ready ─unverify→ unverified, unverified ─verify→ ready (a migration's new stack, seen or not)
 *   ready, failed, cancelled, simulated, unverified ─request-update / request-destroy→ queued
 *   destroyed: final
 */
import { ConflictError, NotFoundError } from "../../core/errors";
import { DEPLOYMENT_STATUSES, type DeploymentStatus, type ErrorInfo } from "../types";
import type { Db } from "./db";
import { isUuid } from "./rows";

/** What moves a deployment. */
export const LIFECYCLE_EVENTS = [
  "request-update",
  "request-destroy",
  "start-preview",
  "start-deploy",
  "start-destroy",
  "succeed",
  "succeed-unverified",
  "simulate",
  "fail",
  "cancel",
  "requeue",
  "verify",
  "unverify",
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** The status every new deployment is inserted with (the `create` event). */
export const CREATED_STATUS = "queued" satisfies DeploymentStatus;

/** Where each event takes a deployment from each status; a missing entry is an illegal move. */
export const TRANSITIONS: Readonly<
  Record<DeploymentStatus, Readonly<Partial<Record<LifecycleEvent, DeploymentStatus>>>>
> = {
  queued: {
    "start-preview": "previewing",
    "start-destroy": "destroying",
    fail: "failed",
    cancel: "cancelled",
    requeue: "queued",
  },
  previewing: { "start-deploy": "deploying", fail: "failed", cancel: "cancelled", requeue: "queued" },
  deploying: {
    succeed: "ready",
    "succeed-unverified": "unverified",
    simulate: "simulated",
    fail: "failed",
    cancel: "cancelled",
    requeue: "queued",
  },
  destroying: { succeed: "destroyed", fail: "failed", cancel: "cancelled", requeue: "queued" },
  ready: { "request-update": "queued", "request-destroy": "queued", unverify: "unverified" },
  unverified: { "request-update": "queued", "request-destroy": "queued", verify: "ready" },
  failed: { "request-update": "queued", "request-destroy": "queued" },
  cancelled: { "request-update": "queued", "request-destroy": "queued" },
  simulated: { "request-update": "queued", "request-destroy": "queued" },
  destroyed: {},
};

/** The status `event` takes a deployment to from `from`, or null when the table has no such move. */
export function next(from: DeploymentStatus, event: LifecycleEvent): DeploymentStatus | null {
  return TRANSITIONS[from][event] ?? null;
}

/** Every status from which `event` leads to `to` (the `from` a caller passes when any will do). */
export function sources(event: LifecycleEvent, to: DeploymentStatus): DeploymentStatus[] {
  return DEPLOYMENT_STATUSES.filter((s) => next(s, event) === to);
}

/** A move the table does not allow, or a deployment that is not in a status the caller named. */
export class IllegalTransitionError extends ConflictError {
  constructor(
    message: string,
    readonly current: DeploymentStatus | null,
    readonly event: LifecycleEvent,
  ) {
    super(message);
    this.name = "IllegalTransitionError";
  }
}

export interface TransitionOptions {
  /** Set the deployment's error too (undefined: leave it as is). */
  error?: ErrorInfo | null;
  /** Set the deployment's stack outputs too (undefined: leave them as is). */
  outputs?: Record<string, unknown> | null;
  /**
   * Apply only while this attempt's claim still owns the running operation; when it does not
   * (crash recovery took it over), nothing changes and `transition` returns false.
   */
  whileOwnedBy?: { operationId: string; claim: string };
}

function checkAgainstTable(from: readonly DeploymentStatus[], to: DeploymentStatus, event: LifecycleEvent): void {
  if (from.length === 0) throw new IllegalTransitionError(`"${event}": from is empty`, null, event);
  for (const f of from) {
    const target = next(f, event);
    if (target !== to) {
      const legal = sources(event, to);
      throw new IllegalTransitionError(
        `"${event}" cannot move a deployment from ${f} to ${to}` +
          (legal.length > 0 ? `; it moves to ${to} only from ${legal.join(", ")}` : `; it never leads to ${to}`),
        null,
        event,
      );
    }
  }
}

/**
 * Move deployment `deploymentId` to `to` on `event`, only if its current status is one of `from`.
 * Returns true when it moved; false only when `whileOwnedBy` no longer owns the operation. Throws
 * `IllegalTransitionError` (a ConflictError) when `from → to` on `event` is not in the table
 * (before touching the database) or when the deployment is in none of `from` (nothing changes),
 * and `NotFoundError` when there is no such deployment.
 */
export async function transition(
  tx: Db,
  deploymentId: string,
  from: readonly DeploymentStatus[],
  to: DeploymentStatus,
  event: LifecycleEvent,
  opts: TransitionOptions = {},
): Promise<boolean> {
  checkAgainstTable(from, to, event);
  if (!isUuid(deploymentId)) throw new NotFoundError(`deployment ${deploymentId}`);
  const owner = opts.whileOwnedBy ?? null;
  const r = await tx.query(
    `UPDATE deployments SET status = $2, updated_at = now(),
       error = CASE WHEN $4::boolean THEN $5::jsonb ELSE error END,
       outputs = CASE WHEN $6::boolean THEN $7::jsonb ELSE outputs END
     WHERE id = $1 AND status = ANY($3::text[])
       AND ($8::uuid IS NULL OR EXISTS (SELECT 1 FROM operations WHERE id = $8 AND worker_id = $9 AND status = 'running'))
     RETURNING id`,
    [
      deploymentId,
      to,
      [...from],
      opts.error !== undefined,
      opts.error ? JSON.stringify(opts.error) : null,
      opts.outputs !== undefined,
      opts.outputs ? JSON.stringify(opts.outputs) : null,
      owner?.operationId ?? null,
      owner?.claim ?? null,
    ],
  );
  if (r.rows.length > 0) return true;
  // Refused: say why (the deployment is missing, the attempt lost its operation, or the status is wrong).
  const now = await tx.query(
    `SELECT status, ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM operations WHERE id = $2 AND worker_id = $3 AND status = 'running')) AS owned
     FROM deployments WHERE id = $1`,
    [deploymentId, owner?.operationId ?? null, owner?.claim ?? null],
  );
  const row = now.rows[0];
  if (!row) throw new NotFoundError(`deployment ${deploymentId}`);
  if (row["owned"] !== true) return false;
  const current = String(row["status"]) as DeploymentStatus;
  throw new IllegalTransitionError(
    `deployment ${deploymentId} is ${current}; "${event}" applies only to a deployment that is ${from.join(" or ")}`,
    current,
    event,
  );
}
