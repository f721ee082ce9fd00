/**
 * Plan a quote request: quote it, take the top placement, build the deployment spec that runs it
 * (replicas as quoted; serverless scales to zero), and plan that spec. The spec's own fields
 * (tenant, owner, ...) come from `DeploymentDefaults`.
 */
import { InfeasibleError } from "../../core/errors";
import type { Placement } from "../../core/placement";
import type { Environment } from "../../core/types";
import { defaultCatalog } from "../../core/pricing/catalog";
import { parseQuoteRequest, quote, type QuoteRequest, type QuoteResult } from "../../core/optimizer";
import { shortHash, slug } from "../../core/naming";
import type { DeploymentSpecInput } from "../../../programs/deployment/spec";
import { planDeployment, type PlanOptions } from "./index";
import type { PlanReport } from "./report";

/** What a quote request does not say but a deployment needs. */
export interface DeploymentDefaults {
  tenant?: string;
  owner?: string;
  costCenter?: string;
  environment?: Environment;
  platformStack?: string;
}

/** The deployment spec that runs `placement` for `request` (replicas as quoted). */
export function specFromPlacement(
  request: QuoteRequest,
  placement: Placement,
  defaults: DeploymentDefaults = {},
): DeploymentSpecInput {
  const serverless = placement.capacity === "serverless";
  const m = request.model;
  return {
    deploymentId:
      `plan-${slug(m.name).slice(0, 40)}-${shortHash(JSON.stringify([m, placement.cloud, placement.region, placement.instanceType]), 6)}`.replace(
        /-+/g,
        "-",
      ),
    tenant: defaults.tenant ?? "default",
    owner: defaults.owner ?? "unassigned",
    costCenter: defaults.costCenter ?? "unassigned",
    environment: defaults.environment ?? "dev",
    model: {
      name: m.name,
      parametersBillions: m.parametersBillions,
      precision: m.precision,
      contextTokens: m.contextTokens,
    },
    placement,
    scaling: serverless
      ? { scaleToZero: true, maxReplicas: Math.max(1, placement.replicas) }
      : { minReplicas: placement.replicas, maxReplicas: placement.replicas, scaleToZero: false },
    platformStack: defaults.platformStack ?? "modelplane-platform/dev",
  };
}

export interface QuotePlan {
  quote: QuoteResult;
  spec: DeploymentSpecInput;
  report: PlanReport;
}

/** Quote `input`, then plan its top placement. No feasible placement → InfeasibleError. */
export async function planQuote(
  input: unknown,
  defaults: DeploymentDefaults = {},
  options: PlanOptions = {},
): Promise<QuotePlan> {
  const request = parseQuoteRequest(input);
  const catalog = options.catalog ?? defaultCatalog();
  const result = quote(request, catalog, { now: new Date() });
  const top = result.placements[0];
  if (!top) throw new InfeasibleError(result.infeasible?.message ?? "no feasible placement", result.infeasible);
  const spec = specFromPlacement(request, top, defaults);
  const report = await planDeployment(spec, { ...options, catalog, activeHoursPerDay: request.activeHoursPerDay });
  return { quote: result, spec, report };
}
