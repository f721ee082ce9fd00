/**
 * Responses checked against their declared schema (the express-zod-api way): outside production,
 * every 2xx JSON body an endpoint answers is parsed with the schema its `responses` declare for that
 * status, so the OpenAPI document cannot drift from what the code sends. A mismatch is a bug in
 * the server: the caller gets a 500 and the log names the endpoint, the status and the field.
 */
import { formatPath } from "../platform/core/validation";
import type { Endpoint } from "./endpoint";

/** One checked (or skipped) 2xx response, reported to `AppDeps.onResponseCheck`. */
export interface ResponseCheck {
  /** `METHOD /path/template`. */
  endpoint: string;
  status: number;
  /**
   * `passed`/`failed`: a JSON body was parsed with the declared schema. `not-json`: the endpoint
   * declares a non-JSON content type for this status (SSE, Prometheus text) and wrote it itself.
   */
  outcome: "passed" | "failed" | "not-json";
  /** The first offending field (`""` for the whole body), when failed. */
  field?: string;
}

/** A 2xx body that does not match the endpoint's declared schema. */
export class ResponseSchemaError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly field: string,
    detail: string,
  ) {
    super(
      `response of ${endpoint} (${status}) does not match its declared schema: ${field ? `${field}: ` : ""}${detail}`,
    );
    this.name = "ResponseSchemaError";
  }
}

export function endpointName(ep: Pick<Endpoint, "method" | "path">): string {
  return `${ep.method.toUpperCase()} ${ep.path}`;
}

/**
 * Check `body` (already in its JSON form) against the schema `ep` declares for `status`; returns
 * the check, with the field of the first problem when it failed. A 2xx JSON body for a status that
 * declares no schema fails on the whole body.
 */
export function checkResponse(ep: Endpoint, status: number, body: unknown): ResponseCheck & { detail?: string } {
  const endpoint = endpointName(ep);
  const schema = ep.responses[status]?.schema;
  if (!schema) {
    return { endpoint, status, outcome: "failed", field: "", detail: `no JSON response schema declared for ${status}` };
  }
  const r = schema.safeParse(body);
  if (r.success) return { endpoint, status, outcome: "passed" };
  const issue = r.error.issues[0];
  return {
    endpoint,
    status,
    outcome: "failed",
    field: issue ? formatPath(issue.path) : "",
    detail: issue?.message ?? "invalid",
  };
}
