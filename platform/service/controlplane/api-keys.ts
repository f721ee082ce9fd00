/** Management API keys as the facade serves them: create, revoke, list, and the cached authentication. */
import type { AppEnvironment } from "../config";
import { NotFoundError } from "../../core/errors";
import * as keys from "../store/api-keys";
import { audit } from "../store/audit";
import type { Db } from "../store/db";
import { isUuid } from "../store/deployments";
import type { ApiKey, Role } from "../types";
import { KeyCache } from "./key-cache";
import { createKey, ensureBootstrapKey } from "./keys";

export class ApiKeys {
  private readonly cache = new KeyCache(2000);

  constructor(
    private readonly db: Db,
    private readonly env: AppEnvironment,
  ) {}

  create(raw: { tenant: string; role: Role; name: string }, actor: string): Promise<{ key: ApiKey; secret: string }> {
    return createKey(this.db, raw, actor);
  }

  async revoke(id: string, actor: string, tenant?: string): Promise<ApiKey> {
    if (!isUuid(id)) throw new NotFoundError(`API key ${id}`);
    const k = await keys.revokeApiKey(this.db, id, tenant);
    if (!k) throw new NotFoundError(`API key ${id}`);
    this.cache.clear();
    await audit(this.db, { actor, tenant: k.tenant, action: "api_key.revoke", target: id });
    return k;
  }

  list(options: { tenant?: string; limit: number }): Promise<ApiKey[]> {
    return keys.listApiKeys(this.db, options);
  }

  async authenticate(secret: string): Promise<ApiKey | null> {
    const cached = this.cache.get(secret);
    if (cached !== undefined) return cached;
    const k = await keys.findKeyBySecret(this.db, secret);
    if (k) await keys.touchApiKey(this.db, k.id);
    this.cache.set(secret, k);
    return k;
  }

  /** The bootstrap key (see ./keys.ts); configuring a new one revokes the previous one. */
  async ensureAdmin(configuredKey?: string): Promise<{ secret: string | null; generated: boolean }> {
    const out = await ensureBootstrapKey(this.db, this.env, configuredKey);
    this.cache.clear();
    return out;
  }
}
