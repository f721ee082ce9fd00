/** Deployments, their operations and events, and the requests that change them (see ../types.ts). */
import type { Placement } from "../../core/placement";
import type { DeploymentSpec } from "../../../programs/deployment/spec";

export type { DeploymentSpec };

/** Every status a deployment can be in. */
export const DEPLOYMENT_STATUSES = [
  "queued",
  "previewing",
  "deploying",
  "ready",
  "failed",
  "destroying",
  "destroyed",
  "cancelled",
  /** The dry-run engine planned it offline; nothing was created. */
  "simulated",
  /**
   * Applied (the `up` succeeded), but the control plane could not see it serve: nothing to observe
   * (serverless) or the observation failed. `outputs.readiness.reason` says why. Never shown as `ready`.
   */
  "unverified",
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Statuses in which no operation is queued or running. */
export const SETTLED_STATUSES: ReadonlyArray<DeploymentStatus> = [
  "ready",
  "failed",
  "destroyed",
  "cancelled",
  "simulated",
  "unverified",
];

/**
 * Why a successful `up` could not be seen serving: `outputs.readiness.reason` when the readiness
 * the engine stored (platform/service/engine/readiness.ts) is `unverified`; null otherwise.
 */
export function unverifiedReason(outputs: Record<string, unknown> | null | undefined): string | null {
  const r = outputs?.["readiness"];
  if (typeof r !== "object" || r === null || (r as { state?: unknown }).state !== "unverified") return null;
  const reason = (r as { reason?: unknown }).reason;
  return typeof reason === "string" && reason.length > 0 ? reason : "the control plane could not observe it serving";
}

/** What a deployment operation does to the stack. */
/** `migrate`: a blue/green move to another placement (platform/service/worker/migration.ts). */
export const OPERATION_KINDS = ["create", "update", "destroy", "migrate"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** A safe-to-show error: `code` is stable (`engine_unavailable`, `policy_denied`, `engine_failed`, ...). */
export interface ErrorInfo {
  code: string;
  message: string;
}

/** One operation (job) on a deployment's stack; a deployment's history is its list of operations. */
export interface Operation {
  id: string;
  deploymentId: string;
  kind: OperationKind;
  status: OperationStatus;
  /** Engine attempts made so far (retries of transient failures such as a locked stack count). */
  attempts: number;
  error: ErrorInfo | null;
  /** Who asked for it: an API key id, or `system`. */
  actor: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Deployment {
  id: string;
  tenant: string;
  name: string;
  environment: string;
  /** The model's name (from the request), used for filtering and stack tags. */
  model: string;
  stackName: string;
  status: DeploymentStatus;
  placement: Placement;
  estimatedMonthlyUsd: number;
  spec: DeploymentSpec;
  /** Stack outputs after a successful `up` (endpoint URL, ...); null before. */
  outputs: Record<string, unknown> | null;
  /** Why the last operation failed or was cancelled; null otherwise. */
  error: ErrorInfo | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Operation history, oldest first. */
  operations: Operation[];
}

/** One persisted deployment event. `id` increases monotonically (use it as SSE `id:` / `Last-Event-ID`). */
export interface DeploymentEvent {
  id: number;
  deploymentId: string;
  operationId: string | null;
  /**
   * `status` (data: `{ status, error? }`), `engine` (data: a Pulumi engine event, trimmed),
   * `log` (data: `{ message }`), `summary` (data: `{ kind, result, changes? }`).
   */
  type: "status" | "engine" | "log" | "summary";
  at: string;
  data: Record<string, unknown>;
}
/** A step of a rollout, recorded as an event in the same transaction as its update operation. */
export interface RolloutStepRecord {
  step: "start" | "weight" | "promote" | "abort";
  /** One line for the event, e.g. `canary of revision 2 started at 10%`. */
  message: string;
  /** The stored spec's revision and rollout weight the step was computed from (a concurrent step → 409). */
  from: { revision: number; weight: number | null };
  /** Facts of the step for the event (strategy, weight, revisions). */
  details: Record<string, unknown>;
}

/** What the caller fixes about a new deployment; the store adds its status, outputs and timestamps. */
export type NewDeploymentFields = Pick<
  Deployment,
  "tenant" | "name" | "environment" | "model" | "stackName" | "placement" | "estimatedMonthlyUsd" | "spec"
>;

export interface SubmitDeploymentInput extends NewDeploymentFields {
  /** The caller's API key id (audit). */
  actor: string;
}

export interface UpdateDeploymentInput {
  spec: DeploymentSpec;
  placement?: Placement;
  estimatedMonthlyUsd: number;
  /** A rollout step (controlplane/rollout.ts): checked against the stored spec and recorded as an event. */
  rollout?: RolloutStepRecord;
}

export interface ListDeploymentsOptions {
  status?: DeploymentStatus;
  model?: string;
  /** 1..200. */
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export type EventListener = (event: DeploymentEvent) => void;
