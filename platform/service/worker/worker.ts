/**
 * The job handler: runs one operation (create/update/destroy) of one deployment through the
 * engine, moving the deployment through `queued → previewing → deploying → ready|unverified|failed`,
 * `destroying → destroyed`, or `cancelled`, recording the operation's history and persisting every
 * engine event as a deployment event.
 *
 * Every status change goes through the lifecycle table (../store/lifecycle.ts).
 *
 * Failures are classified by `classifyEngineError`: transient ones (a locked stack) put the
 * operation back in the queue and rethrow so pg-boss retries with backoff; policy denials, an
 * unavailable engine and program failures fail the operation at once.
 */
import { randomUUID } from "node:crypto";
import {
  unverifiedReason,
  type Deployment,
  type DeploymentEvent,
  type DeploymentStatus,
  type ErrorInfo,
} from "../types";
import { classifyEngineError, type EngineFailure } from "../engine/errors";
import type { Engine, EngineEventMessage, StackTarget } from "../engine/types";
import type { QueuedJob } from "../queue/queue";
import type { Db } from "../store/db";
import { getDeployment, heartbeat, type OperationRecord } from "../store/deployments";
import { claimOperationForJob, endAttempt, setStatusIfOwned } from "../store/finish";
import type { LifecycleEvent } from "../store/lifecycle";
import { destroyLeftStacks, migrationHeartbeat, runMigration } from "./migration";
import { EventWriter } from "./event-writer";
import type { FailoverContext } from "./failover";
import { failoverStep } from "./failover-step";

export { EventWriter };

export interface WorkerOptions {
  db: Db;
  engine: Engine;
  /** Called after every event is persisted (live SSE subscribers). */
  publish: (event: DeploymentEvent) => void;
  /** How often a running operation refreshes its heartbeat and looks for a cancel request. Default 2000 ms. */
  heartbeatMs?: number;
  /** Re-place on capacity/quota failures (./failover.ts); absent: such failures are remembered and fail the operation. */
  failover?: FailoverContext;
  /** Now (tests pin it). */
  clock?: () => Date;
}

/** An operation this attempt claimed, with the attempt's claim token. */
type ClaimedOperation = OperationRecord & { claim: string };

/** Why a running operation's signal was aborted: a cancel request, shutdown, or ownership lost to crash recovery. */
type AbortReason = "cancel" | "shutdown" | "lost";

export class OperationWorker {
  readonly workerId = `worker-${randomUUID()}`;
  private readonly controllers = new Map<string, AbortController>();
  /** Handlers still running (shutdown waits for them to park their jobs before the database closes). */
  private readonly handling = new Set<Promise<void>>();
  private readonly heartbeatMs: number;

  constructor(private readonly o: WorkerOptions) {
    this.heartbeatMs = o.heartbeatMs ?? 2000;
  }

  /** Set (or replace) what re-placement needs; the server's edge calls it once the footprint is read. */
  configureFailover(ctx: FailoverContext | undefined): void {
    this.o.failover = ctx;
  }

  /** Abort the operation if it runs in this process (a cancel request). */
  abortLocal(operationId: string, reason: AbortReason): boolean {
    const c = this.controllers.get(operationId);
    if (!c) return false;
    c.abort(reason);
    return true;
  }

  /** Abort every running operation for shutdown: they go back to the queue for the next start. */
  abortAll(): void {
    for (const c of this.controllers.values()) c.abort("shutdown");
  }

  get running(): number {
    return this.controllers.size;
  }

  /** Resolves true once every running handler has returned, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      while (this.handling.size > 0) {
        const settled = Promise.allSettled([...this.handling]).then(() => true as const);
        if (!(await Promise.race([settled, late]))) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** pg-boss handler. Throws only to ask pg-boss for a retry. */
  handle(job: QueuedJob): Promise<void> {
    const p = this.handleJob(job);
    const tracked = p.then(
      () => undefined,
      () => undefined,
    );
    this.handling.add(tracked);
    void tracked.finally(() => this.handling.delete(tracked));
    return p;
  }

