/**
 * `POST /v1/admin/requote` (admin): run a re-quote sweep now and answer what it recommended. A
 * tenant admin sweeps its own tenant's deployments; a platform-admin every tenant's, or one
 * (`{"tenant": …}`). The sweep re-reads MODELPLANE_CATALOG; a bad file is a 400 naming it.
 */
import { defineEndpoint } from "../endpoint";
import { ForbiddenError } from "../errors";
import { keyScope } from "../key-access";
import { RequoteBody, RequoteReportSchema } from "../requote-schemas";

export const adminRequote = defineEndpoint({
  method: "post",
  path: "/v1/admin/requote",
  summary: "Run a re-quote sweep now (admin: own tenant; platform-admin: every tenant) and return its recommendations",
  tags: ["costs"],
  role: "admin",
  body: RequoteBody,
  responses: {
    200: { description: "What the sweep looked at and recommended", schema: RequoteReportSchema },
    400: { description: "MODELPLANE_CATALOG cannot be read or is not a catalog (the file and field are named)" },
  },
  async handle({ body, principal, deps }) {
    const scope = keyScope(principal);
    if (scope !== undefined && body.tenant !== undefined && body.tenant !== scope) {
      throw new ForbiddenError(`an admin key sweeps its own tenant only ("${scope}"), not "${body.tenant}"`);
    }
    const tenant = scope ?? body.tenant;
    const report = await deps.controlPlane.requote(tenant !== undefined ? { tenant } : {});
    return { status: 200, body: { ...report, currency: "USD" } };
  },
});
