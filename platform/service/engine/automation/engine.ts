/**
 * The real engine: the Pulumi Automation API (`@pulumi/pulumi/automation`), one stack per model
 * deployment, each operation in its own child process (./runner.ts). The CLI is detected once;
 * when it is missing every operation fails fast with the reason, and nothing is faked.
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { AppConfig } from "../../config";
import type { EngineAvailability } from "../../types";
import { EngineUnavailableError } from "../../../core/errors";
import { OperationCancelledError } from "../errors";
import type {
  DestroyOptions,
  DestroyResult,
  Engine,
  ObserveOptions,
  ObservedWorkload,
  OperationContext,
  OutputsOptions,
  OutputsResult,
  PreviewOptions,
  PreviewResult,
  StackTarget,
  UpOptions,
  UpResult,
} from "../types";
import { detectPulumiCli, type CliDetection } from "./detect";
import type { ChildMessage, RunRequest, RunnerOperation } from "./protocol";
import { secretsFor, settingsFromConfig, type AutomationSettings } from "./settings";

const REPO_ROOT = path.resolve(__dirname, "../../../..");

/** A child that ignores a cancel for this long is killed. */
const CANCEL_GRACE_MS = 30_000;

export interface AutomationEngineOptions {
  /** Override CLI detection (tests). */
  detect?: () => Promise<CliDetection>;
  /** Override the child entry point (tests). */
  runnerPath?: string;
  /** How long a cancelled child may take to stop before its process group is killed, ms (default 30 s). */
  cancelGraceMs?: number;
  /** Extra environment for the child (tests). */
  childEnv?: NodeJS.ProcessEnv;
}

/**
 * Kill a runner's whole process group (the runner is its leader: it is forked `detached`), so the
 * `pulumi` CLI and the language host it started die with it. A group that is already gone is fine.
 */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

export class AutomationEngine implements Engine {
  private detection: Promise<CliDetection> | undefined;
  private readonly children = new Map<string, ChildProcess>();

  constructor(
    readonly settings: AutomationSettings,
    private readonly options: AutomationEngineOptions = {},
  ) {}

  /** Settings from the app config; the repo's policy pack runs on every preview/up when present. */
  static settingsFrom(config: AppConfig): AutomationSettings {
    const pack = path.join(REPO_ROOT, "policy");
    return settingsFromConfig(config, existsSync(path.join(pack, "PulumiPolicy.yaml")) ? [pack] : []);
  }

  private detect(): Promise<CliDetection> {
    this.detection ??= (this.options.detect ?? (() => detectPulumiCli(this.settings)))();
    return this.detection;
  }

  /** The CLI (found, and its version), and outside development the secrets passphrase. */
  async availability(): Promise<EngineAvailability> {
    const d = await this.detect();
    if (d.available) {
      try {
        secretsFor(this.settings);
      } catch (err) {
        return {
          available: false,
          ...(d.version !== undefined ? { version: d.version } : {}),
          reason: err instanceof Error ? err.message : String(err),
        };
      }
    }
    return {
      available: d.available,
      ...(d.version !== undefined ? { version: d.version } : {}),
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
    };
  }

  async preview(o: PreviewOptions): Promise<PreviewResult> {
    const r = await this.runInChild("preview", o.stack, o, false);
    return { changes: asCounts(r["changes"]) };
  }

  async up(o: UpOptions): Promise<UpResult> {
    const r = await this.runInChild("up", o.stack, o, false);
    return { changes: asCounts(r["changes"]), outputs: asObject(r["outputs"]) };
  }

  async destroy(o: DestroyOptions): Promise<DestroyResult> {
    const r = await this.runInChild("destroy", o.stack, o, o.removeStack !== false);
    return { changes: asCounts(r["changes"]), removed: r["removed"] === true };
  }

  async outputs(o: OutputsOptions): Promise<OutputsResult> {
    const ctx: OperationContext = { signal: new AbortController().signal, onEvent: () => undefined };
    const r = await this.runInChild("outputs", o.stack, ctx, false);
    return asObject(r["outputs"]);
  }

  /** The stack's Deployments as they are live: a refresh of only them, then their state (./observe.ts). */
  async observe(o: ObserveOptions): Promise<ObservedWorkload[]> {
    const r = await this.runInChild("observe", o.stack, { signal: o.signal, onEvent: () => undefined }, false);
    return Array.isArray(r["workloads"]) ? (r["workloads"] as ObservedWorkload[]) : [];
  }

  async cancel(stack: StackTarget): Promise<void> {
    const child = this.children.get(stack.stackName);
    if (child && child.connected) child.send({ type: "cancel" });
  }

  async close(): Promise<void> {
    for (const child of this.children.values()) killProcessGroup(child.pid, "SIGTERM");
    this.children.clear();
  }

  private async runInChild(
    operation: RunnerOperation,
    target: StackTarget,
    ctx: OperationContext,
    removeStack: boolean,
  ): Promise<Record<string, unknown>> {
    const cli = await this.detect();
    if (!cli.available) throw new EngineUnavailableError(cli.reason ?? "Pulumi CLI not available");
    secretsFor(this.settings); // throws `unavailable` before forking when no passphrase outside development
    if (ctx.signal.aborted) throw new OperationCancelledError();
    const request: RunRequest = {
      type: "run",
      operation,
      settings: this.settings,
      target,
      resume: ctx.resume === true,
      removeStack,
      cliRoot: cli.root,
    };
    const child = fork(this.options.runnerPath ?? path.join(__dirname, "runner.ts"), [], {
      execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
      // Its own process group: a cancel or a shutdown kills the runner and every process it started.
      detached: true,
      ...(this.options.childEnv ? { env: { ...process.env, ...this.options.childEnv } } : {}),
    });
    this.children.set(target.stackName, child);
    const stderr: string[] = [];
    child.stderr?.on("data", (b: Buffer) => {
      if (stderr.length < 50) stderr.push(b.toString("utf8"));
    });
    child.stdout?.resume();
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        ctx.signal.removeEventListener("abort", onAbort);
        if (killTimer) clearTimeout(killTimer);
        this.children.delete(target.stackName);
        fn();
      };
      const onAbort = () => {
        if (child.connected) child.send({ type: "cancel" });
        killTimer = setTimeout(
          () => killProcessGroup(child.pid, "SIGKILL"),
          this.options.cancelGraceMs ?? CANCEL_GRACE_MS,
        );
      };
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      child.on("message", (raw: unknown) => {
        const m = raw as ChildMessage;
        if (m.type === "event") ctx.onEvent(m.event);
        else if (m.type === "result") finish(() => resolve(m.result));
        else if (m.type === "error") {
          finish(() =>
            reject(
              ctx.signal.aborted ? new OperationCancelledError() : Object.assign(new Error(m.error.message), m.error),
            ),
          );
        }
      });
      child.on("error", (err) => finish(() => reject(err)));
      child.on("exit", (code, signal) => {
        // Whatever the runner left behind in its group (a `pulumi` it did not stop) goes with it.
        killProcessGroup(child.pid, "SIGKILL");
        finish(() => {
          if (ctx.signal.aborted) {
            reject(new OperationCancelledError());
            return;
          }
          const detail = stderr.join("").trim().split("\n").slice(-5).join("\n");
          reject(
            Object.assign(
              new Error(
                `engine process exited (code ${code}, signal ${signal}) before reporting a result${detail ? `: ${detail}` : ""}`,
              ),
              { name: "ChildProcessCrashed" },
            ),
          );
        });
      });
      child.send(request);
    });
  }
}

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function asCounts(v: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(asObject(v)).filter((e): e is [string, number] => typeof e[1] === "number"));
}
