/**
 * Re-quote recommendations (migration 009): one row per deployment at most. Sweeps write them in
 * bulk (`INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT (deployment_id) DO UPDATE`), so two
 * sweeps at once update the same rows instead of adding copies. Listings skip deployments that are
 * destroyed or being destroyed.
 */
import type { Placement } from "../../core/placement";
import type { DeploymentSpec, Recommendation, RecommendationReason } from "../types";
import type { Db, Row } from "./db";
import { iso, jsonObject, num, str } from "./rows";

/** Statuses a sweep re-quotes: deployments that are applied (seen serving or not), or would be on the dry-run engine. */
export const REQUOTED_STATUSES = ["ready", "unverified", "simulated"] as const;
/** A recommendation for a deployment in one of these disappears. */
const GONE_STATUSES = "('destroyed','destroying')";
/** …and so does one for a deployment whose destroy is queued or running (`d` is the deployment). */
const BEING_DESTROYED = `EXISTS (SELECT 1 FROM operations o WHERE o.deployment_id = d.id AND o.kind = 'destroy' AND o.status IN ('queued','running'))`;

/** What a sweep reads of a live deployment: its placement and the spec fields the re-quote uses. */
export interface LiveDeploymentRow {
  id: string;
  tenant: string;
  seq: number;
  placement: Placement;
  spec: Pick<DeploymentSpec, "model" | "environment" | "onDemandFloorReplicas" | "placement"> &
    Partial<Pick<DeploymentSpec, "placementConstraints" | "schedule">>;
}

/** One page of live deployments after `afterSeq` (keyset), oldest first; of one tenant when given. */
export async function liveDeploymentsPage(
  db: Db,
  afterSeq: number,
  limit: number,
  tenant?: string,
): Promise<LiveDeploymentRow[]> {
  const params: unknown[] = [afterSeq, limit, [...REQUOTED_STATUSES]];
  if (tenant !== undefined) params.push(tenant);
  // Only the spec fields the re-quote reads: the whole spec is the bulk of the row.
  const r = await db.query(
    `SELECT id, tenant, seq, placement, spec->'model' AS model, spec->>'environment' AS environment,
       COALESCE((spec->>'onDemandFloorReplicas')::int, 0) AS floor,
       spec->'placementConstraints' AS constraints, spec->'schedule' AS schedule,
       (spec->>'activeHoursPerDay')::double precision AS active_hours
     FROM deployments
     WHERE seq > $1 AND status = ANY($3::text[]) ${tenant !== undefined ? "AND tenant = $4" : ""}
     ORDER BY seq LIMIT $2`,
    params,
  );
  return r.rows.map((row) => {
    const placement = jsonObject(row["placement"]) as unknown as Placement;
    return {
      id: str(row["id"]),
      tenant: str(row["tenant"]),
      seq: num(row["seq"]),
      placement,
      spec: {
        model: jsonObject(row["model"]) as unknown as DeploymentSpec["model"],
        environment: str(row["environment"]) as DeploymentSpec["environment"],
        onDemandFloorReplicas: num(row["floor"]),
        placement,
        ...(row["constraints"] != null
          ? {
              placementConstraints: jsonObject(row["constraints"]) as unknown as DeploymentSpec["placementConstraints"],
            }
          : {}),
        ...(row["schedule"] != null
          ? { schedule: jsonObject(row["schedule"]) as unknown as DeploymentSpec["schedule"] }
          : {}),
        ...(row["active_hours"] != null ? { activeHoursPerDay: num(row["active_hours"]) } : {}),
      },
    };
  });
}

export interface NewRecommendation {
  id: string;
  deploymentId: string;
  tenant: string;
  reason: RecommendationReason;
  currentPlacement: Placement;
  currentMonthlyUsd: number;
  proposedPlacement: Placement;
  proposedMonthlyUsd: number;
  savingMonthlyUsd: number;
  savingPct: number;
  catalogVersion: string;
}

