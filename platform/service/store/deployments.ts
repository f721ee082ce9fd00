/**
 * Deployments and their operations. Every read that serves a caller takes the tenant; the worker
 * reads through the operation's own tenant. Invariants live in the schema: one live deployment per
 * stack name, one queued-or-running operation per deployment.
 */
import { ConflictError } from "../../core/errors";
import type {
  Deployment,
  DeploymentSpec,
  ErrorInfo,
  ListDeploymentsOptions,
  NewDeploymentFields,
  Operation,
  OperationKind,
  Page,
} from "../types";
import type { Placement } from "../../core/placement";
import type { Db, Row } from "./db";
import { isUniqueViolation, isUuid, str, toDeployment, toOperation } from "./rows";
import { CREATED_STATUS } from "./lifecycle";

export interface NewDeployment extends NewDeploymentFields {
  id: string;
  createdBy: string;
}

const DEPLOYMENT_COLUMNS = `id, tenant, name, environment, model, stack_name, status, placement, estimated_monthly_usd,
  spec, outputs, error, created_by, created_at, updated_at`;

export async function insertDeployment(db: Db, d: NewDeployment): Promise<Deployment> {
  try {
    const r = await db.query(
      `INSERT INTO deployments (id, tenant, name, environment, model, stack_name, status, placement,
         estimated_monthly_usd, spec, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $11, $7::jsonb, $8, $9::jsonb, $10)
       RETURNING ${DEPLOYMENT_COLUMNS}`,
      [
        d.id,
        d.tenant,
        d.name,
        d.environment,
        d.model,
        d.stackName,
        JSON.stringify(d.placement),
        d.estimatedMonthlyUsd,
        JSON.stringify(d.spec),
        d.createdBy,
        CREATED_STATUS,
      ],
    );
    return toDeployment(firstRow(r.rows));
  } catch (err) {
    if (isUniqueViolation(err, "deployments_live_stack")) {
      throw new ConflictError(
        `stack "${d.stackName}" belongs to a deployment that is not destroyed yet; destroy it first or choose another name/environment`,
      );
    }
    throw err;
  }
}

/** A tenant's deployment with its operation history, or null. */
export async function getDeployment(db: Db, tenant: string, id: string): Promise<Deployment | null> {
  if (!isUuid(id)) return null;
  const r = await db.query(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE tenant = $1 AND id = $2`, [tenant, id]);
  const row = r.rows[0];
  if (!row) return null;
  const ops = await db.query(`SELECT * FROM operations WHERE tenant = $1 AND deployment_id = $2 ORDER BY seq`, [
    tenant,
    id,
  ]);
  return toDeployment(row, ops.rows.map(toOperation));
}

/** Newest first; the cursor is opaque (the insertion sequence number of the last item). */
export async function listDeployments(db: Db, tenant: string, opts: ListDeploymentsOptions): Promise<Page<Deployment>> {
  const where = ["tenant = $1"];
  const params: unknown[] = [tenant];
  if (opts.status) {
    params.push(opts.status);
    where.push(`status = $${params.length}`);
  }
  if (opts.model) {
    params.push(opts.model);
    where.push(`model = $${params.length}`);
  }
  if (opts.cursor) {
    // The cursor names the last deployment of the previous page (of this tenant), never a global number.
    params.push(decodeCursor(opts.cursor));
    where.push(`seq < (SELECT c.seq FROM deployments c WHERE c.tenant = $1 AND c.id = $${params.length})`);
  }
  const limit = Math.max(1, Math.min(200, Math.floor(opts.limit)));
  params.push(limit + 1);
  const r = await db.query(
    `SELECT ${DEPLOYMENT_COLUMNS}, seq FROM deployments WHERE ${where.join(" AND ")}
     ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const rows = r.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  const nextCursor = r.rows.length > limit && last ? encodeCursor(str(last["id"])) : null;
  return { items: rows.map((row) => toDeployment(row)), nextCursor };
}

/** An opaque cursor: the id of the page's last deployment (it reveals no count). */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`d:${lastId}`, "utf8").toString("base64url");
}

/** The deployment id in a cursor; CursorError when the cursor is not one we issued. */
export function decodeCursor(cursor: string): string {
  const m = /^d:([0-9a-f-]{36})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m || !m[1] || !isUuid(m[1])) throw new CursorError();
  return m[1];
}

