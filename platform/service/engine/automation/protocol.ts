/** Messages between the engine (parent) and the runner child process, over Node's IPC channel. */
import type { EngineEventMessage, StackTarget } from "../types";
import type { AutomationSettings } from "./settings";

export type RunnerOperation = "preview" | "up" | "destroy" | "outputs" | "observe";

export interface RunRequest {
  type: "run";
  operation: RunnerOperation;
  settings: AutomationSettings;
  target: StackTarget;
  resume: boolean;
  removeStack: boolean;
  /** Where an auto-installed CLI lives (undefined: the one on PATH). */
  cliRoot: string | undefined;
}

export type ParentMessage = RunRequest | { type: "cancel" };

export interface SerializedError {
  name: string;
  message: string;
  kind?: string;
  code?: string;
}

export type ChildMessage =
  | { type: "event"; event: EngineEventMessage }
  | { type: "result"; result: Record<string, unknown> }
  | { type: "error"; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const o = err as Error & { kind?: unknown; code?: unknown };
    return {
      name: err.name,
      message: err.message,
      ...(typeof o.kind === "string" ? { kind: o.kind } : {}),
      ...(typeof o.code === "string" ? { code: o.code } : {}),
    };
  }
  return { name: "Error", message: String(err) };
}
