/** `GET /v1/deployments`: the caller's tenant's deployments, newest first, paginated by cursor. */
import { defineEndpoint } from "../endpoint";
import { DeploymentPageSchema, ListDeploymentsQuery } from "../schemas";

export const listDeployments = defineEndpoint({
  method: "get",
  path: "/v1/deployments",
  summary: "List the caller's deployments (filter by status and model; cursor pagination)",
  tags: ["deployments"],
  role: "viewer",
  query: ListDeploymentsQuery,
  responses: {
    200: { description: "A page of deployments (without operation history)", schema: DeploymentPageSchema },
  },
  async handle({ query, principal, deps }) {
    const page = await deps.controlPlane.listDeployments(principal.tenant, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.model ? { model: query.model } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return { status: 200, body: page };
  },
});
