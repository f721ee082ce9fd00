/**
 * The sweep's shape, with a fake store that records every statement (no database, no clock): no
 * statement reads, writes or deletes more than a page; identical requests are quoted once; the
 * sweep lets the event loop run between statements and waits for other statements in flight; the
 * report is what the upserts returned.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { devFootprint } from "../../core/optimizer/test-fixtures";
import { DEFAULT_CATALOG_PATH } from "../../core/pricing/catalog";
import type { Catalog } from "../../core/pricing/types";
import type { Db } from "../store/db";
import type { LiveDeploymentRow, NewRecommendation, StalePage, WrittenRecommendation } from "../store/recommendations";
import { L4_SPOT_PLACED } from "../store/testing/spec";
import type { LoadedCatalog } from "./catalog-source";
import { DEFAULT_THRESHOLDS, RequoteContext } from "./requote";
import { DEFAULT_PAGE_SIZE, deferToOthers, PGLITE_PAGE_SIZE, REPORT_LIMIT, runSweep, type SweepStore } from "./sweep";

const PLACED = L4_SPOT_PLACED;

/** The shipped catalog with the placed offer three times dearer: every deployment earns a recommendation. */
function dearer(): LoadedCatalog {
  const c = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, "utf8")) as Catalog;
  c.version = `${c.version}-x3`;
  const o = c.gpuOffers.find(
    (x) => x.cloud === PLACED.cloud && x.region === PLACED.region && x.instanceType === PLACED.instanceType,
  );
  assert.ok(o && o.spotHourlyUsd !== null, "the shipped catalog sells the placed offer as spot");
  o.spotHourlyUsd = PLACED.unitHourlyUsd * 3;
  o.onDemandHourlyUsd = Math.max(o.onDemandHourlyUsd, o.spotHourlyUsd * 1.5);
  return { catalog: c, hash: "test", file: "test" };
}

const SIZES = [7, 8, 9];

/** `n` live deployments of three models, seq 1..n; replicas vary so savings differ. */
function live(n: number): LiveDeploymentRow[] {
  return Array.from({ length: n }, (_, i) => {
    const replicas = 1 + (i % 2);
    const placement = {
      ...PLACED,
      replicas,
      hourlyUsd: PLACED.hourlyUsd * replicas,
      monthlyUsd: PLACED.monthlyUsd * replicas,
    };
    const b = SIZES[i % SIZES.length] ?? 7;
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      tenant: `t${i % 4}`,
      seq: i + 1,
      placement,
      spec: {
        model: { name: `model-${b}b`, version: "v1", parametersBillions: b, precision: "fp8", contextTokens: 4096 },
        environment: "dev",
        onDemandFloorReplicas: 0,
        placement,
      },
    };
  });
}

type Step = { kind: "page" | "upsert" | "drop"; size: number } | { kind: "pause" } | { kind: "other" };

