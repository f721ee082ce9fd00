/**
 * `GET /v1/costs`: the cost ledger summed by tenant, cost center, model or cloud over [from, to),
 * as JSON or, with `Accept: text/csv`, as CSV (the same body, schema-checked, then rendered).
 * A tenant's key sees its own tenant's rows; a platform-admin sees every tenant's, or `?tenant=`.
 * Whole hours ending before the request are accrued first (platform/service/store/ledger.ts). The
 * hour under way is not in the ledger yet: when it lies in the range, `openHour` says what it will
 * cost at the deployments' current states, apart from the accrued total (never mixed into it).
 */
import { defineEndpoint } from "../endpoint";
import { ForbiddenError } from "../errors";
import { keyScope } from "../key-access";
import { CostReportSchema, CostsQuery, costReportCsv, type CostReport } from "../cost-schemas";

const HOUR = 3_600_000;

export const listCosts = defineEndpoint({
  method: "get",
  path: "/v1/costs",
  summary: "Accrued cost by tenant, cost center, model or cloud (JSON, or CSV with Accept: text/csv)",
  tags: ["costs"],
  role: "viewer",
  query: CostsQuery,
  responses: {
    200: {
      description: "Accrued cost per group and catalog version, USD",
      schema: CostReportSchema,
      alternates: ["text/csv"],
    },
  },
  async handle({ query, principal, deps, now, req }) {
    const scope = keyScope(principal);
    if (scope !== undefined && query.tenant !== undefined && query.tenant !== scope) {
      throw new ForbiddenError(`a tenant key sees its own tenant's costs only ("${scope}"), not "${query.tenant}"`);
    }
    const tenant = scope ?? query.tenant;
    const at = now();
    await deps.controlPlane.accrueCosts(at, deps.catalog.version);
    const rows = await deps.controlPlane.costs({
      groupBy: query.groupBy,
      from: query.from,
      to: query.to,
      ...(tenant !== undefined ? { tenant } : {}),
    });
    const hourStart = new Date(Math.floor(at.getTime() / HOUR) * HOUR);
    const hourEnd = new Date(hourStart.getTime() + HOUR);
    const open =
      hourStart.getTime() >= query.from.getTime() && hourStart.getTime() < query.to.getTime()
        ? await deps.controlPlane.openHourCosts(at, query.groupBy, tenant)
        : undefined;
    const body: CostReport = {
      groupBy: query.groupBy,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      currency: "USD",
      totalUsd: rows.reduce((s, r) => s + r.usd, 0),
      rows,
      ...(open && open.length > 0
        ? {
            openHour: {
              from: hourStart.toISOString(),
              to: hourEnd.toISOString(),
              totalUsd: open.reduce((s, r) => s + r.usd, 0),
              rows: open,
            },
          }
        : {}),
    };
    const csv = req.accepts(["application/json", "text/csv"]) === "text/csv";
    return { status: 200, body, ...(csv ? { as: { contentType: "text/csv", text: costReportCsv(body) } } : {}) };
  },
});
