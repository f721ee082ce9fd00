/** `DELETE /v1/deployments/:id`: queue a destroy (destroy the resources, then remove the stack); 202. */
import { defineEndpoint, IdParams } from "../endpoint";
import { queuedReply } from "../replies";
import { DeploymentSchema } from "../schemas";

export const deleteDeployment = defineEndpoint({
  method: "delete",
  path: "/v1/deployments/:id",
  summary: "Destroy a deployment (async): destroy its resources, then remove its stack",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  responses: {
    202: { description: "Destroy queued", schema: DeploymentSchema },
    404: { description: "No such deployment in the caller's tenant" },
    409: { description: "Another operation is queued or running, or it is already destroyed" },
  },
  async handle({ params, principal, deps }) {
    const deployment = await deps.controlPlane.requestDestroy(principal.tenant, params.id, principal.keyId);
    return queuedReply(deployment);
  },
});
