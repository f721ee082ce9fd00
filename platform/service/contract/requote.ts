/** Re-quote sweeps, recommendations and migrations (issue 15, item 3; see ../types.ts). */
import type { Footprint } from "../../core/footprint";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Placement } from "../../core/placement";
import type { Deployment } from "./deployment";

/** Why a sweep recommends moving a deployment. */
export const RECOMMENDATION_REASONS = ["price-change", "new-offer", "spot-drop"] as const;
export type RecommendationReason = (typeof RECOMMENDATION_REASONS)[number];

/**
 * A cheaper placement for a live deployment, found by a re-quote sweep. Money is USD per month,
 * both sides priced under `catalogVersion` (the catalog the sweep read).
 */
export interface Recommendation {
  id: string;
  deploymentId: string;
  tenant: string;
  reason: RecommendationReason;
  /** Where it runs now, repriced under `catalogVersion`. */
  current: { placement: Placement; monthlyUsd: number };
  /** The cheapest placement inside the footprint under `catalogVersion`. */
  proposed: { placement: Placement; monthlyUsd: number };
  savingMonthlyUsd: number;
  /** Saving as a percentage of the current (repriced) monthly cost. */
  savingPct: number;
  currency: "USD";
  catalogVersion: string;
  createdAt: string;
  /** The last sweep that found it still worth it. */
  sweptAt: string;
}

/** What one sweep did. */
export interface RequoteReport {
  catalogVersion: string;
  /** SHA-256 of the catalog file's bytes (or of the shipped catalog's). */
  catalogHash: string;
  /** Live deployments looked at. */
  swept: number;
  /** Deployments not re-quoted, and why (offer gone from the catalog, nothing feasible). */
  skipped: number;
  /** Recommendations this sweep made or refreshed. */
  recommended: number;
  /** Those standing after the sweep (of the scope swept), biggest saving first, at most 1,000. */
  recommendations: Recommendation[];
  durationMs: number;
}

/** Where `POST /v1/deployments/:id/migrate` moves a deployment. */
export type MigrationTarget =
  | { recommendationId: string }
  | { placement: { cloud: string; region: string; instanceType: string; capacity: string } };

/** The thresholds a recommendation must pass (both). */
export interface RequoteThresholds {
  /** Percent of the current monthly cost, e.g. 15. */
  minSavingPct: number;
  /** USD per month, e.g. 50. */
  minSavingUsd: number;
}

/** What `requestMigration` answers: the deployment (still on its old stack) and the migration asked for. */
export interface MigrationAccepted {
  deployment: Deployment;
  migration: {
    operationId: string;
    fromStack: string;
    toStack: string;
    placement: Placement;
    monthlyUsd: number;
    currency: "USD";
    catalogVersion: string;
    recommendationId: string | null;
  };
}

/** Where re-quote sweeps place and under which policy (given at the edge by `serve`). */
export interface RequoteContextInput {
  footprint?: Footprint;
  policy?: (environment: string) => PlacementPolicy | undefined;
}

/** The control plane's re-quote and migration methods (issue 15 item 3). */
export interface RequoteControl {
  /** Set the footprint and placement policy sweeps use (default: the platform config file's footprint). */
  configureRequote(context: RequoteContextInput): void;
  /** Run a sweep now (of one tenant's deployments when given) and return what it recommended. */
  requote(options: { tenant?: string }): Promise<RequoteReport>;
  /** Standing recommendations, biggest saving first (of one tenant when given). */
  listRecommendations(options: { tenant?: string; limit: number }): Promise<Recommendation[]>;
  /**
   * Queue a blue/green migration. NotFoundError for another tenant's deployment or recommendation;
   * ConflictError while another operation is in flight or when the deployment is not serving;
   * ValidationError naming the field for a bad target.
   */
  requestMigration(tenant: string, id: string, target: MigrationTarget, actor: string): Promise<MigrationAccepted>;
  /** Abort the in-flight migration (the old stack keeps serving). ConflictError when none is in flight. */
  abortMigration(tenant: string, id: string, actor: string): Promise<Deployment>;
}
