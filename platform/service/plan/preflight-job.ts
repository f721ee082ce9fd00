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
