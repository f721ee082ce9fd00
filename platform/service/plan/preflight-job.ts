/**
 * Worker-side functions of the pre-flight (run by the plan worker as `call` jobs, see
 * preflight.ts): the whole offline plan (recording, checks, pricing, every policy) happens in the
 * worker thread, and only its verdict crosses back. Loaded only inside the worker.
 */
import type { PolicyViolation } from "../../core/errors";
import type { Footprint } from "../../core/footprint";
import type { Catalog } from "../../core/pricing/types";
import { planDeployment, warmPlanner } from "./index";
import type { PlanReport } from "./report";
import { planOverlaps, type StackOverlap } from "./checks/overlap";

export interface PreflightJobArg {
  spec: unknown;
  footprint: Footprint;
  activeHoursPerDay: number;
  policyConfig?: unknown;
}

/** The policy violations of the spec's plan. Bad spec → ValidationError naming the field. */
export async function preflightViolations(arg: PreflightJobArg, catalog?: Catalog): Promise<PolicyViolation[]> {
  const report = await planDeployment(arg.spec, {
    ...(catalog ? { catalog } : {}),
    footprint: arg.footprint,
    activeHoursPerDay: arg.activeHoursPerDay,
    ...(arg.policyConfig !== undefined ? { policyConfig: arg.policyConfig } : {}),
  });
  return report.policy.violations;
}

/** Plan a tiny deployment once, so the worker's first real pre-flight is warm. */
export async function warmPreflight(arg: { footprint: Footprint }, catalog?: Catalog): Promise<null> {
  await warmPlanner({ ...(catalog ? { catalog } : {}), footprint: arg.footprint });
  return null;
}

/** The whole plan report of a deployment spec (the dry-run engine's operation). */
export function deploymentReport(arg: { spec: unknown; footprint: Footprint }, catalog?: Catalog): Promise<PlanReport> {
  return planDeployment(arg.spec, { ...(catalog ? { catalog } : {}), footprint: arg.footprint });
}

/** One side of a migration: a stack's name and the spec it runs. */
export interface MigrationSide {
  spec: unknown;
  stack: string;
}

/** The objects a migration's new stack would write that the old stack writes too (none is right). */
export async function migrationOverlaps(
  arg: { from: MigrationSide; to: MigrationSide; footprint: Footprint },
  catalog?: Catalog,
): Promise<StackOverlap[]> {
  const plan = (side: MigrationSide) =>
    planDeployment(side.spec, { ...(catalog ? { catalog } : {}), footprint: arg.footprint, stack: side.stack });
  return planOverlaps(await plan(arg.from), await plan(arg.to));
}
