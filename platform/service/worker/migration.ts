/**
 * A `migrate` operation: move a deployment blue/green to another placement.
 *
 *   1. new-stack-up   the new stack (its own name) comes up through the engine (preview, then up);
 *   2. ready          the control plane takes the up's outputs as the new stack's readiness (the
 *                     Automation engine's up returns when the resources are ready; the dry-run
 *                     engine's is simulated);
 *   3. route-shifted  on the same cluster, the old stack's HTTPRoute first hands its traffic to
 *                     the new stack's Service (an `up` of the old stack with `handoff`: weight 100
 *                     to the new generation, the gateway's rollout mechanism), so no request
 *                     reaches a Service that step 4 deletes; then the deployment switches to the
 *                     new stack (name, spec, placement, price, outputs) in one transaction. On
 *                     another cluster (or serverless) there is no shared route: the endpoint
 *                     changes to the new stack's, and the event says so;
 *   4. old-destroyed  the old stack is destroyed and removed.
 *
 * The new stack is the deployment's next generation (spec.generation), so its Kubernetes and
 * cloud object names are its own and it comes up beside the old one; its own HTTPRoute matches the
 * same path, and the gateway gives a path to the oldest route first, so the new route takes over
 * exactly when step 4 deletes the old one. (Gateway API v1, `Listener.allowedRoutes`: among rules
 * that match a request equally, "the oldest Route based on creation timestamp" wins, then the
 * first by namespace/name; the v1 API reference, read 2026-12-01.)
 *
 * Each step is an event (`log`, data `{message, migration: {step, ...}}`). An abort (cancel
 * request) or a failure before the switch in step 3 puts the old stack's route back on its own
 * Service when it had been handed off (an `up` of the old spec), destroys the new stack (best
 * effort) and leaves the old one serving; when that restore fails, the new stack is kept (the old
 * route still sends to it) and the operation fails with `route_restore_failed`. After step 3 the
 * new one serves, and a failure to destroy the old stack is reported (operation failed,
 * `old_stack_left`) without moving back. The deployment's status does
 * not change during a migration, except at the shift: it becomes `unverified` when the new stack
 * could not be seen serving (outputs.readiness), `ready` when a new stack was seen serving.
 */
import { unverifiedReason, type DeploymentEvent, type ErrorInfo } from "../types";
import { classifyEngineError } from "../engine/errors";
import type { Engine, EngineEventMessage, StackTarget } from "../engine/types";
import type { Db } from "../store/db";
import type { Placement } from "../../core/placement";
import { parseDeploymentSpec } from "../../../programs/deployment/spec";
import { getDeployment, heartbeat, type OperationRecord } from "../store/deployments";
import {
  endMigrationOperation,
  clearLeftStack,
  getMigration,
  leftStacks,
  recordLeftStack,
  setMigrationStep,
  shiftRoute,
  type MigrationRecord,
  type MigrationStep,
} from "../store/migrations";
import type { EventWriter } from "./event-writer";

export interface MigrationRun {
  db: Db;
  engine: Engine;
  op: OperationRecord & { claim: string };
  events: EventWriter;
  publish: (e: DeploymentEvent) => void;
  signal: AbortSignal;
}

/** The four steps, in order (the event `migration.step` values, then `rolled-back` on the way back). */
export const STEPS: readonly MigrationStep[] = ["new-stack-up", "ready", "route-shifted", "old-destroyed"];

class Aborted extends Error {
  constructor() {
    super("migration aborted by request");
  }
}

