/** `GET /v1/deployments/:id`: one deployment of the caller's tenant, with its operation history. */
import { defineEndpoint, IdParams } from "../endpoint";
import { DeploymentSchema } from "../schemas";

export const getDeployment = defineEndpoint({
  method: "get",
  path: "/v1/deployments/:id",
  summary: "A deployment: status, placement, cost, outputs (endpoint), error, timestamps, operation history",
  tags: ["deployments"],
  role: "viewer",
  params: IdParams,
  responses: {
    200: { description: "The deployment", schema: DeploymentSchema },
    404: { description: "No such deployment in the caller's tenant" },
  },
  async handle({ params, principal, deps }) {
    const deployment = await deps.controlPlane.getDeployment(principal.tenant, params.id);
    return { status: 200, body: deployment };
  },
});
