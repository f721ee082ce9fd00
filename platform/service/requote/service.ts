/**
 * When sweeps run: on a pg-boss schedule (cron, hourly by default; pg-boss keeps one schedule per
 * name across every process sharing the database, and its `singleton` queue policy keeps one sweep
 * job queued or active at a time), after each catalog change (the file's content hash, checked every
 * `catalogPollSeconds`), and on request (`POST /v1/admin/requote`). Sweeps in this process are
 * serialised; sweeps in different processes may overlap, which the recommendations' unique key
 * makes harmless.
 */
import PgBoss from "pg-boss";
import type { Footprint } from "../../core/footprint";
import type { PlacementPolicy } from "../../core/optimizer/policy";
import type { Catalog } from "../../core/pricing/types";
import { bossDb } from "../queue/queue";
import type { Db } from "../store/db";
import type { RequoteReport, RequoteThresholds } from "../types";
import { catalogHashNow, readCatalogSource } from "./catalog-source";
import { runSweep } from "./sweep";

export const REQUOTE_QUEUE = "modelplane-requote";

export interface RequoteSettings {
  /** MODELPLANE_CATALOG (absolute), or undefined for the shipped catalog. */
  catalogFile: string | undefined;
  /** MODELPLANE_REQUOTE_CRON: when scheduled sweeps run (default `0 * * * *`, hourly). */
  cron: string;
  thresholds: RequoteThresholds;
  /** MODELPLANE_REQUOTE_CATALOG_POLL_SECONDS: how often the catalog file's hash is checked (default 60; 0 = never). */
  catalogPollSeconds: number;
}

export interface RequoteDeps {
  db: Db;
  /** pg-boss's schema (the operation queue's). */
  bossSchema: string;
  settings: RequoteSettings;
  /** Where the platform runs; undefined = the whole catalog. */
  footprint: () => Promise<Footprint | undefined>;
  policy?: (environment: string) => PlacementPolicy | undefined;
  /** Told about every sweep's report (or failure), e.g. to log it. */
  onSweep?: (report: RequoteReport | Error) => void;
}

export class RequoteService {
  private boss: PgBoss | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lastHash: string | null = null;
  private previous: Catalog | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: RequoteDeps) {}

  /** Run one sweep now (after any sweep already running in this process). */
  sweep(options: { tenant?: string } = {}): Promise<RequoteReport> {
    const run = this.chain.then(() => this.sweepNow(options));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async sweepNow(options: { tenant?: string }): Promise<RequoteReport> {
    const loaded = readCatalogSource(this.deps.settings.catalogFile);
    const footprint = await this.deps.footprint();
    const report = await runSweep({
      db: this.deps.db,
      loaded,
      footprint,
      thresholds: this.deps.settings.thresholds,
      previous: this.previous?.version === loaded.catalog.version ? undefined : this.previous,
      ...(this.deps.policy ? { policy: this.deps.policy } : {}),
      ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    });
    if (this.previous?.version !== loaded.catalog.version) this.previous = loaded.catalog;
    this.lastHash = loaded.hash;
    this.deps.onSweep?.(report);
    return report;
  }

  /** Schedule sweeps (pg-boss cron) and watch the catalog file. */
  async start(): Promise<void> {
    if (this.boss || this.stopped) return;
    this.lastHash = catalogHashNow(this.deps.settings.catalogFile);
    const boss = new PgBoss({
      db: bossDb(this.deps.db),
      schema: this.deps.bossSchema,
      migrate: false,
      supervise: false,
      schedule: true,
    });
    boss.on("error", () => undefined);
    await boss.start();
    if (!(await boss.getQueue(REQUOTE_QUEUE))) {
      await boss.createQueue(REQUOTE_QUEUE, { name: REQUOTE_QUEUE, policy: "singleton", retryLimit: 0 });
    }
    await boss.schedule(REQUOTE_QUEUE, this.deps.settings.cron, {}, { tz: "UTC" });
    await boss.work(REQUOTE_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
      await this.sweep().catch((err: unknown) =>
        this.deps.onSweep?.(err instanceof Error ? err : new Error(String(err))),
      );
    });
    this.boss = boss;
    const every = this.deps.settings.catalogPollSeconds;
    if (every > 0) {
      this.pollTimer = setInterval(() => {
        void this.checkCatalog();
      }, every * 1000);
      this.pollTimer.unref();
    }
  }

  /** Sweep when the catalog file's content changed since the last sweep (or start); returns whether it did. */
  async checkCatalog(): Promise<boolean> {
    const now = catalogHashNow(this.deps.settings.catalogFile);
    if (now === null || now === this.lastHash) return false;
    this.lastHash = now;
    await this.sweep().catch((err: unknown) =>
      this.deps.onSweep?.(err instanceof Error ? err : new Error(String(err))),
    );
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    const boss = this.boss;
    this.boss = undefined;
    if (boss) await boss.stop({ graceful: true, wait: true, close: false, timeout: 5000 }).catch(() => undefined);
    await this.chain;
  }
}
