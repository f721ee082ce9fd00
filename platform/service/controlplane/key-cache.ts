/** A short-lived cache of authenticated keys (the hot path of every API request). */
import type { ApiKey } from "../types";

export class KeyCache {
  private readonly entries = new Map<string, { key: ApiKey | null; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached answer (a key, or null for "known bad"), or undefined when not cached. */
  get(secret: string): ApiKey | null | undefined {
    const e = this.entries.get(secret);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.entries.delete(secret);
      return undefined;
    }
    return e.key;
  }

  set(secret: string, key: ApiKey | null): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(secret, { key, until: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
