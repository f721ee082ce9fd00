/** zod schemas for the facade's inputs: the API validates requests, the control plane re-checks its invariants. */
import { z } from "zod";
import { formatPath, parseOrThrow, ValidationError } from "../../core/validation";
import {
  DEPLOYMENT_STATUSES,
  ROLES,
  type ListDeploymentsOptions,
  type SubmitDeploymentInput,
  type UpdateDeploymentInput,
} from "../types";
import { DeploymentSpecSchema, PlacementSchema } from "../../../programs/deployment/spec";

const name = z.string().min(1, "must not be empty").max(200, "must be at most 200 characters");
const spec = DeploymentSpecSchema;
const placement = PlacementSchema;
const usd = z.number().finite().nonnegative("must be ≥ 0");

const submitSchema = z.object({
  tenant: name,
  actor: name,
  name,
  environment: name,
  model: name,
  spec,
  stackName: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,100}$/, "must be 1-100 characters of letters, digits, '-', '_' or '.'"),
  placement,
  estimatedMonthlyUsd: usd,
});

export function parseSubmit(input: SubmitDeploymentInput): SubmitDeploymentInput {
  const parsed = parseOrThrow(submitSchema, input);
  rejectNul(parsed);
  return parsed;
}

/** Postgres text and jsonb cannot hold U+0000: say which field has one instead of failing in the database. */
export function rejectNul(value: unknown, path: PropertyKey[] = []): void {
  if (typeof value === "string") {
    if (value.includes("\u0000"))
      throw new ValidationError(formatPath(path), "must not contain NUL (U+0000) characters");
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => rejectNul(v, [...path, i]));
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000"))
        throw new ValidationError(formatPath(path), "keys must not contain NUL (U+0000) characters");
      rejectNul(v, [...path, k]);
    }
  }
}

const updateSchema = z.object({ spec, placement: placement.optional(), estimatedMonthlyUsd: usd });

export function parseUpdate(input: UpdateDeploymentInput): UpdateDeploymentInput {
  const r = parseOrThrow(updateSchema, input);
  rejectNul(r);
  return {
    spec: r.spec,
    estimatedMonthlyUsd: r.estimatedMonthlyUsd,
    ...(r.placement ? { placement: r.placement } : {}),
  };
}

const keySchema = z.object({ tenant: name, role: z.enum(ROLES), name });

export function parseKeyInput(input: { tenant: string; role: string; name: string }): z.output<typeof keySchema> {
  return parseOrThrow(keySchema, input);
}

const listSchema = z.object({
  status: z.enum(DEPLOYMENT_STATUSES).optional(),
  model: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(200),
  cursor: z.string().min(1).max(500).optional(),
});

export function parseListOptions(input: ListDeploymentsOptions): ListDeploymentsOptions {
  const r = parseOrThrow(listSchema, input);
  return {
    limit: r.limit,
    ...(r.status ? { status: r.status } : {}),
    ...(r.model ? { model: r.model } : {}),
    ...(r.cursor ? { cursor: r.cursor } : {}),
  };
}

/** The one Idempotency-Key rule: 1-200 printable ASCII characters without spaces (UUIDs, hashes). */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, "must be 1-200 printable ASCII characters without spaces (a UUID works)");

/** The key when it is absent (undefined) or valid; a ValidationError naming `Idempotency-Key` otherwise. */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  return key === undefined ? undefined : parseOrThrow(IdempotencyKeySchema, key, "Idempotency-Key");
}
