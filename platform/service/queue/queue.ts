/**
 * The operation queue: pg-boss 10 on whichever database the store uses. pg-boss talks to the
 * database through its `db` option (`executeSql`), backed by our `Db`, so the same code runs on
 * PGlite (single embedded connection) and on Postgres (the pool), and a job can be sent inside the
 * transaction that creates its operation (nothing is persisted without its job, or vice versa).
 *
 * Multi-statement SQL (pg-boss's migrations and its advisory-locked maintenance commands) is sent
 * without parameters and goes through `Db.exec`, which returns the rows of every statement.
 */
import PgBoss from "pg-boss";
import { Client } from "pg";
import type { Db, Row } from "../store/db";

export const OPERATIONS_QUEUE = "modelplane-operations";

export interface OperationJobData {
  operationId: string;
  stackName: string;
}

export interface QueueOptions {
  /** Schema for pg-boss's tables (default `<store schema>_jobs`). */
  schema?: string;
  /** How often idle workers poll (seconds, ≥ 0.5). Default 2. */
  pollingIntervalSeconds?: number;
  /** Retries of a transient failure (a locked stack). Default 5. */
  retryLimit?: number;
  /** First retry delay, seconds; doubled each time with `retryBackoff`. Default 5. */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** pg-boss maintenance interval, seconds. Default 60. */
  maintenanceIntervalSeconds?: number;
  /** Pause between one job and the next fetch of the same worker when there is a backlog, ms. Default 50. */
  pauseBetweenJobsMs?: number;
  /**
   * Postgres: where this process LISTENs for other processes' wake-ups, once it works. `wake()`
   * announces new jobs to every process sharing the database (NOTIFY), so a worker process starts a
   * job an API process enqueued at once, not at its next poll (#14). Absent: local wake-ups only.
   */
  listenUrl?: string;
}

export interface QueuedJob {
  id: string;
  data: OperationJobData;
  retryCount: number;
  retryLimit: number;
}

export type JobHandler = (job: QueuedJob) => Promise<void>;

/**
 * pg-boss's `db` adapter over our `Db` (or a transaction of it). `inFlight`, when given, holds every
 * statement not yet settled, so a shutdown can wait for them before the database is closed.
 */
export function bossDb(db: Db, inFlight?: Set<Promise<unknown>>): PgBoss.Db {
  const run = async (text: string, values?: unknown[]): Promise<{ rows: Row[] }> => {
    if (values && values.length > 0) return { rows: (await db.query(text, values)).rows };
    return { rows: await db.exec(text) };
  };
  return {
    executeSql(text: string, values?: unknown[]): Promise<{ rows: Row[] }> {
      const p = run(text, values);
      if (inFlight) {
        inFlight.add(p);
        const forget = (): void => {
          inFlight.delete(p);
        };
        p.then(forget, forget);
      }
      return p;
    },
  };
}

