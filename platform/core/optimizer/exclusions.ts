/**
 * Placements a quote must skip, and why: capacity or quota failures the control plane remembers
 * per (cloud, region, instance type, capacity) for a while (issue 15, item 4). Pure: the caller
 * reads the remembered failures and passes them in; the quote reports which it skipped.
 */
import type { Capacity } from "../types";

/** One remembered failure of a placement. */
export interface PlacementExclusion {
  cloud: string;
  region: string;
  instanceType: string;
  capacity: Capacity;
  /** `capacity_unavailable` or `quota_exceeded`. */
  code: string;
  /** The provider's code (`InsufficientInstanceCapacity`, `QUOTA_EXCEEDED`, ...). */
  providerCode: string;
  /** When it failed, ISO 8601. */
  failedAt: string;
  /** When the quote may place there again, ISO 8601. */
  until: string;
}

/** What the quote skipped: the exclusion and the reason, in words. */
export interface ExcludedPlacement extends PlacementExclusion {
  reason: string;
}

export function exclusionKey(p: { cloud: string; region: string; instanceType: string; capacity: string }): string {
  return `${p.cloud}|${p.region}|${p.instanceType}|${p.capacity}`;
}

/** The reason a quote states for skipping `e`. */
export function exclusionReason(e: PlacementExclusion): string {
  const what = e.code === "quota_exceeded" ? "quota exceeded" : "no capacity";
  return `${what} (${e.providerCode}) for ${e.instanceType} ${e.capacity} in ${e.cloud} ${e.region} at ${e.failedAt}; skipped until ${e.until}`;
}

/** Index the exclusions by placement key (the latest `until` wins). */
export function exclusionIndex(list: readonly PlacementExclusion[] | undefined): Map<string, PlacementExclusion> {
  const m = new Map<string, PlacementExclusion>();
  for (const e of list ?? []) {
    const k = exclusionKey(e);
    const prev = m.get(k);
    if (!prev || prev.until < e.until) m.set(k, e);
  }
  return m;
}