  private async handleJob(job: QueuedJob): Promise<void> {
    const { db } = this.o;
    // Each attempt has its own claim token, so a stale attempt can never end a newer one, even in this process.
    const claim = `${this.workerId}/${randomUUID()}`;
    const claimed = await claimOperationForJob(db, job.data.operationId, job.id, claim);
    if (!claimed) return; // finished, cancelled, claimed elsewhere, or a job superseded by recovery
    const op: ClaimedOperation = { ...claimed, claim };
    if (op.kind === "migrate") return this.migrate(op);
    const ref = { tenant: op.tenant, id: op.deploymentId };
    const availability = await this.o.engine.availability();
    if (!availability.available) {
      // Fail fast, with the reason, without touching the engine (and never pretend).
      const info: ErrorInfo = {
        code: "engine_unavailable",
        message: availability.reason ?? "the deployment engine is unavailable",
      };
      await this.finalize(op, ref, { operation: "failed", error: info }, "fail", "failed", { error: info });
      return;
    }
    const deployment = await getDeployment(db, op.tenant, op.deploymentId);
    if (!deployment) {
      const info: ErrorInfo = { code: "not_found", message: "deployment vanished" };
      await this.finalize(op, ref, { operation: "failed", error: info }, "fail", "failed", { error: info });
      return;
    }
    const controller = new AbortController();
    this.controllers.set(op.id, controller);
    const events = new EventWriter(db, deployment.id, op.id, this.o.publish);
    const beat = setInterval(() => {
      heartbeat(db, op.id, op.claim).then(
        (h) => {
          if (controller.signal.aborted) return;
          if (!h.owned) controller.abort("lost");
          else if (h.cancelRequested) controller.abort("cancel");
        },
        () => undefined,
      );
    }, this.heartbeatMs);
    try {
      const final = await this.runWithFailover(op, deployment, controller.signal, events);
      await events.flush();
      const event: LifecycleEvent =
        final.status === "simulated" ? "simulate" : final.status === "unverified" ? "succeed-unverified" : "succeed";
      const reason = final.status === "unverified" ? unverifiedReason(final.outputs) : null;
      await this.finalize(op, deployment, { operation: "succeeded", error: null }, event, final.status, {
        error: null,
        outputs: final.outputs,
        ...(reason !== null ? { reason } : {}),
      });
    } catch (err) {
      await events.flush().catch(() => undefined);
      const reason = controller.signal.aborted ? (controller.signal.reason as AbortReason) : undefined;
      await this.settleFailure(op, deployment, err, reason, job, events);
    } finally {
      clearInterval(beat);
      this.controllers.delete(op.id);
    }
  }

  /** A blue/green migration (./migration.ts): the deployment's status is not touched. */
  private async migrate(op: ClaimedOperation): Promise<void> {
    const controller = new AbortController();
    this.controllers.set(op.id, controller);
    const events = new EventWriter(this.o.db, op.deploymentId, op.id, this.o.publish);
    const beat = migrationHeartbeat(this.o.db, op, controller, this.heartbeatMs);
    try {
      await runMigration({
        db: this.o.db,
        engine: this.o.engine,
        op,
        events,
        publish: this.o.publish,
        signal: controller.signal,
      });
    } finally {
      clearInterval(beat);
      this.controllers.delete(op.id);
    }
  }

  /** `run`, re-placing the deployment after a capacity or quota failure (./failover-step.ts; at most MAX_FAILOVER_TRIES times). */
  private async runWithFailover(
    op: ClaimedOperation,
    deployment: Deployment,
    signal: AbortSignal,
    events: EventWriter,
  ): Promise<{ status: DeploymentStatus; outputs: Record<string, unknown> | null }> {
    let d = deployment;
    for (let tries = 0; ; tries += 1) {
      try {
        return await this.run(op, d, signal, events);
      } catch (err) {
        if (signal.aborted || op.kind === "destroy") throw err;
        const next = await failoverStep({
          db: this.o.db,
          ctx: this.o.failover,
          now: this.o.clock?.() ?? new Date(),
          d,
          err,
          tries,
          events,
          requeue: () => this.status(op, d, "requeue", "queued", events),
        });
        if (!next) throw err;
        d = next;
      }
    }
  }

