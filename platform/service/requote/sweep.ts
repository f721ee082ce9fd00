/**
 * One re-quote sweep: read the catalog (MODELPLANE_CATALOG, re-read every time), walk every live
 * deployment in bounded pages (keyset on its sequence number), re-quote each inside the footprint
 * (./requote.ts, one optimizer run per distinct request), upsert the recommendations that pass the
 * thresholds one bounded batch per statement, and drop the ones that no longer do, also in bounded
 * batches.
 *
 * The API shares the process (and, on PGlite, the only database connection, whose statements run
 * on the event loop): so no statement handles more than `pageSize` rows, and the sweep yields to
 * the event loop after every statement and after every optimizer run. Requests that arrived
 * meanwhile then run before the sweep's next step. The report is built from the rows the upserts
 * return, without another scan of the table.
 */
import { randomUUID } from "node:crypto";
import type { Footprint } from "../../core/footprint";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Catalog } from "../../core/pricing/types";
import type { Db } from "../store/db";
import {
  dropStaleRecommendations,
  liveDeploymentsPage,
  type StalePage,
  upsertRecommendations,
  type LiveDeploymentRow,
  type NewRecommendation,
  type WrittenRecommendation,
} from "../store/recommendations";
import type { Recommendation, RequoteReport, RequoteThresholds } from "../types";
import type { LoadedCatalog } from "./catalog-source";
import { RequoteContext } from "./requote";

/** The statements a sweep runs (the store's by default; tests pass a fake that records them). */
export interface SweepStore {
  /** The database's clock: the stamp every row this sweep writes carries (stamps compare across processes). */
  clock(): Promise<Date>;
  livePage(afterSeq: number, limit: number, tenant: string | undefined): Promise<LiveDeploymentRow[]>;
  upsert(rows: NewRecommendation[], sweptAt: Date): Promise<WrittenRecommendation[]>;
  /** Look at the next `limit` recommendations after `after` and drop the stale ones among them. */
  dropStale(sweptAt: Date, tenant: string | undefined, after: string | null, limit: number): Promise<StalePage>;
}

export function dbSweepStore(db: Db): SweepStore {
  return {
    async clock() {
      const r = await db.query<{ now: Date | string }>("SELECT clock_timestamp() AS now");
      const v = r.rows[0]?.now;
      return new Date(v instanceof Date ? v.toISOString() : String(v));
    },
    livePage: (afterSeq, limit, tenant) => liveDeploymentsPage(db, afterSeq, limit, tenant),
    upsert: (rows, sweptAt) => upsertRecommendations(db, rows, sweptAt),
    dropStale: (sweptAt, tenant, after, limit) => dropStaleRecommendations(db, sweptAt, tenant, after, limit),
  };
}

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
  /** Most rows one statement reads, writes or deletes (default pageSizeFor(db)). */
  pageSize?: number;
  now?: Date;
  /** The statements (default: `db`'s). */
  store?: SweepStore;
  /** How the sweep lets the rest of the process run between steps (default: deferToOthers(db)). */
  pause?: () => Promise<void>;
  /** The re-quote context (default: a new one from the fields above; tests pass theirs to count optimizer runs). */
  context?: RequoteContext;
}

/** Most recommendations a report lists (biggest saving first); `recommended` counts them all. */
export const REPORT_LIMIT = 1000;

/** Rows per statement on Postgres, whose pool serves the API beside the sweep's connection. */
export const DEFAULT_PAGE_SIZE = 100;
/**
 * Rows per statement on PGlite: its one connection is the API's too, and a 100-row upsert held it
 * about 4× as long as a 100-row page read (the longest hold of a sweep, bench/requote.bench.ts);
 * a quarter of the rows is a quarter of the wait a concurrent request can meet.
 */
export const PGLITE_PAGE_SIZE = 25;

/** The default rows per statement for `db`. */
export const pageSizeFor = (db: Pick<Db, "kind">): number =>
  db.kind === "pglite" ? PGLITE_PAGE_SIZE : DEFAULT_PAGE_SIZE;

