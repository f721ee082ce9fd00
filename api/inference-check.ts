/**
 * The gateway's auth check of inference keys (issue 14): the cluster gateway's ext auth sends every
 * model request's `Authorization` header here, with the model's namespace and service in the path.
 *
 *   200  the key is live, its tenant owns the namespace, and its per-key bucket has a token
 *   401  no key, a malformed one, or one that is unknown or revoked
 *   403  the key's tenant does not own the namespace (tenant → namespace: platform/core/tenant.ts)
 *   429  the key's own rate limit (`rateLimitPerMinute`), or too many bad keys from one client address
 *
 * Lookups are cached for `cacheMs` (at most 30 s): a key revoked through this process stops at
 * once, one revoked elsewhere within `cacheMs`, well inside the 60 s the issue allows. The clock is
 * injected, so tests move time instead of waiting.
 */
import { createHash } from "node:crypto";
import { tenantNamespace } from "../platform/core/tenant";
import type { ControlPlane, InferenceKey } from "../platform/service/types";
import { Authenticator } from "./auth";
import type { OpenAiError } from "./inference-schemas";
import { TokenBuckets } from "./rate-limit";

/** The longest a key lookup may be trusted: a revocation elsewhere takes effect within it (the issue allows 60 s). */
export const MAX_INFERENCE_CACHE_MS = 30_000;
/** Default: a revocation on another replica takes effect within 15 s. */
export const DEFAULT_INFERENCE_CACHE_MS = 15_000;
const MAX_ENTRIES = 10_000;

export type CheckOutcome =
  | { ok: true; key: InferenceKey }
  | { ok: false; status: 401 | 403 | 429; body: OpenAiError; retryAfterSeconds?: number };

export interface InferenceCheckOptions {
  /** How long a looked-up key is trusted, ms (default 15000, at most 30000). */
  cacheMs?: number;
  /** Per client address: requests with missing or bad keys per minute, and the burst above it. */
  badKeyRateLimit: { perMinute: number; burst: number };
}

function openAiError(message: string, type: string, code: string): OpenAiError {
  return { error: { message, type, param: null, code } };
}

export class InferenceKeyCheck {
  private readonly cache = new Map<string, { key: InferenceKey | null; expiresMs: number }>();
  private readonly inflight = new Map<string, Promise<InferenceKey | null>>();
  private readonly perKey = new Map<string, { perMinute: number; buckets: TokenBuckets }>();
  private readonly badKeys: TokenBuckets;
  readonly cacheMs: number;

  constructor(
    private readonly controlPlane: Pick<ControlPlane, "authenticateInferenceKey">,
    options: InferenceCheckOptions,
    private readonly nowMs: () => number,
  ) {
    const cacheMs = options.cacheMs ?? DEFAULT_INFERENCE_CACHE_MS;
    if (!(cacheMs >= 0 && cacheMs <= MAX_INFERENCE_CACHE_MS)) {
      throw new RangeError(
        `inferenceKeyCacheMs must be 0..${MAX_INFERENCE_CACHE_MS} (a revoked key must stop within 60 s), got ${cacheMs}`,
      );
    }
    this.cacheMs = cacheMs;
    const bad = options.badKeyRateLimit;
    this.badKeys = new TokenBuckets({ perSecond: bad.perMinute / 60, burst: bad.burst }, nowMs);
  }

  /** Check one forwarded request. `address` is the connecting client's (the gateway's) address. */
  async check(authorization: string | undefined, address: string, namespace: string): Promise<CheckOutcome> {
    const secret = Authenticator.bearer(authorization);
    const known = secret === null ? undefined : this.cachedGood(secret);
    if (!known && !this.badKeys.wouldPass(address)) return this.tooManyBadKeys(address);
    const key = known ?? (secret === null ? null : await this.lookup(secret));
    if (!key) {
      const taken = this.badKeys.take(address);
      if (!taken.ok) return this.tooManyBadKeys(address);
      const message =
        authorization === undefined
          ? "missing inference key: send `Authorization: Bearer mpi_…` (create one with POST /v1/inference-keys)"
          : secret === null
            ? "malformed Authorization header: use `Authorization: Bearer mpi_…`"
            : "invalid or revoked inference key";
      const code = authorization === undefined ? "missing_api_key" : "invalid_api_key";
      return { ok: false, status: 401, body: openAiError(message, "invalid_request_error", code) };
    }
    const owned = tenantNamespace(key.tenant);
    if (owned !== namespace) {
      return {
        ok: false,
        status: 403,
        body: openAiError(
          `inference key "${key.prefix}" belongs to tenant "${key.tenant}" (namespace ${owned}), not to namespace ${namespace}; use a key of the model's tenant`,
          "permission_error",
          "forbidden",
        ),
      };
    }
    const taken = this.bucketOf(key).take(key.id);
    if (!taken.ok) {
      return {
        ok: false,
        status: 429,
        retryAfterSeconds: taken.retryAfterSeconds,
        body: openAiError(
          `rate limit of inference key "${key.prefix}" reached: ${key.rateLimitPerMinute} requests per minute; retry after ${taken.retryAfterSeconds} s`,
          "rate_limit_error",
          "rate_limit_exceeded",
        ),
      };
    }
    return { ok: true, key };
  }

  /** Forget a key at once (this process revoked it). */
  forgetKey(keyId: string): void {
    for (const [digest, entry] of this.cache) if (entry.key?.id === keyId) this.cache.delete(digest);
    this.perKey.delete(keyId);
  }

  private tooManyBadKeys(address: string): CheckOutcome {
    const taken = this.badKeys.take(address);
    const retry = taken.ok ? 1 : taken.retryAfterSeconds;
    return {
      ok: false,
      status: 429,
      retryAfterSeconds: retry,
      body: openAiError(
        `too many requests with missing or invalid inference keys from this address; retry after ${retry} s`,
        "rate_limit_error",
        "rate_limit_exceeded",
      ),
    };
  }

  private bucketOf(key: InferenceKey): TokenBuckets {
    const held = this.perKey.get(key.id);
    if (held && held.perMinute === key.rateLimitPerMinute) return held.buckets;
    if (this.perKey.size >= MAX_ENTRIES) this.perKey.clear();
    // A whole minute's requests may come at once; the bucket refills at the per-minute rate.
    const buckets = new TokenBuckets(
      { perSecond: key.rateLimitPerMinute / 60, burst: key.rateLimitPerMinute },
      this.nowMs,
    );
    this.perKey.set(key.id, { perMinute: key.rateLimitPerMinute, buckets });
    return buckets;
  }

  private digest(secret: string): string {
    return createHash("sha256").update(secret).digest("base64");
  }

  private cachedGood(secret: string): InferenceKey | undefined {
    const hit = this.cache.get(this.digest(secret));
    return hit && hit.expiresMs > this.nowMs() && hit.key ? hit.key : undefined;
  }

  private async lookup(secret: string): Promise<InferenceKey | null> {
    const digest = this.digest(secret);
    const hit = this.cache.get(digest);
    if (hit && hit.expiresMs > this.nowMs()) return hit.key;
    const pending = this.inflight.get(digest);
    if (pending) return pending;
    const promise = this.controlPlane
      .authenticateInferenceKey(secret)
      .then((key) => {
        const live = key && key.revokedAt === null ? key : null;
        if (this.cacheMs > 0) {
          if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
          this.cache.set(digest, { key: live, expiresMs: this.nowMs() + this.cacheMs });
        }
        return live;
      })
      .finally(() => {
        this.inflight.delete(digest);
      });
    this.inflight.set(digest, promise);
    return promise;
  }
}
