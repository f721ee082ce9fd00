/**
 * Policy-aware placement: the cost policy as plain data, so the optimizer leaves out what the
 * policy pack would deny and the top placement passes the pre-flight. The caller builds a
 * `PlacementPolicy` from the pack's own config (`policy/policies/placement-policy.ts`, which
 * parses it with the pack's parser); core never reads a policy file and never imports the pack.
 * Only mandatory rules shape a quote (an advisory finding never denies).
 */
import type { Capacity } from "../types";
import { CAPACITY_CODE, type Columns } from "./columns";

/** The pack's rule names this module mirrors (they key the pack config and name the shaping). */
export const PLACEMENT_RULES = [
  "allowed-gpu-types",
  "allowed-regions",
  "spot-required-outside-production",
  "max-hourly-cost-per-resource",
  "stack-monthly-budget",
] as const;
export type PlacementRule = (typeof PLACEMENT_RULES)[number];

export interface PlacementPolicy {
  /** Environment the figures are for (`dev`, `staging`, `production`, ...). */
  environment: string;
  /** Where the policy came from (a file path), for the quote's `policy.source`. */
  source: string;
  /** allowed-gpu-types: GPU types allowed; absent = any. */
  allowedGpuTypes?: readonly string[];
  /** allowed-regions: region codes allowed (brought clusters are exempt, as in the pack); absent = any. */
  allowedRegions?: readonly string[];
  /** spot-required-outside-production: GPU pools must be spot (serverless is not a pool). */
  spotRequired: boolean;
  /** max-hourly-cost-per-resource: highest USD/hour of the placement's compute (all replicas). */
  maxHourlyUsd?: number;
  /** stack-monthly-budget: highest at-max USD/month of the placement. */
  monthlyBudgetUsd?: number;
}

/** What a rule needs to know of a priced candidate. */
export interface PolicySubject {
  region: string;
  gpuType: string;
  capacity: Capacity;
  hourlyUsd: number;
  atMaxMonthlyUsd: number;
  /** On a brought cluster (no cloud region the pack checks). */
  brought?: boolean;
}

/** The first rule that denies `s` under `policy`, or undefined when it passes them all. */
export function deniedBy(s: PolicySubject, policy: PlacementPolicy | undefined): PlacementRule | undefined {
  if (!policy) return undefined;
  if (policy.allowedGpuTypes && !policy.allowedGpuTypes.includes(s.gpuType)) return "allowed-gpu-types";
  if (
    policy.allowedRegions &&
    policy.allowedRegions.length > 0 &&
    !s.brought &&
    !policy.allowedRegions.some((r) => r.toLowerCase() === s.region.toLowerCase())
  ) {
    return "allowed-regions";
  }
  if (policy.spotRequired && s.capacity === "on-demand") return "spot-required-outside-production";
  if (policy.maxHourlyUsd !== undefined && s.hourlyUsd > policy.maxHourlyUsd + 1e-9) {
    return "max-hourly-cost-per-resource";
  }
  if (policy.monthlyBudgetUsd !== undefined && s.atMaxMonthlyUsd > policy.monthlyBudgetUsd + 1e-9) {
    return "stack-monthly-budget";
  }
  return undefined;
}

/**
 * `deniedBy` compiled against one candidate list's columns (columns.ts): the GPU-type and region
 * rules become one flag per code, so the scan tests candidate `i` without comparing strings.
 * Same rules, same order, same answer as `deniedBy` for that candidate.
 */
export class PolicyCheck {
  private readonly gpuDenied: Uint8Array;
  private readonly regionDenied: Uint8Array;

  constructor(
    private readonly policy: PlacementPolicy,
    private readonly cols: Columns,
  ) {
    const gpus = policy.allowedGpuTypes;
    const regions = policy.allowedRegions;
    this.gpuDenied = Uint8Array.from(cols.gpus, (g) => (gpus && !gpus.includes(g) ? 1 : 0));
    this.regionDenied = Uint8Array.from(cols.regions, (r) =>
      regions && regions.length > 0 && !regions.some((x) => x.toLowerCase() === r.toLowerCase()) ? 1 : 0,
    );
  }

  /** The first rule that denies candidate `i` at these figures, or undefined. */
  denied(i: number, hourlyUsd: number, atMaxMonthlyUsd: number): PlacementRule | undefined {
    const { cols, policy: p } = this;
    if (this.gpuDenied[cols.gpu[i]!] === 1) return "allowed-gpu-types";
    if (this.regionDenied[cols.region[i]!] === 1 && cols.brought[i] === 0) return "allowed-regions";
    if (p.spotRequired && cols.capacity[i] === CAPACITY_CODE["on-demand"]) return "spot-required-outside-production";
    if (p.maxHourlyUsd !== undefined && hourlyUsd > p.maxHourlyUsd + 1e-9) return "max-hourly-cost-per-resource";
    if (p.monthlyBudgetUsd !== undefined && atMaxMonthlyUsd > p.monthlyBudgetUsd + 1e-9) {
      return "stack-monthly-budget";
    }
    return undefined;
  }
}

/** How a policy shaped one quote: per rule, how many otherwise feasible placements it left out. */
export interface PolicyShaping {
  environment: string;
  source: string;
  shapedBy: Array<{ policy: PlacementRule; excluded: number; rule: string }>;
}

/** The rule's limit in words, for `shapedBy[].rule`. */
export function describeRule(rule: PlacementRule, p: PlacementPolicy): string {
  switch (rule) {
    case "allowed-gpu-types":
      return `GPU types allowed in ${p.environment}: ${(p.allowedGpuTypes ?? []).join(", ")}`;
    case "allowed-regions":
      return `regions allowed in ${p.environment}: ${(p.allowedRegions ?? []).join(", ")}`;
    case "spot-required-outside-production":
      return `GPU pools in ${p.environment} must be spot`;
    case "max-hourly-cost-per-resource":
      return `at most $${p.maxHourlyUsd ?? 0}/h per resource in ${p.environment}`;
    case "stack-monthly-budget":
      return `at most $${p.monthlyBudgetUsd ?? 0}/month at max in ${p.environment}`;
  }
}

/** Count exclusions per rule as the scan meets them, then report them in rule order. */
export class ShapingCounter {
  private readonly counts = new Map<PlacementRule, number>();
  add(rule: PlacementRule): void {
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
  }
  report(policy: PlacementPolicy): PolicyShaping {
    return {
      environment: policy.environment,
      source: policy.source,
      shapedBy: PLACEMENT_RULES.filter((r) => this.counts.has(r)).map((r) => ({
        policy: r,
        excluded: this.counts.get(r)!,
        rule: describeRule(r, policy),
      })),
    };
  }
}
