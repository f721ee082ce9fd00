/**
 * Plan a quote request: quote it, take the top placement, build the deployment spec that runs it
 * (replicas as quoted; serverless scales to zero), and plan that spec. The spec's own fields
 * (tenant, owner, ...) come from `DeploymentDefaults`.
 */
import { InfeasibleError } from "../../core/errors";
import type { Placement } from "../../core/placement";
import { clusterAt, describeFootprint } from "../../core/footprint";
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
    // Hibernation reaches the plan (KEDA cron ScaledObject, scheduled hours) only on cluster placements.
    ...(request.schedule && !serverless ? { schedule: request.schedule } : {}),
  };
}

export interface QuotePlan {
  quote: QuoteResult;
  /** The placement planned: the quote's top one (inside the footprint, when one was given). */
  placement: Placement;
  spec: DeploymentSpecInput;
  report: PlanReport;
}

/**
 * Quote `input`, then plan its top placement — with a footprint, the top placement inside it (a
 * placement elsewhere would have no cluster to run on). No feasible placement → InfeasibleError.
 */
export async function planQuote(
  input: unknown,
  defaults: DeploymentDefaults = {},
  options: PlanOptions = {},
): Promise<QuotePlan> {
  const request = parseQuoteRequest(input);
  const catalog = options.catalog ?? defaultCatalog();
  const fp = options.footprint;
  const result = quote(request, catalog, { now: new Date(), ...(fp ? { limit: 10_000 } : {}) });
  // A mix (workload.allowMix) is two deployments behind one route, not one stack: plan the best single type.
  const single = result.placements.filter((p) => !("mix" in p));
  const top = fp ? single.find((p) => clusterAt(fp, p.cloud, p.region)) : single[0];
  if (!top) {
    const where =
      fp && result.placements.length > 0 ? ` inside the platform's footprint (${describeFootprint(fp)})` : "";
    throw new InfeasibleError(`${result.infeasible?.message ?? "no feasible placement"}${where}`, result.infeasible);
  }
  const spec = specFromPlacement(request, top, defaults);
  const report = await planDeployment(spec, { ...options, catalog, activeHoursPerDay: request.activeHoursPerDay });
  return { quote: result, placement: top, spec, report };
}
