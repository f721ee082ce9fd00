/** `GET /v1/models/:name` (viewer): one registered model of the caller's tenant. */
import { defineEndpoint } from "../endpoint";
import { ModelNameParams, ModelSchema } from "../model-schemas";

export const getModel = defineEndpoint({
  method: "get",
  path: "/v1/models/:name",
  summary: "A registered model: its versions, artifact URIs, precisions, parameters and architectures",
  tags: ["models"],
  role: "viewer",
  params: ModelNameParams,
  responses: {
    200: { description: "The model", schema: ModelSchema },
    404: { description: "No such model in the caller's tenant" },
  },
  async handle({ params, principal, deps }) {
    return { status: 200, body: await deps.controlPlane.getModel(principal.tenant, params.name) };
  },
});
