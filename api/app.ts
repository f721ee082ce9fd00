/**
 * `createApp(deps)`: the Express application. Every endpoint of `routes.ts` is mounted behind the
 * same pipeline — latency metric, auth, role check, per-key rate limit, JSON body (size-limited),
 * zod validation of params/query/body — and every error goes through `errors.ts`. Outside
 * production (`settings.checkResponses`), 2xx JSON bodies are checked against the declared
 * response schemas (./response-check.ts).
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { z } from "zod";
import { guardInput } from "../platform/core/strict-input";
import { parseOrThrow, ValidationError } from "../platform/core/validation";
import { Authenticator } from "./auth";
import type { AppDeps, Principal } from "./deps";
import { roleAllows, type Endpoint } from "./endpoint";
import {
  errorHandler,
  ForbiddenError,
  MethodNotAllowedError,
  RateLimitedError,
  RouteNotFoundError,
  UnauthorizedError,
} from "./errors";
import { InferenceKeyCheck } from "./inference-check";
import { ApiMetrics } from "./metrics";
import { TokenBuckets } from "./rate-limit";
import { dashboardHandler } from "./dashboard";
import { checkResponse, endpointName, ResponseSchemaError } from "./response-check";
import { buildRoutes } from "./routes";
import { attachServices } from "./services";

export { servicesOf } from "./services";

/** Strict input first (unknown keys, enum case, sizes, control characters), then the schema. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return parseOrThrow(schema, guardInput(schema, input));
}

function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createApp(deps: AppDeps): express.Application {
  const clock = deps.clock ?? (() => new Date());
  const nowMs = () => clock().getTime();
  const log =
    deps.log ??
    ((err: unknown) => {
      process.stderr.write(
        `modelplane api: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    });
  const settings = deps.settings;
  const metrics = new ApiMetrics(deps.controlPlane, { processMetrics: settings.processMetrics ?? false });
  const auth = new Authenticator(deps.controlPlane, settings.authCacheMs ?? 5000, nowMs);
  const buckets = new TokenBuckets(
    { perSecond: settings.rateLimit.perMinute / 60, burst: settings.rateLimit.burst },
    nowMs,
  );
  const badKeyLimit = settings.badKeyRateLimit ?? { perMinute: 60, burst: 20 };
  const badKeys = new TokenBuckets({ perSecond: badKeyLimit.perMinute / 60, burst: badKeyLimit.burst }, nowMs);
  /**
   * Resolve the caller. Requests with bad keys spend their client address's bucket; once it is
   * empty, any key not already known good gets 429 before the control plane is asked.
   */
  const authenticate = async (req: Request): Promise<Principal> => {
    const header = headerValue(req, "authorization");
    const address = req.socket.remoteAddress ?? "unknown";
    if (!badKeys.wouldPass(address)) {
      const known = auth.cached(header);
      if (known) return known;
      const taken = badKeys.take(address);
      if (!taken.ok) throw new RateLimitedError(taken.retryAfterSeconds);
    }
    try {
      return await auth.resolve(header);
    } catch (err) {
      if (err instanceof UnauthorizedError) {
        const taken = badKeys.take(address);
        if (!taken.ok) throw new RateLimitedError(taken.retryAfterSeconds);
      }
      throw err;
    }
  };
  const endpoints = buildRoutes();
  const checkResponses = settings.checkResponses ?? true;
  /** The body as JSON text, after checking its JSON form; throws ResponseSchemaError (a 500, logged) on a mismatch. */
  const checkedJson = (ep: Endpoint, status: number, body: unknown): string => {
    const text = JSON.stringify(body);
    const { detail, ...check } = checkResponse(ep, status, JSON.parse(text));
    deps.onResponseCheck?.(check);
    if (check.outcome === "failed") {
      throw new ResponseSchemaError(check.endpoint, status, check.field ?? "", detail ?? "invalid");
    }
    return text;
  };
  /** Streams and text the handler wrote itself: only a declared non-JSON content type may skip the check. */
  const reportSelfWritten = (ep: Endpoint, status: number): void => {
    if (status < 200 || status >= 300) return;
    const doc = ep.responses[status];
    if (doc?.contentType !== undefined && !doc.schema && !/json/i.test(doc.contentType)) {
      deps.onResponseCheck?.({ endpoint: endpointName(ep), status, outcome: "not-json" });
      return;
    }
    deps.onResponseCheck?.({ endpoint: endpointName(ep), status, outcome: "failed", field: "" });
    log(new ResponseSchemaError(endpointName(ep), status, "", "the handler wrote a JSON body itself, unchecked"));
  };
  const app = express();
  const inference = new InferenceKeyCheck(
    deps.controlPlane,
    {
      ...(settings.inferenceKeyCacheMs !== undefined ? { cacheMs: settings.inferenceKeyCacheMs } : {}),
      badKeyRateLimit: badKeyLimit,
    },
    nowMs,
  );
  attachServices(app, { metrics, auth, endpoints, inference });

  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", "simple");
  // The web dashboard's static files at `/` and `/dashboard/…` (a fixed table; see dashboard.ts).
  app.use(dashboardHandler());

  const allowed = new Map<string, string[]>();
  for (const ep of endpoints.filter((e) => !e.anyMethod)) {
    const methods = allowed.get(ep.path) ?? [];
    methods.push(ep.method.toUpperCase());
    allowed.set(ep.path, methods);
  }

  for (const ep of endpoints) {
    const chain: RequestHandler[] = [];
    // 1. Latency by route template (bounded label cardinality), then auth, role and rate limit.
    chain.push(async (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        metrics.observeHttp(
          ep.method.toUpperCase(),
          ep.path,
          res.statusCode,
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      });
      if (ep.role !== null) {
        const principal = await authenticate(req);
        if (!roleAllows(principal.role, ep.role)) {
          throw new ForbiddenError(
            `role "${principal.role}" may not ${ep.method.toUpperCase()} ${ep.path}: needs ${ep.role} or above`,
          );
        }
        const taken = buckets.take(principal.keyId);
        if (!taken.ok) throw new RateLimitedError(taken.retryAfterSeconds);
        res.locals.principal = principal;
      }
      next();
    });
    // 2. The JSON body, capped (413 above the limit), only on endpoints that take one.
    if (ep.body) chain.push(express.json({ limit: settings.maxBodyBytes, strict: true }));
    // 3. Validation, the handler, the reply.
    chain.push(async (req: Request, res: Response) => {
      const params = ep.params ? parseInput(ep.params, req.params) : req.params;
      const query = ep.query ? parseInput(ep.query, req.query ?? {}) : req.query;
      let body: unknown = undefined;
      if (ep.body) {
        // No body at all (a bare POST of an action): read as `{}`, so the schema names what is missing,
        // and an action whose fields are all optional just runs. A body that is not JSON is refused.
        const none = req.headers["transfer-encoding"] === undefined && (req.headers["content-length"] ?? "0") === "0";
        if (req.body === undefined && !none) {
          throw new ValidationError("", "request body must be JSON: send it with `Content-Type: application/json`");
        }
        body = parseInput(ep.body, req.body ?? {});
      }
      const principal = (res.locals.principal as Principal | undefined) ?? null;
      const reply = await ep.handle({
        params,
        query,
        body,
        headers: {
          idempotencyKey: headerValue(req, "idempotency-key"),
          lastEventId: headerValue(req, "last-event-id"),
        },
        principal,
        deps,
        now: clock,
        req,
        res,
      });
      if (reply === undefined) {
        if (checkResponses) reportSelfWritten(ep, res.statusCode);
        return;
      }
      // 4. Outside production, a 2xx JSON body must match the schema the endpoint declares for it.
      const checked =
        checkResponses && reply.body !== undefined && reply.status >= 200 && reply.status < 300
          ? checkedJson(ep, reply.status, reply.body)
          : undefined;
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      if (reply.as !== undefined) {
        const declared = ep.responses[reply.status]?.alternates ?? [];
        if (!declared.includes(reply.as.contentType)) {
          throw new ResponseSchemaError(endpointName(ep), reply.status, "", `${reply.as.contentType} is not declared`);
        }
        res.status(reply.status).type(reply.as.contentType).send(reply.as.text);
      } else if (reply.body === undefined) res.status(reply.status).end();
      else if (checked !== undefined) res.status(reply.status).type("application/json").send(checked);
      else res.status(reply.status).json(reply.body);
    });
    if (ep.anyMethod) app.all(ep.path, ...chain);
    else app[ep.method](ep.path, ...chain);
  }

  for (const [path, methods] of allowed) {
    app.all(path, (req: Request) => {
      throw new MethodNotAllowedError(req.method, path, methods);
    });
  }
  app.use((req: Request) => {
    throw new RouteNotFoundError(req.method, req.path);
  });
  app.use(errorHandler(log));
  return app;
}
