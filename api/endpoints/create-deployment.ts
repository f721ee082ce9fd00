/**
 * `POST /v1/deployments`: validate, choose the placement (optimizer or explicit), build the stack
 * spec, pre-flight it against the cost policy (when a planner is installed; a mandatory violation
 * is a 422 and nothing is queued), then persist the deployment and its create job and answer 202
 * at once. The Pulumi operation runs later on a worker; follow it with GET …/events.
 */
import { buildSpec, choosePlacement, CreateDeploymentBody, pricedReplicas } from "../deployment-request";
import { deploymentNameOf, stackNameOf } from "../deployment-names";
import { checkIdempotencyKey } from "../../platform/service/controlplane/input";
import { defineEndpoint } from "../endpoint";
import { resolveModelRef } from "../model-ref";
import { checkGovernance, governanceOf } from "../input";
import { preflightOrDeny } from "../preflight";
import { acceptedReply } from "../replies";
import { DeploymentAcceptedSchema } from "../schemas";

export const createDeployment = defineEndpoint({
  method: "post",
  path: "/v1/deployments",
  summary: "Deploy a model (async): choose the placement, pre-flight the cost policy, queue the stack operation",
  tags: ["deployments"],
  role: "deployer",
  body: CreateDeploymentBody,
  responses: {
    202: {
      description:
        "Accepted and persisted; `Location` points at the deployment. A repeated Idempotency-Key returns the first deployment (`Idempotent-Replayed: true`).",
      schema: DeploymentAcceptedSchema,
    },
    404: { description: "`model.ref` names no registered model or version of the caller's tenant" },
    409: {
      description: "The stack is taken by a live deployment, or the Idempotency-Key was used with a different request",
    },
    422: { description: "Infeasible (no placement fits) or denied by a mandatory policy (`violations`)" },
  },
  async handle({ body: wire, headers, principal, deps, now, req }) {
    const body = await resolveModelRef(wire, (name) => deps.controlPlane.getModel(principal.tenant, name));
    const idempotencyKey = checkIdempotencyKey(headers.idempotencyKey);
    checkGovernance(body, governanceOf(deps));
    const replicas = pricedReplicas(req.body, body);
    const chosen = choosePlacement(body, deps.catalog, now(), replicas, {
      ...(deps.footprint ? { footprint: deps.footprint } : {}),
      ...(deps.policies ? { policy: deps.policies.for(body.environment) } : {}),
    });
    const stackName = stackNameOf(principal.tenant, body);
    const spec = buildSpec(body, chosen.placement, {
      tenant: principal.tenant,
      keyName: principal.name,
      // The stack name is the deployment's stable label: deterministic, so a replayed request
      // (Idempotency-Key) builds the identical spec.
      deploymentId: stackName,
      platformStack: deps.settings.platformStack ?? `modelplane-platform/${body.environment}`,
    });
    const advisories = await preflightOrDeny(deps.planner, spec, { activeHoursPerDay: body.activeHoursPerDay });
    const { deployment, created } = await deps.controlPlane.submitDeployment(
      {
        tenant: principal.tenant,
        actor: principal.keyId,
        name: deploymentNameOf(body),
        environment: body.environment,
        model: body.model.name,
        spec,
        stackName,
        placement: chosen.placement,
        estimatedMonthlyUsd: chosen.estimatedMonthlyUsd,
      },
      idempotencyKey,
    );
    return acceptedReply(deployment, advisories, chosen.warnings, { "Idempotent-Replayed": String(!created) });
  },
});
