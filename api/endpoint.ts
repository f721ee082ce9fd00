/**
 * One endpoint = one definition: method, path, who may call it, zod schemas of its inputs and
 * responses, and a handler. `routes.ts` lists them; `app.ts` mounts them with auth, rate limits,
 * body parsing and validation in front; `openapi.ts` documents them from the same schemas.
 */
import type { Request, Response } from "express";
import { z } from "zod";
import type { Role } from "../platform/service/types";
import type { AppDeps, Principal } from "./deps";

export type HttpMethod = "get" | "post" | "patch" | "delete";

/** What a handler answers; `undefined` means it wrote the response itself (SSE, /metrics). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The same body rendered in another representation the caller asked for (e.g. CSV for
   * `Accept: text/csv`). `body` is still checked against the declared schema first, then this
   * text is sent instead of the JSON; its content type must be one the response declares in `alternates`.
   */
  as?: { contentType: string; text: string };
}

export interface HandlerContext<P, Q, B, A extends Principal | null> {
  params: P;
  query: Q;
  body: B;
  headers: { idempotencyKey?: string; lastEventId?: string };
  principal: A;
  deps: AppDeps;
  now: () => Date;
  req: Request;
  res: Response;
}

export interface ResponseDoc {
  description: string;
  /** JSON body schema (documentation; tests check real responses against it). */
  schema?: z.ZodType;
  /** Non-JSON content type, e.g. `text/event-stream`. */
  contentType?: string;
  /** Other representations of the same (schema-checked) body, by content type (see `Reply.as`). */
  alternates?: string[];
}

interface EndpointBase {
  method: HttpMethod;
  /**
   * Mounted for every HTTP method, documented under `method` (the gateway's ext auth forwards the
   * original request's method to the inference-key check).
   */
  anyMethod?: boolean;
  /** Express path template, e.g. `/v1/deployments/:id`. */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  tags: string[];
  responses: Record<number, ResponseDoc>;
}

/** `role: null` = public (no key); otherwise the least role allowed (platform-admin ⊇ admin ⊇ deployer ⊇ viewer). */
export interface EndpointDef<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends Role | null,
> extends EndpointBase {
  role: R;
  params?: P;
  query?: Q;
  body?: B;
  handle(
    ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>, R extends Role ? Principal : null>,
  ): Promise<Reply | undefined>;
}

/** The erased form routes.ts and app.ts work with. */
export interface Endpoint extends EndpointBase {
  role: Role | null;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  handle(ctx: HandlerContext<unknown, unknown, unknown, Principal | null>): Promise<Reply | undefined>;
}

/** Define an endpoint with its handler typed from its schemas. */
export function defineEndpoint<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
  R extends Role | null = Role | null,
>(def: EndpointDef<P, Q, B, R>): Endpoint {
  return def as unknown as Endpoint;
}

const RANK: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2, "platform-admin": 3 };

/** True when `role` is at least `least`. */
export function roleAllows(role: Role, least: Role): boolean {
  return RANK[role] >= RANK[least];
}

/** Path parameter schema for `:id` routes. */
export const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._-]+$/, "id must be [A-Za-z0-9._-]"),
});