/** What the database says of a row a sweep wrote: its id (kept by a refresh), creation and stamp. */
export interface WrittenRecommendation {
  id: string;
  deploymentId: string;
  createdAt: string;
  sweptAt: string;
}

/**
 * Insert or refresh recommendations (one statement), stamped `sweptAt`; returns the rows written
 * (a deployment destroyed, or being destroyed, meanwhile gets none). Callers bound `rows`: on
 * PGlite a statement holds the only connection and the event loop while it runs.
 */
export async function upsertRecommendations(
  db: Db,
  rows: NewRecommendation[],
  sweptAt: Date,
): Promise<WrittenRecommendation[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((r) => ({
    id: r.id,
    deployment_id: r.deploymentId,
    tenant: r.tenant,
    reason: r.reason,
    current_placement: r.currentPlacement,
    current_monthly_usd: r.currentMonthlyUsd,
    proposed_placement: r.proposedPlacement,
    proposed_monthly_usd: r.proposedMonthlyUsd,
    saving_monthly_usd: r.savingMonthlyUsd,
    saving_pct: r.savingPct,
    catalog_version: r.catalogVersion,
  }));
  const r = await db.query(
    `INSERT INTO recommendations (id, deployment_id, tenant, reason, current_placement, current_monthly_usd,
       proposed_placement, proposed_monthly_usd, saving_monthly_usd, saving_pct, catalog_version, swept_at)
     SELECT x.id, x.deployment_id, x.tenant, x.reason, x.current_placement, x.current_monthly_usd,
       x.proposed_placement, x.proposed_monthly_usd, x.saving_monthly_usd, x.saving_pct, x.catalog_version, $2
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, deployment_id uuid, tenant text, reason text,
       current_placement jsonb, current_monthly_usd double precision, proposed_placement jsonb,
       proposed_monthly_usd double precision, saving_monthly_usd double precision, saving_pct double precision,
       catalog_version text)
     JOIN deployments d ON d.id = x.deployment_id AND d.status NOT IN ${GONE_STATUSES} AND NOT ${BEING_DESTROYED}
     ON CONFLICT (deployment_id) DO UPDATE SET
       reason = EXCLUDED.reason, current_placement = EXCLUDED.current_placement,
       current_monthly_usd = EXCLUDED.current_monthly_usd, proposed_placement = EXCLUDED.proposed_placement,
       proposed_monthly_usd = EXCLUDED.proposed_monthly_usd, saving_monthly_usd = EXCLUDED.saving_monthly_usd,
       saving_pct = EXCLUDED.saving_pct, catalog_version = EXCLUDED.catalog_version,
       swept_at = GREATEST(recommendations.swept_at, EXCLUDED.swept_at)
     RETURNING id, deployment_id, created_at, swept_at`,
    [JSON.stringify(payload), sweptAt.toISOString()],
  );
  return r.rows.map((row) => ({
    id: str(row["id"]),
    deploymentId: str(row["deployment_id"]),
    createdAt: iso(row["created_at"]),
    sweptAt: iso(row["swept_at"]),
  }));
}

/** One page of the stale-row cleanup: rows looked at, rows dropped, and the cursor to go on from. */
export interface StalePage {
  scanned: number;
  dropped: number;
  /** The last deployment id looked at (the next page starts after it); null when none was. */
  last: string | null;
}

/**
 * After a sweep that started at `sweptAt`: look at the next `limit` recommendations after `after`
 * (keyset on deployment id) and drop those it did not refresh (of the scope swept) and those of
 * destroyed deployments. Call again from `last` while `scanned` is `limit`: each statement touches
 * at most `limit` rows (one statement over the whole table held PGlite's only connection longest
 * of a sweep's statements). A concurrent, later sweep's rows carry a later stamp.
 */
