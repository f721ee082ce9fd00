/**
 * `DELETE /v1/deployments/:id`: queue a destroy (destroy the resources, then remove the stack); 202.
 * `?purge=true` removes a deployment that never reached the deploy or destroy phase at once (200):
 * nothing was applied, so there is nothing to destroy, and its stack name is free again.
 */
import { defineEndpoint, IdParams } from "../endpoint";
import { queuedReply } from "../replies";
import { DeleteDeploymentQuery, DeploymentSchema, PurgedDeploymentSchema } from "../schemas";

export const deleteDeployment = defineEndpoint({
  method: "delete",
  path: "/v1/deployments/:id",
  summary:
    "Destroy a deployment (async): destroy its resources, then remove its stack; or purge one that never applied",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  query: DeleteDeploymentQuery,
  responses: {
    200: {
      description: "Purged (`?purge=true`): the deployment and its rows are gone",
      schema: PurgedDeploymentSchema,
    },
    202: { description: "Destroy queued", schema: DeploymentSchema },
    404: { description: "No such deployment in the caller's tenant" },
    409: {
      description:
        "Another operation is queued or running, it is already destroyed, or (purge) it reached the deploy or destroy phase",
    },
  },
  async handle({ params, query, principal, deps }) {
    if (query.purge) {
      await deps.controlPlane.purgeDeployment(principal.tenant, params.id, principal.keyId);
      return { status: 200, body: { id: params.id, purged: true } };
    }
    const deployment = await deps.controlPlane.requestDestroy(principal.tenant, params.id, principal.keyId);
    return queuedReply(deployment);
  },
});