/** Records every statement; rows are served from memory. */
class FakeStore implements SweepStore {
  readonly steps: Step[] = [];
  /** Ids rows already have (a refresh keeps the row's id). */
  readonly existing = new Map<string, string>();
  /** Deployments destroyed meanwhile: the upsert writes nothing for them. */
  readonly gone = new Set<string>();
  constructor(
    private readonly rows: LiveDeploymentRow[],
    private stale = 0,
  ) {}
  async clock(): Promise<Date> {
    return new Date("2026-12-01T00:00:00Z");
  }
  async livePage(after: number, limit: number): Promise<LiveDeploymentRow[]> {
    const page = this.rows.filter((r) => r.seq > after).slice(0, limit);
    this.steps.push({ kind: "page", size: Math.max(limit, page.length) });
    return page;
  }
  async upsert(rows: NewRecommendation[], sweptAt: Date): Promise<WrittenRecommendation[]> {
    this.steps.push({ kind: "upsert", size: rows.length });
    this.written += rows.filter((r) => !this.gone.has(r.deploymentId)).length;
    return rows
      .filter((r) => !this.gone.has(r.deploymentId))
      .map((r) => ({
        id: this.existing.get(r.deploymentId) ?? r.id,
        deploymentId: r.deploymentId,
        createdAt: "2026-11-30T00:00:00.000Z",
        sweptAt: sweptAt.toISOString(),
      }));
  }
  /** Recommendation rows: `stale` ones, then every one written (a cursor is a position among them). */
  private written = 0;
  async dropStale(
    _sweptAt: Date,
    _tenant: string | undefined,
    after: string | null,
    limit: number,
  ): Promise<StalePage> {
    this.steps.push({ kind: "drop", size: limit });
    const from = after === null ? 0 : Number(after);
    const scanned = Math.max(0, Math.min(limit, this.stale + this.written - from));
    const dropped = Math.max(0, Math.min(scanned, this.stale - from));
    // Dropped rows leave the table: the next page starts where this one's kept rows end.
    this.stale -= dropped;
    return { scanned, dropped, last: scanned === 0 ? null : String(from + scanned - dropped) };
  }
  staleLeft(): number {
    return this.stale;
  }
  statements(): Array<{ kind: string; size: number }> {
    return this.steps.filter((s): s is { kind: "page" | "upsert" | "drop"; size: number } => "size" in s);
  }
}

/** A Db whose only use here is `pending()`. */
function busyDb(pending: () => number): Db {
  const no = (): never => {
    throw new Error("the fake store runs every statement");
  };
  return {
    kind: "pglite",
    schema: "test",
    query: no,
    exec: no,
    transaction: no,
    close: no,
    pending,
  };
}

const base = (store: FakeStore, extra: Partial<Parameters<typeof runSweep>[0]> = {}) => ({
  db: busyDb(() => 0),
  loaded: dearer(),
  footprint: devFootprint(),
  thresholds: DEFAULT_THRESHOLDS,
  previous: undefined,
  store,
  ...extra,
});

