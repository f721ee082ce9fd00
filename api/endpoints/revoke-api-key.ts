/** `DELETE /v1/api-keys/:id` (admin): revoke a key; it stops working at once in this process. */
import { defineEndpoint, IdParams } from "../endpoint";
import { ApiKeySchema } from "../schemas";
import { servicesOf } from "../services";

export const revokeApiKey = defineEndpoint({
  method: "delete",
  path: "/v1/api-keys/:id",
  summary: "Revoke an API key (admin only)",
  tags: ["api-keys"],
  role: "admin",
  params: IdParams,
  responses: {
    200: { description: "The revoked key", schema: ApiKeySchema },
    404: { description: "No such key" },
  },
  async handle({ params, principal, deps, req }) {
    const key = await deps.controlPlane.revokeApiKey(params.id, principal.keyId);
    servicesOf(req.app).auth.forgetKey(key.id);
    return { status: 200, body: key };
  },
});
