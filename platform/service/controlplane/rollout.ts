/**
 * Canary and blue/green rollouts (issue 14 item 5) as edits of the stored spec: the spec's own
 * `model`/`server` are the revision being rolled out, `rollout.stable` the one serving before.
 *
 *   start    spec.revision + 1, rollout = { strategy, weight, stable: the previous model/server }
 *   weight   the same rollout at another weight (a PATCH during a rollout that changes nothing else)
 *   promote  the new revision alone: no rollout
 *   abort    back to the stable revision's model/server, at that revision number: no rollout
 *
 * Each step is one `update` operation plus a `log` event that names the step (recordRolloutStep,
 * in the operation's transaction). The pure planners throw ConflictError naming `rollout` (409)
 * or ValidationError naming `rollout.weight` (400); the stack splits traffic by the weights
 * (HTTPRoute backend weights, programs/deployment).
 */
import { ConflictError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import type { DeploymentSpec, RolloutStrategy } from "../../../programs/deployment/spec";
import { appendEvent } from "../store/events";
import type { Db } from "../store/db";
import { json } from "../store/rows";
import type { DeploymentEvent, RolloutStepRecord } from "../types";

/** What a PATCH asks for: the strategy, and the new revision's share of the traffic. */
export interface RolloutRequest {
  strategy: RolloutStrategy;
  /** Percent to the new revision, 0-100. A canary needs it; blue/green starts at 0 by default. */
  weight?: number;
}

/** What makes the new revision different from the serving one (absent: the same model and server, redeployed). */
export interface RevisionChange {
  model?: { version?: string; source?: string };
  server?: { image?: string };
}

export interface PlannedStep {
  spec: DeploymentSpec;
  step: RolloutStepRecord;
}

function checkWeight(strategy: RolloutStrategy, weight: number | undefined): number {
  if (weight === undefined) {
    if (strategy === "blue-green") return 0;
    throw new ValidationError(
      "rollout.weight",
      "a canary needs a weight: the percent of requests (0-100) the new revision gets",
    );
  }
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
    throw new ValidationError(
      "rollout.weight",
      `${weight} is outside 0-100: send the percent of requests the new revision gets`,
    );
  }
  if (strategy === "blue-green" && weight !== 0 && weight !== 100) {
    throw new ValidationError(
      "rollout.weight",
      `blue-green moves all traffic at once: weight is 0 (new revision idle beside the old) or 100, not ${weight}; use strategy "canary" to split`,
    );
  }
  return weight;
}

function inProgress(spec: DeploymentSpec): string {
  const r = spec.rollout;
  return r
    ? `a ${r.strategy} of revision ${spec.revision} is in progress at ${r.weight}%`
    : "no rollout is in progress";
}

/**
 * A PATCH with `rollout`: starts one, or (same strategy, no new revision asked for) moves the weight
 * of the one in progress. Anything else during a rollout is a second rollout: 409 naming `rollout`.
 */
export function planRolloutPatch(spec: DeploymentSpec, req: RolloutRequest, change: RevisionChange = {}): PlannedStep {
  const weight = checkWeight(req.strategy, req.weight);
  const changes = change.model !== undefined || change.server !== undefined;
  const from = { revision: spec.revision, weight: spec.rollout?.weight ?? null };
  const current = spec.rollout;
  if (current) {
    if (current.strategy !== req.strategy || changes) {
      throw new ConflictError(
        `rollout: ${inProgress(spec)}; promote or abort it before starting another (a PATCH with the same strategy and only a weight moves the weight)`,
        "rollout",
      );
    }
    return {
      spec: { ...spec, rollout: { ...current, weight } },
      step: {
        step: "weight",
        message: `${current.strategy} of revision ${spec.revision}: weight ${current.weight}% → ${weight}%`,
        from,
        details: { strategy: current.strategy, weight, previousWeight: current.weight, revision: spec.revision },
      },
    };
  }
  const revision = spec.revision + 1;
  const model = { ...spec.model, ...(change.model ?? {}) };
  const server = { ...spec.server, ...(change.server ?? {}) };
  return {
    spec: {
      ...spec,
      model,
      server,
      revision,
      rollout: {
        strategy: req.strategy,
        weight,
        stable: { revision: spec.revision, model: spec.model, server: spec.server },
      },
    },
    step: {
      step: "start",
      message: `${req.strategy} of revision ${revision} started beside revision ${spec.revision}: ${weight}% of requests to the new revision`,
      from,
      details: { strategy: req.strategy, weight, revision, stableRevision: spec.revision },
    },
  };
}

/** Promote: the new revision serves alone. 409 naming `rollout` without one. */
export function planPromote(spec: DeploymentSpec): PlannedStep {
  const r = spec.rollout;
  if (!r)
    throw new ConflictError(
      "rollout: no rollout is in progress; start one with PATCH {rollout: {strategy, weight}}",
      "rollout",
    );
  const { rollout: _done, ...rest } = spec;
  return {
    spec: rest,
    step: {
      step: "promote",
      message: `revision ${spec.revision} promoted: it takes 100% of requests; revision ${r.stable.revision} is removed`,
      from: { revision: spec.revision, weight: r.weight },
      details: { strategy: r.strategy, revision: spec.revision, removedRevision: r.stable.revision },
    },
  };
}

/** Abort: back to the stable revision alone (its model, server and revision number). 409 without a rollout. */
export function planAbort(spec: DeploymentSpec): PlannedStep {
  const r = spec.rollout;
  if (!r) throw new ConflictError("rollout: no rollout is in progress; there is nothing to abort", "rollout");
  const { rollout: _done, ...rest } = spec;
  return {
    spec: { ...rest, model: r.stable.model, server: r.stable.server, revision: r.stable.revision },
    step: {
      step: "abort",
      message: `rollout of revision ${spec.revision} aborted: revision ${r.stable.revision} takes 100% of requests again`,
      from: { revision: spec.revision, weight: r.weight },
      details: { strategy: r.strategy, revision: r.stable.revision, removedRevision: spec.revision },
    },
  };
}

/**
 * Inside the update's transaction: lock the deployment, check that its stored spec is still the one
 * the step was planned from (a concurrent step → 409 naming `rollout`), and append the step's event.
 */
export async function recordRolloutStep(
  tx: Db,
  deploymentId: string,
  operationId: string,
  step: RolloutStepRecord,
): Promise<DeploymentEvent[]> {
  const r = await tx.query(`SELECT spec FROM deployments WHERE id = $1 FOR UPDATE`, [deploymentId]);
  const stored = json(r.rows[0]?.["spec"]) as { revision?: number; rollout?: { weight?: number } } | null;
  const revision = stored?.revision ?? 1;
  const weight = stored?.rollout?.weight ?? null;
  if (revision !== step.from.revision || weight !== step.from.weight) {
    throw new ConflictError(
      "rollout: another rollout step changed this deployment meanwhile; read it again (GET) and retry",
      "rollout",
    );
  }
  const event = await appendEvent(tx, {
    deploymentId,
    operationId,
    type: "log",
    data: { message: step.message, rollout: { step: step.step, ...step.details } },
  });
  return [event];
}
