/**
 * `POST /v1/deployments/:id/migrate`: move a serving deployment blue/green to a recommendation's
 * placement (`{"recommendationId": …}`) or to one catalog offer (`{"placement": {cloud, region,
 * instanceType, capacity}}`): the new stack comes up, then the route shifts, then the old stack is
 * destroyed; each step is an event (GET …/events). 409 while another operation runs on the stack,
 * while a rollout is in progress, or when the new stack would write an object the old one writes.
 */
import { defineEndpoint, IdParams } from "../endpoint";
import { MigrateBody, MigrationAcceptedSchema } from "../requote-schemas";

export const migrateDeployment = defineEndpoint({
  method: "post",
  path: "/v1/deployments/:id/migrate",
  summary: "Move a deployment blue/green to a cheaper placement (async; follow the events)",
  tags: ["deployments"],
  role: "deployer",
  params: IdParams,
  body: MigrateBody,
  responses: {
    202: {
      description: "Migration queued; the deployment keeps serving on its old stack until the route shifts",
      schema: MigrationAcceptedSchema,
    },
    400: {
      description: "The target is not a feasible offer inside the footprint, or the deployment already runs there",
    },
    404: { description: "No such deployment (or recommendation) in the caller's tenant" },
    409: {
      description:
        "Another operation is queued or running on the stack, the deployment is not serving, a rollout is in progress (promote or abort it first), or the new stack would write an object the old stack writes (listed)",
    },
  },
  async handle({ params, body, principal, deps }) {
    const accepted = await deps.controlPlane.requestMigration(principal.tenant, params.id, body, principal.keyId);
    return {
      status: 202,
      body: accepted,
      headers: { Location: `/v1/deployments/${accepted.deployment.id}/events` },
    };
  },
});
