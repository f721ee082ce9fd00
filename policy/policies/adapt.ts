/**
 * Adapters from rules to @pulumi/policy policies: `validateResource`/`validateStack` build
 * records from the pack's args, parse the policy's config (defaults applied, errors naming the
 * field), and call the rule. The JSON `configSchema` the CLI validates config against is
 * generated from the same zod schema. Only types are imported from @pulumi/policy, so loading a
 * policy module never starts a policy server.
 */
import { z } from "zod";
import type {
  PolicyConfigSchema,
  PolicyProviderResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import type { Catalog } from "../../platform/core/pricing/types";
import { parseOrThrow } from "../../platform/core/validation";
import { isRecord } from "../../platform/core/resources/read";
import { environmentOf, resourceContext, stackContext, type ContextOptions } from "./context";
import type { PolicyRecord, ResourceRule, Rule, StackRule } from "./rule";

/** Every policy's config also takes `environment`: used when the stack has no environment tag. */
const COMMON = {
  environment: z
    .string()
    .min(1)
    .optional()
    .describe("Environment to assume when the stack has no `modelplane:environment` tag (default dev)"),
};

export function fullConfigSchema(rule: Rule): z.ZodObject {
  return rule.config.extend(COMMON);
}

/** The rule's config with defaults applied; a bad value throws a ValidationError naming `<policy>.<field>`. */
export function parseRuleConfig<R extends Rule>(
  rule: R,
  raw: unknown,
): z.output<R["config"]> & { environment?: string } {
  const input = isRecord(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "enforcementLevel")) : {};
  return parseOrThrow(fullConfigSchema(rule), input, rule.name) as z.output<R["config"]> & { environment?: string };
}

/** JSON schema of a rule's config, in the form `Policy.configSchema` takes. */
export function configSchemaOf(rule: Rule): PolicyConfigSchema {
  const json: unknown = z.toJSONSchema(fullConfigSchema(rule), { target: "draft-7", io: "input" });
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  const props = isRecord(json) && isRecord(json["properties"]) ? json["properties"] : {};
  for (const [key, value] of Object.entries(props)) {
    if (isRecord(value)) properties[key] = value as PolicyConfigJSONSchema;
  }
  return { properties };
}

/** Where the pack gets its catalog (tests pass a fixture). */
export interface PackOptions {
  catalog?: () => Catalog;
}

function providerRegion(provider: PolicyProviderResource | undefined): string | undefined {
  const props: unknown = provider?.props;
  if (!isRecord(props)) return undefined;
  const region = props["region"] ?? props["location"];
  return typeof region === "string" && region !== "" ? region : undefined;
}

/** A record from the args of `validateResource`. */
export function recordFromResourceArgs(
  args: Pick<ResourceValidationArgs, "type" | "name" | "props" | "urn" | "provider">,
): PolicyRecord {
  const region = providerRegion(args.provider);
  return {
    type: args.type,
    name: args.name,
    props: args.props,
    urn: args.urn,
    ...(region ? { providerRegion: region } : {}),
  };
}

/** Records from the args of `validateStack` (property dependencies become `dependsOn`). */
export function recordsFromStackArgs(args: Pick<StackValidationArgs, "resources">): PolicyRecord[] {
  return args.resources.map((r) => {
    const dependsOn = Object.values(r.propertyDependencies ?? {})
      .flat()
      .map((d) => d.urn);
    const region = providerRegion(r.provider);
    return {
      type: r.type,
      name: r.name,
      props: r.props,
      urn: r.urn,
      dependsOn,
      ...(region ? { providerRegion: region } : {}),
    };
  });
}

function base(rule: Rule) {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    configSchema: configSchemaOf(rule),
  };
}

/** What both kinds of policy do first: parse the rule's config, then settle environment, catalog and pricing options. */
function ruleSetup<R extends Rule>(
  rule: R,
  args: Pick<ResourceValidationArgs, "getConfig" | "stackTags">,
  options: PackOptions,
): { config: ReturnType<typeof parseRuleConfig<R>>; context: ContextOptions } {
  const config = parseRuleConfig(rule, args.getConfig<Record<string, unknown>>());
  const catalog = (options.catalog ?? defaultCatalog)();
  const cost = rule.costOptions?.(config) ?? {};
  return { config, context: { environment: environmentOf(args.stackTags, config.environment), catalog, cost } };
}

export function toResourcePolicy(rule: ResourceRule, options: PackOptions = {}): ResourceValidationPolicy {
  return {
    ...base(rule),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const { config, context } = ruleSetup(rule, args, options);
      const ctx = resourceContext(context);
      for (const message of rule.check(recordFromResourceArgs(args), config, ctx)) reportViolation(message);
    },
  };
}

export function toStackPolicy(rule: StackRule, options: PackOptions = {}): StackValidationPolicy {
  return {
    ...base(rule),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const { config, context } = ruleSetup(rule, args, options);
      const records = recordsFromStackArgs(args);
      const { ctx } = stackContext(records, context);
      for (const v of rule.check(records, config, ctx)) reportViolation(v.message, v.resource?.urn);
    },
  };
}

export function toPackPolicy(rule: Rule, options: PackOptions = {}): ResourceValidationPolicy | StackValidationPolicy {
  return rule.kind === "resource" ? toResourcePolicy(rule, options) : toStackPolicy(rule, options);
}
