/**
 * `POST /v1/inference-keys` (deployer): a key that calls the tenant's models through the cluster
 * gateway (`Authorization: Bearer mpi_…`); the secret is returned once and stored hashed. A
 * platform-admin may name another tenant.
 */
import { defineEndpoint } from "../endpoint";
import { ForbiddenError } from "../errors";
import { keyScope } from "../key-access";
import { CreateInferenceKeyBody, CreatedInferenceKeySchema } from "../inference-schemas";

export const createInferenceKey = defineEndpoint({
  method: "post",
  path: "/v1/inference-keys",
  summary: "Create an inference key (calls the tenant's models through the gateway); the secret is shown once",
  tags: ["inference-keys"],
  role: "deployer",
  body: CreateInferenceKeyBody,
  responses: {
    201: { description: "Created", schema: CreatedInferenceKeySchema },
    403: { description: "Another tenant (only a platform-admin may name one)" },
  },
  async handle({ body, principal, deps }) {
    const scope = keyScope(principal);
    const tenant = body.tenant ?? principal.tenant;
    if (scope !== undefined && tenant !== scope) {
      throw new ForbiddenError(
        `a key of tenant "${scope}" creates inference keys for its own tenant only, not "${tenant}"`,
      );
    }
    const created = await deps.controlPlane.createInferenceKey(
      {
        tenant,
        name: body.name,
        ...(body.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: body.rateLimitPerMinute } : {}),
      },
      principal.keyId,
    );
    return {
      status: 201,
      body: created,
      headers: { Location: `/v1/inference-keys/${encodeURIComponent(created.key.id)}` },
    };
  },
});
