/**
 * The API side of a rollout step (PATCH with `rollout`, promote, abort): plan the step on the
 * stored spec, pre-flight the new spec, queue it as an update carrying the step (the control plane
 * records the step's event in the same transaction and refuses a concurrent step with 409).
 */
import { parseDeploymentSpec, type DeploymentSpec } from "../programs/deployment/spec";
import type { PlannedStep } from "../platform/service/controlplane/rollout";
import type { AppDeps, Principal } from "./deps";
import type { Reply } from "./endpoint";
import { preflightOrDeny } from "./preflight";
import { acceptedReply } from "./replies";

/** Said on every step that leaves two revisions running. */
export const TWO_REVISIONS_WARNING =
  "during a rollout both revisions run side by side: the cost is up to twice the estimate until promote or abort";

export async function rolloutStepReply(
  deps: AppDeps,
  principal: Principal,
  id: string,
  plan: (spec: DeploymentSpec) => PlannedStep,
): Promise<Reply> {
  const current = await deps.controlPlane.getDeployment(principal.tenant, id);
  const planned = plan(parseDeploymentSpec(current.spec));
  const spec = parseDeploymentSpec(planned.spec);
  const advisories = await preflightOrDeny(deps.planner, spec, { activeHoursPerDay: 24 });
  const deployment = await deps.controlPlane.requestUpdate(
    principal.tenant,
    id,
    { spec, estimatedMonthlyUsd: current.estimatedMonthlyUsd, rollout: planned.step },
    principal.keyId,
  );
  return acceptedReply(deployment, advisories, spec.rollout ? [TWO_REVISIONS_WARNING] : []);
}
