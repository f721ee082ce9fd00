/**
 * The pre-flight step shared by create and update: ask the planner (issue 5's offline plan + cost
 * policy) which policies the spec would violate. Without a planner there is nothing to check.
 */
import { PolicyDeniedError, type PolicyViolation } from "../platform/core/errors";
import type { DeploymentSpec } from "../programs/deployment/spec";
import type { PreflightContext, PreflightPlanner } from "./deps";

export async function preflight(
  planner: PreflightPlanner | undefined,
  spec: DeploymentSpec,
  context: PreflightContext,
): Promise<PolicyViolation[]> {
  if (!planner) return [];
  return planner.check(spec, context);
}

/** An advisory violation as the 202 body reports it. */
export interface Advisory {
  policy: string;
  message: string;
}

/**
 * Pre-flight `spec` and deny it when a mandatory policy is violated (`PolicyDeniedError`, a 422
 * naming the violations: nothing is queued); otherwise answer the advisory violations.
 */
export async function preflightOrDeny(
  planner: PreflightPlanner | undefined,
  spec: DeploymentSpec,
  context: PreflightContext,
): Promise<Advisory[]> {
  const violations = await preflight(planner, spec, context);
  if (violations.some((v) => v.level === "mandatory")) throw new PolicyDeniedError(violations);
  return violations.filter((v) => v.level === "advisory").map((v) => ({ policy: v.policy, message: v.message }));
}
