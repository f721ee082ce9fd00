/**
 * Every cost-guard rule, and the same rules as @pulumi/policy policies. `policy/index.ts` builds
 * the PolicyPack from `POLICIES`; the offline plan runs `RULES` directly.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { toPackPolicy } from "./adapt";
import { maxHourlyCostRule, stackMonthlyBudgetRule } from "./cost-rules";
import { allowedGpuTypesRule, maxGpuNodesRule, spotRequiredRule } from "./gpu-rules";
import { costTagsRule, scaleToZeroRule, storageLifecycleRule } from "./hygiene-rules";
import { allowedImageRegistriesRule } from "./image-rules";
import { tenantMonthlySpendRule } from "./quota-rules";
import { allowedRegionsRule } from "./region-rules";
import type { Rule } from "./rule";

export const RULES: readonly Rule[] = [
  maxHourlyCostRule,
  stackMonthlyBudgetRule,
  allowedGpuTypesRule,
  allowedRegionsRule,
  spotRequiredRule,
  maxGpuNodesRule,
  costTagsRule,
  storageLifecycleRule,
  scaleToZeroRule,
  allowedImageRegistriesRule,
  tenantMonthlySpendRule,
] as Rule[];

export const POLICIES: Array<ResourceValidationPolicy | StackValidationPolicy> = RULES.map((rule) =>
  toPackPolicy(rule),
);

export {
  maxHourlyCostRule,
  stackMonthlyBudgetRule,
  allowedGpuTypesRule,
  allowedRegionsRule,
  spotRequiredRule,
  maxGpuNodesRule,
  costTagsRule,
  storageLifecycleRule,
  scaleToZeroRule,
  allowedImageRegistriesRule,
  tenantMonthlySpendRule,
};
export { toPackPolicy, toResourcePolicy, toStackPolicy, configSchemaOf, parseRuleConfig } from "./adapt";
export { evaluateRules } from "./evaluate";
export type { PolicyRecord, Rule, RuleContext, ResourceRule, StackRule } from "./rule";
