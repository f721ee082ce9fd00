/**
 * TEST-ONLY engine: implements `Engine` without Pulumi, recording every call and failing or hanging
 * on demand. Imported only by `*.test.ts` files and by test fixtures under `testing/`; never by
 * production code (the control plane's default engine is the Automation adapter).
 */
import type { EngineAvailability } from "../../types";
import { EngineOperationError, OperationCancelledError } from "../errors";
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
} from "../types";

export type TestEngineMethod = "preview" | "up" | "destroy";

/** What the next matching call does. */
export type Behavior =
  | { kind: "succeed"; delayMs?: number; outputs?: Record<string, unknown> }
  | { kind: "fail"; error: unknown; delayMs?: number }
  /** Never finishes by itself; only the abort signal ends it (`stopsOn: "close"`: only `close()`, 50 ms later, like a killed process). */
  | { kind: "hang"; stopsOn?: "abort" | "close" };

export interface RecordedCall {
  method: TestEngineMethod | "outputs" | "cancel";
  stackName: string;
  deploymentId: string;
  resume: boolean;
  at: number;
  /** The spec the call was given (the stack's desired state). */
  spec: StackTarget["spec"];
}

export class TestEngine implements Engine {
  readonly calls: RecordedCall[] = [];
  /** Queued behaviours per method, consumed first-in first-out; empty → `defaultBehavior`. */
  private readonly queue: Record<TestEngineMethod, Behavior[]> = { preview: [], up: [], destroy: [] };
  defaultBehavior: Behavior = { kind: "succeed", delayMs: 5 };
  availabilityResult: EngineAvailability = { available: true, version: "test" };
  private readonly running = new Set<string>();
  /** Highest number of operations observed running at once, and per stack. */
  maxConcurrent = 0;
  maxConcurrentPerStack = 0;
  private readonly perStack = new Map<string, number>();
  private readonly outputsByStack = new Map<string, Record<string, unknown>>();
  private readonly waiters: Array<{ method: TestEngineMethod; stackName: string | undefined; resolve: () => void }> =
    [];

  private readonly perStackQueue = new Map<string, Behavior[]>();

  /** Make the next call(s) of `method`, on any stack, behave as given (in order). */
  next(method: TestEngineMethod, ...behaviors: Behavior[]): this {
    this.queue[method].push(...behaviors);
    return this;
  }

  /** Make the next call(s) of `method` on `stackName` behave as given (in order); checked before `next`. */
  forStack(stackName: string, method: TestEngineMethod, ...behaviors: Behavior[]): this {
    const k = `${stackName}\u0000${method}`;
    this.perStackQueue.set(k, [...(this.perStackQueue.get(k) ?? []), ...behaviors]);
    return this;
  }

  /** Resolves when a call of `method` (on `stackName`, when given) has started. */
  started(method: TestEngineMethod, stackName?: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ method, stackName, resolve }));
  }

  async availability(): Promise<EngineAvailability> {
    return this.availabilityResult;
  }

  preview(o: PreviewOptions): Promise<PreviewResult> {
    return this.run("preview", o.stack, o).then(() => ({ changes: { create: 3 } }));
  }

  async up(o: UpOptions): Promise<UpResult> {
    const outputs = await this.run("up", o.stack, o);
    const out = outputs ?? { endpoint: `https://${o.stack.stackName}.test.invalid/v1`, stack: o.stack.stackName };
    this.outputsByStack.set(o.stack.stackName, out);
    return { changes: { create: 3 }, outputs: out };
  }

  async destroy(o: DestroyOptions): Promise<DestroyResult> {
    await this.run("destroy", o.stack, o);
    this.outputsByStack.delete(o.stack.stackName);
    return { changes: { delete: 3 }, removed: o.removeStack !== false };
  }

  async outputs(o: OutputsOptions): Promise<OutputsResult> {
    this.record("outputs", o.stack, false);
    return this.outputsByStack.get(o.stack.stackName) ?? {};
  }

  async cancel(stack: StackTarget): Promise<void> {
    this.record("cancel", stack, false);
  }

  private readonly stopOnClose = new Set<() => void>();

  async close(): Promise<void> {
    const stops = [...this.stopOnClose];
    this.stopOnClose.clear();
    for (const stop of stops) setTimeout(stop, 50);
  }

  callsOf(method: RecordedCall["method"], stackName?: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (stackName === undefined || c.stackName === stackName));
  }

  private record(method: RecordedCall["method"], stack: StackTarget, resume: boolean): void {
    this.calls.push({
      method,
      stackName: stack.stackName,
      deploymentId: stack.deploymentId,
      resume,
      at: Date.now(),
      spec: stack.spec,
    });
  }

  private async run(
    method: TestEngineMethod,
    stack: StackTarget,
    ctx: OperationContext,
  ): Promise<Record<string, unknown> | undefined> {
    this.record(method, stack, ctx.resume === true);
    const behavior =
      this.perStackQueue.get(`${stack.stackName}\u0000${method}`)?.shift() ??
      this.queue[method].shift() ??
      this.defaultBehavior;
    const token = `${stack.stackName}:${this.calls.length}`;
    this.running.add(token);
    const n = (this.perStack.get(stack.stackName) ?? 0) + 1;
    this.perStack.set(stack.stackName, n);
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running.size);
    this.maxConcurrentPerStack = Math.max(this.maxConcurrentPerStack, n);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w && w.method === method && (w.stackName === undefined || w.stackName === stack.stackName)) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
    ctx.onEvent({ type: "engine", data: { type: "preludeEvent", method, stack: stack.stackName } });
    try {
      if (behavior.kind === "hang") {
        await new Promise<never>((_, reject) => {
          if (behavior.stopsOn === "close") {
            this.stopOnClose.add(() => reject(new OperationCancelledError()));
            return;
          }
          if (ctx.signal.aborted) reject(new OperationCancelledError());
          ctx.signal.addEventListener("abort", () => reject(new OperationCancelledError()), { once: true });
        });
        return undefined;
      }
      await sleep(behavior.delayMs ?? 0, ctx.signal);
      if (behavior.kind === "fail") throw behavior.error;
      ctx.onEvent({ type: "engine", data: { type: "summaryEvent", method, result: "succeeded" } });
      return behavior.outputs;
    } finally {
      this.running.delete(token);
      this.perStack.set(stack.stackName, (this.perStack.get(stack.stackName) ?? 1) - 1);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new OperationCancelledError());
      return;
    }
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(new OperationCancelledError());
      },
      { once: true },
    );
  });
}

/** A transient failure as the Automation SDK reports a locked DIY-backend stack. */
export function lockedStackError(): Error {
  const e = new Error(
    "code: 255\n stdout: \n stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n",
  );
  e.name = "ConcurrentUpdateError";
  return e;
}

export function policyDeniedError(): EngineOperationError {
  return new EngineOperationError(
    "policy",
    "policy_denied",
    "mandatory policy violation: max-monthly-cost (estimated 9000 USD > limit 5000 USD)",
  );
}
