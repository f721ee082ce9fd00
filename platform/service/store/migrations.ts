/**
 * Blue/green migrations (migration 009): the target and progress of a `migrate` operation. The
 * deployment row keeps pointing at the old stack (which keeps serving) until `shiftRoute` moves
 * it to the new one in one statement; the deployment's status is not touched by a migration.
 */
import type { Placement } from "../../core/placement";
import { unverifiedReason, type DeploymentEvent, type DeploymentSpec, type ErrorInfo } from "../types";
import type { Db, Row } from "./db";
import { appendEvent } from "./events";
import { transition } from "./lifecycle";
import { jsonObject, num, str, strOrNull } from "./rows";

export const MIGRATION_STEPS = [
  "requested",
  "new-stack-up",
  "ready",
  "route-shifted",
  "old-destroyed",
  "rolled-back",
] as const;
export type MigrationStep = (typeof MIGRATION_STEPS)[number];

export interface MigrationRecord {
  operationId: string;
  deploymentId: string;
  tenant: string;
  recommendationId: string | null;
  fromStack: string;
  toStack: string;
  fromSpec: DeploymentSpec;
  toSpec: DeploymentSpec;
  toPlacement: Placement;
  toMonthlyUsd: number;
  catalogVersion: string;
  step: MigrationStep;
}

export async function insertMigration(db: Db, m: Omit<MigrationRecord, "step">): Promise<void> {
  await db.query(
    `INSERT INTO migrations (operation_id, deployment_id, tenant, recommendation_id, from_stack, to_stack,
       from_spec, to_spec, to_placement, to_monthly_usd, catalog_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11)`,
    [
      m.operationId,
      m.deploymentId,
      m.tenant,
      m.recommendationId,
      m.fromStack,
      m.toStack,
      JSON.stringify(m.fromSpec),
      JSON.stringify(m.toSpec),
      JSON.stringify(m.toPlacement),
      m.toMonthlyUsd,
      m.catalogVersion,
    ],
  );
}

export async function getMigration(db: Db, operationId: string): Promise<MigrationRecord | null> {
  const r = await db.query(`SELECT * FROM migrations WHERE operation_id = $1`, [operationId]);
  return r.rows[0] ? toMigration(r.rows[0]) : null;
}

/**
 * The highest stack generation any migration of the deployment has used (0 when none). A failed
 * migration can leave its new stack behind (its destroy failed, or its route could not be put
 * back), so the next one must not reuse that generation's names.
 */
export async function highestGeneration(db: Db, deploymentId: string): Promise<number> {
  const r = await db.query(`SELECT max((to_spec->>'generation')::int) AS g FROM migrations WHERE deployment_id = $1`, [
    deploymentId,
  ]);
  const g = r.rows[0]?.["g"];
  return g === null || g === undefined ? 0 : num(g);
}

/** Record that the migration could not remove `stack` (its new or its old stack). */
export async function recordLeftStack(db: Db, operationId: string, stack: string): Promise<void> {
  await db.query(`UPDATE migrations SET left_stack = $2, updated_at = now() WHERE operation_id = $1`, [
    operationId,
    stack,
  ]);
}

/** A stack a migration of the deployment left behind, with the spec it was last run with. */
export interface LeftStack {
  operationId: string;
  stackName: string;
  spec: DeploymentSpec;
}

/** The stacks the deployment's migrations left behind, oldest first. */
export async function leftStacks(db: Db, deploymentId: string): Promise<LeftStack[]> {
  const r = await db.query(
    `SELECT operation_id, left_stack, CASE WHEN left_stack = to_stack THEN to_spec ELSE from_spec END AS spec
     FROM migrations WHERE deployment_id = $1 AND left_stack IS NOT NULL ORDER BY created_at`,
    [deploymentId],
  );
  return r.rows.map((row) => ({
    operationId: str(row["operation_id"]),
    stackName: str(row["left_stack"]),
    spec: jsonObject(row["spec"]) as unknown as DeploymentSpec,
  }));
}

/** The left stack is gone (destroyed). */
export async function clearLeftStack(db: Db, operationId: string): Promise<void> {
  await db.query(`UPDATE migrations SET left_stack = NULL, updated_at = now() WHERE operation_id = $1`, [operationId]);
}

