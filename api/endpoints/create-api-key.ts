/** `POST /v1/api-keys` (admin): create a key for a tenant and role; the secret is returned once. */
import { defineEndpoint } from "../endpoint";
import { CreateApiKeyBody, CreatedApiKeySchema } from "../schemas";

export const createApiKey = defineEndpoint({
  method: "post",
  path: "/v1/api-keys",
  summary: "Create an API key (admin only); the secret is shown once and stored hashed",
  tags: ["api-keys"],
  role: "admin",
  body: CreateApiKeyBody,
  responses: { 201: { description: "Created", schema: CreatedApiKeySchema } },
  async handle({ body, principal, deps }) {
    const created = await deps.controlPlane.createApiKey(
      { tenant: body.tenant ?? principal.tenant, role: body.role, name: body.name },
      principal.keyId,
    );
    return { status: 201, body: created, headers: { Location: `/v1/api-keys/${encodeURIComponent(created.key.id)}` } };
  },
});
