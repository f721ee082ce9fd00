/**
 * `GET /v1/api-keys` (admin): the keys an admin may manage, newest first: prefix, role, tenant,
 * created, last used, revoked. Never the secret (only its hash is stored, and that is not shown).
 */
import { defineEndpoint } from "../endpoint";
import { ForbiddenError } from "../errors";
import { keyScope } from "../key-access";
import { ApiKeyListSchema, ListApiKeysQuery } from "../schemas";

export const listApiKeys = defineEndpoint({
  method: "get",
  path: "/v1/api-keys",
  summary: "List API keys (admin: own tenant; platform-admin: every tenant, or `?tenant=`)",
  tags: ["api-keys"],
  role: "admin",
  query: ListApiKeysQuery,
  responses: { 200: { description: "Keys, newest first", schema: ApiKeyListSchema } },
  async handle({ query, principal, deps }) {
    const scope = keyScope(principal);
    if (scope !== undefined && query.tenant !== undefined && query.tenant !== scope) {
      throw new ForbiddenError(`an admin key lists keys of its own tenant only ("${scope}"), not "${query.tenant}"`);
    }
    const tenant = scope ?? query.tenant;
    const items = await deps.controlPlane.listApiKeys({ limit: query.limit, ...(tenant ? { tenant } : {}) });
    return { status: 200, body: { items } };
  },
});
