/**
 * Deployment requests: submit (idempotent, batched), update, destroy, purge and cancel. Each one
 * persists its operation, queue job, audit row and `queued` event in one transaction, then
 * publishes the events and wakes the queue.
 */
import { randomUUID } from "node:crypto";
import { ConflictError, NotFoundError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import type { OperationQueue } from "../queue/queue";
import { purgeDeployment, settleAppliedSpec } from "../store/applied";
import { audit, findIdempotencyKey } from "../store/audit";
import type { Db } from "../store/db";
import * as deployments from "../store/deployments";
import { appendEvent } from "../store/events";
import { sources, transition } from "../store/lifecycle";
import { deleteRecommendationOf } from "../store/recommendations";
import type {
  Deployment,
  DeploymentEvent,
  ListDeploymentsOptions,
  OperationKind,
  Page,
  SubmitDeploymentInput,
  UpdateDeploymentInput,
} from "../types";
import { checkIdempotencyKey, parseListOptions, parseSubmit, parseUpdate } from "./input";
import type { TenantQuotas } from "./quotas";
import { hashRequest } from "./request-hash";
import { recordRolloutStep } from "./rollout";
import type { SubmitBatcher } from "./submit-batcher";

export interface DeploymentRequestsDeps {
  db: Db;
  queue: OperationQueue;
  batcher: SubmitBatcher;
  quotas: TenantQuotas;
  publish: (e: DeploymentEvent) => void;
  /** Abort an operation running in this process (a cancel request). */
  abortLocal: (operationId: string) => void;
  /** Cancel of an in-flight migration: the migration is aborted instead (./migrate.ts). */
  abortMigration: (tenant: string, id: string, actor: string) => Promise<Deployment>;
}

export class DeploymentRequests {
  constructor(private readonly o: DeploymentRequestsDeps) {}

  async submit(
    raw: SubmitDeploymentInput,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const input = parseSubmit(raw);
    const key = checkIdempotencyKey(idempotencyKey);
    const requestHash = hashRequest(input);
    return this.o.quotas.within(
      { tenant: input.tenant, newDeployment: true, monthlyUsd: input.estimatedMonthlyUsd },
      () => this.submitWithin(input, key, requestHash),
      async () => {
        const replay = key ? await this.replayIdempotent(input.tenant, key, requestHash) : null;
        return replay ? { deployment: replay, created: false } : null;
      },
    );
  }

  private async submitWithin(
    input: SubmitDeploymentInput,
    key: string | undefined,
    requestHash: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const outcome = await this.o.batcher.submit({
      deploymentId: randomUUID(),
      operationId: randomUUID(),
      jobId: randomUUID(),
      tenant: input.tenant,
      actor: input.actor,
      name: input.name,
      environment: input.environment,
      model: input.model,
      stackName: input.stackName,
      placement: input.placement,
      estimatedMonthlyUsd: input.estimatedMonthlyUsd,
      spec: input.spec,
      idempotency: key ? { key, requestHash } : null,
    });
    if (outcome.kind === "created") {
      this.o.publish(outcome.event);
      this.o.queue.wake();
      return { deployment: outcome.deployment, created: true };
    }
    if (outcome.kind === "key-taken" && key) {
      const replay = await this.replayIdempotent(input.tenant, key, requestHash);
      if (replay) return { deployment: replay, created: false };
    }
    throw new ConflictError(
      `stack "${input.stackName}" belongs to a deployment that is not destroyed yet; destroy it first or choose another name/environment`,
    );
  }

  private async replayIdempotent(tenant: string, key: string, requestHash: string): Promise<Deployment | null> {
    const seen = await findIdempotencyKey(this.o.db, tenant, key);
    if (!seen) return null;
    if (seen.requestHash !== requestHash) {
      throw new ConflictError(
        "Idempotency-Key was already used with a different request; use a new key for a new request",
      );
    }
    return this.get(tenant, seen.deploymentId);
  }

  /** Inside `tx`: the operation, its queue job, an audit row and the `queued` status event. */
  private async enqueue(
    tx: Db,
    d: { id: string; tenant: string; stackName: string },
    operationId: string,
    kind: OperationKind,
    actor: string,
    a: { action: string; details: Record<string, unknown> },
  ): Promise<DeploymentEvent[]> {
    await deployments.insertOperation(tx, { id: operationId, deploymentId: d.id, tenant: d.tenant, kind, actor });
    const jobId = await this.o.queue.send({ operationId, stackName: d.stackName }, tx);
    await deployments.setOperationJob(tx, operationId, jobId);
    await audit(tx, { actor, tenant: d.tenant, action: a.action, target: d.id, details: a.details });
    const e = await appendEvent(tx, {
      deploymentId: d.id,
      operationId,
      type: "status",
      data: { status: "queued", operation: kind },
    });
    return [e];
  }

  private afterEnqueue(events: DeploymentEvent[]): void {
    for (const e of events) this.o.publish(e);
    this.o.queue.wake();
  }

  async get(tenant: string, id: string): Promise<Deployment> {
    const d = await deployments.getDeployment(this.o.db, tenant, id);
    if (!d) throw new NotFoundError(`deployment ${id}`);
    return d;
  }

  async list(tenant: string, raw: ListDeploymentsOptions): Promise<Page<Deployment>> {
    const options = parseListOptions(raw);
    try {
      return await deployments.listDeployments(this.o.db, tenant, options);
    } catch (err) {
      if (err instanceof deployments.CursorError) throw new ValidationError("cursor", err.message);
      throw err;
    }
  }

  async update(tenant: string, id: string, raw: UpdateDeploymentInput, actor: string): Promise<Deployment> {
    const input = parseUpdate(raw);
    const d = await this.get(tenant, id);
    if (d.status === "destroyed" || d.status === "destroying") {
      throw new ConflictError(`deployment is ${d.status}; create a new deployment instead`);
    }
    const claim = { tenant, newDeployment: false, monthlyUsd: input.estimatedMonthlyUsd, replacing: id };
    return this.o.quotas.within(claim, () => this.enqueueUpdate(d, input, raw, actor));
  }

  private async enqueueUpdate(
    d: Deployment,
    input: UpdateDeploymentInput,
    raw: UpdateDeploymentInput,
    actor: string,
  ): Promise<Deployment> {
    const { tenant, id } = d;
    const events = await this.o.db.transaction(async (tx) => {
      const operationId = randomUUID();
      // A rollout step first: it locks the row and refuses (409) when another step moved the rollout.
      const step = raw.rollout ? await recordRolloutStep(tx, d.id, operationId, raw.rollout) : [];
      const ev = await this.enqueue(tx, d, operationId, "update", actor, {
        action: raw.rollout ? `deployment.rollout.${raw.rollout.step}` : "deployment.update",
        details: { estimatedMonthlyUsd: input.estimatedMonthlyUsd, replaced: input.placement !== undefined },
      });
      await deployments.setDeploymentSpec(
        tx,
        tenant,
        id,
        input.spec,
        input.placement ?? d.placement,
        input.estimatedMonthlyUsd,
      );
      await transition(tx, id, sources("request-update", "queued"), "queued", "request-update", { error: null });
      return [...step, ...ev];
    });
    this.afterEnqueue(events);
    return this.get(tenant, id);
  }

  async destroy(tenant: string, id: string, actor: string): Promise<Deployment> {
    const d = await this.get(tenant, id);
    if (d.status === "destroyed") throw new ConflictError("deployment is already destroyed");
    const events = await this.o.db.transaction(async (tx) => {
      const ev = await this.enqueue(tx, d, randomUUID(), "destroy", actor, {
        action: "deployment.destroy",
        details: {},
      });
      await transition(tx, id, sources("request-destroy", "queued"), "queued", "request-destroy");
      await deleteRecommendationOf(tx, id); // a recommendation for a deployment going away disappears
      return ev;
    });
    this.afterEnqueue(events);
    return this.get(tenant, id);
  }

  /** Remove a deployment that never reached the engine's deploy or destroy phase (`DELETE ?purge=true`). */
  async purge(tenant: string, id: string, actor: string): Promise<void> {
    await this.o.db.transaction(async (tx) => {
      const out = await purgeDeployment(tx, tenant, id);
      if (out === false) throw new NotFoundError(`deployment ${id}`);
      if (out !== true) throw new ConflictError(`deployment ${id} cannot be purged: ${out}`);
      await audit(tx, { actor, tenant, action: "deployment.purge", target: id });
    });
  }

  async cancel(tenant: string, id: string, actor: string): Promise<Deployment> {
    const { db } = this.o;
    await this.get(tenant, id);
    const op = await deployments.inFlightOperation(db, tenant, id);
    if (!op) throw new ConflictError("no operation is queued or running on this deployment");
    if (op.kind === "migrate") return this.o.abortMigration(tenant, id, actor); // the deployment's status stays
    const info = { code: "cancelled", message: "cancelled by request" };
    await audit(db, { actor, tenant, action: "deployment.cancel", target: id, details: { operationId: op.id } });
    await deployments.requestCancel(db, op.id);
    const wasQueued = await db.transaction(async (tx) => {
      if (!(await deployments.cancelQueuedOperation(tx, op.id, info))) return null;
      await settleAppliedSpec(tx, id, op.kind, "cancelled");
      await transition(tx, id, sources("cancel", "cancelled"), "cancelled", "cancel", { error: info });
      return appendEvent(tx, {
        deploymentId: id,
        operationId: op.id,
        type: "status",
        data: { status: "cancelled", error: info },
      });
    });
    if (wasQueued) {
      this.o.publish(wasQueued);
      if (op.jobId) await this.o.queue.cancel(op.jobId).catch(() => undefined);
    } else {
      // Running: abort here if it runs in this process; otherwise its worker sees the flag on its next heartbeat.
      this.o.abortLocal(op.id);
    }
    return this.get(tenant, id);
  }
}
