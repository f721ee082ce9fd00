/**
 * The ONE place errors become HTTP responses. Every handler throws (domain errors from platform/,
 * the API's own auth/rate-limit errors below, body-parser errors); `toHttpError` classifies them and
 * `errorHandler` writes `{ "error": { "code", "message", "field"? } }`. Anything unclassified is a
 * 500 with a generic message: internal messages never reach the caller (they go to `log`).
 */
import type { ErrorRequestHandler } from "express";
import {
  BusyError,
  ConflictError,
  EngineUnavailableError,
  InfeasibleError,
  ModelplaneError,
  NotFoundError,
  OutsideFootprintError,
  PolicyDeniedError,
  type PolicyViolation,
  QuotaExceededError,
} from "../platform/core/errors";
import { ValidationError } from "../platform/core/validation";

/** No credentials, or credentials that match no live key. */
export class UnauthorizedError extends ModelplaneError {
  readonly code = "unauthorized";
  constructor(message = "missing or invalid API key: send `Authorization: Bearer <key>`") {
    super(message);
    this.name = "UnauthorizedError";
  }
}

/** A valid key whose role may not do this. */
export class ForbiddenError extends ModelplaneError {
  readonly code = "forbidden";
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The key spent its request budget; `retryAfterSeconds` is when the next request will pass. */
export class RateLimitedError extends ModelplaneError {
  readonly code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limit exceeded: retry after ${retryAfterSeconds} s`);
    this.name = "RateLimitedError";
  }
}

/** The route exists under another method, or not at all. */
export class RouteNotFoundError extends ModelplaneError {
  readonly code = "route_not_found";
  constructor(method: string, path: string) {
    super(`no route for ${method} ${path}`);
    this.name = "RouteNotFoundError";
  }
}

/** The path exists, under other methods. */
export class MethodNotAllowedError extends ModelplaneError {
  readonly code = "method_not_allowed";
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super(`${method} is not allowed on ${path}; use ${allowed.join(", ")}`);
    this.name = "MethodNotAllowedError";
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** The offending input field (`constraints.clouds[1]`): 400s, and a 422 one field decides. */
    field?: string;
    /** Every problem found in the input, first one first (400). */
    issues?: ReadonlyArray<{ field: string; message: string }>;
    /** The policy violations that denied the request (422 policy_denied). */
    violations?: PolicyViolation[];
    /** What excluded every candidate (422 infeasible). */
    details?: unknown;
  };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the cause is ours, not the caller's: log it. */
  internal: boolean;
}

/** The shape body-parser (used by express.json) gives its errors. */
interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  if (typeof err !== "object" || err === null) return false;
  const rec = err as Record<string, unknown>;
  return typeof rec.type === "string" && typeof rec.status === "number" && rec.status >= 400 && rec.status < 500;
}

function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}

function body(code: string, message: string, extra: Omit<ErrorBody["error"], "code" | "message"> = {}): ErrorBody {
  const error: ErrorBody["error"] = { code, message };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (error as unknown as Record<string, unknown>)[k] = v;
  return { error };
}

/** Classify any thrown value. Pure: used by the error middleware and by tests. */
export function toHttpError(err: unknown): HttpError {
  const plain = (status: number, b: ErrorBody, headers: Record<string, string> = {}): HttpError => ({
    status,
    body: b,
    headers,
    internal: false,
  });

  if (err instanceof ValidationError) {
    return plain(400, body("invalid_request", err.message, { field: err.field || undefined, issues: err.issues }));
  }
  if (err instanceof UnauthorizedError)
    return plain(401, body(err.code, err.message), { "WWW-Authenticate": 'Bearer realm="modelplane"' });
  if (err instanceof ForbiddenError) return plain(403, body(err.code, err.message));
  if (err instanceof NotFoundError) return plain(404, body(err.code, err.message));
  if (err instanceof RouteNotFoundError) return plain(404, body(err.code, err.message));
  if (err instanceof MethodNotAllowedError)
    return plain(405, body(err.code, err.message), { Allow: err.allowed.join(", ") });
  if (err instanceof ConflictError) return plain(409, body(err.code, err.message, { field: err.field }));
  if (err instanceof QuotaExceededError) return plain(403, body(err.code, err.message));
  if (err instanceof InfeasibleError) {
    return plain(422, body(err.code, err.message, { field: err.field, details: jsonSafe(err.details) }));
  }
  if (err instanceof OutsideFootprintError) {
    return plain(422, body(err.code, err.message, { field: err.field, details: { regions: err.regions } }));
  }
  if (err instanceof PolicyDeniedError) {
    return plain(422, body(err.code, err.message, { violations: err.violations }));
  }
  if (err instanceof RateLimitedError) {
    return plain(429, body(err.code, err.message), { "Retry-After": String(err.retryAfterSeconds) });
  }
  if (err instanceof EngineUnavailableError) return plain(503, body(err.code, err.reason));
  if (err instanceof BusyError) {
    return plain(503, body(err.code, err.message), { "Retry-After": String(err.retryAfterSeconds) });
  }
  // The router could not decode a path parameter (`/v1/deployments/%E0%A4%A`).
  if (err instanceof URIError) {
    return plain(400, body("invalid_request", "path: malformed percent-encoding", { field: "path" }));
  }
  if (isBodyParserError(err)) {
    switch (err.type) {
      case "entity.too.large":
        return plain(
          413,
          body("payload_too_large", `request body is larger than the limit of ${err.limit ?? "?"} bytes`),
        );
      case "entity.parse.failed":
        return plain(400, body("invalid_json", "request body is not valid JSON"));
      case "encoding.unsupported":
      case "charset.unsupported":
        return plain(
          415,
          body("unsupported_media_type", "request body encoding or charset is not supported: send UTF-8 JSON"),
        );
      default:
        return plain(err.status, body("bad_request", "the request body could not be read"));
    }
  }
  if (isClientHttpError(err)) {
    // A body that does not decode under its Content-Encoding (zlib/brotli errors, marked 400 by
    // body-parser without a `type`): the caller's fault, never a 500.
    return plain(
      400,
      body("invalid_encoding", "request body does not decode under its Content-Encoding (gzip, deflate, br)"),
    );
  }
  return { status: 500, body: body("internal", "internal error"), headers: {}, internal: true };
}

/** An http-errors client error (`expose: true`, a 4xx status), as body-parser raises for stream errors. */
function isClientHttpError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const rec = err as Record<string, unknown>;
  return rec.expose === true && typeof rec.status === "number" && rec.status >= 400 && rec.status < 500;
}

/** Logger for internal errors (the real message and stack go here, never to the caller). */
export type ErrorLog = (err: unknown) => void;

/** Express error middleware built on `toHttpError`. */
export function errorHandler(log: ErrorLog): ErrorRequestHandler {
  // Express recognises error middleware by its four parameters.
  return (err, _req, res, _next) => {
    const mapped = toHttpError(err);
    if (mapped.internal) log(err);
    if (res.headersSent) {
      // A stream (SSE) already started: all we can do is end it.
      res.end();
      return;
    }
    for (const [k, v] of Object.entries(mapped.headers)) res.setHeader(k, v);
    res.status(mapped.status).json(mapped.body);
  };
}
