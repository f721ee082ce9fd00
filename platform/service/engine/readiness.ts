/**
 * Readiness after `pulumi up` (issue 12, #1). Model Deployments are applied with
 * `pulumi.com/skipAwait` where Pulumi could not wait for them (scale from zero, a GPU node from
 * zero, weights larger than pulumi-kubernetes' 10-minute await), so a finished `up` does not mean
 * that anything serves. `followReadiness` wraps an engine: after a real `up` it observes the
 * stack's Deployments (the engine's `observe`, e.g. a targeted refresh of their live state) until
 * every one is Available at its desired replicas, or scaled to zero by design, and only then reports
 * success; a Deployment that stays short of its replicas past the timeout fails the operation with
 * what was last seen. When nothing can be observed (no Deployment in the stack, e.g. serverless, or
 * the observation itself failed) the result says `unverified` and why: never `ready`.
 *
 * The observer, clock and sleep are injected, so the whole loop is tested offline.
 */
import { classifyPlacementFailure } from "./placement-failure";
import { EngineOperationError, OperationCancelledError } from "./errors";
import type { Engine, ObservedWorkload, StackTarget, UpOptions, UpResult } from "./types";

/** What the control plane saw after `up`, stored in the deployment's outputs as `readiness`. */
export interface Readiness {
  /**
   * `ready`: every Deployment Available at its desired replicas. `scaled-to-zero`: every Deployment
   * at 0 replicas by design (wakes on the first request). `unverified`: nothing could be observed;
   * `reason` says why.
   */
  state: "ready" | "scaled-to-zero" | "unverified";
  reason: string;
  /** ISO time of the observation the state is based on. */
  checkedAt: string;
  /** Seconds between the end of `up` and that observation. */
  waitedSeconds: number;
}

/** One evaluation of observed Deployments. */
export type Evaluation =
  | { state: "ready" | "scaled-to-zero"; reason: string }
  | { state: "pending"; reason: string }
  | { state: "failed"; reason: string }
  | { state: "unknown"; reason: string };

const describe = (w: ObservedWorkload) => (w.namespace ? `${w.namespace}/${w.name}` : w.name);

function conditionText(w: ObservedWorkload, type: string): string | undefined {
  const c = w.conditions.find((x) => x.type === type);
  if (!c) return undefined;
  return [c.reason, c.message].filter((s) => s !== undefined && s !== "").join(": ") || undefined;
}

/** Pure: what a set of observed Deployments says about serving. */
export function evaluateWorkloads(workloads: readonly ObservedWorkload[]): Evaluation {
  if (workloads.length === 0)
    return {
      state: "unknown",
      reason: "the stack has no Kubernetes Deployment to follow (serverless, or not applied)",
    };
  const failed = workloads.filter((w) => w.conditions.some((c) => c.type === "ReplicaFailure" && c.status === "True"));
  if (failed.length > 0) {
    return {
      state: "failed",
      reason: failed
        .map((w) => `${describe(w)}: ReplicaFailure ${conditionText(w, "ReplicaFailure") ?? ""}`.trim())
        .join("; "),
    };
  }
  const short: string[] = [];
  for (const w of workloads) {
    if (w.desiredReplicas === undefined) {
      short.push(`${describe(w)}: no spec.replicas observed`);
      continue;
    }
    if (w.generation !== undefined && (w.observedGeneration ?? 0) < w.generation) {
      short.push(`${describe(w)}: the controller has not yet seen generation ${w.generation}`);
      continue;
    }
    const want = w.desiredReplicas;
    if (want === 0) continue;
    const available = w.availableReplicas ?? 0;
    const updated = w.updatedReplicas ?? 0;
    if (available >= want && updated >= want) continue;
    const why = conditionText(w, "Available") ?? conditionText(w, "Progressing");
    short.push(`${describe(w)}: ${available}/${want} available, ${updated}/${want} updated${why ? ` (${why})` : ""}`);
  }
  if (short.length > 0) return { state: "pending", reason: short.join("; ") };
  if (workloads.every((w) => w.desiredReplicas === 0))
    return {
      state: "scaled-to-zero",
      reason: `${workloads.map(describe).join(", ")} at 0 replicas by design; the first request wakes them`,
    };
  const serving = workloads.filter((w) => (w.desiredReplicas ?? 0) > 0);
  return {
    state: "ready",
    reason: serving.map((w) => `${describe(w)}: ${w.availableReplicas}/${w.desiredReplicas} available`).join("; "),
  };
}

