/**
 * `Authorization: Bearer <key>` → the caller (tenant + role). Keys are checked by the control plane
 * (stored hashed there); results are cached here for a few seconds so a busy key costs one database
 * lookup per window, not one per request. Concurrent first requests with the same key share one lookup.
 */
import { createHash } from "node:crypto";
import type { ApiKey, ControlPlane } from "../platform/service/types";
import type { Principal } from "./deps";
import { UnauthorizedError } from "./errors";

interface Entry {
  principal: Principal | null;
  keyId: string | null;
  expiresMs: number;
}

/** Cached entries at most; beyond it the cache is cleared (a flood of bad keys cannot grow it). */
const MAX_ENTRIES = 10_000;
const MAX_KEY_LENGTH = 512;

export class Authenticator {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Principal | null>>();
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(
    private readonly controlPlane: Pick<ControlPlane, "authenticate">,
    private readonly ttlMs: number,
    private readonly nowMs: () => number,
  ) {}

  /** The bearer token of an Authorization header, or null when absent or malformed. */
  static bearer(header: string | undefined): string | null {
    if (!header) return null;
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    const token = match?.[1];
    if (!token || token.length > MAX_KEY_LENGTH) return null;
    return token;
  }

  /** Resolve the caller or throw UnauthorizedError. */
  async resolve(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined) throw new UnauthorizedError();
    const secret = Authenticator.bearer(authorization);
    if (secret === null)
      throw new UnauthorizedError("malformed Authorization header: use `Authorization: Bearer <key>`");
    const principal = await this.lookup(secret);
    if (!principal) throw new UnauthorizedError("invalid or revoked API key");
    return principal;
  }

  /** The caller of a still-cached, valid key, without asking the control plane; undefined otherwise. */
  cached(authorization: string | undefined): Principal | undefined {
    const secret = Authenticator.bearer(authorization);
    if (secret === null) return undefined;
    const hit = this.cache.get(createHash("sha256").update(secret).digest("base64"));
    return hit && hit.expiresMs > this.nowMs() && hit.principal ? hit.principal : undefined;
  }

  /** Forget every cached entry of a key (called when this process revokes it), and tell its watchers. */
  forgetKey(keyId: string): void {
    for (const [digest, entry] of this.cache) if (entry.keyId === keyId) this.cache.delete(digest);
    for (const watcher of [...(this.watchers.get(keyId) ?? [])]) watcher();
  }

  /** Call `onRevoked` when this process revokes `keyId` (open event streams end). Returns the unwatch function. */
  watchKey(keyId: string, onRevoked: () => void): () => void {
    const set = this.watchers.get(keyId) ?? new Set<() => void>();
    set.add(onRevoked);
    this.watchers.set(keyId, set);
    return () => {
      set.delete(onRevoked);
      if (set.size === 0) this.watchers.delete(keyId);
    };
  }

  private async lookup(secret: string): Promise<Principal | null> {
    const digest = createHash("sha256").update(secret).digest("base64");
    const now = this.nowMs();
    const hit = this.cache.get(digest);
    if (hit && hit.expiresMs > now) return hit.principal;
    const pending = this.inflight.get(digest);
    if (pending) return pending;
    const promise = this.controlPlane
      .authenticate(secret)
      .then((key) => {
        const principal = key && key.revokedAt === null ? toPrincipal(key) : null;
        if (this.ttlMs > 0) {
          if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
          this.cache.set(digest, { principal, keyId: principal?.keyId ?? null, expiresMs: this.nowMs() + this.ttlMs });
        }
        return principal;
      })
      .finally(() => {
        this.inflight.delete(digest);
      });
    this.inflight.set(digest, promise);
    return promise;
  }
}

function toPrincipal(key: ApiKey): Principal {
  return { keyId: key.id, tenant: key.tenant, role: key.role, name: key.name, bootstrap: key.bootstrap };
}
