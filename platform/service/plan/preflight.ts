/**
 * The pre-flight plan off the event loop (#11): `planPreflight` sends the spec to the plan worker,
 * which records the per-model program, runs the real-cloud checks, prices it and evaluates every
 * cost policy there (preflight-job.ts); the caller's thread only posts the spec and reads the
 * violations. The catalog is sent to the worker once, then by id. Light: importing this module
 * loads neither the SDKs nor the checks.
 */
import { join } from "node:path";
import type { PolicyViolation } from "../../core/errors";
import type { Footprint } from "../../core/footprint";
import type { Catalog } from "../../core/pricing/types";
import type { MigrationSide, PreflightJobArg } from "./preflight-job";
import type { StackOverlap } from "./checks/overlap";
import type { PlanReport } from "./report";
import { callInWorker, closePlanWorker } from "./runner";

const JOB_MODULE = join(__dirname, "preflight-job.ts");

export interface PreflightOptions {
  catalog: Catalog;
  /** The platform's footprint: the spec is planned against it, never an invented platform. */
  footprint: Footprint;
  activeHoursPerDay: number;
  /** Policy pack config; default: every policy's defaults. */
  policyConfig?: unknown;
}

/** The policy violations of `spec`'s offline plan, computed in the plan worker. */
export function planPreflight(spec: unknown, options: PreflightOptions): Promise<PolicyViolation[]> {
  const arg: PreflightJobArg = {
    spec,
    footprint: options.footprint,
    activeHoursPerDay: options.activeHoursPerDay,
    ...(options.policyConfig !== undefined ? { policyConfig: options.policyConfig } : {}),
  };
  return callInWorker<PolicyViolation[]>({
    modulePath: JOB_MODULE,
    exportName: "preflightViolations",
    arg,
    catalog: options.catalog,
  });
}

/** Start the plan worker and plan once in it (the default catalog when none is given). */
export async function warmPreflight(options: { catalog?: Catalog; footprint: Footprint }): Promise<void> {
  await callInWorker<null>({
    modulePath: JOB_MODULE,
    exportName: "warmPreflight",
    arg: { footprint: options.footprint },
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
}

/** A deployment's whole plan report, planned in the worker (the dry-run engine; default catalog when none is given). */
export function planDeploymentInWorker(
  spec: unknown,
  options: { footprint: Footprint; catalog?: Catalog },
): Promise<PlanReport> {
  return callInWorker<PlanReport>({
    modulePath: JOB_MODULE,
    exportName: "deploymentReport",
    arg: { spec, footprint: options.footprint },
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
}

/**
 * The objects both stacks of a migration would write, from their offline plans in the worker
 * (platform/service/plan/checks/overlap.ts). Empty when the new stack's objects are all its own.
 */
export function planMigrationOverlaps(
  from: MigrationSide,
  to: MigrationSide,
  options: { footprint: Footprint; catalog?: Catalog },
): Promise<StackOverlap[]> {
  return callInWorker<StackOverlap[]>({
    modulePath: JOB_MODULE,
    exportName: "migrationOverlaps",
    arg: { from, to, footprint: options.footprint },
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
}

export { closePlanWorker as stopPreflight };
