/**
 * The two cost rules: `max-hourly-cost-per-resource` (any priced resource above a $/hour limit)
 * and `stack-monthly-budget` (the stack's estimated month above its environment's budget).
 */
import { z } from "zod";
import { forEnvironment, perEnvironment, subject, usd, type ResourceRule, type StackRule } from "./rule";

const dollars = z.number().nonnegative();

const maxHourlyConfig = z.object({
  maxHourlyUsd: perEnvironment(dollars, { default: 15, staging: 40, production: 100 }).describe(
    "Highest USD/hour one resource may cost at rest, per environment (`default` for the rest)",
  ),
});

export const maxHourlyCostRule: ResourceRule<typeof maxHourlyConfig> = {
  kind: "resource",
  name: "max-hourly-cost-per-resource",
  description:
    "A single resource may not cost more per hour than the environment's limit (priced from the modelplane catalog).",
  enforcementLevel: "mandatory",
  config: maxHourlyConfig,
  check(record, config, ctx) {
    const limit = forEnvironment(config.maxHourlyUsd, ctx.environment);
    if (limit === undefined) return [];
    const price = ctx.priceOf(record);
    if (!price.priced || price.hourlyUsd <= limit) return [];
    return [
      `${subject(record)} costs ${usd(price.hourlyUsd)}/h (${price.note}), above the ${ctx.environment} limit of ${usd(limit)}/h; ` +
        `use a smaller instance or fewer nodes, or raise max-hourly-cost-per-resource.maxHourlyUsd.${ctx.environment}`,
    ];
  },
};

const budgetConfig = z.object({
  monthlyBudgetUsd: perEnvironment(dollars, { default: 2000, staging: 10000, production: 50000 }).describe(
    "Highest estimated USD/month of one stack, per environment",
  ),
  expectedStorageGiB: z
    .number()
    .nonnegative()
    .default(50)
    .describe("Size assumed for each model store when pricing it (stores declare no size), GiB"),
});

export const stackMonthlyBudgetRule: StackRule<typeof budgetConfig> = {
  kind: "stack",
  name: "stack-monthly-budget",
  description:
    "A stack's estimated monthly cost may not exceed its environment's budget; the message names the three most expensive resources.",
  enforcementLevel: "mandatory",
  config: budgetConfig,
  costOptions: (config) => ({ storageGiB: config.expectedStorageGiB }),
  check(records, config, ctx) {
    const budget = forEnvironment(config.monthlyBudgetUsd, ctx.environment);
    if (budget === undefined) return [];
    const priced = records.map((r) => ({ r, price: ctx.priceOf(r) }));
    let total = 0;
    let unpriced = 0;
    for (const p of priced) {
      if (p.price.priced) total += p.price.monthlyUsd;
      else unpriced += 1;
    }
    if (total <= budget) return [];
    const top = priced
      .flatMap((p) =>
        p.price.priced && p.price.monthlyUsd > 0 ? [{ name: p.r.name, monthly: p.price.monthlyUsd }] : [],
      )
      .sort((a, b) => b.monthly - a.monthly)
      .slice(0, 3)
      .map((t) => `${t.name} ${usd(t.monthly)}/mo`);
    return [
      {
        message:
          `estimated ${usd(total)}/month exceeds the ${ctx.environment} budget of ${usd(budget)}/month by ${usd(total - budget)}; ` +
          `most expensive: ${top.join(", ")}` +
          (unpriced > 0 ? ` (${unpriced} resource(s) unpriced, not counted)` : "") +
          `; shrink the deployment or raise stack-monthly-budget.monthlyBudgetUsd.${ctx.environment}`,
      },
    ];
  },
};
