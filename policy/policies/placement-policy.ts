/**
 * The pack's config as the optimizer's `PlacementPolicy`: the same file that drives
 * `pulumi preview --policy-pack-config` and the pre-flight, parsed by the pack's own parser
 * (`prepareRules`), reduced to the plain data core needs for one environment. Core cannot import
 * the pack (layering), so the caller (service, API, CLI) builds this and passes it in.
 * Only mandatory rules become limits: an advisory finding never denies, a disabled rule is absent.
 */
import type { PlacementPolicy } from "../../platform/core/optimizer/policy";
import { maxHourlyCostRule, stackMonthlyBudgetRule } from "./cost-rules";
import { prepareRules } from "./evaluate";
import { allowedGpuTypesRule, spotRequiredRule } from "./gpu-rules";
import { RULES } from "./index";
import { allowedRegionsRule } from "./region-rules";
import { forEnvironment } from "./rule";

/** Build the placement policy of `environment` from a pack config (parsed JSON; undefined = every default). */
export function placementPolicyFrom(config: unknown, environment: string, source: string): PlacementPolicy {
  const prepared = prepareRules(RULES, config);
  const mandatory = (name: string) => {
    const p = prepared.find((x) => x.rule.name === name);
    return p && p.level === "mandatory" ? p.config : undefined;
  };
  const policy: PlacementPolicy = { environment, source, spotRequired: false };
  const gpu = mandatory(allowedGpuTypesRule.name) as { gpuTypes: Record<string, string[]> } | undefined;
  const gpuTypes = gpu && forEnvironment(gpu.gpuTypes, environment);
  if (gpuTypes) policy.allowedGpuTypes = gpuTypes;
  const regions = mandatory(allowedRegionsRule.name) as { regions: Record<string, string[]> } | undefined;
  const allowed = regions && forEnvironment(regions.regions, environment);
  if (allowed && allowed.length > 0) policy.allowedRegions = allowed;
  const spot = mandatory(spotRequiredRule.name) as { productionEnvironments: string[] } | undefined;
  if (spot) policy.spotRequired = !spot.productionEnvironments.includes(environment);
  const hourly = mandatory(maxHourlyCostRule.name) as { maxHourlyUsd: Record<string, number> } | undefined;
  const maxHourly = hourly && forEnvironment(hourly.maxHourlyUsd, environment);
  if (maxHourly !== undefined) policy.maxHourlyUsd = maxHourly;
  const budget = mandatory(stackMonthlyBudgetRule.name) as { monthlyBudgetUsd: Record<string, number> } | undefined;
  const monthly = budget && forEnvironment(budget.monthlyBudgetUsd, environment);
  if (monthly !== undefined) policy.monthlyBudgetUsd = monthly;
  return policy;
}

/** Placement policies per environment for one config, built once each (the server's quotes reuse them). */
export class PlacementPolicies {
  private readonly byEnv = new Map<string, PlacementPolicy>();
  constructor(
    private readonly config: unknown,
    readonly source: string,
  ) {
    placementPolicyFrom(config, "dev", source); // a bad config fails here, at load time
  }
  for(environment: string): PlacementPolicy {
    let p = this.byEnv.get(environment);
    if (!p) {
      p = placementPolicyFrom(this.config, environment, this.source);
      this.byEnv.set(environment, p);
    }
    return p;
  }
}
