/**
 * The domain's typed errors. Code anywhere in platform/ throws these; the API maps them to HTTP in
 * one function and the CLI to exit codes. `ValidationError` (bad input, names the field) lives in
 * ./validation.ts.
 */

/** Base class: `code` is stable and machine-readable; `message` is safe to show a caller. */
export abstract class ModelplaneError extends Error {
  abstract readonly code: string;
}

/** The thing asked for does not exist (or is not visible to the caller's tenant). */
export class NotFoundError extends ModelplaneError {
  readonly code = "not_found";
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** The request conflicts with the current state (e.g. an operation already running on the stack). */
export class ConflictError extends ModelplaneError {
  readonly code = "conflict";
  /** The request field the conflict is about (`rollout`), when there is one. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
    this.name = "ConflictError";
  }
}

/** No placement satisfies the request; `message` says which constraint excluded what. */
export class InfeasibleError extends ModelplaneError {
  readonly code = "infeasible";
  constructor(
    message: string,
    readonly details?: unknown,
    /** The request field to change, when one alone decides it (`scaling.maxReplicas`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = "InfeasibleError";
  }
}

/** An explicit placement names a cloud and region where the platform runs no cluster. */
export class OutsideFootprintError extends ModelplaneError {
  readonly code = "outside_footprint";
  readonly field = "placement.region";
  constructor(
    message: string,
    /** The footprint's clusters, `cloud region` each: where a placement may go. */
    readonly regions: string[],
  ) {
    super(message);
    this.name = "OutsideFootprintError";
  }
}

export interface PolicyViolation {
  policy: string;
  level: "mandatory" | "advisory";
  message: string;
  resource?: string;
}

/** A mandatory cost/guard policy denied the request before anything was created. */
export class PolicyDeniedError extends ModelplaneError {
  readonly code = "policy_denied";
  constructor(readonly violations: PolicyViolation[]) {
    super(
      `denied by policy: ${violations
        .filter((v) => v.level === "mandatory")
        .map((v) => v.policy)
        .join(", ")}`,
    );
    this.name = "PolicyDeniedError";
  }
}

/** The deployment engine cannot run (e.g. the Pulumi CLI is not installed); `reason` says what to do. */
export class EngineUnavailableError extends ModelplaneError {
  readonly code = "engine_unavailable";
  constructor(readonly reason: string) {
    super(reason);
    this.name = "EngineUnavailableError";
  }
}

/** A per-tenant quota is used up (e.g. live deployments); `limit` names it and its value. */
export class QuotaExceededError extends ModelplaneError {
  readonly code = "quota_exceeded";
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(message);
    this.name = "QuotaExceededError";
  }
}

/**
 * Bounded work (issue 11): the process is at its limit for this kind of work (a full queue of
 * CPU-heavy jobs) or the worker running it stopped. Nothing was done; retry after `retryAfterSeconds`.
 */
export class BusyError extends ModelplaneError {
  readonly code = "busy";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "BusyError";
  }
}
