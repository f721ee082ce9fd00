/**
 * What the policy config says about REQUEST input, for the API to refuse before anything is
 * planned: tag keys a request may not set (the policy's own exemption tags, `modelplane*`,
 * `managed-by`, the cost tags set by their own fields), and the registries `server.image` may come
 * from, and each tenant's monthly spend limit. Derived from the same config the pack and the pre-flight plan read, so the two agree.
 */
import type { z } from "zod";
import { parseOrThrow } from "../platform/core/validation";
import { spotRequiredRule } from "./policies/gpu-rules";
import { costTagsRule } from "./policies/hygiene-rules";
import { allowedImageRegistriesRule, imageAllowed, imageRepository } from "./policies/image-rules";
import { tenantMonthlySpendRule, tenantSpendLimit } from "./policies/quota-rules";

export interface RequestGovernance {
  /** Folded tag keys (see `foldTagKey`) a request may not set, with why. */
  reservedTagKeys: ReadonlyMap<string, string>;
  /** Folded prefixes a request's tag keys may not start with. */
  reservedTagPrefixes: readonly string[];
  /** Registry prefixes `server.image` may come from. */
  imageRegistries: readonly string[];
  /** A tenant's monthly spend limit in USD (`tenant-monthly-spend.monthlyUsd`); undefined: no limit. */
  monthlySpendLimitUsd(tenant: string): number | undefined;
}

/**
 * A tag key as any cloud may end up storing it: lowercase, every run of other characters one `-`
 * (GCP labels lowercase keys, Azure folds `/`, `%`, … to `_`). `Modelplane_Allow.On-Demand` and
 * `modelplane-allow-on-demand` fold alike, so neither spelling slips past the list.
 */
export function foldTagKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * A rule's section of the policy config, parsed with the rule's own schema. Not `parseRuleConfig`
 * (policies/adapt.ts): that one loads the pricing context and every cloud module, which the API
 * process must not pay for just to read three settings.
 */
function configOf<S extends z.ZodObject>(rule: { name: string; config: S }, config: unknown): z.output<S> {
  const raw =
    config !== null && typeof config === "object" && Object.hasOwn(config, rule.name)
      ? (config as Record<string, unknown>)[rule.name]
      : undefined;
  const section =
    raw !== null && typeof raw === "object"
      ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "enforcementLevel" && k !== "environment"))
      : {};
  return parseOrThrow(rule.config, section, rule.name);
}

/** Build the request rules from a policy config (`{ "<policy>": { … } }`; undefined = defaults). */
export function requestGovernance(policyConfig?: unknown): RequestGovernance {
  const spot = configOf(spotRequiredRule, policyConfig);
  const tags = configOf(costTagsRule, policyConfig);
  const images = configOf(allowedImageRegistriesRule, policyConfig);
  const spend = configOf(tenantMonthlySpendRule, policyConfig);
  const reserved = new Map<string, string>();
  reserved.set(
    foldTagKey(spot.optOutTag),
    `it exempts a resource from the ${spotRequiredRule.name} policy; exemptions are set by the platform team, not by requests`,
  );
  reserved.set(foldTagKey(tags.deploymentTag), "modelplane sets it to the deployment's id");
  reserved.set("managed-by", "modelplane sets it on everything it creates");
  const byField: Record<string, string> = { model: "model.name", owner: "owner", "cost-center": "costCenter" };
  for (const t of tags.requiredTags) {
    const field = byField[foldTagKey(t)];
    reserved.set(
      foldTagKey(t),
      field ? `set it with the \`${field}\` field` : "it is a required cost tag set by modelplane",
    );
  }
  return {
    reservedTagKeys: reserved,
    reservedTagPrefixes: ["modelplane"],
    imageRegistries: images.registries,
    monthlySpendLimitUsd: (tenant) => tenantSpendLimit(spend, tenant),
  };
}

/** Why a request may not set tag `key`, or undefined when it may. */
export function reservedTagReason(key: string, g: RequestGovernance): string | undefined {
  const folded = foldTagKey(key);
  const exact = g.reservedTagKeys.get(folded);
  if (exact) return exact;
  const prefix = g.reservedTagPrefixes.find((p) => folded.startsWith(p));
  return prefix ? `keys starting with "${prefix}" are reserved for modelplane and its policies` : undefined;
}

/** Why `image` is refused, or undefined when its registry is allowed. */
export function imageRefusal(image: string, g: RequestGovernance): string | undefined {
  if (imageAllowed(image, g.imageRegistries)) return undefined;
  return `registry ${imageRepository(image)} is not allowed; allowed: ${g.imageRegistries.join(", ")} (policy config allowed-image-registries.registries)`;
}
