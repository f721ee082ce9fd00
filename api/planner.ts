/**
 * The pre-flight planner as the API sees it (`PreflightPlanner`), built on issue 5's offline plan
 * (`platform/service/plan`: the per-model stack run under recording mocks in a warm worker thread, priced,
 * and checked by every cost-guard policy). The whole plan runs in that worker (`plan/preflight.ts`),
 * so a deployer's pre-flights do not hold the event loop other callers wait on (#11). Constructed at the edge (`serve`, tests) and injected
 * into `createApp`, so the API also runs without it.
 *
 * A plan is deterministic for a spec, a catalog and the active hours, so results are kept in a
 * small LRU: an idempotent retry or an identical re-plan costs nothing.
 *
 * The pre-flight client is imported on first use; the plan module (and through it the providers
 * and their cloud SDKs) loads only inside the worker: an idle server holds none of them (issue 11, memory).
 */
import { createHash } from "node:crypto";
import type { PolicyViolation } from "../platform/core/errors";
import type { Catalog } from "../platform/core/pricing/types";
import type { Footprint } from "../platform/core/footprint";
import type { DeploymentSpec } from "../programs/deployment/spec";
import type { PreflightContext, PreflightPlanner } from "./deps";

export interface PlannerOptions {
  catalog: Catalog;
  /** The platform's footprint: a spec is planned against its own outputs, never an invented platform. */
  footprint: Footprint;
  /** Policy pack config (`{ "<policy>": { enforcementLevel, ... } }`); default: every policy's defaults. */
  policyConfig?: unknown;
  /** Plans remembered (default 1000). */
  cacheSize?: number;
}

export interface OfflinePlanner extends PreflightPlanner {
  /** Start the plan worker now, so the first request does not pay for it. */
  warm(): Promise<void>;
  /** Stop the plan worker. */
  close(): Promise<void>;
}

/** The pre-flight client (posts to the plan worker), loaded on first use. */
type PreflightModule = typeof import("../platform/service/plan/preflight");
let preflightModule: Promise<PreflightModule> | undefined;
const loadPreflight = (): Promise<PreflightModule> =>
  (preflightModule ??= import("../platform/service/plan/preflight"));

export function createPlanner(options: PlannerOptions): OfflinePlanner {
  const cache = new Map<string, PolicyViolation[]>();
  const max = options.cacheSize ?? 1000;
  return {
    async check(spec: DeploymentSpec, context: PreflightContext): Promise<PolicyViolation[]> {
      const key = createHash("sha256")
        .update(JSON.stringify([spec, context.activeHoursPerDay]))
        .digest("base64");
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const { planPreflight } = await loadPreflight();
      const violations = await planPreflight(spec, {
        catalog: options.catalog,
        footprint: options.footprint,
        activeHoursPerDay: context.activeHoursPerDay,
        ...(options.policyConfig !== undefined ? { policyConfig: options.policyConfig } : {}),
      });
      cache.set(key, violations);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return violations;
    },
    warm: async () => (await loadPreflight()).warmPreflight({ catalog: options.catalog, footprint: options.footprint }),
    // Nothing to stop when no plan ever ran (the module was never loaded).
    close: async () => (preflightModule ? (await preflightModule).stopPreflight() : undefined),
  };
}
