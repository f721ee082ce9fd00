/**
 * The shape of a cost-guard rule: a plain function over `{type, name, props}` records, its
 * config schema (zod, with defaults; the pack's JSON `configSchema` is generated from it), and
 * its default enforcement level. The pack's `validateResource`/`validateStack` adapters
 * (`./adapt.ts`) and the offline plan (`platform/service/plan`) both call these functions.
 */
import { z } from "zod";
import type { Catalog } from "../../platform/core/pricing/types";
import type { CostContext, ResourceFacts, ResourceInput, ResourcePrice } from "../../platform/core/resources/types";
import type { GpuCapacityFacts } from "../../platform/core/resources/types";

/**
 * A resource as a policy sees it (pack args or the plan's recorded inputs): the cost modules'
 * `ResourceInput` with the pack's name for the inputs, `props`.
 */
export interface PolicyRecord extends Omit<ResourceInput, "inputs"> {
  props: ResourceInput["inputs"];
}

export type Level = "mandatory" | "advisory";

/** What a rule knows besides the resource: environment, catalog, and how to price/read a record. */
export interface RuleContext {
  /** Environment of the stack (`dev`, `staging`, `production`, ...). */
  environment: string;
  catalog: Catalog;
  cost: CostContext;
  /** The resource's facts (read by its cloud's cost module). */
  factsOf(record: PolicyRecord): ResourceFacts;
  /** The resource's price (in a stack: workloads priced at their pools, resting nodes counted once). */
  priceOf(record: PolicyRecord): ResourcePrice;
  /** GPU capacity the resource provides (GPU node pools), if any. */
  gpuOf(record: PolicyRecord): GpuCapacityFacts | undefined;
}

export interface StackViolation {
  message: string;
  /** The resource at fault (its name; the pack reports its URN), absent for the stack as a whole. */
  resource?: PolicyRecord;
}

interface RuleBase<S extends z.ZodObject> {
  name: string;
  description: string;
  enforcementLevel: Level;
  /** Config of this rule; every field has a default. */
  config: S;
  /** Pricing options this rule's config supplies (e.g. the expected store size), merged under the caller's. */
  costOptions?(config: z.output<S>): CostContext;
}

export interface ResourceRule<S extends z.ZodObject = z.ZodObject> extends RuleBase<S> {
  kind: "resource";
  /** Messages for each way `record` violates the rule (empty: it passes). */
  check(record: PolicyRecord, config: z.output<S>, ctx: RuleContext): string[];
}

export interface StackRule<S extends z.ZodObject = z.ZodObject> extends RuleBase<S> {
  kind: "stack";
  check(records: readonly PolicyRecord[], config: z.output<S>, ctx: RuleContext): StackViolation[];
}

export type Rule = ResourceRule | StackRule;

/** Environments named in configs; `default` applies to any environment not listed. */
export const perEnvironment = <T extends z.ZodType>(value: T, defaults: Record<string, z.output<T>>) =>
  z
    .record(z.string(), value)
    .default(defaults)
    .describe("Per environment (dev, staging, production, ...); `default` applies to any other");

/** The value for `environment`, else the map's `default`; undefined when neither is set. */
export function forEnvironment<T>(map: Readonly<Record<string, T>>, environment: string): T | undefined {
  return map[environment] ?? map["default"];
}

/** Record → the input shape the cost modules read. */
export function toResourceInput(r: PolicyRecord): ResourceInput {
  return {
    type: r.type,
    name: r.name,
    inputs: r.props,
    ...(r.id !== undefined ? { id: r.id } : {}),
    ...(r.urn !== undefined ? { urn: r.urn } : {}),
    ...(r.dependsOn !== undefined ? { dependsOn: r.dependsOn } : {}),
    ...(r.providerRegion !== undefined ? { providerRegion: r.providerRegion } : {}),
  };
}

export const usd = (n: number): string => `$${n.toFixed(2)}`;

/** How every message names a resource: `name (type)`. */
export const subject = (record: PolicyRecord): string => `${record.name} (${record.type})`;

/** A rule's `productionEnvironments` config field (default `["production"]`), described for that rule. */
export const productionEnvironments = (description: string) =>
  z.array(z.string().min(1)).default(["production"]).describe(description);

/** The tail of an allow-list message: `not allowed in dev; allowed: a, b (rule.field.dev)`. */
export function notAllowedIn(environment: string, allowed: readonly string[], configPath: string): string {
  return `not allowed in ${environment}; allowed: ${allowed.join(", ") || "none"} (${configPath}.${environment})`;
}
