/** Schemas of `GET /v1/costs` (the cost ledger, issue 15 item 2): its query and its report. */
import { z } from "zod";
import { COST_GROUP_BY } from "../platform/service/types";
import { TENANT_MAX, TENANT_PATTERN, TENANT_RULE } from "../platform/core/tenant";

/** Longest range one query may sum: a leap year plus a day, so "the last year" always fits. */
export const MAX_COST_RANGE_DAYS = 367;

const instant = (field: "from" | "to") =>
  z
    .string({ error: `${field} is required: an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z` })
    .max(64)
    .refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
      message: `${field} must be an ISO 8601 date or date-time, e.g. 2026-11-01T00:00:00Z`,
    })
    .transform((s) => new Date(s))
    .meta({ description: `${field === "from" ? "Start (inclusive)" : "End (exclusive)"}, ISO 8601` });

export const CostsQuery = z
  .object({
    groupBy: z
      .enum(COST_GROUP_BY, {
        error: (i) => `"${String(i.input)}" is not a grouping; use one of ${COST_GROUP_BY.join(", ")}`,
      })
      .default("tenant")
      .meta({ description: "Dimension to sum by (default tenant)" }),
    from: instant("from"),
    to: instant("to"),
    tenant: z
      .string()
      .max(TENANT_MAX)
      .regex(TENANT_PATTERN, TENANT_RULE)
      .optional()
      .meta({ description: "platform-admin only: one tenant's rows (default: every tenant's)" }),
  })
  .superRefine((q, ctx) => {
    // Zod 4 runs object refinements even when a field failed; only compare two parsed dates.
    if (!(q.from instanceof Date) || !(q.to instanceof Date)) return;
    if (q.from.getTime() >= q.to.getTime()) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "to must be after from" });
    } else if (q.to.getTime() - q.from.getTime() > MAX_COST_RANGE_DAYS * 86_400_000) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `the range from..to may span at most ${MAX_COST_RANGE_DAYS} days; query a shorter range`,
      });
    }
  });

export const CostRowSchema = z.object({
  key: z.string().meta({ description: "The group's value (tenant, cost center, model or cloud)" }),
  usd: z.number().nonnegative().meta({ description: "Accrued cost, USD" }),
  hours: z.number().int().nonnegative().meta({ description: "Deployment-hours accrued" }),
  catalogVersion: z.string().meta({ description: "Catalog version the hours were priced under" }),
});

export const OpenHourSchema = z
  .object({
    from: z.string().meta({ description: "Start of the hour under way (UTC), ISO 8601" }),
    to: z.string().meta({ description: "Its end: the hour is written to the ledger (and into rows) after this" }),
    totalUsd: z.number().nonnegative().meta({ description: "What the hour will cost at the current states, USD" }),
    rows: z.array(
      z.object({
        key: z.string(),
        usd: z.number().nonnegative(),
        deployments: z.number().int().nonnegative().meta({ description: "Accruing deployments in the group" }),
      }),
    ),
  })
  .meta({
    id: "OpenHour",
    description:
      "The hour under way, when it lies in [from, to): not yet in rows or totalUsd (the ledger holds whole hours only); charged at these rates when it ends if the states hold",
  });

export const CostReportSchema = z
  .object({
    groupBy: z.enum(COST_GROUP_BY),
    from: z.string(),
    to: z.string(),
    currency: z.literal("USD"),
    totalUsd: z.number().nonnegative().meta({ description: "Accrued cost of the whole hours in [from, to), USD" }),
    rows: z.array(CostRowSchema),
    openHour: OpenHourSchema.optional(),
  })
  .meta({ id: "CostReport" });

export type CostReport = z.infer<typeof CostReportSchema>;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =+-@ is quoted too. */
function csvField(v: string): string {
  return /[",\r\n]|^[=+\-@]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The report as CSV: a header row `<groupBy>,usd,hours,catalogVersion,currency`, then one line per row. */
export function costReportCsv(report: CostReport): string {
  const lines = [[report.groupBy, "usd", "hours", "catalogVersion", "currency"].join(",")];
  for (const r of report.rows) {
    lines.push([csvField(r.key), String(r.usd), String(r.hours), csvField(r.catalogVersion), "USD"].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