export async function dropStaleRecommendations(
  db: Db,
  sweptAt: Date,
  tenant: string | undefined,
  after: string | null,
  limit: number,
): Promise<StalePage> {
  const params: unknown[] = [sweptAt.toISOString(), limit, after];
  if (tenant !== undefined) params.push(tenant);
  const r = await db.query(
    `WITH page AS (
       SELECT r.id, r.deployment_id, r.swept_at, r.tenant FROM recommendations r
       WHERE $3::uuid IS NULL OR r.deployment_id > $3::uuid
       ORDER BY r.deployment_id LIMIT $2),
     gone AS (
       DELETE FROM recommendations x USING page p
       WHERE x.id = p.id
         AND ((p.swept_at < $1 ${tenant !== undefined ? "AND p.tenant = $4" : ""})
           OR EXISTS (SELECT 1 FROM deployments d WHERE d.id = p.deployment_id AND d.status IN ${GONE_STATUSES}))
       RETURNING x.id)
     SELECT (SELECT count(*) FROM page) AS scanned, (SELECT count(*) FROM gone) AS dropped,
       (SELECT p.deployment_id FROM page p ORDER BY p.deployment_id DESC LIMIT 1) AS last`,
    params,
  );
  const row = r.rows[0];
  return {
    scanned: num(row?.["scanned"]),
    dropped: num(row?.["dropped"]),
    last: row?.["last"] == null ? null : str(row["last"]),
  };
}

/** The recommendations of one deployment's removal (it moved, or was destroyed). */
export async function deleteRecommendationOf(db: Db, deploymentId: string): Promise<void> {
  await db.query(`DELETE FROM recommendations WHERE deployment_id = $1`, [deploymentId]);
}

/** Standing recommendations, biggest saving first; of one tenant when given. */
export async function listRecommendations(
  db: Db,
  options: { tenant?: string; limit: number; sweptAt?: Date },
): Promise<Recommendation[]> {
  const params: unknown[] = [options.limit];
  const where = [`d.status NOT IN ${GONE_STATUSES}`, `NOT ${BEING_DESTROYED}`];
  if (options.tenant !== undefined) {
    params.push(options.tenant);
    where.push(`r.tenant = $${params.length}`);
  }
  if (options.sweptAt !== undefined) {
    params.push(options.sweptAt.toISOString());
    where.push(`r.swept_at >= $${params.length}`);
  }
  const r = await db.query(
    `SELECT r.* FROM recommendations r JOIN deployments d ON d.id = r.deployment_id
     WHERE ${where.join(" AND ")} ORDER BY r.saving_monthly_usd DESC, r.deployment_id LIMIT $1`,
    params,
  );
  return r.rows.map(toRecommendation);
}

export async function getRecommendation(db: Db, tenant: string, id: string): Promise<Recommendation | null> {
  const r = await db.query(
    `SELECT r.* FROM recommendations r JOIN deployments d ON d.id = r.deployment_id
     WHERE r.id = $1 AND r.tenant = $2 AND d.status NOT IN ${GONE_STATUSES} AND NOT ${BEING_DESTROYED}`,
    [id, tenant],
  );
  return r.rows[0] ? toRecommendation(r.rows[0]) : null;
}

function toRecommendation(row: Row): Recommendation {
  return {
    id: str(row["id"]),
    deploymentId: str(row["deployment_id"]),
    tenant: str(row["tenant"]),
    reason: str(row["reason"]) as RecommendationReason,
    current: {
      placement: jsonObject(row["current_placement"]) as unknown as Placement,
      monthlyUsd: num(row["current_monthly_usd"]),
    },
    proposed: {
      placement: jsonObject(row["proposed_placement"]) as unknown as Placement,
      monthlyUsd: num(row["proposed_monthly_usd"]),
    },
    savingMonthlyUsd: num(row["saving_monthly_usd"]),
    savingPct: num(row["saving_pct"]),
    currency: "USD",
    catalogVersion: str(row["catalog_version"]),
    createdAt: iso(row["created_at"]),
    sweptAt: iso(row["swept_at"]),
  };
}
