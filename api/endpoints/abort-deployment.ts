/**
 * `POST /v1/deployments/:id/abort` (deployer): end a rollout by going back to the stable revision
 * (its model, server and revision number); one update operation and a `log` event naming the step.
 * 409 naming `rollout` when none is in progress. See platform/service/controlplane/rollout.ts.
 */
import { planAbort } from "../../platform/service/controlplane/rollout";
import { defineEndpoint, IdParams } from "../endpoint";
import { rolloutStepReply } from "../rollout-step";
import { DeploymentAcceptedSchema } from "../schemas";

export const abortDeployment = defineEndpoint({
  method: "post",
  path: "/v1/deployments/:id/abort",
  summary: "Abort a rollout: the stable revision takes all traffic again, the new one is removed (async update job)",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  responses: {
    202: { description: "Abort queued", schema: DeploymentAcceptedSchema },
    404: { description: "No such deployment in the caller's tenant" },
    409: { description: "No rollout in progress (`field: rollout`), or the deployment is destroyed" },
  },
  handle: ({ params, principal, deps }) => rolloutStepReply(deps, principal, params.id, planAbort),
});
