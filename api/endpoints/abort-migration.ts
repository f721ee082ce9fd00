/**
 * `POST /v1/deployments/:id/migrate/abort`: abort the deployment's migration. Before the route
 * shift the new stack is destroyed and the old one keeps serving; after it, the migration finishes.
 */
import { defineEndpoint, IdParams } from "../endpoint";
import { DeploymentSchema } from "../schemas";

export const abortMigration = defineEndpoint({
  method: "post",
  path: "/v1/deployments/:id/migrate/abort",
  summary: "Abort the deployment's migration (the old stack keeps serving)",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  responses: {
    202: { description: "Abort requested; a running migration rolls back at its next step", schema: DeploymentSchema },
    404: { description: "No such deployment in the caller's tenant" },
    409: { description: "No migration is queued or running" },
  },
  async handle({ params, principal, deps }) {
    const deployment = await deps.controlPlane.abortMigration(principal.tenant, params.id, principal.keyId);
    return { status: 202, body: deployment };
  },
});
