/**
 * Capacity and quota failures, recognised by the providers' stable error codes (never by prose
 * alone). One table, read by `classifyEngineError`: a match means "this placement cannot be had
 * here right now"; the worker then re-places the deployment elsewhere (worker/failover.ts).
 *
 * Every rule is backed by a real error text in placement-failure.test.ts that names its source (a
 * GitHub issue or PR quoting the provider's response, read 2026-11-30). The providers document the
 * codes at: AWS https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * (quoted in aws/aws-parallelcluster-node#673); GCE https://cloud.google.com/compute/docs/resource-error
 * (linked from the error itself, kubernetes/k8s.io#9834); Azure https://aka.ms/azureskunotavailable
 * and http://aka.ms/allocation-guidance (linked from SkuNotAvailable / AllocationFailed).
 * `InsufficientSpotCapacity` and `OverconstrainedAllocationRequest` have no captured text yet: they
 * are matched by code only, and their tests say so.
 */

export type PlacementFailureKind = "capacity" | "quota";

export interface PlacementFailureMatch {
  kind: PlacementFailureKind;
  /** `capacity_unavailable` or `quota_exceeded`: recorded on the operation. */
  code: "capacity_unavailable" | "quota_exceeded";
  retryable: false;
  /** The provider's code that matched. */
  providerCode: string;
}

interface Rule {
  kind: PlacementFailureKind;
  providerCode: string;
  pattern: RegExp;
}

/** Checked in order; the first match wins. Codes are matched as whole words, case as the provider writes them. */
const RULES: readonly Rule[] = [
  // Quota first: Azure's OperationNotAllowed is a quota failure only when its message says so.
  { kind: "quota", providerCode: "VcpuLimitExceeded", pattern: /\bVcpuLimitExceeded\b/ },
  { kind: "quota", providerCode: "InstanceLimitExceeded", pattern: /\bInstanceLimitExceeded\b/ },
  { kind: "quota", providerCode: "MaxSpotInstanceCountExceeded", pattern: /\bMaxSpotInstanceCountExceeded\b/ },
  { kind: "quota", providerCode: "QUOTA_EXCEEDED", pattern: /\bQUOTA_EXCEEDED\b/ },
  { kind: "quota", providerCode: "quotaExceeded", pattern: /\bquotaExceeded\b/ },
  { kind: "quota", providerCode: "QuotaExceeded", pattern: /\bQuotaExceeded\b/ },
  {
    kind: "quota",
    providerCode: "OperationNotAllowed",
    pattern: /\bOperationNotAllowed\b[\s\S]*\bquota\b|\bquota\b[\s\S]*\bOperationNotAllowed\b/i,
  },
  // GCE's own wording when the code is not printed: "Quota 'GPUS_ALL_REGIONS' exceeded. Limit: 0.0 globally."
  { kind: "quota", providerCode: "QUOTA_EXCEEDED", pattern: /\bQuota '[A-Z0-9_]+' exceeded\. Limit:/ },
  // GKE's cluster autoscaler event: "Node scale up in zones … failed: GCE quota exceeded."
  { kind: "quota", providerCode: "QUOTA_EXCEEDED", pattern: /\bGCE quota exceeded\b/ },
  { kind: "capacity", providerCode: "InsufficientInstanceCapacity", pattern: /\bInsufficientInstanceCapacity\b/ },
  { kind: "capacity", providerCode: "InsufficientSpotCapacity", pattern: /\bInsufficientSpotCapacity\b/ },
  { kind: "capacity", providerCode: "InsufficientHostCapacity", pattern: /\bInsufficientHostCapacity\b/ },
  { kind: "capacity", providerCode: "UnfulfillableCapacity", pattern: /\bUnfulfillableCapacity\b/ },
  { kind: "capacity", providerCode: "InsufficientCapacity", pattern: /\bInsufficientCapacity\b/ },
  { kind: "capacity", providerCode: "SpotMaxPriceTooLow", pattern: /\bSpotMaxPriceTooLow\b/ },
  { kind: "capacity", providerCode: "capacity-not-available", pattern: /\bcapacity-not-available\b/ },
  { kind: "capacity", providerCode: "capacity-oversubscribed", pattern: /\bcapacity-oversubscribed\b/ },
  {
    kind: "capacity",
    providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
    pattern: /\bZONE_RESOURCE_POOL_EXHAUSTED(_WITH_DETAILS)?\b/,
  },
  { kind: "capacity", providerCode: "STOCKOUT", pattern: /\bstate:STOCKOUT\b/ },
  { kind: "capacity", providerCode: "SkuNotAvailable", pattern: /\bSkuNotAvailable\b/ },
  { kind: "capacity", providerCode: "ZonalAllocationFailed", pattern: /\bZonalAllocationFailed\b/ },
  { kind: "capacity", providerCode: "AllocationFailed", pattern: /\bAllocationFailed\b/ },
  {
    kind: "capacity",
    providerCode: "OverconstrainedAllocationRequest",
    pattern: /\bOverconstrained(Zonal)?AllocationRequest\b/,
  },
];

/** The capacity/quota failure `message` reports, or undefined when it is something else. */
export function classifyPlacementFailure(message: string): PlacementFailureMatch | undefined {
  for (const r of RULES) {
    if (r.pattern.test(message)) {
      return {
        kind: r.kind,
        code: r.kind === "capacity" ? "capacity_unavailable" : "quota_exceeded",
        retryable: false,
        providerCode: r.providerCode,
      };
    }
  }
  return undefined;
}
