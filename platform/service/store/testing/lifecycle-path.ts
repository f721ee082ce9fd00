/**
 * TEST-ONLY: reach any status the way production code does, through legal lifecycle moves.
 * Imported only by `*.test.ts` files.
 */
import type { DeploymentStatus } from "../../types";
import type { Db } from "../db";
import {
  CREATED_STATUS,
  LIFECYCLE_EVENTS,
  next,
  transition,
  type LifecycleEvent,
  type TransitionOptions,
} from "../lifecycle";

export interface Step {
  from: DeploymentStatus;
  event: LifecycleEvent;
  to: DeploymentStatus;
}

/** The shortest chain of legal moves from a new deployment to `target` (breadth first over the table). */
export function pathTo(target: DeploymentStatus): Step[] {
  const seen = new Map<DeploymentStatus, Step[]>([[CREATED_STATUS, []]]);
  const queue: DeploymentStatus[] = [CREATED_STATUS];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    const path = seen.get(s) ?? [];
    if (s === target) return path;
    for (const event of LIFECYCLE_EVENTS) {
      const to = next(s, event);
      if (to === null || seen.has(to)) continue;
      seen.set(to, [...path, { from: s, event, to }]);
      queue.push(to);
    }
  }
  throw new Error(`${target} cannot be reached from ${CREATED_STATUS}`);
}

/** Move a new deployment to `target` through legal moves; `last` applies to the final move. */
export async function driveTo(
  db: Db,
  deploymentId: string,
  target: DeploymentStatus,
  last: TransitionOptions = {},
): Promise<void> {
  const steps = pathTo(target);
  for (const [i, s] of steps.entries()) {
    await transition(db, deploymentId, [s.from], s.to, s.event, i === steps.length - 1 ? last : {});
  }
}