export class OperationQueue {
  private readonly boss: PgBoss;
  private readonly workerIds: string[] = [];
  /** Workers currently running a handler (a wake-up would only make them fetch again early). */
  private readonly busy = new Set<string>();
  /** Workers in their pause between two jobs: they fetch again when it ends, so they are not woken. */
  private readonly pausing = new Set<string>();
  private wakeScheduled = false;
  /** The announcement to other processes due with the scheduled wake-up (a local `wake()` asked for it). */
  private announce: (() => void) | undefined;
  private started = false;
  private readonly pollingIntervalSeconds: number;
  private readonly pauseBetweenJobsMs: number;
  /** The schema holding pg-boss's tables. */
  readonly schema: string;
  readonly errors: unknown[] = [];
  /**
   * pg-boss statements under way. pg-boss completes or fails a job without awaiting it, so that
   * statement can still be running when `boss.stop()` resolves: `stop()` waits for these, or the
   * database would be closed under it.
   */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The LISTEN connection of a working process (Postgres, `listenUrl`). */
  private listener: Client | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: QueueOptions = {},
  ) {
    this.pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
    this.pauseBetweenJobsMs = options.pauseBetweenJobsMs ?? 50;
    this.schema = options.schema ?? `${db.schema}_jobs`;
    this.boss = new PgBoss({
      db: bossDb(db, this.inFlight),
      schema: this.schema,
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    });
    this.boss.on("error", (err: unknown) => {
      // Kept for inspection; pg-boss retries its own polling and maintenance.
      if (this.errors.length < 100) this.errors.push(err);
    });
  }

  /** Install/upgrade pg-boss's schema and create the queue (idempotent). */
  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    const existing = await this.boss.getQueue(OPERATIONS_QUEUE);
    const queue = {
      name: OPERATIONS_QUEUE,
      policy: "standard" as const,
      retryLimit: this.options.retryLimit ?? 5,
      retryDelay: this.options.retryDelaySeconds ?? 5,
      retryBackoff: this.options.retryBackoff ?? true,
      // A Pulumi operation can take long; crash recovery does not wait for this (heartbeats do).
      expireInSeconds: 6 * 3600,
    };
    if (!existing) await this.boss.createQueue(OPERATIONS_QUEUE, queue);
    else await this.boss.updateQueue(OPERATIONS_QUEUE, queue);
    this.started = true;
  }

  /**
   * Enqueue an operation; pass `tx` to enqueue inside the caller's transaction (then call `wake()`
   * after the commit: before it, workers cannot see the job). Returns the job id.
   */
  async send(data: OperationJobData, tx?: Db): Promise<string> {
    const id = await this.boss.send(OPERATIONS_QUEUE, { ...data }, tx ? { db: bossDb(tx) } : {});
    if (!id) throw new Error("the queue refused the job");
    if (!tx) this.wake();
    return id;
  }

  /**
   * Enqueue several operations in one statement, with job ids chosen by the caller (so the
   * operations can record them in the same transaction). With `tx`, `wake()` after the commit.
   */
  async sendMany(jobs: Array<{ id: string; data: OperationJobData }>, tx?: Db): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((j) => ({ id: j.id, name: OPERATIONS_QUEUE, data: { ...j.data } })),
      tx ? { db: bossDb(tx) } : {},
    );
    if (!tx) this.wake();
  }

  /** Run `handler` for jobs with at most `concurrency` at once in this process. */
  async work(concurrency: number, handler: JobHandler): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      let id = "";
      id = await this.boss.work<OperationJobData>(
        OPERATIONS_QUEUE,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.pollingIntervalSeconds },
        async (jobs) => {
          if (id) this.busy.add(id);
          try {
            for (const job of jobs) {
              await handler({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
            }
          } finally {
            if (id) this.busy.delete(id);
            // pg-boss waits a whole polling interval even after a fetch that found work. A backlog
            // should drain faster than that, yet leave the database to the API between jobs (on
            // PGlite they share one connection): fetch again after a short pause. An empty fetch
            // still waits the interval.
            if (jobs.length > 0 && id) {
              const wid = id;
              if (this.pauseBetweenJobsMs <= 0) this.boss.notifyWorker(wid);
              else {
                this.pausing.add(wid);
                setTimeout(() => {
                  this.pausing.delete(wid);
                  this.boss.notifyWorker(wid);
                }, this.pauseBetweenJobsMs).unref();
              }
            }
          }
        },
      );
      this.workerIds.push(id);
    }
    if (this.options.listenUrl && this.db.kind === "postgres") await this.listen(this.options.listenUrl);
  }

  /** The channel wake-ups are announced on. */
  get wakeChannel(): string {
    return `${this.schema}_wake`;
  }

  private async listen(url: string): Promise<void> {
    if (this.listener || !this.started) return;
    const client = new Client({ connectionString: url });
    this.listener = client;
    client.on("notification", () => this.wakeLocal());
    client.on("error", (err: unknown) => {
      if (this.errors.length < 100) this.errors.push(err);
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      // Polling still runs meanwhile; listen again shortly.
      setTimeout(() => void this.listen(url).catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.wakeChannel}"`);
    } catch (err) {
      if (this.listener === client) this.listener = undefined;
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  /**
   * New work arrived: let idle workers fetch now instead of at their next poll, here and (on
   * Postgres) in every process listening (`listenUrl`). Coalesced (one wake-up per tick however
   * many jobs were sent) and skipped for busy workers, which fetch again after their current job
   * anyway: every fetch costs a query.
   */
  wake(): void {
    this.wakeLocal(() => {
      if (this.db.kind !== "postgres" || !this.started) return;
      const p = this.db.query("SELECT pg_notify($1, '')", [this.wakeChannel]).catch((err: unknown) => {
        if (this.errors.length < 100) this.errors.push(err);
      });
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    });
  }

  private wakeLocal(andThen?: () => void): void {
    if (andThen) this.announce = andThen;
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      const announce = this.announce;
      this.announce = undefined;
      for (const id of this.workerIds) if (!this.busy.has(id) && !this.pausing.has(id)) this.boss.notifyWorker(id);
      announce?.();
    });
  }

  async cancel(jobId: string): Promise<void> {
    await this.boss.cancel(OPERATIONS_QUEUE, jobId);
  }

  async job(jobId: string): Promise<{ state: string; startedOn: Date | null } | null> {
    const j = await this.boss.getJobById<OperationJobData>(OPERATIONS_QUEUE, jobId);
    return j ? { state: j.state, startedOn: j.startedOn ?? null } : null;
  }

  /** Stop polling; waits (up to `timeoutMs`) for running handlers to return. The database stays open. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
    // A job's last complete/fail is issued without await, a few ticks after its handler returns.
    await new Promise((r) => setImmediate(r));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
