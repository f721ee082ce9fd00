/**
 * Run every rule over a stack's records, outside the Pulumi engine (the offline plan, the API's
 * pre-flight). Config is the policy pack config file's content (`{ "<policy>": { enforcementLevel,
 * ...fields } }`), so the same file drives `pulumi preview --policy-pack-config` and the plan.
 */
import type { Catalog } from "../../platform/core/pricing/types";
import type { PolicyViolation } from "../../platform/core/errors";
import type { StackPrice } from "../../providers/resource-cost/stack";
import type { CostContext } from "../../platform/core/resources/types";
import { isRecord } from "../../platform/core/resources/read";
import { ValidationError } from "../../platform/core/validation";
import { parseRuleConfig } from "./adapt";
import { stackContext } from "./context";
import type { PolicyRecord, Rule } from "./rule";

export interface EvaluateOptions {
  environment: string;
  catalog: Catalog;
  /** Pricing context; overrides what the rules' configs supply (e.g. the store size). */
  cost?: CostContext;
  /** The policy pack config (parsed JSON); absent: every default. */
  config?: unknown;
}

export interface Evaluation {
  violations: PolicyViolation[];
  price: StackPrice;
}

const LEVELS = ["mandatory", "advisory", "remediate", "disabled"] as const;

/** The level a rule runs at: the config's `enforcementLevel` (remediate counts as mandatory), else its default. */
function levelOf(rule: Rule, raw: unknown): PolicyViolation["level"] | "disabled" {
  const level = isRecord(raw) ? raw["enforcementLevel"] : typeof raw === "string" ? raw : undefined;
  if (level === undefined) return rule.enforcementLevel;
  if (typeof level !== "string" || !(LEVELS as readonly string[]).includes(level)) {
    throw new ValidationError(
      `${rule.name}.enforcementLevel`,
      `"${String(level)}" is not an enforcement level; use one of ${LEVELS.join(", ")}`,
    );
  }
  return level === "remediate" ? "mandatory" : (level as PolicyViolation["level"] | "disabled");
}

/** A rule with its level and its parsed config, as a pack config file sets them. */
export interface PreparedRule {
  rule: Rule;
  level: PolicyViolation["level"] | "disabled";
  config: ReturnType<typeof parseRuleConfig>;
}

/**
 * Parse a policy pack config (parsed JSON) for `rules`: unknown policy names, bad levels and bad
 * fields are ValidationErrors naming the key. Shared by the evaluation and the placement policy.
 */
export function prepareRules(rules: readonly Rule[], config: unknown): PreparedRule[] {
  const packConfig = isRecord(config) ? config : {};
  if (config !== undefined && !isRecord(config)) {
    throw new ValidationError("policy config", "must be a JSON object keyed by policy name");
  }
  const known = new Set(rules.map((r) => r.name));
  for (const key of Object.keys(packConfig)) {
    if (key !== "all" && !known.has(key))
      throw new ValidationError(key, `is not a policy of this pack; policies: ${[...known].join(", ")}`);
  }
  // `all` sets every policy's level (Pulumi's policy pack config convention); a policy's own wins.
  const all = packConfig["all"];
  return rules.map((rule) => {
    const raw = packConfig[rule.name];
    const own = isRecord(raw) ? raw["enforcementLevel"] : raw;
    const level =
      own !== undefined
        ? levelOf(rule, raw)
        : all !== undefined
          ? levelOf(rule, isRecord(all) ? all : { enforcementLevel: all })
          : rule.enforcementLevel;
    return { rule, level, config: parseRuleConfig(rule, isRecord(raw) ? raw : {}) };
  });
}

export function evaluateRules(
  rules: readonly Rule[],
  records: readonly PolicyRecord[],
  options: EvaluateOptions,
): Evaluation {
  const prepared = prepareRules(rules, options.config);
  let cost: CostContext = {};
  for (const p of prepared) cost = { ...cost, ...(p.rule.costOptions?.(p.config) ?? {}) };
  cost = { ...cost, ...(options.cost ?? {}) };
  const { ctx, price } = stackContext(records, { environment: options.environment, catalog: options.catalog, cost });

  const violations: PolicyViolation[] = [];
  for (const { rule, level, config } of prepared) {
    if (level === "disabled") continue;
    if (rule.kind === "resource") {
      for (const record of records) {
        for (const message of rule.check(record, config, ctx))
          violations.push({ policy: rule.name, level, message, resource: record.name });
      }
    } else {
      for (const v of rule.check(records, config, ctx)) {
        violations.push({
          policy: rule.name,
          level,
          message: v.message,
          ...(v.resource ? { resource: v.resource.name } : {}),
        });
      }
    }
  }
  return { violations, price };
}
