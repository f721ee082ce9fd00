/**
 * The dry-run engine (`MODELPLANE_ENGINE=dry-run`): every operation runs as the offline plan (the
 * per-model program under mocks, priced, policy-checked) in place of Pulumi. It creates nothing.
 * Its results say `simulated: true`, so the worker ends the deployment in `simulated`, never
 * `ready`, and every event it emits says the same. Stacks it "deployed" live in memory only: a
 * restart forgets their would-be outputs (nothing real existed to remember).
 *
 * An operation plans its stack once: the worker's `preview` and the `up` that follows it in the
 * same operation (the same AbortSignal) for the same spec share the preview's plan, as a Pulumi
 * update plan would; the plan is offline and deterministic for a spec, so planning it again only
 * cost the plan worker's CPU (half of every dry-run operation's wall time, #14). Any other `up`
 * (another signal, another spec, e.g. after a failover re-placement) plans afresh.
 */
import type { PolicyViolation } from "../../core/errors";
import type { EngineAvailability } from "../types";
import type {
  DestroyOptions,
  DestroyResult,
  Engine,
  OperationContext,
  OutputsOptions,
  OutputsResult,
  PreviewOptions,
  PreviewResult,
  StackTarget,
  UpOptions,
  UpResult,
} from "./types";
import { EngineOperationError, OperationCancelledError } from "./errors";

/** What the dry-run engine needs of a plan (a narrow view of `PlanReport`). */
export interface DryRunPlan {
  resources: ReadonlyArray<{ type: string; name: string }>;
  /** The stack's would-be outputs, when the planner reports them. */
  outputs?: Record<string, unknown>;
  monthlyUsd: number;
  policy: { denied: boolean; violations: ReadonlyArray<Pick<PolicyViolation, "policy" | "message" | "level">> };
}

/** Plans a deployment's stack offline: `planDeployment` of platform/service/plan in production. */
export type DryRunPlanner = (stack: StackTarget) => Promise<DryRunPlan>;

/** Marks every result and event of this engine. */
export const SIMULATED_NOTE = "dry run: planned offline, nothing was created";

/**
 * The resources the stack itself would create: the plan also lists cost lines it causes elsewhere
 * (`modelplane:plan:*`, e.g. the weights kept in the platform's store), which the stack does not create.
 */
function stackResources(plan: DryRunPlan): DryRunPlan["resources"] {
  return plan.resources.filter((r) => !r.type.startsWith("modelplane:plan:"));
}

export class DryRunEngine implements Engine {
  private readonly stacks = new Map<string, { outputs: Record<string, unknown>; resources: number }>();
  /** The plan of each operation's preview, taken by its `up` (keyed by the operation's signal). */
  private readonly previewed = new WeakMap<AbortSignal, { stackName: string; spec: string; plan: DryRunPlan }>();

  private warming: Promise<void> | undefined;

  /**
   * `warm` starts the planner (the plan worker thread and the SDKs it loads: seconds of CPU), so
   * that no job a worker claimed waits for that start while another worker could have run it (#14).
   */
  constructor(
    private readonly planner: DryRunPlanner,
    private readonly options: { warm?: () => Promise<void> } = {},
  ) {}

  /** Starts the planner once; a failed start is left to each operation's plan to report. */
  warm(): Promise<void> {
    return (this.warming ??= (this.options.warm?.() ?? Promise.resolve()).catch(() => undefined));
  }

  async availability(): Promise<EngineAvailability> {
    return { available: true, version: "dry-run", reason: SIMULATED_NOTE };
  }

  async preview(o: PreviewOptions): Promise<PreviewResult> {
    const plan = await this.plan(o.stack, o);
    this.previewed.set(o.signal, { stackName: o.stack.stackName, spec: JSON.stringify(o.stack.spec), plan });
    return { changes: this.changes(o.stack, plan) };
  }

  async up(o: UpOptions): Promise<UpResult & { simulated: true }> {
    const plan = await this.plan(o.stack, o, this.takePreviewed(o));
    const changes = this.changes(o.stack, plan);
    const outputs = { ...(plan.outputs ?? {}), simulated: true, note: SIMULATED_NOTE };
    this.stacks.set(o.stack.stackName, { outputs, resources: stackResources(plan).length });
    o.onEvent({
      type: "log",
      data: {
        message: `${SIMULATED_NOTE}: ${stackResources(plan).length} resources, $${plan.monthlyUsd.toFixed(2)}/month`,
      },
    });
    return { changes, outputs, simulated: true };
  }

  async destroy(o: DestroyOptions): Promise<DestroyResult> {
    this.checkCancelled(o);
    const had = this.stacks.get(o.stack.stackName);
    this.stacks.delete(o.stack.stackName);
    // Simulated stacks live in this process's memory: after a restart (or in another worker process)
    // there is nothing to remove, and the event says so rather than "0 resources".
    const message = had
      ? `${SIMULATED_NOTE}: destroy of ${had.resources} resources`
      : `${SIMULATED_NOTE}: this process holds no simulated stack ${o.stack.stackName} (simulated stacks live in memory; a restart or another worker process forgets them), so there is nothing to remove`;
    o.onEvent({ type: "log", data: { message } });
    return { changes: had ? { delete: had.resources } : {}, removed: o.removeStack !== false };
  }

  async outputs(o: OutputsOptions): Promise<OutputsResult> {
    return this.stacks.get(o.stack.stackName)?.outputs ?? {};
  }

  async cancel(): Promise<void> {
    // Plans run to completion in milliseconds; the operation's AbortSignal is checked between steps.
  }

  async close(): Promise<void> {
    this.stacks.clear();
  }

  /** The plan this operation's preview made of the same stack and spec, once (then forgotten). */
  private takePreviewed(o: UpOptions): DryRunPlan | undefined {
    const p = this.previewed.get(o.signal);
    this.previewed.delete(o.signal);
    if (!p || p.stackName !== o.stack.stackName || p.spec !== JSON.stringify(o.stack.spec)) return undefined;
    return p.plan;
  }

  private async plan(stack: StackTarget, ctx: OperationContext, planned?: DryRunPlan): Promise<DryRunPlan> {
    this.checkCancelled(ctx);
    const plan = planned ?? (await this.planner(stack));
    this.checkCancelled(ctx);
    for (const r of stackResources(plan)) {
      ctx.onEvent({
        type: "engine",
        data: {
          resourcePreEvent: { metadata: { op: "create", type: r.type, urn: `simulated::${r.name}` } },
          simulated: true,
        },
      });
    }
    if (plan.policy.denied) {
      const mandatory = plan.policy.violations.filter((v) => v.level === "mandatory");
      const text = mandatory.map((v) => `[mandatory] ${v.policy}: ${v.message}`).join("; ");
      throw new EngineOperationError("policy", "policy_denied", `mandatory policy violation: ${text}`);
    }
    return plan;
  }

  private changes(stack: StackTarget, plan: DryRunPlan): Record<string, number> {
    const existing = this.stacks.get(stack.stackName);
    const n = stackResources(plan).length;
    return existing ? { same: n } : { create: n };
  }

  private checkCancelled(ctx: Pick<OperationContext, "signal">): void {
    if (ctx.signal.aborted) throw new OperationCancelledError();
  }
}
