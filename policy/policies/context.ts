/**
 * Rule contexts. `stackContext` prices a whole stack once (workloads at their pools, resting nodes
 * counted once) — the offline plan and stack policies use it. `resourceContext` prices one
 * resource on its own — the pack's resource policies, which see one resource at a time.
 */
import type { Catalog } from "../../platform/core/pricing/types";
import { gpuCapacityOf, priceResource } from "../../providers/resource-cost/price";
import { readResource } from "../../providers/resource-cost/registry";
import { priceStack, type PricedEntry, type StackPrice } from "../../providers/resource-cost/stack";
import type { CostContext } from "../../platform/core/resources/types";
import { toResourceInput, type PolicyRecord, type RuleContext } from "./rule";

/** Stack tags that name the environment (set by the API on every stack it creates). */
export const ENVIRONMENT_TAGS = ["modelplane:environment", "environment"] as const;

/** The stack's environment: a stack tag when present, else the configured one, else `dev`. */
export function environmentOf(
  stackTags: ReadonlyMap<string, string> | undefined,
  configured: string | undefined,
): string {
  for (const tag of ENVIRONMENT_TAGS) {
    const v = stackTags?.get(tag);
    if (v) return v;
  }
  return configured ?? "dev";
}

export interface ContextOptions {
  environment: string;
  catalog: Catalog;
  cost?: CostContext;
}

/** A context for one resource seen alone. */
export function resourceContext(opts: ContextOptions): RuleContext {
  const cost = opts.cost ?? {};
  return {
    environment: opts.environment,
    catalog: opts.catalog,
    cost,
    factsOf: (r) => readResource(toResourceInput(r), cost.stack ?? []),
    priceOf: (r) => priceResource(toResourceInput(r), opts.catalog, cost),
    gpuOf: (r) => gpuCapacityOf(readResource(toResourceInput(r), cost.stack ?? []), opts.catalog, cost),
  };
}

/** A context over a whole stack, priced once; also returns the stack price. */
export function stackContext(
  records: readonly PolicyRecord[],
  opts: ContextOptions,
): { ctx: RuleContext; price: StackPrice } {
  const inputs = records.map(toResourceInput);
  const cost: CostContext = { ...(opts.cost ?? {}), stack: inputs };
  const price = priceStack(inputs, opts.catalog, cost);
  const byRecord = new Map<PolicyRecord, PricedEntry>();
  records.forEach((r, i) => {
    const entry = price.entries[i];
    if (entry) byRecord.set(r, entry);
  });
  const alone = resourceContext({ ...opts, cost });
  const ctx: RuleContext = {
    environment: opts.environment,
    catalog: opts.catalog,
    cost,
    factsOf: (r) => byRecord.get(r)?.facts ?? alone.factsOf(r),
    priceOf: (r) => byRecord.get(r)?.price ?? alone.priceOf(r),
    gpuOf: (r) => {
      const entry = byRecord.get(r);
      return entry ? entry.gpu : alone.gpuOf(r);
    },
  };
  return { ctx, price };
}
