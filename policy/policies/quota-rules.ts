/**
 * `tenant-monthly-spend`: the most a tenant's live deployments may together cost per month, at
 * their estimated monthly cost. A Pulumi policy sees one stack, never the tenant's others, so the
 * sum is enforced by the modelplane API when a deployment is created or updated (403
 * `quota_exceeded` naming the limit and the current spend, platform/service/controlplane/quotas.ts);
 * the pack carries the rule so the one policy config holds every limit and the pack accepts it.
 */
import { z } from "zod";
import type { StackRule } from "./rule";

const spendConfig = z.object({
  monthlyUsd: z
    .record(z.string().min(1).max(63), z.number().nonnegative())
    .default({})
    .describe(
      "Highest estimated USD/month of one tenant's live deployments together, per tenant (`default` for the rest); absent: no limit",
    ),
});

export const tenantMonthlySpendRule: StackRule<typeof spendConfig> = {
  kind: "stack",
  name: "tenant-monthly-spend",
  description:
    "A tenant's live deployments may not together exceed its estimated monthly spend limit; enforced by the modelplane API, which sees every stack of the tenant.",
  enforcementLevel: "mandatory",
  config: spendConfig,
  // One stack cannot see its tenant's other stacks: the API enforces the sum before anything runs.
  check: () => [],
};

/** The monthly spend limit of `tenant` in a parsed config, else its `default`; undefined: no limit. */
export function tenantSpendLimit(config: z.output<typeof spendConfig>, tenant: string): number | undefined {
  return Object.hasOwn(config.monthlyUsd, tenant) ? config.monthlyUsd[tenant] : config.monthlyUsd["default"];
}