export async function runMigration(r: MigrationRun): Promise<void> {
  const { db, engine, op, events, signal } = r;
  const m = await getMigration(db, op.id);
  const d = await getDeployment(db, op.tenant, op.deploymentId);
  if (!m || !d) {
    await finish(r, "failed", { code: "not_found", message: "the migration or its deployment vanished" }, {});
    return;
  }
  const target = (stackName: string, spec: MigrationRecord["toSpec"]): StackTarget => ({
    stackName,
    deploymentId: d.id,
    tenant: d.tenant,
    model: d.model,
    spec,
  });
  const newStack = target(m.toStack, m.toSpec);
  const oldStack = target(m.fromStack, m.fromSpec);
  const ctx = { signal, onEvent: (e: EngineEventMessage) => events.push(e.type, e.data), resume: op.attempts > 1 };
  const step = async (s: MigrationStep, message: string, extra: Record<string, unknown> = {}): Promise<void> => {
    events.push("log", { message, migration: { step: s, from: m.fromStack, to: m.toStack, ...extra } });
    await events.flush();
  };
  const checkAbort = (): void => {
    if (signal.aborted) throw new Aborted();
  };
  let shifted = m.step === "route-shifted" || m.step === "old-destroyed";
  const handoff = sharesRoute(m.fromSpec.placement, m.toPlacement);
  // A previous attempt that got past `ready` may have handed the route off already.
  let handedOff = handoff && m.step === "ready";
  try {
    if (!shifted) {
      checkAbort();
      const p = m.toPlacement;
      await step(
        "new-stack-up",
        `migration 1/4: bringing up the new stack ${m.toStack} on ${p.cloud} ${p.region} ${p.instanceType} (${p.capacity}), $${m.toMonthlyUsd.toFixed(2)}/month (USD, catalog ${m.catalogVersion}); the old stack keeps serving`,
      );
      await engine.preview({ ...ctx, stack: newStack });
      checkAbort();
      const up = await engine.up({ ...ctx, stack: newStack });
      await setMigrationStep(db, op.id, "new-stack-up");
      checkAbort();
      const unverified = up.simulated ? null : unverifiedReason(up.outputs);
      const seen = up.simulated
        ? "simulated (dry run: nothing was created)"
        : unverified !== null
          ? `applied, but unverified: ${unverified}`
          : "ready";
      await step("ready", `migration 2/4: new stack ${m.toStack} is ${seen}`, {
        simulated: up.simulated === true,
        ...(unverified !== null ? { readiness: "unverified", reason: unverified } : {}),
      });
      await setMigrationStep(db, op.id, "ready");
      checkAbort();
      // A cluster without a gateway has no route to hand off (the program says why in endpointReason).
      const handsOff = handoff && typeof up.outputs["endpointReason"] !== "string";
      if (handsOff) {
        handedOff = true;
        await engine.up({ ...ctx, stack: target(m.fromStack, handoffSpec(m)) });
        checkAbort();
      }
      if (!(await shiftRoute(db, m, op.claim, up.outputs))) return; // taken over by crash recovery
      shifted = true;
      await step("route-shifted", shiftMessage(m, up.outputs, handoff, handsOff), { handoff: handsOff });
    }
    await step("old-destroyed", `migration 4/4: destroying the old stack ${m.fromStack}`);
    try {
      // The old stack goes even if an abort arrives now: the route already left it.
      await engine.destroy({ ...ctx, signal: new AbortController().signal, stack: oldStack, removeStack: true });
    } catch (err) {
      const f = classifyEngineError(err);
      const info = {
        code: "old_stack_left",
        message: `the new stack serves; destroying the old stack ${m.fromStack} failed: ${f.message}. It is recorded and removed with the deployment (or destroy it with pulumi destroy -s ${m.fromStack})`,
      };
      await recordLeftStack(db, op.id, m.fromStack);
      await finish(r, "failed", info, { kind: "migrate", result: "failed", step: "old-destroyed", error: info });
      return;
    }
    await setMigrationStep(db, op.id, "old-destroyed");
    await finish(r, "succeeded", null, {
      kind: "migrate",
      result: "succeeded",
      stack: m.toStack,
      placement: m.toPlacement,
      monthlyUsd: m.toMonthlyUsd,
      currency: "USD",
      catalogVersion: m.catalogVersion,
    });
  } catch (err) {
    const aborted = err instanceof Aborted || signal.aborted;
    const info: ErrorInfo = aborted
      ? { code: "cancelled", message: "migration aborted by request; the old stack keeps serving" }
      : (() => {
          const f = classifyEngineError(err);
          return { code: f.code, message: `${f.message}; the old stack keeps serving` };
        })();
    if (shifted) {
      // Cannot happen today (no step after the shift throws out here), kept for safety.
      await finish(r, "failed", info, { kind: "migrate", result: "failed", error: info });
      return;
    }
    const fresh = new AbortController().signal;
    if (handedOff) {
      events.push("log", {
        message: `migration rolling back: putting the route of ${m.fromStack} back on its own Service`,
        migration: { from: m.fromStack, to: m.toStack, restoring: true },
      });
      try {
        await engine.up({ ...ctx, signal: fresh, stack: oldStack });
      } catch (e) {
        const left: ErrorInfo = {
          code: "route_restore_failed",
          message: `${info.message}; putting the route of ${m.fromStack} back on its own Service failed (${classifyEngineError(e).message}), so the new stack ${m.toStack} is kept: the route still sends requests to it. Retry the migration or redeploy ${m.fromStack}; the kept stack is recorded and removed with the deployment`,
        };
        await recordLeftStack(db, op.id, m.toStack);
        await finish(r, "failed", left, { kind: "migrate", result: "failed", error: left });
        return;
      }
    }
    events.push("log", {
      message: `migration rolled back: destroying the new stack ${m.toStack}; ${m.fromStack} ${handedOff ? "serves on its own Service again" : "was never touched"}`,
      migration: { step: "rolled-back", from: m.fromStack, to: m.toStack },
    });
    try {
      await engine.destroy({ ...ctx, signal: fresh, stack: newStack, removeStack: true });
    } catch (e) {
      events.push("log", {
        message: `destroying the new stack ${m.toStack} failed: ${classifyEngineError(e).message}; it is recorded and removed with the deployment`,
      });
      await recordLeftStack(db, op.id, m.toStack);
    }
    await setMigrationStep(db, op.id, "rolled-back");
    await events.flush();
    await finish(r, aborted ? "cancelled" : "failed", info, {
      kind: "migrate",
      result: aborted ? "aborted" : "failed",
      error: info,
    });
  }
}

