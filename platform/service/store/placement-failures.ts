/**
 * Remembered capacity and quota failures (migration 010): one row per placement (cloud, region,
 * instance type, capacity), the latest failure wins. While `until` is in the future, quotes and
 * the worker's re-placement skip that placement (platform/core/optimizer/exclusions.ts).
 */
import type { PlacementExclusion } from "../../core/optimizer/exclusions";
import type { Capacity } from "../../core/types";
import type { Db } from "./db";
import { iso, str } from "./rows";

/** How long a failure is remembered by default: 6 hours. */
export const DEFAULT_FAILURE_TTL_HOURS = 6;

export interface PlacementFailureRecord {
  cloud: string;
  region: string;
  instanceType: string;
  capacity: Capacity;
  code: "capacity_unavailable" | "quota_exceeded";
  providerCode: string;
  message: string;
  deploymentId?: string;
  at: Date;
  /** Hours to remember it (default 6). */
  ttlHours?: number;
}

/**
 * Failures recorded by this process so far: a cache of the exclusions (controlplane/exclusions-cache.ts)
 * re-reads as soon as it changes. Failures recorded by other processes reach it within its TTL.
 */
let recordedHere = 0;
export const failuresRecordedHere = (): number => recordedHere;

/** Remember a failure (replacing an older one of the same placement); returns it as an exclusion. */
export async function recordPlacementFailure(db: Db, f: PlacementFailureRecord): Promise<PlacementExclusion> {
  const until = new Date(f.at.getTime() + (f.ttlHours ?? DEFAULT_FAILURE_TTL_HOURS) * 3_600_000);
  await db.query(
    `INSERT INTO placement_failures
       (cloud, region, instance_type, capacity, code, provider_code, message, deployment_id, failed_at, until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (cloud, region, instance_type, capacity) DO UPDATE SET
       code = EXCLUDED.code, provider_code = EXCLUDED.provider_code, message = EXCLUDED.message,
       deployment_id = EXCLUDED.deployment_id, failed_at = EXCLUDED.failed_at,
       until = GREATEST(placement_failures.until, EXCLUDED.until)`,
    [
      f.cloud,
      f.region,
      f.instanceType,
      f.capacity,
      f.code,
      f.providerCode,
      f.message.slice(0, 2000),
      f.deploymentId ?? null,
      f.at.toISOString(),
      until.toISOString(),
    ],
  );
  recordedHere++;
  return {
    cloud: f.cloud,
    region: f.region,
    instanceType: f.instanceType,
    capacity: f.capacity,
    code: f.code,
    providerCode: f.providerCode,
    failedAt: f.at.toISOString(),
    until: until.toISOString(),
  };
}

/** Failures still remembered at `now`. */
export async function activeExclusions(db: Db, now: Date): Promise<PlacementExclusion[]> {
  const r = await db.query(
    `SELECT cloud, region, instance_type, capacity, code, provider_code, failed_at, until
     FROM placement_failures WHERE until > $1 ORDER BY cloud, region, instance_type, capacity`,
    [now.toISOString()],
  );
  return r.rows.map((row) => ({
    cloud: str(row["cloud"]),
    region: str(row["region"]),
    instanceType: str(row["instance_type"]),
    capacity: str(row["capacity"]) as Capacity,
    code: str(row["code"]),
    providerCode: str(row["provider_code"]),
    failedAt: iso(row["failed_at"]),
    until: iso(row["until"]),
  }));
}