export async function setMigrationStep(db: Db, operationId: string, step: MigrationStep): Promise<void> {
  await db.query(`UPDATE migrations SET step = $2, updated_at = now() WHERE operation_id = $1`, [operationId, step]);
}

/**
 * Shift the route: the deployment now is the new stack (its name, spec, placement, price and
 * outputs), its recommendation is spent, and the step is recorded, in one transaction. Its status
 * follows what was seen of the new stack: `ready` → `unverified` when its outputs' readiness is
 * unverified, `unverified` → `ready` when it is not (`simulated` stays). Only while `claim` owns the
 * running operation; false otherwise (nothing changes).
 */
export async function shiftRoute(
  db: Db,
  m: MigrationRecord,
  claim: string,
  outputs: Record<string, unknown>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query(
      // The new stack is what is applied now: a later update that fails or is cancelled goes back
      // to it, never to the old stack's spec and placement (store/applied.ts).
      `UPDATE deployments SET stack_name = $2, spec = $3::jsonb, placement = $4::jsonb, estimated_monthly_usd = $5,
         outputs = $6::jsonb, applied_spec = $3::jsonb, applied_placement = $4::jsonb,
         applied_estimated_monthly_usd = $5, updated_at = now()
       WHERE id = $1 AND EXISTS (SELECT 1 FROM operations WHERE id = $7 AND worker_id = $8 AND status = 'running')
       RETURNING id`,
      [
        m.deploymentId,
        m.toStack,
        JSON.stringify(m.toSpec),
        JSON.stringify(m.toPlacement),
        m.toMonthlyUsd,
        JSON.stringify(outputs),
        m.operationId,
        claim,
      ],
    );
    if (r.rows.length === 0) return false;
    const now = await tx.query(`SELECT status FROM deployments WHERE id = $1`, [m.deploymentId]);
    const status = String(now.rows[0]?.["status"]);
    const unverified = unverifiedReason(outputs) !== null;
    if (unverified && status === "ready") await transition(tx, m.deploymentId, ["ready"], "unverified", "unverify");
    if (!unverified && status === "unverified") await transition(tx, m.deploymentId, ["unverified"], "ready", "verify");
    await tx.query(`DELETE FROM recommendations WHERE deployment_id = $1`, [m.deploymentId]);
    await tx.query(`UPDATE migrations SET step = 'route-shifted', updated_at = now() WHERE operation_id = $1`, [
      m.operationId,
    ]);
    return true;
  });
}

/**
 * End a migrate operation (succeeded, failed or cancelled) with a final event, leaving the
 * deployment's status alone; null when `claim` no longer owns it.
 */
export async function endMigrationOperation(
  db: Db,
  a: {
    operationId: string;
    claim: string;
    deploymentId: string;
    end: "succeeded" | "failed" | "cancelled";
    error: ErrorInfo | null;
    data: Record<string, unknown>;
  },
): Promise<DeploymentEvent | null> {
  return db.transaction(async (tx) => {
    const op = await tx.query(
      `UPDATE operations SET status = $3, error = $4::jsonb, heartbeat_at = NULL, finished_at = now()
       WHERE id = $1 AND status = 'running' AND worker_id = $2 RETURNING id`,
      [a.operationId, a.claim, a.end, a.error === null ? null : JSON.stringify(a.error)],
    );
    if (op.rows.length === 0) return null;
    return appendEvent(tx, { deploymentId: a.deploymentId, operationId: a.operationId, type: "summary", data: a.data });
  });
}

function toMigration(row: Row): MigrationRecord {
  return {
    operationId: str(row["operation_id"]),
    deploymentId: str(row["deployment_id"]),
    tenant: str(row["tenant"]),
    recommendationId: strOrNull(row["recommendation_id"]),
    fromStack: str(row["from_stack"]),
    toStack: str(row["to_stack"]),
    fromSpec: jsonObject(row["from_spec"]) as unknown as DeploymentSpec,
    toSpec: jsonObject(row["to_spec"]) as unknown as DeploymentSpec,
    toPlacement: jsonObject(row["to_placement"]) as unknown as Placement,
    toMonthlyUsd: num(row["to_monthly_usd"]),
    catalogVersion: str(row["catalog_version"]),
    step: str(row["step"]) as MigrationStep,
  };
}
