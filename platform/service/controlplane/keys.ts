/**
 * API key management: new keys (tenant names that map one-to-one to namespaces), and the bootstrap
 * key, the only platform-admin the control plane makes itself. See docs/security.md.
 */
import type { AppEnvironment } from "../config";
import { ConflictError } from "../../core/errors";
import { checkTenantName, tenantNamespace } from "../../core/tenant";
import { ValidationError } from "../../core/validation";
import * as keys from "../store/api-keys";
import { audit } from "../store/audit";
import type { Db } from "../store/db";
import type { ApiKey, Role } from "../types";
import { parseKeyInput } from "./input";

/** The tenant of the bootstrap key. */
export const ADMIN_TENANT = "default";

/** Create a key; its tenant must be a valid name whose namespace no other tenant holds. */
export async function createKey(
  db: Db,
  raw: { tenant: string; role: Role; name: string },
  actor: string,
): Promise<{ key: ApiKey; secret: string }> {
  const input = parseKeyInput(raw);
  checkTenantName(input.tenant);
  const namespace = tenantNamespace(input.tenant);
  const holder = (await keys.tenantsWithKeys(db)).find((t) => t !== input.tenant && tenantNamespace(t) === namespace);
  if (holder !== undefined) {
    throw new ConflictError(
      `tenant "${input.tenant}" would run in namespace ${namespace}, which belongs to tenant "${holder}"; choose another tenant name`,
    );
  }
  const { prefix, secret } = keys.generateKey();
  const key = await db.transaction(async (tx) => {
    const k = await keys.insertApiKey(tx, { ...input, createdBy: actor, secret, prefix });
    await audit(tx, {
      actor,
      tenant: input.tenant,
      action: "api_key.create",
      target: k.id,
      details: { role: input.role, name: input.name },
    });
    return k;
  });
  return { key, secret };
}

/**
 * Make sure a bootstrap key exists. A configured key (MODELPLANE_ADMIN_KEY) is stored, hashed, as
 * a platform-admin of tenant `default`, and every earlier bootstrap key is revoked in the same
 * transaction: rotating the variable revokes the previous key at the next start. Without one, in
 * development, a key is generated once (print it); in production one must be configured.
 */
export async function ensureBootstrapKey(
  db: Db,
  env: AppEnvironment,
  configuredKey?: string,
): Promise<{ secret: string | null; generated: boolean }> {
  if (configuredKey !== undefined) {
    if (configuredKey.length < 16) throw new ValidationError("MODELPLANE_ADMIN_KEY", "must be at least 16 characters");
    const existing = await keys.findKeyByHash(db, configuredKey);
    if (existing && existing.revokedAt !== null) {
      throw new ValidationError("MODELPLANE_ADMIN_KEY", "this key was revoked; configure a new one");
    }
    if (existing && !existing.bootstrap) {
      throw new ValidationError(
        "MODELPLANE_ADMIN_KEY",
        "this is an ordinary API key, not a bootstrap key; configure a new secret (at least 16 characters)",
      );
    }
    await db.transaction(async (tx) => {
      const prefix = `env${keys.hashSecret(configuredKey).slice(0, 9)}`;
      if (!existing) {
        await keys.insertApiKey(tx, {
          tenant: ADMIN_TENANT,
          role: "platform-admin",
          name: "platform admin (MODELPLANE_ADMIN_KEY)",
          createdBy: "system",
          secret: configuredKey,
          prefix,
          bootstrap: true,
        });
        await audit(tx, { actor: "system", tenant: ADMIN_TENANT, action: "api_key.configure", target: prefix });
      }
      for (const old of await keys.revokeOtherBootstrapKeys(tx, keys.hashSecret(configuredKey))) {
        await audit(tx, {
          actor: "system",
          tenant: old.tenant,
          action: "api_key.revoke",
          target: old.id,
          details: { reason: "MODELPLANE_ADMIN_KEY rotated" },
        });
      }
    });
    return { secret: configuredKey, generated: false };
  }
  if ((await keys.countLiveBootstrapKeys(db)) > 0) return { secret: null, generated: false };
  if (env !== "development") {
    throw new ValidationError("MODELPLANE_ADMIN_KEY", "required in production when no admin key exists yet");
  }
  const { prefix, secret } = keys.generateKey();
  await db.transaction(async (tx) => {
    const k = await keys.insertApiKey(tx, {
      tenant: ADMIN_TENANT,
      role: "platform-admin",
      name: "first platform admin (generated)",
      createdBy: "system",
      secret,
      prefix,
      bootstrap: true,
    });
    await audit(tx, { actor: "system", tenant: ADMIN_TENANT, action: "api_key.create", target: k.id });
  });
  return { secret, generated: true };
}
