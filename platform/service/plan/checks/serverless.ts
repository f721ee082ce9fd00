/**
 * Serverless-GPU regions: a resource that asks for a serverless GPU (a Cloud Run GPU, an Azure
 * Consumption-GPU workload profile) must ask in a region the provider's documentation lists for
 * that GPU (providers/limits/serverless-regions.ts, with its sources). A region seen only in
 * third-party reports is still an error: the provider does not promise it.
 */
import { PLAN_CHECK_MODULES } from "../../../../providers/plan-checks";
import {
  serverlessGpuOffers,
  serverlessGpuRegions,
  serverlessGpuSupported,
} from "../../../../providers/limits/serverless-regions";
import type { RecordedResource } from "../record";
import type { PlanFinding } from "./types";

export function checkServerlessRegions(r: RecordedResource): PlanFinding[] {
  if (!r.custom) return [];
  const findings: PlanFinding[] = [];
  const resource = { type: r.type, name: r.name };
  for (const module of PLAN_CHECK_MODULES) {
    for (const use of module.serverlessGpus?.(r) ?? []) {
      const offer = serverlessGpuOffers(use.cloud, use.gpu)[0];
      if (!offer) {
        findings.push({
          level: "error",
          check: "serverless-region",
          resource,
          field: use.field,
          message: `${r.type} ${r.name}: ${use.field} asks for serverless GPU "${use.gpu}", which the serverless-GPU region table does not know on ${use.cloud}; add it to providers/limits/serverless-regions.ts with its source`,
        });
        continue;
      }
      if (serverlessGpuSupported(use.cloud, use.region, use.gpu)) continue;
      const listed = serverlessGpuRegions(use.cloud, use.gpu);
      const reported = serverlessGpuSupported(use.cloud, use.region, use.gpu, { includeUnconfirmed: true });
      const source = `${offer.source.title}, ${offer.source.url}`;
      findings.push({
        level: "error",
        check: "serverless-region",
        resource,
        field: use.field,
        message:
          `${r.type} ${r.name}: ${use.field} asks for ${offer.service} GPU ${offer.gpu} in ${use.region}, ` +
          `which the provider does not list for it (listed: ${listed.join(", ") || "none"}` +
          `${reported ? `; ${use.region} is only reported by third parties` : ""}); ` +
          `use a listed region or turn serverless off there (source: ${source}, checked ${offer.checked})`,
        source,
      });
    }
  }
  return findings;
}
