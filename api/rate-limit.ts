/**
 * Per-key rate limits: one token bucket per API key, in memory. A bucket holds up to `burst`
 * tokens and refills at `perSecond`; each request takes one. An empty bucket answers with the
 * seconds until the next token (the `Retry-After` of the 429).
 *
 * In memory means per process: with N API replicas a key gets up to N × the limit. Idle buckets are
 * swept so a flood of distinct keys cannot grow the map without bound.
 */

export interface RateLimitOptions {
  /** Sustained requests per second per key. Default 50. `0` disables rate limiting. */
  perSecond: number;
  /** Requests a key may send at once after being idle. Default 2 × perSecond (at least 1). */
  burst?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private lastSweepMs = 0;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly nowMs: () => number,
  ) {
    if (!(options.perSecond >= 0) || !Number.isFinite(options.perSecond)) {
      throw new RangeError(`rateLimit.perSecond must be a finite number >= 0, got ${options.perSecond}`);
    }
    this.burst = Math.max(1, options.burst ?? Math.ceil(options.perSecond * 2));
  }

  get enabled(): boolean {
    return this.options.perSecond > 0;
  }

  /** Take one token from `key`'s bucket. */
  take(key: string): TakeResult {
    if (!this.enabled) return { ok: true, remaining: Number.POSITIVE_INFINITY };
    const now = this.nowMs();
    this.sweep(now);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      const elapsed = Math.max(0, now - bucket.updatedMs) / 1000;
      bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.options.perSecond);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    const missing = 1 - bucket.tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.options.perSecond)) };
  }

  /** True when `key` could take a token now (nothing is taken). */
  wouldPass(key: string): boolean {
    if (!this.enabled) return true;
    const bucket = this.buckets.get(key);
    if (!bucket) return true;
    const elapsed = Math.max(0, this.nowMs() - bucket.updatedMs) / 1000;
    return Math.min(this.burst, bucket.tokens + elapsed * this.options.perSecond) >= 1;
  }

  /** Drop buckets that have been idle long enough to be full again (they carry no state). */
  private sweep(now: number): void {
    if (now - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = now;
    const fullAfterMs = (this.burst / this.options.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedMs > fullAfterMs) this.buckets.delete(key);
    }
  }

  /** Number of live buckets (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}
