/**
 * Inference keys (issue 14): issued per tenant, stored hashed (store/inference-keys.ts), checked by
 * the cluster gateway through `GET|POST|… /v1/inference-keys/check/…` (api/inference-check.ts).
 * The facade's four methods delegate here so controlplane.ts stays the list of operations.
 */
import { z } from "zod";
import { NotFoundError } from "../../core/errors";
import { checkTenantName } from "../../core/tenant";
import { parseOrThrow } from "../../core/validation";
import { audit } from "../store/audit";
import type { Db } from "../store/db";
import * as store from "../store/inference-keys";
import { isUuid } from "../store/rows";
import { DEFAULT_INFERENCE_RATE_LIMIT_PER_MINUTE, type CreateInferenceKeyInput, type InferenceKey } from "../types";

/** The most requests per minute one key may be given (the per-key bucket of the auth check). */
export const MAX_INFERENCE_RATE_LIMIT_PER_MINUTE = 1_000_000;

const createSchema = z.object({
  tenant: z.string(),
  name: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
  rateLimitPerMinute: z
    .number()
    .int("must be a whole number of requests per minute")
    .min(1, `must be 1..${MAX_INFERENCE_RATE_LIMIT_PER_MINUTE}`)
    .max(MAX_INFERENCE_RATE_LIMIT_PER_MINUTE, `must be 1..${MAX_INFERENCE_RATE_LIMIT_PER_MINUTE}`)
    .optional(),
});

export async function createInferenceKey(
  db: Db,
  raw: CreateInferenceKeyInput,
  actor: string,
): Promise<{ key: InferenceKey; secret: string }> {
  const input = parseOrThrow(createSchema, raw);
  checkTenantName(input.tenant);
  const { prefix, secret } = store.generateInferenceKey();
  const key = await db.transaction(async (tx) => {
    const k = await store.insertInferenceKey(tx, {
      tenant: input.tenant,
      name: input.name,
      rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_INFERENCE_RATE_LIMIT_PER_MINUTE,
      createdBy: actor,
      prefix,
      secret,
    });
    await audit(tx, {
      actor,
      tenant: input.tenant,
      action: "inference_key.create",
      target: k.id,
      details: { name: k.name, rateLimitPerMinute: k.rateLimitPerMinute },
    });
    return k;
  });
  return { key, secret };
}

export async function revokeInferenceKey(db: Db, id: string, actor: string, tenant?: string): Promise<InferenceKey> {
  if (!isUuid(id)) throw new NotFoundError(`inference key ${id}`);
  const k = await store.revokeInferenceKey(db, id, tenant);
  if (!k) throw new NotFoundError(`inference key ${id}`);
  await audit(db, { actor, tenant: k.tenant, action: "inference_key.revoke", target: id });
  return k;
}

export function listInferenceKeys(db: Db, options: { tenant?: string; limit: number }): Promise<InferenceKey[]> {
  return store.listInferenceKeys(db, options);
}

/** The live key for a presented secret (its last use recorded at most once a minute), or null. */
export async function authenticateInferenceKey(db: Db, secret: string): Promise<InferenceKey | null> {
  const k = await store.findInferenceKeyBySecret(db, secret);
  if (k) await store.touchInferenceKey(db, k.id);
  return k;
}
