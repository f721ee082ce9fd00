/**
 * `DELETE /v1/api-keys/:id` (admin): revoke a key; it stops working at once in this process. An
 * admin revokes keys of its own tenant only (another tenant's key is a 404, like an absent one).
 */
import { defineEndpoint, IdParams } from "../endpoint";
import { keyScope } from "../key-access";
import { ApiKeySchema } from "../schemas";
import { servicesOf } from "../services";

export const revokeApiKey = defineEndpoint({
  method: "delete",
  path: "/v1/api-keys/:id",
  summary: "Revoke an API key (admin: own tenant; platform-admin: any)",
  tags: ["api-keys"],
  role: "admin",
  params: IdParams,
  responses: {
    200: { description: "The revoked key", schema: ApiKeySchema },
    404: { description: "No such key in the caller's tenant" },
  },
  async handle({ params, principal, deps, req }) {
    const key = await deps.controlPlane.revokeApiKey(params.id, principal.keyId, keyScope(principal));
    servicesOf(req.app).auth.forgetKey(key.id);
    return { status: 200, body: key };
  },
});
