/**
 * From recorded resources to a plan report: price every resource (one stack pricing), run every
 * policy rule on the same records (one code path with the pack), add the checks' findings, and
 * lay out the result. In the spirit of `pulumi preview --json`, each resource carries its URN,
 * inputs (secrets as `"[secret]"`), parent and dependencies, and the report the stack's outputs.
 */
import type { Catalog } from "../../core/pricing/types";
import type { PolicyViolation } from "../../core/errors";
import { isStructural } from "../../../providers/resource-cost/registry";
import type { CostContext } from "../../core/resources/types";
import { evaluateRules } from "../../../policy/policies/evaluate";
import { RULES } from "../../../policy/policies";
import type { PolicyRecord } from "../../../policy/policies/rule";
import type { RecordedResource } from "./record";
import type { PlanCluster, PlanFinding } from "./checks/types";

export interface PlanResource {
  type: string;
  name: string;
  /** USD/hour at rest; null when unpriced. */
  hourlyUsd: number | null;
  /** USD/month; null when unpriced. */
  monthlyUsd: number | null;
  priced: boolean;
  /** Which count the price uses (`desired`, `min`, `replicas`, `active-hours`, ...). */
  basis?: string;
  /** How the price was made, or why there is none. */
  note: string;
  /** The URN the engine would give it (absent for cost lines outside the stack). */
  urn?: string;
  /** URN of its parent component (or the stack). */
  parent?: string;
  /** URNs it depends on (explicit `dependsOn` and the resources its inputs come from). */
  dependsOn?: string[];
  /** Inputs as registered; secrets are `"[secret]"`. */
  inputs?: Record<string, unknown>;
}

/** A component resource: no cost, but the parent of others. */
export interface PlanComponent {
  type: string;
  name: string;
  urn: string;
  parent?: string;
}

export interface PlanReport {
  /** Stack the plan is for (the per-model stack name, or the platform stack). */
  stack: string;
  environment: string;
  /** Cloud resources the program registers (components and providers are not listed). */
  resources: PlanResource[];
  /** Component resources registered (they cost nothing by themselves). */
  componentCount: number;
  /** The component resources (parents of the resources), with their URNs. */
  components: PlanComponent[];
  /** The stack's outputs (secrets as `"[secret]"`). */
  outputs: Record<string, unknown>;
  /**
   * What a real `pulumi up` would trip over that the mocks cannot see (schema, add-on contract,
   * cloud limits, GPU arithmetic); errors first. Any error fails the plan.
   */
  findings: PlanFinding[];
  /** Number of findings at level `error`. */
  errors: number;
  /** The clusters the stack creates (platform) or lands on (deployment), with their add-ons. */
  clusters: PlanCluster[];
  hourlyUsd: number;
  monthlyUsd: number;
  unpriced: Array<{ type: string; name: string; reason: string }>;
  policy: {
    violations: PolicyViolation[];
    /** True when at least one mandatory policy is violated (the deployment must not proceed). */
    denied: boolean;
  };
  catalog: { version: string; asOf: string };
}

export interface ReportOptions {
  stack: string;
  environment: string;
  catalog: Catalog;
  cost: CostContext;
  policyConfig?: unknown;
  /** Cost lines the stack causes outside its own resources (e.g. weights in the platform store). */
  extraRecords?: PolicyRecord[];
  /** The stack's outputs, as recorded. */
  outputs?: Record<string, unknown>;
  /** The checks' findings (./checks). */
  findings?: PlanFinding[];
  /** The clusters and their add-ons (./checks). */
  clusters?: PlanCluster[];
}

const round = (n: number): number => Math.round(n * 1e4) / 1e4;

export function buildReport(recorded: readonly RecordedResource[], options: ReportOptions): PlanReport {
  const cloudResources = recorded.filter((r) => r.custom && !isStructural(r.type));
  const records: PolicyRecord[] = cloudResources.map((r) => ({
    type: r.type,
    name: r.name,
    props: r.inputs,
    id: r.id,
    ...(r.providerRegion ? { providerRegion: r.providerRegion } : {}),
  }));
  records.push(...(options.extraRecords ?? []));
  const { violations, price } = evaluateRules(RULES, records, {
    environment: options.environment,
    catalog: options.catalog,
    cost: options.cost,
    config: options.policyConfig,
  });
  const byId = new Map(cloudResources.map((r) => [r.id, r]));
  const resources: PlanResource[] = price.entries.map((e) => {
    const r = e.resource.id !== undefined ? byId.get(e.resource.id) : undefined;
    return {
      type: e.resource.type,
      name: e.resource.name,
      hourlyUsd: e.price.priced ? round(e.price.hourlyUsd) : null,
      monthlyUsd: e.price.priced ? round(e.price.monthlyUsd) : null,
      priced: e.price.priced,
      ...(e.price.priced ? { basis: e.price.basis } : {}),
      note: e.price.priced ? e.price.note : e.price.reason,
      ...(r ? { urn: r.urn, ...(r.parent ? { parent: r.parent } : {}), dependsOn: r.dependsOn, inputs: r.inputs } : {}),
    };
  });
  const components = recorded
    .filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ type: r.type, name: r.name, urn: r.urn, ...(r.parent ? { parent: r.parent } : {}) }));
  const findings = options.findings ?? [];
  return {
    stack: options.stack,
    environment: options.environment,
    resources,
    componentCount: components.length,
    components,
    outputs: options.outputs ?? {},
    findings,
    errors: findings.filter((f) => f.level === "error").length,
    clusters: options.clusters ?? [],
    hourlyUsd: round(price.hourlyUsd),
    monthlyUsd: round(price.monthlyUsd),
    unpriced: price.unpriced,
    policy: { violations, denied: violations.some((v) => v.level === "mandatory") },
    catalog: { version: options.catalog.version, asOf: options.catalog.asOf },
  };
}
