/** `GET /v1/inference-keys` (viewer): the tenant's inference keys, newest first; never a secret. */
import { defineEndpoint } from "../endpoint";
import { ForbiddenError } from "../errors";
import { keyScope } from "../key-access";
import { InferenceKeyListSchema, ListInferenceKeysQuery } from "../inference-schemas";

export const listInferenceKeys = defineEndpoint({
  method: "get",
  path: "/v1/inference-keys",
  summary: "List the tenant's inference keys (platform-admin: `?tenant=`, or every tenant)",
  tags: ["inference-keys"],
  role: "viewer",
  query: ListInferenceKeysQuery,
  responses: { 200: { description: "Keys, newest first", schema: InferenceKeyListSchema } },
  async handle({ query, principal, deps }) {
    const scope = keyScope(principal);
    if (scope !== undefined && query.tenant !== undefined && query.tenant !== scope) {
      throw new ForbiddenError(
        `a key of tenant "${scope}" lists its own tenant's inference keys only, not "${query.tenant}"`,
      );
    }
    const tenant = scope ?? query.tenant;
    const items = await deps.controlPlane.listInferenceKeys({ limit: query.limit, ...(tenant ? { tenant } : {}) });
    return { status: 200, body: { items } };
  },
});