/**
 * A deployment's destroy also removes the stacks its migrations left behind (recorded by
 * `recordLeftStack`). Best effort: one that still cannot be destroyed stays recorded and is named
 * in an event and in the result, so it is never forgotten silently.
 */
export async function destroyLeftStacks(
  db: Db,
  engine: Pick<Engine, "destroy">,
  d: { id: string; tenant: string; model: string },
  ctx: { signal: AbortSignal; onEvent: (e: EngineEventMessage) => void; resume: boolean },
  events: Pick<EventWriter, "push">,
): Promise<{ removed: string[]; left: string[] }> {
  const removed: string[] = [];
  const left: string[] = [];
  for (const s of await leftStacks(db, d.id)) {
    const stack: StackTarget = {
      stackName: s.stackName,
      deploymentId: d.id,
      tenant: d.tenant,
      model: d.model,
      spec: s.spec,
    };
    events.push("log", { message: `destroying ${s.stackName}, a stack an earlier migration left behind` });
    try {
      await engine.destroy({ ...ctx, stack, removeStack: true });
      await clearLeftStack(db, s.operationId);
      removed.push(s.stackName);
    } catch (err) {
      events.push("log", {
        message: `destroying ${s.stackName} failed: ${classifyEngineError(err).message}; it stays recorded: destroy it with pulumi destroy -s ${s.stackName}`,
      });
      left.push(s.stackName);
    }
  }
  return { removed, left };
}

/**
 * Whether the old and the new placement are on one cluster: both on a cluster (not serverless),
 * the same cloud and region. Then the old route (when the cluster has a gateway) can hand its
 * traffic to the new stack's Service and the endpoint stays; otherwise the endpoint changes. Pure.
 */
export function sharesRoute(from: Placement, to: Placement): boolean {
  return (
    from.capacity !== "serverless" &&
    to.capacity !== "serverless" &&
    from.cloud === to.cloud &&
    // The platform runs one cluster per cloud and region (programs/deployment/platform-ref.ts
    // `pickCluster`), so a placement's `cluster`, named or not, is that one.
    from.region === to.region
  );
}

/** What step 3 says: where the deployment is served now, and whether its clients must change URL. */
function shiftMessage(
  m: Pick<MigrationRecord, "toStack" | "toPlacement" | "fromSpec">,
  outputs: Record<string, unknown>,
  sameCluster: boolean,
  handedOff: boolean,
): string {
  const head = `migration 3/4: route shifted to ${m.toStack}; it serves the deployment now`;
  if (handedOff)
    return `${head}: the gateway route sends 100% of requests to its Service (same cluster, same endpoint)`;
  const at = (key: string) => (typeof outputs[key] === "string" ? ` ${String(outputs[key])}` : "");
  if (sameCluster)
    return `${head}: the cluster has no gateway, so there is no route to hand off; its in-cluster endpoint is now${at("inClusterEndpoint")}: in-cluster clients must change their URL`;
  const where =
    m.toPlacement.capacity === "serverless" || m.fromSpec.placement.capacity === "serverless"
      ? "another endpoint (serverless)"
      : "another cluster";
  return `${head} on ${where}, at its own endpoint${at("endpoint")}: clients must change their base URL`;
}

/** The old stack's spec during the handoff: its own spec, its route at weight 100 to the new generation. */
export function handoffSpec(m: Pick<MigrationRecord, "fromSpec" | "toSpec">): MigrationRecord["fromSpec"] {
  return parseDeploymentSpec({ ...m.fromSpec, handoff: { generation: m.toSpec.generation, weight: 100 } });
}

async function finish(
  r: MigrationRun,
  end: "succeeded" | "failed" | "cancelled",
  error: ErrorInfo | null,
  data: Record<string, unknown>,
): Promise<void> {
  await r.events.flush();
  const e = await endMigrationOperation(r.db, {
    operationId: r.op.id,
    claim: r.op.claim,
    deploymentId: r.op.deploymentId,
    end,
    error,
    data,
  });
  if (e) r.publish(e);
}

/** Heartbeat for a running migration: aborts `controller` on a cancel request or lost ownership. */
export function migrationHeartbeat(
  db: Db,
  op: { id: string; claim: string },
  controller: AbortController,
  everyMs: number,
): NodeJS.Timeout {
  return setInterval(() => {
    heartbeat(db, op.id, op.claim).then(
      (h) => {
        if (controller.signal.aborted) return;
        if (!h.owned) controller.abort("lost");
        else if (h.cancelRequested) controller.abort("cancel");
      },
      () => undefined,
    );
  }, everyMs);
}