  /** Runs the engine; returns the deployment's final status (written with the operation's end, atomically). */
  private async run(
    op: ClaimedOperation,
    d: Deployment,
    signal: AbortSignal,
    events: EventWriter,
  ): Promise<{ status: DeploymentStatus; outputs: Record<string, unknown> | null }> {
    const { engine } = this.o;
    const stack: StackTarget = {
      stackName: d.stackName,
      deploymentId: d.id,
      tenant: d.tenant,
      model: d.model,
      spec: d.spec,
    };
    const ctx = { signal, onEvent: (e: EngineEventMessage) => events.push(e.type, e.data), resume: op.attempts > 1 };
    if (op.attempts > 1) events.push("log", { message: `attempt ${op.attempts}: resuming` });
    if (op.kind === "destroy") {
      await this.status(op, d, "start-destroy", "destroying", events);
      const r = await engine.destroy({ ...ctx, stack, removeStack: true });
      const extra = await destroyLeftStacks(this.o.db, engine, d, ctx, events);
      events.push("summary", {
        kind: op.kind,
        result: "succeeded",
        changes: r.changes,
        stackRemoved: r.removed,
        ...(extra.removed.length > 0 ? { leftStacksRemoved: extra.removed } : {}),
        ...(extra.left.length > 0 ? { leftStacksKept: extra.left } : {}),
      });
      return { status: "destroyed", outputs: null };
    }
    await this.status(op, d, "start-preview", "previewing", events);
    const preview = await engine.preview({ ...ctx, stack });
    events.push("summary", { kind: "preview", result: "succeeded", changes: preview.changes });
    if (signal.aborted) throw new Error("operation cancelled");
    await this.status(op, d, "start-deploy", "deploying", events);
    const up = await engine.up({ ...ctx, stack });
    // Applied but not seen serving (serverless, or the observation failed): `unverified`, never `ready`.
    const unverified = up.simulated ? null : unverifiedReason(up.outputs);
    events.push("summary", {
      kind: op.kind,
      result: up.simulated ? "simulated" : "succeeded",
      changes: up.changes,
      ...(up.simulated ? { simulated: true } : {}),
      ...(unverified !== null
        ? { readiness: "unverified", reason: `applied, but not seen serving: ${unverified}` }
        : {}),
    });
    return { status: up.simulated ? "simulated" : unverified !== null ? "unverified" : "ready", outputs: up.outputs };
  }

  private async settleFailure(
    op: ClaimedOperation,
    d: Deployment,
    err: unknown,
    reason: AbortReason | undefined,
    job: QueuedJob,
    events: EventWriter,
  ): Promise<void> {
    if (reason === "lost") {
      // Another worker took the operation over (this one looked dead): leave it alone.
      events.push("log", { message: "operation taken over by another worker; this attempt stopped" });
      await events.flush();
      return;
    }
    if (reason === "shutdown") {
      // Not a failure: the next start (or another worker) picks the operation up again.
      events.push("log", { message: "worker shutting down; operation re-queued" });
      await events.flush();
      await this.finalize(op, d, { operation: "requeue", error: null }, "requeue", "queued", {});
      return;
    }
    const failure: EngineFailure =
      reason === "cancel"
        ? { kind: "cancelled", code: "cancelled", message: "cancelled by request", retryable: false }
        : classifyEngineError(err);
    const info: ErrorInfo = { code: failure.code, message: failure.message };
    if (failure.retryable && job.retryCount < job.retryLimit) {
      events.push("log", { message: `${failure.message} (attempt ${op.attempts}; retrying with backoff)` });
      await events.flush();
      await this.finalize(op, d, { operation: "requeue", error: info }, "requeue", "queued", {});
      throw new Error(`${failure.code}: retry`);
    }
    const cancelled = failure.kind === "cancelled";
    await this.finalize(
      op,
      d,
      { operation: cancelled ? "cancelled" : "failed", error: info },
      cancelled ? "cancel" : "fail",
      cancelled ? "cancelled" : "failed",
      { error: info },
    );
  }

  /** End (or re-queue) the attempt and move the deployment on `move` in one transaction, then publish. */
  private async finalize(
    op: ClaimedOperation,
    d: { id: string },
    end: { operation: "succeeded" | "failed" | "cancelled" | "requeue"; error: ErrorInfo | null },
    move: LifecycleEvent,
    status: DeploymentStatus,
    extra: { error?: ErrorInfo | null; outputs?: Record<string, unknown> | null; reason?: string },
  ): Promise<void> {
    const event = await endAttempt(this.o.db, {
      operationId: op.id,
      claim: op.claim,
      end: end.operation,
      error: end.error,
      deploymentId: d.id,
      event: move,
      status,
      ...(extra.error !== undefined ? { deploymentError: extra.error } : {}),
      ...(extra.outputs !== undefined ? { outputs: extra.outputs } : {}),
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    });
    // null: crash recovery took the operation over meanwhile; the new attempt decides.
    if (event) this.o.publish(event);
  }

  /** An in-progress status (previewing, deploying, destroying), written only while this attempt owns the operation. */
  private async status(
    op: ClaimedOperation,
    d: Deployment,
    event: LifecycleEvent,
    status: DeploymentStatus,
    events: EventWriter,
  ): Promise<void> {
    const owned = await setStatusIfOwned(this.o.db, {
      deploymentId: d.id,
      operationId: op.id,
      claim: op.claim,
      event,
      status,
    });
    if (!owned) throw new Error("operation taken over by another worker");
    events.push("status", { status });
    await events.flush();
  }
}
