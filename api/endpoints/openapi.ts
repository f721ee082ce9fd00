/** `GET /openapi.json`: the OpenAPI 3.1 document, generated from the endpoints' zod schemas. */
import { defineEndpoint } from "../endpoint";
import { buildOpenApi } from "../openapi";
import { servicesOf } from "../services";

const cache = new WeakMap<object, string>();

export const openapi = defineEndpoint({
  method: "get",
  path: "/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tags: ["operations"],
  role: null,
  responses: { 200: { description: "OpenAPI 3.1 JSON", contentType: "application/json" } },
  async handle({ req, res }) {
    const { endpoints } = servicesOf(req.app);
    let text = cache.get(endpoints);
    if (text === undefined) {
      text = JSON.stringify(
        buildOpenApi(endpoints, {
          title: "modelplane API",
          version: "0.1.0",
          description:
            "Quote and deploy AI models on the cheapest placement that fits; deployments run asynchronously as Pulumi stacks.",
        }),
      );
      cache.set(endpoints, text);
    }
    res.status(200).type("application/json").send(text);
    return undefined;
  },
});
