/** `GET /openapi.json`: the OpenAPI 3.1 document, generated from the endpoints' zod schemas. */
import { z } from "zod";
import { defineEndpoint } from "../endpoint";
import { buildOpenApi } from "../openapi";
import { servicesOf } from "../services";

const cache = new WeakMap<object, ReturnType<typeof buildOpenApi>>();

/** The outline of an OpenAPI 3.1 document (the parts every client reads first). */
const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.literal("3.1.0"),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
  })
  .meta({ description: "An OpenAPI 3.1 document" });

export const openapi = defineEndpoint({
  method: "get",
  path: "/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tags: ["operations"],
  role: null,
  responses: { 200: { description: "OpenAPI 3.1 JSON", schema: OpenApiDocumentSchema } },
  async handle({ req }) {
    const { endpoints } = servicesOf(req.app);
    let doc = cache.get(endpoints);
    if (doc === undefined) {
      doc = buildOpenApi(endpoints, {
        title: "modelplane API",
        version: "0.1.0",
        description:
          "Quote and deploy AI models on the cheapest placement that fits; deployments run asynchronously as Pulumi stacks.",
      });
      cache.set(endpoints, doc);
    }
    return { status: 200, body: doc };
  },
});
