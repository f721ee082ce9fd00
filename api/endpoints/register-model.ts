/**
 * `POST /v1/models` (deployer): register a model of the caller's tenant, or add versions to it. Each
 * version's architecture is read from its inline Hugging Face config.json; versions are immutable.
 */
import { defineEndpoint } from "../endpoint";
import { ModelSchema, RegisterModelBody, registrationOf } from "../model-schemas";

export const registerModel = defineEndpoint({
  method: "post",
  path: "/v1/models",
  summary:
    "Register a model (or new versions of one): artifact URI, precision, parameters, architecture from config.json",
  tags: ["models"],
  role: "deployer",
  body: RegisterModelBody,
  responses: {
    201: { description: "Stored; the whole entry with the derived architectures", schema: ModelSchema },
    409: { description: "A version is already registered (versions are immutable)" },
  },
  async handle({ body, principal, deps }) {
    const model = await deps.controlPlane.registerModel(registrationOf(principal.tenant, body), principal.keyId);
    return { status: 201, body: model, headers: { Location: `/v1/models/${encodeURIComponent(model.name)}` } };
  },
});
