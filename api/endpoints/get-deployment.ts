/**
 * `GET /v1/deployments/:id`: one deployment of the caller's tenant, with its operation history and
 * `endpoint`: the external https URL with a ready-to-paste curl, or `{url: null, reason}`.
 */
import { callEndpoint } from "../call-endpoint";
import { defineEndpoint, IdParams } from "../endpoint";
import { CallEndpointSchema } from "../inference-schemas";
import { DeploymentSchema } from "../schemas";

export const DeploymentDetailSchema = DeploymentSchema.extend({
  endpoint: CallEndpointSchema,
}).meta({ id: "DeploymentDetail" });

export const getDeployment = defineEndpoint({
  method: "get",
  path: "/v1/deployments/:id",
  summary:
    "A deployment: status, placement, cost, outputs, how to call it (endpoint URL and curl), error, timestamps, operation history",
  tags: ["deployments"],
  role: "viewer",
  params: IdParams,
  responses: {
    200: { description: "The deployment", schema: DeploymentDetailSchema },
    404: { description: "No such deployment in the caller's tenant" },
  },
  async handle({ params, principal, deps }) {
    const deployment = await deps.controlPlane.getDeployment(principal.tenant, params.id);
    return { status: 200, body: { ...deployment, endpoint: callEndpoint(deployment) } };
  },
});
