/**
 * Engine errors, classified in ONE place. Whatever fails inside an engine (an Automation SDK error
 * class, a Pulumi CLI message, an error serialised across the child-process boundary) goes through
 * `classifyEngineError`, which decides: retry (transient), fail for good (policy, program), or
 * report the engine unavailable.
 */
import { EngineUnavailableError } from "../../core/errors";
import { classifyPlacementFailure } from "./placement-failure";

export const PULUMI_CLI_MISSING =
  "Pulumi CLI not found: install it, or set MODELPLANE_PULUMI_AUTO_INSTALL=1 to let PulumiCommand.install fetch it";

export type EngineFailureKind =
  /** Worth retrying with backoff: the stack is locked by another update, a network blip. */
  | "transient"
  /** A mandatory policy denied the change: never retried. */
  | "policy"
  /** The engine cannot run at all (CLI missing, no secrets passphrase): never retried. */
  | "unavailable"
  /** The operation was cancelled. */
  | "cancelled"
  /** The program or the cloud failed: not retried automatically. */
  | "failed"
  /** The cloud has no capacity for this instance type / capacity here now: re-place elsewhere (./placement-failure.ts). */
  | "capacity"
  /** The account's quota for this instance family / GPU / region is exhausted: re-place elsewhere. */
  | "quota";

export interface EngineFailure {
  kind: EngineFailureKind;
  /** Stable code recorded on the operation: `stack_locked`, `policy_denied`, `engine_unavailable`, ... */
  code: string;
  /** Safe to show the caller (no stack traces, trimmed). */
  message: string;
  retryable: boolean;
  /** Capacity and quota failures: the provider's own stable code (`InsufficientInstanceCapacity`, `QUOTA_EXCEEDED`, ...). */
  providerCode?: string;
}

/** Thrown by engines for conditions they detect themselves. */
export class EngineOperationError extends Error {
  constructor(
    readonly kind: EngineFailureKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "EngineOperationError";
  }
}

export class OperationCancelledError extends EngineOperationError {
  constructor(message = "operation cancelled") {
    super("cancelled", "cancelled", message);
    this.name = "OperationCancelledError";
  }
}

const MAX_MESSAGE = 2000;

/** The last meaningful lines of a CLI error (`error: ...` lines first), trimmed. */
function tidy(message: string): string {
  const stderr = /stderr:([\s\S]*?)(\n err\?:|$)/.exec(message)?.[1] ?? message;
  const errorLines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^error:/i.test(l));
  const text = (errorLines.length > 0 ? errorLines.join("\n") : stderr.trim()) || message.trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function nameAndMessage(err: unknown): { name: string; message: string; kind?: string; code?: string } {
  if (err instanceof EngineOperationError)
    return { name: err.name, message: err.message, kind: err.kind, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message };
  if (err !== null && typeof err === "object") {
    const o = err as Record<string, unknown>;
    return {
      name: typeof o["name"] === "string" ? o["name"] : "Error",
      message: typeof o["message"] === "string" ? o["message"] : JSON.stringify(o),
      ...(typeof o["kind"] === "string" ? { kind: o["kind"] } : {}),
      ...(typeof o["code"] === "string" ? { code: o["code"] } : {}),
    };
  }
  return { name: "Error", message: String(err) };
}

const KINDS: ReadonlySet<string> = new Set([
  "transient",
  "policy",
  "unavailable",
  "cancelled",
  "failed",
  "capacity",
  "quota",
]);

/**
 * Classify any engine failure. Works on live SDK errors (`ConcurrentUpdateError`, `CommandError`)
 * and on their `{ name, message }` copies sent back by the child process.
 */
export function classifyEngineError(err: unknown): EngineFailure {
  const e = nameAndMessage(err);
  if (e.kind && KINDS.has(e.kind) && e.name !== "CommandError") {
    const kind = e.kind as EngineFailureKind;
    return { kind, code: e.code ?? kind, message: tidy(e.message), retryable: kind === "transient" };
  }
  if (err instanceof EngineUnavailableError || e.name === "EngineUnavailableError") {
    return { kind: "unavailable", code: "engine_unavailable", message: e.message, retryable: false };
  }
  const m = e.message;
  if (/spawn pulumi ENOENT|pulumi: (command )?not found|Command failed with ENOENT: pulumi/i.test(m)) {
    return { kind: "unavailable", code: "engine_unavailable", message: PULUMI_CLI_MISSING, retryable: false };
  }
  if (e.name === "AbortError" || /operation (was )?(cancel+ed|aborted)|signal: interrupt|context canceled/i.test(m)) {
    return { kind: "cancelled", code: "cancelled", message: "operation cancelled", retryable: false };
  }
  if (
    e.name === "ConcurrentUpdateError" ||
    /the stack is currently locked by|\[409\] Conflict: Another update is currently in progress/.test(m)
  ) {
    return {
      kind: "transient",
      code: "stack_locked",
      message: "the stack is locked by another update; will retry",
      retryable: true,
    };
  }
  const placement = classifyPlacementFailure(m);
  if (placement) return { ...placement, message: tidy(m) };
  if (/\[mandatory\]|mandatory policy violation/i.test(m)) {
    return { kind: "policy", code: "policy_denied", message: tidy(m), retryable: false };
  }
  if (/passphrase must be set|incorrect passphrase|PULUMI_CONFIG_PASSPHRASE/i.test(m)) {
    return {
      kind: "unavailable",
      code: "secrets_unavailable",
      message: "the secrets passphrase is missing or wrong: set PULUMI_CONFIG_PASSPHRASE",
      retryable: false,
    };
  }
  if (/ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|503 Service Unavailable|\b429\b Too Many Requests/i.test(m)) {
    return { kind: "transient", code: "network", message: tidy(m), retryable: true };
  }
  if (e.name === "ValidationError") {
    return { kind: "failed", code: "invalid_spec", message: tidy(m), retryable: false };
  }
  if (e.name === "ChildProcessCrashed") {
    return { kind: "failed", code: "engine_crashed", message: tidy(m), retryable: false };
  }
  return { kind: "failed", code: "engine_failed", message: tidy(m), retryable: false };
}
