/**
 * Capacity and quota failover, the worker's part (the pure part is ./failover.ts): remember the
 * failed placement, and (when allowed another try) move the deployment to the next-cheapest
 * placement that avoids every remembered failure, each step logged as an event.
 */
import { classifyEngineError } from "../engine/errors";
import type { Db } from "../store/db";
import { setDeploymentSpec } from "../store/deployments";
import { activeExclusions, recordPlacementFailure } from "../store/placement-failures";
import type { Deployment } from "../types";
import type { EventWriter } from "./event-writer";
import { MAX_FAILOVER_TRIES, replace, type FailoverContext } from "./failover";

export interface FailoverStep {
  db: Db;
  /** What re-placement needs; absent: the failure is remembered and the operation fails. */
  ctx: FailoverContext | undefined;
  now: Date;
  /** The deployment as it ran, and what it failed with. */
  d: Deployment;
  err: unknown;
  /** Re-placements made so far. */
  tries: number;
  events: EventWriter;
  /** Move the deployment back to `queued` (only while this attempt owns the operation). */
  requeue: () => Promise<void>;
}

/**
 * After a failure: when it is a capacity or quota failure, remember it for the placement, and
 * (when allowed another try) re-place the deployment. Returns the re-placed deployment, or null
 * to fail as usual.
 */
export async function failoverStep(step: FailoverStep): Promise<Deployment | null> {
  const { db, ctx, now, d, err, tries, events, requeue } = step;
  const failure = classifyEngineError(err);
  if (failure.kind !== "capacity" && failure.kind !== "quota") return null;
  const p = d.placement;
  const from = `${p.cloud} ${p.region} ${p.instanceType} ${p.capacity}`;
  await recordPlacementFailure(db, {
    cloud: p.cloud,
    region: p.region,
    instanceType: p.instanceType,
    capacity: p.capacity,
    code: failure.kind === "capacity" ? "capacity_unavailable" : "quota_exceeded",
    providerCode: failure.providerCode ?? failure.code,
    message: failure.message,
    deploymentId: d.id,
    at: now,
    ...(ctx?.ttlHours !== undefined ? { ttlHours: ctx.ttlHours } : {}),
  });
  const what = failure.kind === "capacity" ? "no capacity" : "quota exceeded";
  const base = { code: failure.code, providerCode: failure.providerCode ?? failure.code, from };
  if (!ctx) {
    events.push("log", {
      message: `${what} on ${from} (${base.providerCode}); remembered, no failover configured`,
      failover: base,
    });
    return null;
  }
  if (tries >= MAX_FAILOVER_TRIES) {
    events.push("log", {
      message: `${what} on ${from} (${base.providerCode}); failover gave up after ${MAX_FAILOVER_TRIES} tries`,
      failover: { ...base, try: tries, of: MAX_FAILOVER_TRIES, gaveUp: true },
    });
    return null;
  }
  const r = replace(d.spec, await activeExclusions(db, now), ctx, now);
  if ("none" in r) {
    events.push("log", {
      message: `${what} on ${from} (${base.providerCode}); failover found nothing: ${r.none}`,
      failover: { ...base, try: tries + 1, of: MAX_FAILOVER_TRIES, gaveUp: true },
    });
    return null;
  }
  const q = r.placement;
  const to = `${q.cloud} ${q.region} ${q.instanceType} ${q.capacity}`;
  await setDeploymentSpec(db, d.tenant, d.id, r.spec, r.placement, r.estimatedMonthlyUsd);
  events.push("log", {
    message: `failover try ${tries + 1}/${MAX_FAILOVER_TRIES}: ${what} on ${from} (${base.providerCode}); re-placing on ${to} at $${r.estimatedMonthlyUsd.toFixed(2)}/month`,
    failover: { ...base, try: tries + 1, of: MAX_FAILOVER_TRIES, to, estimatedMonthlyUsd: r.estimatedMonthlyUsd },
  });
  await requeue();
  return { ...d, spec: r.spec, placement: r.placement, estimatedMonthlyUsd: r.estimatedMonthlyUsd };
}
