/** `allowed-regions`: resources may only be created in the environment's allowed regions. */
import { z } from "zod";
import { forEnvironment, notAllowedIn, perEnvironment, subject, type ResourceRule } from "./rule";

const regionsConfig = z.object({
  regions: perEnvironment(z.array(z.string().min(1)), {}).describe(
    "Allowed regions per environment (cloud region codes: us-east-1, us-central1, eastus); an environment not listed, with no `default`, is unrestricted",
  ),
});

export const allowedRegionsRule: ResourceRule<typeof regionsConfig> = {
  kind: "resource",
  name: "allowed-regions",
  description: "Cloud resources may only be created in the regions allowed for the environment.",
  enforcementLevel: "mandatory",
  config: regionsConfig,
  check(record, config, ctx) {
    const allowed = forEnvironment(config.regions, ctx.environment);
    if (!allowed || allowed.length === 0) return [];
    const facts = ctx.factsOf(record);
    const region = facts.region ?? record.providerRegion;
    if (region === undefined || facts.platform === "kubernetes" || facts.platform === "unknown") return [];
    const normalized = allowed.map((r) => r.toLowerCase());
    if (normalized.includes(region.toLowerCase())) return [];
    return [`${subject(record)} is in ${region}, ${notAllowedIn(ctx.environment, allowed, "allowed-regions.regions")}`];
  },
};
