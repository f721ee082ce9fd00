/**
 * One re-quote sweep: read the catalog (MODELPLANE_CATALOG, re-read every time), walk every live
 * deployment in pages (keyset on its sequence number), re-quote each inside the footprint
 * (./requote.ts, one quote per distinct request), upsert the recommendations that pass the
 * thresholds, and drop the ones that no longer do. Between pages it yields to the event loop so the
 * API keeps answering while a sweep runs.
 */
import { randomUUID } from "node:crypto";
import type { Footprint } from "../../core/footprint";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Catalog } from "../../core/pricing/types";
import type { Db } from "../store/db";
import {
  dropStaleRecommendations,
  listRecommendations,
  liveDeploymentsPage,
  upsertRecommendations,
  type NewRecommendation,
} from "../store/recommendations";
import type { RequoteReport, RequoteThresholds } from "../types";
import type { LoadedCatalog } from "./catalog-source";
import { RequoteContext } from "./requote";

export interface SweepInput {
  db: Db;
  loaded: LoadedCatalog;
  footprint: Footprint | undefined;
  thresholds: RequoteThresholds;
  /** The catalog the previous sweep used (for `new-offer`). */
  previous: Catalog | undefined;
  policy?: (environment: string) => PlacementPolicy | undefined;
  /** Sweep one tenant's deployments only. */
  tenant?: string;
  /** Deployments per page (default 1000). */
  pageSize?: number;
  now?: Date;
}

/** Most recommendations a report lists (biggest saving first); `recommended` counts them all. */
export const REPORT_LIMIT = 1000;

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function runSweep(input: SweepInput): Promise<RequoteReport> {
  const started = Date.now();
  const now = input.now ?? new Date();
  // The stamp every row this sweep writes carries; the database's clock, so stamps compare across processes.
  const stampRow = await input.db.query<{ now: Date | string }>("SELECT clock_timestamp() AS now");
  const sweptAt = new Date(
    String(stampRow.rows[0]?.now instanceof Date ? stampRow.rows[0].now.toISOString() : stampRow.rows[0]?.now),
  );
  const { catalog } = input.loaded;
  const ctx = new RequoteContext(catalog, input.footprint, input.thresholds, input.previous, input.policy, now);
  const pageSize = input.pageSize ?? 1000;
  let after = 0;
  let swept = 0;
  let skipped = 0;
  let recommended = 0;
  for (;;) {
    const page = await liveDeploymentsPage(input.db, after, pageSize, input.tenant);
    if (page.length === 0) break;
    const found: NewRecommendation[] = [];
    for (const d of page) {
      swept++;
      const f = ctx.requote(d);
      if (f === null) continue;
      if ("skipped" in f) {
        skipped++;
        continue;
      }
      found.push({
        id: randomUUID(),
        deploymentId: d.id,
        tenant: d.tenant,
        reason: f.reason,
        currentPlacement: f.current.placement,
        currentMonthlyUsd: f.current.monthlyUsd,
        proposedPlacement: f.proposed.placement,
        proposedMonthlyUsd: f.proposed.monthlyUsd,
        savingMonthlyUsd: f.savingMonthlyUsd,
        savingPct: f.savingPct,
        catalogVersion: catalog.version,
      });
    }
    await upsertRecommendations(input.db, found, sweptAt);
    recommended += found.length;
    after = page[page.length - 1]?.seq ?? after;
    if (page.length < pageSize) break;
    await yieldToLoop();
  }
  await dropStaleRecommendations(input.db, sweptAt, input.tenant);
  const recommendations = await listRecommendations(input.db, {
    limit: REPORT_LIMIT,
    sweptAt,
    ...(input.tenant !== undefined ? { tenant: input.tenant } : {}),
  });
  return {
    catalogVersion: catalog.version,
    catalogHash: input.loaded.hash,
    swept,
    skipped,
    recommended,
    recommendations,
    durationMs: Date.now() - started,
  };
}