export class CursorError extends Error {
  constructor() {
    super("cursor is not one this API returned");
    this.name = "CursorError";
  }
}

export async function setDeploymentSpec(
  db: Db,
  tenant: string,
  id: string,
  spec: DeploymentSpec,
  placement: Placement,
  estimatedMonthlyUsd: number,
): Promise<void> {
  await db.query(
    `UPDATE deployments SET spec = $3::jsonb, placement = $4::jsonb, estimated_monthly_usd = $5, updated_at = now()
     WHERE tenant = $1 AND id = $2`,
    [tenant, id, JSON.stringify(spec), JSON.stringify(placement), estimatedMonthlyUsd],
  );
}

// ---- operations ---------------------------------------------------------------------------------

export async function insertOperation(
  db: Db,
  op: { id: string; deploymentId: string; tenant: string; kind: OperationKind; actor: string },
): Promise<Operation> {
  try {
    const r = await db.query(
      `INSERT INTO operations (id, deployment_id, tenant, kind, status, actor)
       VALUES ($1, $2, $3, $4, 'queued', $5) RETURNING *`,
      [op.id, op.deploymentId, op.tenant, op.kind, op.actor],
    );
    return toOperation(firstRow(r.rows));
  } catch (err) {
    if (isUniqueViolation(err, "operations_one_in_flight")) {
      throw new ConflictError(
        "another operation is already queued or running on this deployment; wait for it or cancel it",
      );
    }
    throw err;
  }
}

/** The operation row including worker-only columns. */
export interface OperationRecord extends Operation {
  tenant: string;
  jobId: string | null;
  cancelRequested: boolean;
}

/** An operations row, worker-only columns included. */
export function toRecord(r: Row): OperationRecord {
  return {
    ...toOperation(r),
    tenant: str(r["tenant"]),
    jobId: r["job_id"] == null ? null : str(r["job_id"]),
    cancelRequested: r["cancel_requested"] === true,
  };
}

export async function getOperation(db: Db, id: string): Promise<OperationRecord | null> {
  if (!isUuid(id)) return null;
  const r = await db.query(`SELECT * FROM operations WHERE id = $1`, [id]);
  return r.rows[0] ? toRecord(r.rows[0]) : null;
}

/** The queued or running operation of a deployment, if any. */
export async function inFlightOperation(db: Db, tenant: string, deploymentId: string): Promise<OperationRecord | null> {
  const r = await db.query(
    `SELECT * FROM operations WHERE tenant = $1 AND deployment_id = $2 AND status IN ('queued','running')`,
    [tenant, deploymentId],
  );
  return r.rows[0] ? toRecord(r.rows[0]) : null;
}

export async function setOperationJob(db: Db, id: string, jobId: string): Promise<void> {
  await db.query(`UPDATE operations SET job_id = $2 WHERE id = $1`, [id, jobId]);
}

/** Refresh the heartbeat; returns whether a cancel was requested meanwhile. */
export async function heartbeat(
  db: Db,
  id: string,
  workerId: string,
): Promise<{ cancelRequested: boolean; owned: boolean }> {
  const r = await db.query(
    `UPDATE operations SET heartbeat_at = now() WHERE id = $1 AND worker_id = $2 AND status = 'running'
     RETURNING cancel_requested`,
    [id, workerId],
  );
  const row = r.rows[0];
  return { cancelRequested: row ? row["cancel_requested"] === true : false, owned: row !== undefined };
}

export async function requestCancel(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE operations SET cancel_requested = true WHERE id = $1`, [id]);
}

function firstRow(rows: Row[]): Row {
  const row = rows[0];
  if (!row) throw new Error("statement returned no row");
  return row;
}

export { isUuid };

/** Cancel an operation that has not started; false when a worker already claimed it. */
export async function cancelQueuedOperation(db: Db, id: string, error: ErrorInfo): Promise<boolean> {
  const r = await db.query(
    `UPDATE operations SET status = 'cancelled', cancel_requested = true, error = $2::jsonb, finished_at = now()
     WHERE id = $1 AND status = 'queued' RETURNING id`,
    [id, JSON.stringify(error)],
  );
  return r.rows.length > 0;
}