export interface FollowOptions {
  /** How long to wait for readiness when the stack's outputs do not say (`readinessTimeoutSeconds`). */
  defaultTimeoutSeconds: number;
  /** Pause between observations. */
  intervalSeconds: number;
  /** Injected for tests; defaults to the wall clock and a real, abortable sleep. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new OperationCancelledError());
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new OperationCancelledError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The stack's own readiness timeout (sized from the weights by the program), else the default. */
export function timeoutSecondsOf(outputs: Record<string, unknown>, fallback: number): number {
  const v = outputs["readinessTimeoutSeconds"];
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The error a deployment that never became ready fails with; capacity and quota reasons re-place it. */
export function notReadyError(stack: StackTarget, seconds: number, reason: string): EngineOperationError {
  const placement = classifyPlacementFailure(reason);
  return new EngineOperationError(
    placement ? placement.kind : "failed",
    placement ? placement.code : "not_ready",
    `deployment ${stack.deploymentId} (stack ${stack.stackName}) applied but not serving after ${Math.round(seconds)} s: ${reason}. ` +
      "Its resources are in place: check the pods' events (GPU capacity, image pull, weight download), then update or destroy the deployment",
  );
}

/**
 * Wrap `engine` so that `up` reports success only after the stack's Deployments were seen serving.
 * Engines without `observe` (the dry-run engine) are returned unchanged; a simulated `up` is not followed.
 */
export function followReadiness(engine: Engine, options: FollowOptions): Engine {
  const observe = engine.observe?.bind(engine);
  if (!observe) return engine;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const up = async (o: UpOptions): Promise<UpResult> => {
    const result = await engine.up(o);
    if (result.simulated) return result;
    const started = now();
    const limit = timeoutSecondsOf(result.outputs, options.defaultTimeoutSeconds);
    const log = (message: string) => o.onEvent({ type: "log", data: { message } });
    const done = (state: Readiness["state"], reason: string): UpResult => {
      const readiness: Readiness = {
        state,
        reason,
        checkedAt: new Date(now()).toISOString(),
        waitedSeconds: Math.round((now() - started) / 1000),
      };
      log(`readiness: ${state}: ${reason}`);
      return { ...result, outputs: { ...result.outputs, readiness } };
    };
    let last = "";
    for (;;) {
      if (o.signal.aborted) throw new OperationCancelledError();
      let seen: Evaluation;
      try {
        seen = evaluateWorkloads(await observe({ stack: o.stack, signal: o.signal }));
      } catch (err) {
        if (o.signal.aborted) throw new OperationCancelledError();
        const message = err instanceof Error ? err.message : String(err);
        return done("unverified", `the stack's Deployments could not be observed: ${message.slice(0, 500)}`);
      }
      if (seen.state === "ready" || seen.state === "scaled-to-zero") return done(seen.state, seen.reason);
      if (seen.state === "unknown") return done("unverified", seen.reason);
      const waited = (now() - started) / 1000;
      if (seen.state === "failed") throw notReadyError(o.stack, waited, seen.reason);
      if (waited >= limit) throw notReadyError(o.stack, waited, seen.reason);
      if (seen.reason !== last) log(`readiness: waiting (${Math.round(waited)}/${limit} s): ${seen.reason}`);
      last = seen.reason;
      await sleep(options.intervalSeconds * 1000, o.signal);
    }
  };
  return {
    availability: () => engine.availability(),
    preview: (o) => engine.preview(o),
    up,
    destroy: (o) => engine.destroy(o),
    outputs: (o) => engine.outputs(o),
    observe,
    cancel: (s) => engine.cancel(s),
    close: () => engine.close(),
  };
}
