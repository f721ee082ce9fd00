/**
 * The replies every deployment operation shares: 202 with the deployment and a `Location` header
 * pointing at it (GET it, or follow `…/events`).
 */
import type { Reply } from "./endpoint";
import type { Advisory } from "./preflight";

/** The URL of a deployment resource (the `Location` of every 202 about it). */
export function deploymentLocation(id: string): string {
  return `/v1/deployments/${encodeURIComponent(id)}`;
}

/** The 202 a queued create/update answers: the deployment, its advisories and warnings, `Location`. */
export function acceptedReply(
  deployment: { id: string },
  advisories: Advisory[],
  warnings: readonly string[],
  headers: Record<string, string> = {},
): Reply {
  return {
    status: 202,
    body: { ...deployment, advisories, warnings },
    headers: { Location: deploymentLocation(deployment.id), ...headers },
  };
}

/** The 202 of a queued destroy or cancel: the deployment and its `Location`. */
export function queuedReply(deployment: { id: string }): Reply {
  return { status: 202, body: deployment, headers: { Location: deploymentLocation(deployment.id) } };
}
