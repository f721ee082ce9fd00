/**
 * `POST /v1/api-keys` (admin): create a key; the secret is returned once. An admin creates keys for
 * its own tenant only, up to its own role; a platform-admin for any tenant (see key-access.ts).
 */
import { defineEndpoint } from "../endpoint";
import { checkGrant } from "../key-access";
import { CreateApiKeyBody, CreatedApiKeySchema } from "../schemas";

export const createApiKey = defineEndpoint({
  method: "post",
  path: "/v1/api-keys",
  summary: "Create an API key (admin: own tenant; platform-admin: any); the secret is shown once and stored hashed",
  tags: ["api-keys"],
  role: "admin",
  body: CreateApiKeyBody,
  responses: {
    201: { description: "Created", schema: CreatedApiKeySchema },
    403: { description: "Another tenant (admin keys are tenant-scoped), or a role above the caller's" },
    409: { description: "The tenant's namespace belongs to another tenant" },
  },
  async handle({ body, principal, deps }) {
    const tenant = body.tenant ?? principal.tenant;
    checkGrant(principal, tenant, body.role);
    const created = await deps.controlPlane.createApiKey({ tenant, role: body.role, name: body.name }, principal.keyId);
    return { status: 201, body: created, headers: { Location: `/v1/api-keys/${encodeURIComponent(created.key.id)}` } };
  },
});
