/**
 * `DELETE /v1/inference-keys/:id` (deployer): revoke an inference key. The gateway's check in this
 * process refuses it at once; other API replicas within their cache window (≤ 30 s).
 */
import { defineEndpoint, IdParams } from "../endpoint";
import { keyScope } from "../key-access";
import { InferenceKeySchema } from "../inference-schemas";
import { servicesOf } from "../services";

export const revokeInferenceKey = defineEndpoint({
  method: "delete",
  path: "/v1/inference-keys/:id",
  summary: "Revoke an inference key (it stops working at the gateway within 30 s)",
  tags: ["inference-keys"],
  role: "deployer",
  params: IdParams,
  responses: {
    200: { description: "The revoked key", schema: InferenceKeySchema },
    404: { description: "No such key in the caller's tenant" },
  },
  async handle({ params, principal, deps, req }) {
    const key = await deps.controlPlane.revokeInferenceKey(params.id, principal.keyId, keyScope(principal));
    servicesOf(req.app).inference.forgetKey(key.id);
    return { status: 200, body: key };
  },
});
