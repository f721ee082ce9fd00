/**
 * The pre-flight step shared by create and update: ask the planner (issue 5's offline plan + cost
 * policy) which policies the spec would violate. Without a planner there is nothing to check.
 */
import type { PolicyViolation } from "../platform/errors";
import type { DeploymentSpec } from "../programs/deployment/spec";
import type { PreflightContext, PreflightPlanner } from "./deps";

export async function preflight(planner: PreflightPlanner | undefined, spec: DeploymentSpec, context: PreflightContext): Promise<PolicyViolation[]> {
  if (!planner) return [];
  return planner.check(spec, context);
}