/** One turn of the event loop: I/O that arrived meanwhile (API requests, their queries) runs first. */
export const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Longest a sweep step waits for the API's statements to finish before it goes anyway (no starvation). */
export const MAX_DEFER_MS = 50;

/**
 * The default pause: one turn of the event loop, then, while other statements are in flight on
 * `db` (an API request's), wait for them, at most `maxDeferMs`.
 */
export function deferToOthers(db: Db, maxDeferMs = MAX_DEFER_MS): () => Promise<void> {
  return async () => {
    await yieldToLoop();
    const until = Date.now() + maxDeferMs;
    while ((db.pending?.() ?? 0) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
  };
}

/** Biggest saving first, then by deployment (the listing's order). */
function bySaving(a: Recommendation, b: Recommendation): number {
  return b.savingMonthlyUsd - a.savingMonthlyUsd || (a.deploymentId < b.deploymentId ? -1 : 1);
}

function toRecommendation(n: NewRecommendation, w: WrittenRecommendation): Recommendation {
  return {
    id: w.id,
    deploymentId: n.deploymentId,
    tenant: n.tenant,
    reason: n.reason,
    // As the listing reads them back (JSON): no undefined fields.
    current: {
      placement: JSON.parse(JSON.stringify(n.currentPlacement)) as Recommendation["current"]["placement"],
      monthlyUsd: n.currentMonthlyUsd,
    },
    proposed: {
      placement: JSON.parse(JSON.stringify(n.proposedPlacement)) as Recommendation["proposed"]["placement"],
      monthlyUsd: n.proposedMonthlyUsd,
    },
    savingMonthlyUsd: n.savingMonthlyUsd,
    savingPct: n.savingPct,
    currency: "USD",
    catalogVersion: n.catalogVersion,
    createdAt: w.createdAt,
    sweptAt: w.sweptAt,
  };
}

export async function runSweep(input: SweepInput): Promise<RequoteReport> {
  const started = Date.now();
  const now = input.now ?? new Date();
  const store = input.store ?? dbSweepStore(input.db);
  const pause = input.pause ?? deferToOthers(input.db);
  const pageSize = Math.max(1, input.pageSize ?? pageSizeFor(input.db));
  const sweptAt = await store.clock();
  const { catalog } = input.loaded;
  const ctx =
    input.context ?? new RequoteContext(catalog, input.footprint, input.thresholds, input.previous, input.policy, now);
  let after = 0;
  let swept = 0;
  let skipped = 0;
  let recommended = 0;
  // The biggest savings written so far (kept to at most twice the report's length between pages).
  let top: Array<{ n: NewRecommendation; w: WrittenRecommendation }> = [];
  for (;;) {
    await pause();
    const page = await store.livePage(after, pageSize, input.tenant);
    if (page.length === 0) break;
    const found: NewRecommendation[] = [];
    for (const d of page) {
      swept++;
      const runs = ctx.optimizerRuns;
      const f = ctx.requote(d);
      if (ctx.optimizerRuns !== runs) await pause();
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
    if (found.length > 0) {
      await pause();
      const written = await store.upsert(found, sweptAt);
      const byDeployment = new Map(found.map((n) => [n.deploymentId, n]));
      for (const w of written) {
        const n = byDeployment.get(w.deploymentId);
        if (n) top.push({ n, w });
      }
      recommended += written.length;
      if (top.length > 2 * REPORT_LIMIT) {
        top.sort(
          (a, b) => b.n.savingMonthlyUsd - a.n.savingMonthlyUsd || (a.n.deploymentId < b.n.deploymentId ? -1 : 1),
        );
        top = top.slice(0, REPORT_LIMIT);
      }
    }
    after = page[page.length - 1]?.seq ?? after;
    if (page.length < pageSize) break;
  }
  for (let from: string | null = null; ;) {
    await pause();
    const dropped = await store.dropStale(sweptAt, input.tenant, from, pageSize);
    if (dropped.scanned < pageSize || dropped.last === null) break;
    from = dropped.last;
  }
  const recommendations = top
    .map(({ n, w }) => toRecommendation(n, w))
    .sort(bySaving)
    .slice(0, REPORT_LIMIT);
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
