/**
 * `POST /v1/deployments/:id/promote` (deployer): end a rollout with the new revision serving alone
 * (the spec loses `rollout`); one update operation and a `log` event naming the step. 409 naming
 * `rollout` when none is in progress. See platform/service/controlplane/rollout.ts.
 */
import { planPromote } from "../../platform/service/controlplane/rollout";
import { defineEndpoint, IdParams } from "../endpoint";
import { rolloutStepReply } from "../rollout-step";
import { DeploymentAcceptedSchema } from "../schemas";

export const promoteDeployment = defineEndpoint({
  method: "post",
  path: "/v1/deployments/:id/promote",
  summary: "Promote a rollout: the new revision takes all traffic, the old one is removed (async update job)",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  responses: {
    202: { description: "Promotion queued", schema: DeploymentAcceptedSchema },
    404: { description: "No such deployment in the caller's tenant" },
    409: { description: "No rollout in progress (`field: rollout`), or the deployment is destroyed" },
  },
  handle: ({ params, principal, deps }) => rolloutStepReply(deps, principal, params.id, planPromote),
});
