/**
 * Creating many deployments in one transaction (group commit for the submit hot path). Every
 * statement is one multi-row INSERT over `jsonb_to_recordset`, so a batch of N costs about as many
 * round trips as a batch of 1. Conflicts (a stack name in use, an idempotency key already taken)
 * skip that item instead of failing the batch; the caller learns which items went in.
 */
import type { Deployment, DeploymentEvent, SubmitDeploymentInput } from "../types";
import type { Db } from "./db";
import { CREATED_STATUS } from "./lifecycle";
import { jsonObject, str, toDeployment, toEvent, toOperation } from "./rows";

export interface BatchItem extends SubmitDeploymentInput {
  deploymentId: string;
  operationId: string;
  jobId: string;
  idempotency: { key: string; requestHash: string } | null;
}

export type BatchOutcome =
  | { kind: "created"; deployment: Deployment; event: DeploymentEvent }
  /** The idempotency key was taken (earlier, or by another item of this batch): replay it. */
  | { kind: "key-taken" }
  /** The stack name belongs to a live deployment (or to an earlier item of this batch). */
  | { kind: "stack-taken" };

/**
 * Insert deployments (at the lifecycle's `CREATED_STATUS`), their `create` operations, audit rows and
 * status events. `enqueue` is
 * called inside the same transaction with the items that went in (to insert their queue jobs).
 */
export async function createDeployments(
  tx: Db,
  items: BatchItem[],
  enqueue: (tx: Db, created: BatchItem[]) => Promise<void>,
): Promise<BatchOutcome[]> {
  const outcomes = new Map<string, BatchOutcome>();

  // 1. Claim idempotency keys (first claim wins, within the batch too).
  const keyed = items.filter((i) => i.idempotency !== null);
  const claimed = new Set<string>();
  if (keyed.length > 0) {
    const r = await tx.query(
      `INSERT INTO idempotency_keys (tenant, key, request_hash, deployment_id)
       SELECT tenant, key, request_hash, deployment_id
       FROM jsonb_to_recordset($1::jsonb) AS x(tenant text, key text, request_hash text, deployment_id uuid)
       ON CONFLICT (tenant, key) DO NOTHING RETURNING deployment_id`,
      [
        JSON.stringify(
          keyed.map((i) => ({
            tenant: i.tenant,
            key: i.idempotency?.key,
            request_hash: i.idempotency?.requestHash,
            deployment_id: i.deploymentId,
          })),
        ),
      ],
    );
    for (const row of r.rows) claimed.add(str(row["deployment_id"]));
    for (const i of keyed) if (!claimed.has(i.deploymentId)) outcomes.set(i.deploymentId, { kind: "key-taken" });
  }

  // 2. One statement: deployments (a stack-name conflict skips the row), and for those that went
  //    in, their operations, audit rows and `queued` events.
  const candidates = items.filter((i) => !outcomes.has(i.deploymentId));
  const deploymentRows = new Map<string, Record<string, unknown>>();
  const opByDeployment = new Map<string, ReturnType<typeof toOperation>>();
  const eventByDeployment = new Map<string, DeploymentEvent>();
  if (candidates.length > 0) {
    const r = await tx.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, id uuid, op_id uuid, job_id text, tenant text, name text,
           environment text, model text, stack_name text, placement jsonb, estimated_monthly_usd double precision,
           spec jsonb, actor text, details jsonb)
       ), dep AS (
         INSERT INTO deployments (id, tenant, name, environment, model, stack_name, status, placement,
           estimated_monthly_usd, spec, created_by)
         SELECT id, tenant, name, environment, model, stack_name, $2::text, placement, estimated_monthly_usd, spec, actor
         FROM input ORDER BY ord
         ON CONFLICT DO NOTHING
         RETURNING id, tenant, name, environment, model, stack_name, status, placement, estimated_monthly_usd,
           spec, outputs, error, created_by, created_at, updated_at
       ), ops AS (
         INSERT INTO operations (id, deployment_id, tenant, kind, status, actor, job_id)
         SELECT i.op_id, i.id, i.tenant, 'create', 'queued', i.actor, i.job_id FROM input i JOIN dep d ON d.id = i.id
         RETURNING *
       ), aud AS (
         INSERT INTO audit (actor, tenant, action, target, details)
         SELECT i.actor, i.tenant, 'deployment.create', i.id::text, i.details FROM input i JOIN dep d ON d.id = i.id
       ), ev AS (
         INSERT INTO events (deployment_id, operation_id, type, data)
         SELECT i.id, i.op_id, 'status', jsonb_build_object('status', $2::text, 'operation', 'create')
         FROM input i JOIN dep d ON d.id = i.id ORDER BY i.ord
         RETURNING *
       )
       SELECT 'deployment' AS kind, to_jsonb(dep.*) AS row FROM dep
       UNION ALL SELECT 'operation', to_jsonb(ops.*) FROM ops
       UNION ALL SELECT 'event', to_jsonb(ev.*) FROM ev`,
      [
        JSON.stringify(
          candidates.map((i, ord) => ({
            ord,
            id: i.deploymentId,
            op_id: i.operationId,
            job_id: i.jobId,
            tenant: i.tenant,
            name: i.name,
            environment: i.environment,
            model: i.model,
            stack_name: i.stackName,
            placement: i.placement,
            estimated_monthly_usd: i.estimatedMonthlyUsd,
            spec: i.spec,
            actor: i.actor,
            details: { name: i.name, stackName: i.stackName, estimatedMonthlyUsd: i.estimatedMonthlyUsd },
          })),
        ),
        CREATED_STATUS,
      ],
    );
    for (const result of r.rows) {
      const row = jsonObject(result["row"]);
      const kind = str(result["kind"]);
      if (kind === "deployment") deploymentRows.set(str(row["id"]), row);
      else if (kind === "operation") opByDeployment.set(str(row["deployment_id"]), toOperation(row));
      else eventByDeployment.set(str(row["deployment_id"]), toEvent(row));
    }
  }
  const losers = candidates.filter((i) => !deploymentRows.has(i.deploymentId));
  for (const i of losers) outcomes.set(i.deploymentId, { kind: "stack-taken" });
  // A claimed key must not point at a deployment that was not created.
  const orphanKeys = losers.filter((i) => claimed.has(i.deploymentId)).map((i) => i.deploymentId);
  if (orphanKeys.length > 0) {
    await tx.query(`DELETE FROM idempotency_keys WHERE deployment_id = ANY($1::uuid[])`, [orphanKeys]);
  }
  const created = candidates.filter((i) => deploymentRows.has(i.deploymentId));
  // 3. Their queue jobs, in the same transaction.
  if (created.length > 0) await enqueue(tx, created);
  for (const i of created) {
    const row = deploymentRows.get(i.deploymentId);
    const op = opByDeployment.get(i.deploymentId);
    const event = eventByDeployment.get(i.deploymentId);
    if (!row || !op || !event) throw new Error("batch insert lost a row");
    outcomes.set(i.deploymentId, { kind: "created", deployment: toDeployment(row, [op]), event });
  }
  return items.map((i) => outcomes.get(i.deploymentId) ?? { kind: "stack-taken" });
}
