/**
 * The pre-flight planner as the API sees it (`PreflightPlanner`), built on issue 5's offline plan
 * (`platform/service/plan`: the per-model stack run under recording mocks in a warm worker thread, priced,
 * and checked by every cost-guard policy). Constructed at the edge (`serve`, tests) and injected
 * into `createApp`, so the API also runs without it.
 *
 * A plan is deterministic for a spec, a catalog and the active hours, so results are kept in a
 * small LRU: an idempotent retry or an identical re-plan costs nothing.
 *
 * The plan module (and through it the providers and their cloud SDKs) is imported on first use,
 * never when the server starts: an idle server holds none of them (issue 11, memory).
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

/** The plan module, loaded on first use. */
type PlanModule = typeof import("../platform/service/plan");
let planModule: Promise<PlanModule> | undefined;
const loadPlan = (): Promise<PlanModule> => (planModule ??= import("../platform/service/plan"));

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
      const { planDeployment } = await loadPlan();
      const report = await planDeployment(spec, {
        catalog: options.catalog,
        footprint: options.footprint,
        activeHoursPerDay: context.activeHoursPerDay,
        ...(options.policyConfig !== undefined ? { policyConfig: options.policyConfig } : {}),
      });
      const violations = report.policy.violations;
      cache.set(key, violations);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return violations;
    },
    warm: async () => (await loadPlan()).warmPlanner({ catalog: options.catalog, footprint: options.footprint }),
    // Nothing to stop when no plan ever ran (the module was never loaded).
    close: async () => (planModule ? (await planModule).stopPlanner() : undefined),
  };
}