describe("re-quote sweep (bounded steps, fake store)", function () {
  this.timeout(60_000);

  it("reads, writes and deletes at most a page of rows per statement, and still sweeps every deployment", async function () {
    const store = new FakeStore(live(1050), 250);
    const report = await runSweep(base(store, { pageSize: 100 }));
    assert.equal(report.swept, 1050);
    assert.equal(report.recommended, 1050, JSON.stringify(report).slice(0, 400));
    const statements = store.statements();
    for (const s of statements) assert.ok(s.size <= 100, `${s.kind} of ${s.size} rows`);
    assert.equal(statements.filter((s) => s.kind === "page").length, 11);
    assert.equal(
      statements.filter((s) => s.kind === "upsert").reduce((n, s) => n + s.size, 0),
      1050,
    );
    // 250 stale rows and 1050 fresh ones, a page of 100 looked at per delete: 13 full pages, then
    // one that finds fewer than a page ends it; every stale row is gone.
    assert.equal(statements.filter((s) => s.kind === "drop").length, 14);
    assert.equal(store.staleLeft(), 0);
  });

  it("by default, a statement on PGlite (the API's only connection) handles a quarter of a Postgres page", async function () {
    const pglite = new FakeStore(live(120), 30);
    await runSweep(base(pglite));
    for (const st of pglite.statements()) assert.ok(st.size <= PGLITE_PAGE_SIZE, `${st.kind} of ${st.size} rows`);
    assert.equal(pglite.statements().filter((st) => st.kind === "page").length, 5, "120 rows: 4 pages of 25, then 20");
    const postgres = new FakeStore(live(120), 30);
    await runSweep(base(postgres, { db: { ...busyDb(() => 0), kind: "postgres" } }));
    assert.ok(postgres.statements().some((st) => st.size === DEFAULT_PAGE_SIZE));
    assert.equal(PGLITE_PAGE_SIZE * 4, DEFAULT_PAGE_SIZE);
  });

  it("quotes each distinct request once across pages", async function () {
    const loaded = dearer();
    const context = new RequoteContext(loaded.catalog, devFootprint(), DEFAULT_THRESHOLDS, undefined);
    const store = new FakeStore(live(600));
    const report = await runSweep(base(store, { loaded, pageSize: 50, context }));
    assert.equal(report.swept, 600);
    // Three models × two replica counts = six distinct requests.
    assert.equal(context.optimizerRuns, SIZES.length * 2);
  });

  it("pauses before every statement and after every optimizer run", async function () {
    const store = new FakeStore(live(250), 120);
    const pause = async (): Promise<void> => {
      store.steps.push({ kind: "pause" });
    };
    const context = new RequoteContext(dearer().catalog, devFootprint(), DEFAULT_THRESHOLDS, undefined);
    await runSweep(base(store, { pageSize: 100, pause, context }));
    store.steps.forEach((s, i) => {
      if (s.kind !== "pause") assert.equal(store.steps[i - 1]?.kind, "pause", `no pause before step ${i} (${s.kind})`);
    });
    const pauses = store.steps.filter((s) => s.kind === "pause").length;
    assert.equal(pauses, store.statements().length + context.optimizerRuns);
  });

  it("lets work queued on the event loop run while it sweeps (the default pause)", async function () {
    const store = new FakeStore(live(500));
    const sweeping = runSweep(base(store, { pageSize: 100 }));
    // An API request arriving now: with no pause the sweep (all in-memory) would finish first.
    setImmediate(() => store.steps.push({ kind: "other" }));
    await sweeping;
    const other = store.steps.findIndex((s) => s.kind === "other");
    const lastUpsert = store.steps.map((s) => s.kind).lastIndexOf("upsert");
    assert.ok(other >= 0 && other < lastUpsert, `other work ran at step ${other}, the last upsert is ${lastUpsert}`);
  });

  it("waits for other statements in flight on the database before its next one, but not forever", async function () {
    let busy = 1;
    const store = new FakeStore(live(300));
    const sweeping = runSweep(base(store, { db: busyDb(() => busy), pageSize: 100 }));
    const waiting = runSweep(
      base(new FakeStore(live(10)), {
        pause: deferToOthers(
          busyDb(() => busy),
          600_000,
        ),
      }),
    );
    let settled = false;
    void waiting.then(() => (settled = true));
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 2));
    assert.equal(settled, false, "a sweep with an unbounded wait runs no statement while the database is busy");
    busy = 0;
    await waiting;
    // The default wait is bounded: a database busy all along still gets swept.
    busy = 1;
    const report = await sweeping;
    assert.equal(report.swept, 300);
  });

  it("reports what the upserts wrote: a refreshed row keeps its id, a destroyed deployment has none, biggest saving first", async function () {
    const rows = live(REPORT_LIMIT + 200);
    const store = new FakeStore(rows);
    const kept = rows[5]?.id ?? "";
    const destroyed = rows[6]?.id ?? "";
    store.existing.set(kept, "11111111-1111-4111-8111-111111111111");
    store.gone.add(destroyed);
    const report = await runSweep(base(store, { pageSize: 100 }));
    assert.equal(report.recommended, rows.length - 1);
    assert.equal(report.recommendations.length, REPORT_LIMIT);
    assert.ok(!report.recommendations.some((r) => r.deploymentId === destroyed));
    const all = await runSweep(base(new FakeStore(rows.slice(0, 20)), { pageSize: 7 }));
    assert.equal(all.recommendations.length, 20);
    for (let i = 1; i < report.recommendations.length; i++) {
      const [a, b] = [report.recommendations[i - 1], report.recommendations[i]];
      assert.ok(a && b && a.savingMonthlyUsd >= b.savingMonthlyUsd, `order at ${i}`);
    }
    // The two-replica deployments save the most: the report holds them first.
    assert.equal(report.recommendations[0]?.current.placement.replicas, 2);
    const k = report.recommendations.find((r) => r.deploymentId === kept);
    assert.equal(k?.id, "11111111-1111-4111-8111-111111111111");
    assert.equal(k?.currency, "USD");
    assert.equal(k?.catalogVersion, dearer().catalog.version);
    assert.equal(k?.createdAt, "2026-11-30T00:00:00.000Z");
  });
});
