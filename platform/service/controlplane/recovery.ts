/**
 * Crash recovery. Operations whose worker stopped heart-beating go back to the queue; queued
 * operations whose queue job is gone (finished, cancelled, or active on a dead worker) get a
 * new job. The handler ignores any job that is not the operation's current one.
 */
import { OPERATIONS_QUEUE, type OperationQueue } from "../queue/queue";
import type { Db } from "../store/db";
import * as deployments from "../store/deployments";
import { appendEvent } from "../store/events";
import { IllegalTransitionError, sources, transition } from "../store/lifecycle";
import { lostQueuedOperations, requeueStaleOperations } from "../store/recovery";
import { settleAppliedSpec } from "../store/applied";
import type { DeploymentEvent } from "../types";

export async function recover(
  db: Db,
  queue: OperationQueue,
  publish: (e: DeploymentEvent) => void,
  staleSeconds: number,
): Promise<{ requeued: number; resent: number }> {
  let requeued = 0;
  let resent = 0;
  // One transaction: a worker must not claim a taken-back operation before its deployment moved.
  const events = await db.transaction(async (tx) => {
    const out: DeploymentEvent[] = [];
    for (const op of await requeueStaleOperations(tx, staleSeconds)) {
      const cancelled = op.status === "cancelled";
      const to = cancelled ? "cancelled" : "queued";
      const event = cancelled ? "cancel" : "requeue";
      if (cancelled) await settleAppliedSpec(tx, op.deploymentId, op.kind, "cancelled");
      try {
        await transition(tx, op.deploymentId, sources(event, to), to, event, cancelled ? { error: op.error } : {});
      } catch (err) {
        if (!(err instanceof IllegalTransitionError)) throw err;
        // Not in an in-progress status: the deployment already moved on; leave its status alone.
      }
      out.push(
        await appendEvent(tx, {
          deploymentId: op.deploymentId,
          operationId: op.id,
          ...(cancelled
            ? { type: "status", data: { status: "cancelled", error: op.error } }
            : { type: "log", data: { message: "worker lost; operation re-queued to resume" } }),
        }),
      );
      if (!cancelled) requeued++;
    }
    return out;
  });
  for (const e of events) publish(e);
  for (const op of await lostQueuedOperations(db, queue.schema, OPERATIONS_QUEUE, staleSeconds)) {
    if (op.jobId) await queue.cancel(op.jobId).catch(() => undefined); // if it is still active somewhere
    const d = await deployments.getDeployment(db, op.tenant, op.deploymentId);
    if (!d) continue;
    // Same transaction: a worker must never see the new job before the operation points at it.
    await db.transaction(async (tx) => {
      const jobId = await queue.send({ operationId: op.id, stackName: d.stackName }, tx);
      await deployments.setOperationJob(tx, op.id, jobId);
    });
    queue.wake();
    resent++;
  }
  return { requeued, resent };
}

/**
 * Crash recovery on a timer (every worker process runs it): one sweep at a time; a sweep that
 * fails is tried again at the next tick.
 */
export class RecoverySweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly sweepOnce: () => Promise<unknown>) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.sweep(), everyMs);
    this.timer.unref();
  }

  /** Sweep now, or join the sweep under way. */
  sweep(): Promise<void> {
    this.running ??= this.sweepOnce()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** No more ticks; resolves when the sweep under way (if any) has ended. */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }
}
