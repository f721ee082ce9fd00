/** `GET /v1/models` (viewer): the caller's tenant's registered models by name, with their versions. */
import { defineEndpoint } from "../endpoint";
import { ListModelsQuery, ModelListSchema } from "../model-schemas";

export const listModels = defineEndpoint({
  method: "get",
  path: "/v1/models",
  summary: "List the tenant's registered models with their versions and architectures",
  tags: ["models"],
  role: "viewer",
  query: ListModelsQuery,
  responses: { 200: { description: "Models, by name", schema: ModelListSchema } },
  async handle({ query, principal, deps }) {
    const items = await deps.controlPlane.listModels(principal.tenant, { limit: query.limit });
    return { status: 200, body: { items } };
  },
});
