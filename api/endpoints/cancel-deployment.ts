/** `POST /v1/deployments/:id/cancel`: cancel the queued or running operation. */
import { defineEndpoint, IdParams } from "../endpoint";
import { queuedReply } from "../replies";
import { DeploymentSchema } from "../schemas";

export const cancelDeployment = defineEndpoint({
  method: "post",
  path: "/v1/deployments/:id/cancel",
  summary: "Cancel the deployment's queued or running operation",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  responses: {
    202: {
      description: "Cancellation requested (a running Pulumi operation is signalled to stop)",
      schema: DeploymentSchema,
    },
    404: { description: "No such deployment in the caller's tenant" },
    409: { description: "Nothing is queued or running" },
  },
  async handle({ params, principal, deps }) {
    const deployment = await deps.controlPlane.cancel(principal.tenant, params.id, principal.keyId);
    return queuedReply(deployment);
  },
});
