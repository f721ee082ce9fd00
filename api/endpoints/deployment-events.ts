/**
 * `GET /v1/deployments/:id/events`: Server-Sent Events of the deployment's engine events (resource
 * progress, diagnostics, policy events, summaries, status changes). Persisted events are replayed
 * after `Last-Event-ID` (or `?after=`), then live events follow (unless `?follow=false`).
 */
import { ValidationError } from "../../platform/core/validation";
import { defineEndpoint, IdParams } from "../endpoint";
import { EventsQuery } from "../schemas";
import { UnauthorizedError } from "../errors";
import { servicesOf } from "../services";
import { streamEvents } from "../sse";

function parseLastEventId(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const n = Number(header.trim());
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ValidationError("Last-Event-ID", `must be a non-negative integer event id (got "${header}")`);
  }
  return n;
}

export const deploymentEvents = defineEndpoint({
  method: "get",
  path: "/v1/deployments/:id/events",
  summary: "Server-Sent Events of a deployment; replay with Last-Event-ID, then live",
  tags: ["deployments"],
  role: "viewer",
  params: IdParams,
  query: EventsQuery,
  responses: {
    200: {
      description: "`text/event-stream`; each frame: `id:` event id, `event:` type, `data:` the DeploymentEvent JSON",
      contentType: "text/event-stream",
    },
    404: { description: "No such deployment in the caller's tenant" },
  },
  async handle({ params, query, headers, principal, deps, req, res }) {
    const afterId = parseLastEventId(headers.lastEventId) ?? query.after ?? 0;
    const { auth } = servicesOf(req.app);
    const authorization = req.headers.authorization;
    await streamEvents({
      controlPlane: deps.controlPlane,
      tenant: principal.tenant,
      deploymentId: params.id,
      afterId,
      follow: query.follow,
      heartbeatMs: deps.settings.sseHeartbeatMs ?? 15_000,
      req,
      res,
      // A revoked key's stream ends: at once when this process revokes it, else at the next heartbeat.
      onRevoked: (end) => auth.watchKey(principal.keyId, end),
      stillAuthorized: () =>
        auth.resolve(authorization).then(
          () => true,
          (err: unknown) => !(err instanceof UnauthorizedError),
        ),
    });
    return undefined;
  },
});
