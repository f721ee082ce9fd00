/** What `createControlPlane` can be given instead of its defaults (tests inject most of these). */
import type { Engine } from "../engine/types";
import type { QueueOptions } from "../queue/queue";
import type { Db } from "../store/db";
import type { FailoverContext } from "../worker/failover";

export interface ControlPlaneDeps {
  /** The engine; default: the Pulumi Automation adapter (child process per operation). */
  engine?: Engine;
  /** An already-open database (tests share one per file); closed by `close()` only when we opened it. */
  db?: Db;
  queue?: QueueOptions;
  /** Heartbeat of running operations, ms (default 2000). */
  heartbeatMs?: number;
  /** A running operation whose heartbeat is older than this is taken over (default 30 s). */
  staleAfterSeconds?: number;
  /** How often to look for lost jobs and stale operations, ms (default 15000). */
  sweepIntervalMs?: number;
  /**
   * On close, how long running operations get to stop and park their jobs, ms (default 10 s); the
   * engine is closed after it (its processes killed) and they get as long again.
   */
  shutdownGraceMs?: number;
  /** A tenant's monthly spend limit in USD (policy config `tenant-monthly-spend`); undefined: none. */
  monthlySpendLimitUsd?: (tenant: string) => number | undefined;
  /** Schedule re-quote sweeps (pg-boss cron) and watch the catalog file on start() (default true). */
  requoteSchedule?: boolean;
  /** Capacity/quota failover: where to re-place (also settable later with `configureFailover`). */
  failover?: FailoverContext;
}
