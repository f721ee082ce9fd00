/** Health, statistics and the cost ledger's rows (see ../types.ts). */
import type { OperationKind, OperationStatus } from "./deployment";

export interface EngineAvailability {
  available: boolean;
  /** Pulumi CLI version when found. */
  version?: string;
  /** Why the engine cannot run (shown by /readyz and recorded on failed jobs). */
  reason?: string;
}

export interface ControlPlaneHealth {
  database: { ok: boolean; error?: string };
  engine: EngineAvailability;
}

export interface OperationDurationStats {
  kind: OperationKind;
  status: OperationStatus;
  count: number;
  totalSeconds: number;
}

export interface ControlPlaneStats {
  /** Operations by status (every status present, 0 when none). */
  jobsByState: Record<OperationStatus, number>;
  /** Operations queued and not yet started. */
  queueDepth: number;
  /** Sum of `estimatedMonthlyUsd` of live (not destroyed/cancelled/failed-create) deployments, per tenant. */
  monthlySpendByTenant: Record<string, number>;
  /** Finished operations, aggregated by kind and final status. */
  operationDurations: OperationDurationStats[];
  /** The cost ledger's totals by (tenant, model, cloud), USD. */
  costTotals: CostTotal[];
}

/** One group's charge for the hour under way (written to the ledger when the hour ends). */
export interface OpenHourRow {
  /** The group's value (a tenant, cost center, model or cloud). */
  key: string;
  /** What the hour will cost at the deployments' current states, USD. */
  usd: number;
  /** Accruing deployments in the group. */
  deployments: number;
}

/** Dimensions the cost ledger sums by (`GET /v1/costs?groupBy=`). */
export const COST_GROUP_BY = ["tenant", "costCenter", "model", "cloud"] as const;
export type CostGroupBy = (typeof COST_GROUP_BY)[number];

/** One group of accrued cost (see store/ledger.ts for which state costs what). */
export interface CostRow {
  /** The group's value (a tenant, cost center, model or cloud). */
  key: string;
  /** Accrued cost, USD. */
  usd: number;
  /** Deployment-hours summed. */
  hours: number;
  /** Catalog version the accrued hours were priced under. */
  catalogVersion: string;
}

export interface CostQuery {
  groupBy: CostGroupBy;
  /** Inclusive start (whole hours). */
  from: Date;
  /** Exclusive end. */
  to: Date;
  /** Only this tenant's rows; undefined = every tenant (platform-admin only). */
  tenant?: string;
}

/** Every accrued dollar of one (tenant, model, cloud), USD. */
export interface CostTotal {
  tenant: string;
  model: string;
  cloud: string;
  usd: number;
}
