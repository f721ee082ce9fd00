/**
 * The engine interface generic code (the worker, the control plane) depends on. The real
 * implementation drives `@pulumi/pulumi/automation` in a child process (./automation/); tests use
 * ./testing/test-engine.ts. One stack per model deployment.
 */
import type { DeploymentSpec, EngineAvailability } from "../types";

/** Which stack, and what it is for (becomes stack tags and the inline program's input). */
export interface StackTarget {
  stackName: string;
  deploymentId: string;
  tenant: string;
  model: string;
  spec: DeploymentSpec;
}

/** One engine event, already trimmed to plain JSON. `engine`: a Pulumi engine event; `log`: stdout/stderr text. */
export interface EngineEventMessage {
  type: "engine" | "log";
  data: Record<string, unknown>;
}

/** What every operation takes besides its target. */
export interface OperationContext {
  /** Aborting it cancels the operation (the Pulumi process is signalled, the stack lock released). */
  signal: AbortSignal;
  /** Called for every engine event, in order. */
  onEvent: (event: EngineEventMessage) => void;
  /** True when an earlier attempt of this operation was interrupted (worker crash): refresh first. */
  resume?: boolean;
}

/** Resource changes by kind (`create`, `update`, `delete`, `same`, ...). */
export type ChangeSummary = Record<string, number>;

export interface PreviewOptions extends OperationContext {
  stack: StackTarget;
}
export interface PreviewResult {
  changes: ChangeSummary;
}

export interface UpOptions extends OperationContext {
  stack: StackTarget;
}
export interface UpResult {
  changes: ChangeSummary;
  outputs: Record<string, unknown>;
  /** True when nothing was created (the dry-run engine): the deployment ends `simulated`, not `ready`. */
  simulated?: boolean;
}

export interface DestroyOptions extends OperationContext {
  stack: StackTarget;
  /** Remove the stack (its history and config) after a successful destroy. Default true. */
  removeStack?: boolean;
}
export interface DestroyResult {
  changes: ChangeSummary;
  removed: boolean;
}

export interface OutputsOptions {
  stack: StackTarget;
}
export type OutputsResult = Record<string, unknown>;

/** One Kubernetes Deployment of a stack as last seen live (refreshed state), for readiness. */
export interface ObservedWorkload {
  name: string;
  namespace?: string;
  /** `spec.replicas` as it is now (an autoscaler may have changed it). */
  desiredReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  generation?: number;
  observedGeneration?: number;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
}

export interface ObserveOptions {
  stack: StackTarget;
  signal: AbortSignal;
}

export interface Engine {
  /** Is the engine usable here (Pulumi CLI found, version)? Cheap after the first call. */
  availability(): Promise<EngineAvailability>;
  /**
   * Optional: get ready to run operations (load what the first one would load). A process that runs
   * operations awaits it before it takes a job; an API-only process never calls it. Never rejects.
   */
  warm?(): Promise<void>;
  /** Preview with the policy pack(s); a mandatory violation rejects with a policy error. */
  preview(options: PreviewOptions): Promise<PreviewResult>;
  up(options: UpOptions): Promise<UpResult>;
  /** Destroy the stack's resources, then (by default) remove the stack. A missing stack is not an error. */
  destroy(options: DestroyOptions): Promise<DestroyResult>;
  outputs(options: OutputsOptions): Promise<OutputsResult>;
  /**
   * The stack's Kubernetes Deployments as they are live now (readiness after `up`, ./readiness.ts).
   * Absent on engines that create nothing (dry-run).
   */
  observe?(options: ObserveOptions): Promise<ObservedWorkload[]>;
  /** Best-effort cancel of whatever runs on the stack (in addition to aborting the signal). */
  cancel(stack: StackTarget): Promise<void>;
  /** Release resources (child processes). */
  close(): Promise<void>;
}
