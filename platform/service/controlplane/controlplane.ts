/**
 * The control plane: the facade behind the HTTP API. Opens the store (PGlite or Postgres, same
 * SQL), runs the migrations, starts pg-boss on the same database, and runs operations through an
 * `Engine` in a bounded pool of workers. See ./types.ts for the contract.
 */
import { createHash, randomUUID } from "node:crypto";
import type { AppConfig } from "../config";
import { ConflictError, NotFoundError, QuotaExceededError } from "../../core/errors";
import type { Engine } from "../engine/types";
import { OPERATIONS_QUEUE, OperationQueue, type QueueOptions } from "../queue/queue";
import { openDb, type Db } from "../store/db";
import { migrate } from "../store/migrate";
import { IllegalTransitionError, sources, transition } from "../store/lifecycle";
import * as deployments from "../store/deployments";
import { appendEvent, listEvents } from "../store/events";
import * as keys from "../store/api-keys";
import * as models from "../store/models";
import { audit, findIdempotencyKey } from "../store/audit";
import { lostQueuedOperations, requeueStaleOperations } from "../store/recovery";
import { readStats } from "../store/stats";
import { accrueLedger, queryLedger } from "../store/ledger";
import { countLiveDeployments } from "../store/quotas";
import { deleteRecommendationOf } from "../store/recommendations";
import { activeExclusions } from "../store/placement-failures";
import type { PlacementExclusion } from "../../core/optimizer/exclusions";
import type { FailoverContext } from "../worker/failover";
import { ValidationError } from "../../core/validation";
import { OperationWorker } from "../worker/worker";
import { parseSubmit, parseUpdate, parseListOptions, checkIdempotencyKey } from "./input";
import { EventBus } from "./event-bus";
import { KeyCache } from "./key-cache";
import { createKey, ensureBootstrapKey } from "./keys";
import { SubmitBatcher } from "./submit-batcher";
import { Migrations } from "./migrate";
import type {
  ApiKey,
  ControlPlane,
  ControlPlaneHealth,
  ControlPlaneStats,
  CostQuery,
  CostRow,
  Deployment,
  DeploymentEvent,
  DeploymentStatus,
  EventListener,
  ListDeploymentsOptions,
  MigrationAccepted,
  MigrationTarget,
  OperationKind,
  Recommendation,
  RequoteContextInput,
  RequoteReport,
  Page,
  RegisteredModel,
  RegisterModelInput,
  Role,
  SubmitDeploymentInput,
  UpdateDeploymentInput,
} from "../types";

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
  /** Schedule re-quote sweeps (pg-boss cron) and watch the catalog file on start() (default true). */
  requoteSchedule?: boolean;
  /** Capacity/quota failover: where to re-place (also settable later with `configureFailover`). */
  failover?: FailoverContext;
}

export class ControlPlaneImpl implements ControlPlane {
  private readonly bus: EventBus;
  private readonly worker: OperationWorker;
  private readonly keyCache = new KeyCache(2000);
  private readonly batcher: SubmitBatcher;
  /** Deployments being submitted right now, per tenant (the quota counts them). */
  private readonly submitting = new Map<string, number>();
  private started = false;
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly migrations: Migrations;

  constructor(
    private readonly config: AppConfig,
    readonly db: Db,
    private readonly queue: OperationQueue,
    private readonly engine: Engine,
    private readonly deps: ControlPlaneDeps,
    private readonly ownsDb: boolean,
  ) {
    this.bus = new EventBus(db);
    this.batcher = new SubmitBatcher(db, (tx, created) =>
      queue.sendMany(
        created.map((i) => ({ id: i.jobId, data: { operationId: i.operationId, stackName: i.stackName } })),
        tx,
      ),
    );
    this.worker = new OperationWorker({
      db,
      engine,
      publish: (e) => this.publish(e),
      ...(deps.heartbeatMs !== undefined ? { heartbeatMs: deps.heartbeatMs } : {}),
      ...(deps.failover ? { failover: deps.failover } : {}),
    });
    this.migrations = new Migrations(
      config,
      db,
      queue,
      (e) => this.publish(e),
      (opId) => this.worker.abortLocal(opId, "cancel"),
    );
  }

  // ---- re-quote and migration (./migrate.ts) ---------------------------------------------------

  configureRequote(context: RequoteContextInput): void {
    this.migrations.configure(context);
  }

  requote(options: { tenant?: string }): Promise<RequoteReport> {
    return this.migrations.sweep(options.tenant);
  }

  listRecommendations(options: { tenant?: string; limit: number }): Promise<Recommendation[]> {
    return this.migrations.list(options.tenant, options.limit);
  }

  async requestMigration(
    tenant: string,
    id: string,
    target: MigrationTarget,
    actor: string,
  ): Promise<MigrationAccepted> {
    return this.migrations.request(await this.getDeployment(tenant, id), target, actor);
  }

  async abortMigration(tenant: string, id: string, actor: string): Promise<Deployment> {
    await this.migrations.abort(await this.getDeployment(tenant, id), actor);
    return this.getDeployment(tenant, id);
  }

  // ---- deployments ------------------------------------------------------------------------------

  async submitDeployment(
    raw: SubmitDeploymentInput,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const input = parseSubmit(raw);
    const key = checkIdempotencyKey(idempotencyKey);
    const requestHash = hashRequest(input);
    // Quota: live deployments plus the ones this process is submitting right now, so concurrent
    // requests cannot all pass the same count.
    const tenant = input.tenant;
    const inFlight = this.submitting.get(tenant) ?? 0;
    this.submitting.set(tenant, inFlight + 1);
    try {
      const limit = this.config.quotas.maxDeploymentsPerTenant;
      if ((await countLiveDeployments(this.db, tenant)) + inFlight >= limit) {
        const replay = key ? await this.replayIdempotent(tenant, key, requestHash) : null;
        if (replay) return { deployment: replay, created: false };
        throw new QuotaExceededError(
          "MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT",
          `tenant "${tenant}" has ${limit} live deployments, its quota (MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT); destroy one first`,
        );
      }
      return await this.submitWithin(input, key, requestHash);
    } finally {
      const left = (this.submitting.get(tenant) ?? 1) - 1;
      if (left <= 0) this.submitting.delete(tenant);
      else this.submitting.set(tenant, left);
    }
  }

  private async submitWithin(
    input: SubmitDeploymentInput,
    key: string | undefined,
    requestHash: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const outcome = await this.batcher.submit({
      deploymentId: randomUUID(),
      operationId: randomUUID(),
      jobId: randomUUID(),
      tenant: input.tenant,
      actor: input.actor,
      name: input.name,
      environment: input.environment,
      model: input.model,
      stackName: input.stackName,
      placement: input.placement,
      estimatedMonthlyUsd: input.estimatedMonthlyUsd,
      spec: input.spec,
      idempotency: key ? { key, requestHash } : null,
    });
    if (outcome.kind === "created") {
      this.publish(outcome.event);
      this.queue.wake();
      return { deployment: outcome.deployment, created: true };
    }
    if (outcome.kind === "key-taken" && key) {
      const replay = await this.replayIdempotent(input.tenant, key, requestHash);
      if (replay) return { deployment: replay, created: false };
    }
    throw new ConflictError(
      `stack "${input.stackName}" belongs to a deployment that is not destroyed yet; destroy it first or choose another name/environment`,
    );
  }

  private async replayIdempotent(tenant: string, key: string, requestHash: string): Promise<Deployment | null> {
    const seen = await findIdempotencyKey(this.db, tenant, key);
    if (!seen) return null;
    if (seen.requestHash !== requestHash) {
      throw new ConflictError(
        "Idempotency-Key was already used with a different request; use a new key for a new request",
      );
    }
    return this.getDeployment(tenant, seen.deploymentId);
  }

  /** Inside `tx`: the operation, its queue job, an audit row and the `queued` status event. */
  private async enqueue(
    tx: Db,
    d: { id: string; tenant: string; stackName: string },
    operationId: string,
    kind: OperationKind,
    actor: string,
    a: { action: string; details: Record<string, unknown> },
  ): Promise<DeploymentEvent[]> {
    await deployments.insertOperation(tx, { id: operationId, deploymentId: d.id, tenant: d.tenant, kind, actor });
    const jobId = await this.queue.send({ operationId, stackName: d.stackName }, tx);
    await deployments.setOperationJob(tx, operationId, jobId);
    await audit(tx, { actor, tenant: d.tenant, action: a.action, target: d.id, details: a.details });
    const e = await appendEvent(tx, {
      deploymentId: d.id,
      operationId,
      type: "status",
      data: { status: "queued", operation: kind },
    });
    return [e];
  }

  private afterEnqueue(events: DeploymentEvent[]): void {
    for (const e of events) this.publish(e);
    this.queue.wake();
  }

  async getDeployment(tenant: string, id: string): Promise<Deployment> {
    const d = await deployments.getDeployment(this.db, tenant, id);
    if (!d) throw new NotFoundError(`deployment ${id}`);
    return d;
  }

  async listDeployments(tenant: string, raw: ListDeploymentsOptions): Promise<Page<Deployment>> {
    const options = parseListOptions(raw);
    try {
      return await deployments.listDeployments(this.db, tenant, options);
    } catch (err) {
      if (err instanceof deployments.CursorError) throw new ValidationError("cursor", err.message);
      throw err;
    }
  }

  async requestUpdate(tenant: string, id: string, raw: UpdateDeploymentInput, actor: string): Promise<Deployment> {
    const input = parseUpdate(raw);
    const d = await this.getDeployment(tenant, id);
    if (d.status === "destroyed" || d.status === "destroying") {
      throw new ConflictError(`deployment is ${d.status}; create a new deployment instead`);
    }
    const events = await this.db.transaction(async (tx) => {
      const ev = await this.enqueue(tx, d, randomUUID(), "update", actor, {
        action: "deployment.update",
        details: { estimatedMonthlyUsd: input.estimatedMonthlyUsd, replaced: input.placement !== undefined },
      });
      await deployments.setDeploymentSpec(
        tx,
        tenant,
        id,
        input.spec,
        input.placement ?? d.placement,
        input.estimatedMonthlyUsd,
      );
      await transition(tx, id, sources("request-update", "queued"), "queued", "request-update", { error: null });
      return ev;
    });
    this.afterEnqueue(events);
    return this.getDeployment(tenant, id);
  }

  async requestDestroy(tenant: string, id: string, actor: string): Promise<Deployment> {
    const d = await this.getDeployment(tenant, id);
    if (d.status === "destroyed") throw new ConflictError("deployment is already destroyed");
    const events = await this.db.transaction(async (tx) => {
      const ev = await this.enqueue(tx, d, randomUUID(), "destroy", actor, {
        action: "deployment.destroy",
        details: {},
      });
      await transition(tx, id, sources("request-destroy", "queued"), "queued", "request-destroy");
      await deleteRecommendationOf(tx, id); // a recommendation for a deployment going away disappears
      return ev;
    });
    this.afterEnqueue(events);
    return this.getDeployment(tenant, id);
  }

  async cancel(tenant: string, id: string, actor: string): Promise<Deployment> {
    await this.getDeployment(tenant, id);
    const op = await deployments.inFlightOperation(this.db, tenant, id);
    if (!op) throw new ConflictError("no operation is queued or running on this deployment");
    if (op.kind === "migrate") return this.abortMigration(tenant, id, actor); // the deployment's status stays
    const info = { code: "cancelled", message: "cancelled by request" };
    await audit(this.db, { actor, tenant, action: "deployment.cancel", target: id, details: { operationId: op.id } });
    await deployments.requestCancel(this.db, op.id);
    const wasQueued = await this.db.transaction(async (tx) => {
      if (!(await deployments.cancelQueuedOperation(tx, op.id, info))) return null;
      await transition(tx, id, sources("cancel", "cancelled"), "cancelled", "cancel", { error: info });
      return appendEvent(tx, {
        deploymentId: id,
        operationId: op.id,
        type: "status",
        data: { status: "cancelled", error: info },
      });
    });
    if (wasQueued) {
      this.publish(wasQueued);
      if (op.jobId) await this.queue.cancel(op.jobId).catch(() => undefined);
    } else {
      // Running: abort here if it runs in this process; otherwise its worker sees the flag on its next heartbeat.
      this.worker.abortLocal(op.id, "cancel");
    }
    return this.getDeployment(tenant, id);
  }

  async listEvents(tenant: string, id: string, afterId: number, limit: number): Promise<DeploymentEvent[]> {
    await this.getDeployment(tenant, id);
    return listEvents(this.db, tenant, id, afterId, limit);
  }

  subscribe(deploymentId: string, listener: EventListener): () => void {
    return this.bus.subscribe(deploymentId, listener);
  }

  private publish(e: DeploymentEvent): void {
    this.bus.publish(e);
  }

  /** Feed subscribers with events other processes persist (Postgres LISTEN/NOTIFY). */
  listenForRemoteEvents(url: string): Promise<void> {
    return this.bus.listen(url);
  }

  // ---- API keys ---------------------------------------------------------------------------------

  createApiKey(
    raw: { tenant: string; role: Role; name: string },
    actor: string,
  ): Promise<{ key: ApiKey; secret: string }> {
    return createKey(this.db, raw, actor);
  }

  // ---- model registry ---------------------------------------------------------------------------

  async registerModel(input: RegisterModelInput, actor: string): Promise<RegisteredModel> {
    const taken = (v: string): ConflictError =>
      new ConflictError(
        `model "${input.name}" already has version "${v}"; versions are immutable, register a new version`,
      );
    try {
      await this.db.transaction(async (tx) => {
        const stored = await models.existingVersions(
          tx,
          input.tenant,
          input.name,
          input.versions.map((v) => v.version),
        );
        if (stored[0] !== undefined) throw taken(stored[0]);
        await models.insertModel(tx, input, actor);
        await audit(tx, { actor, tenant: input.tenant, action: "model.register", target: input.name });
      });
    } catch (e) {
      // Two requests adding the same version at once: the primary key decides, the loser gets a 409.
      if ((e as { code?: unknown }).code === "23505") throw taken(input.versions.map((v) => v.version).join(", "));
      throw e;
    }
    return this.getModel(input.tenant, input.name);
  }

  listModels(tenant: string, options: { limit: number }): Promise<RegisteredModel[]> {
    return models.listModels(this.db, tenant, options.limit);
  }

  async getModel(tenant: string, name: string): Promise<RegisteredModel> {
    const m = await models.findModel(this.db, tenant, name);
    if (!m) throw new NotFoundError(`model "${name}"`);
    return m;
  }

  async revokeApiKey(id: string, actor: string, tenant?: string): Promise<ApiKey> {
    if (!deployments.isUuid(id)) throw new NotFoundError(`API key ${id}`);
    const k = await keys.revokeApiKey(this.db, id, tenant);
    if (!k) throw new NotFoundError(`API key ${id}`);
    this.keyCache.clear();
    await audit(this.db, { actor, tenant: k.tenant, action: "api_key.revoke", target: id });
    return k;
  }

  listApiKeys(options: { tenant?: string; limit: number }): Promise<ApiKey[]> {
    return keys.listApiKeys(this.db, options);
  }

  async authenticate(secret: string): Promise<ApiKey | null> {
    const cached = this.keyCache.get(secret);
    if (cached !== undefined) return cached;
    const k = await keys.findKeyBySecret(this.db, secret);
    if (k) await keys.touchApiKey(this.db, k.id);
    this.keyCache.set(secret, k);
    return k;
  }

  /** The bootstrap key (see ./keys.ts); configuring a new one revokes the previous one. */
  async ensureAdminKey(configuredKey?: string): Promise<{ secret: string | null; generated: boolean }> {
    const out = await ensureBootstrapKey(this.db, this.config.env, configuredKey);
    this.keyCache.clear();
    return out;
  }

  // ---- health, stats, lifecycle -----------------------------------------------------------------

  async health(): Promise<ControlPlaneHealth> {
    let database: ControlPlaneHealth["database"];
    try {
      await this.db.query("SELECT 1");
      database = { ok: true };
    } catch (err) {
      database = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (this.config.role === "api")
      // This process runs no operation: the engine is the worker processes' (their /readyz says).
      return {
        database,
        engine: { available: true, reason: "API-only process (MODELPLANE_ROLE=api): worker processes run operations" },
      };
    return { database, engine: await this.engine.availability() };
  }

  stats(): Promise<ControlPlaneStats> {
    return readStats(this.db);
  }

  accrueCosts(now: Date, catalogVersion: string): Promise<number> {
    return accrueLedger(this.db, now, catalogVersion);
  }

  costs(query: CostQuery): Promise<CostRow[]> {
    return queryLedger(this.db, query);
  }

  placementExclusions(now: Date): Promise<PlacementExclusion[]> {
    return activeExclusions(this.db, now);
  }

  /** Let the workers re-place deployments on capacity/quota failures (worker/failover.ts); serve calls it. */
  configureFailover(ctx: FailoverContext | undefined): void {
    this.worker.configureFailover(ctx);
  }

  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    // An API-only process (MODELPLANE_ROLE=api) enqueues; the worker processes sharing its
    // Postgres run the jobs, recover and sweep.
    if (this.config.role === "api") return;
    await this.engine.availability(); // detect the Pulumi CLI now, not on the first request
    // Embedded PGlite belongs to this one process: anything "running" was cut off by a crash.
    await this.recover(this.db.kind === "pglite" ? 0 : this.staleAfter());
    await this.queue.work(this.config.workers, (job) => this.worker.handle(job));
    if (this.deps.requoteSchedule !== false) await this.migrations.requote.start();
    const every = this.deps.sweepIntervalMs ?? 15_000;
    this.sweepTimer = setInterval(() => {
      void this.sweep();
    }, every);
    this.sweepTimer.unref();
  }

  private staleAfter(): number {
    return this.deps.staleAfterSeconds ?? 30;
  }

  private sweep(): Promise<void> {
    const running =
      this.sweeping ??
      this.recover(this.staleAfter())
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          this.sweeping = undefined;
        });
    this.sweeping = running;
    return running;
  }

  /**
   * Crash recovery. Operations whose worker stopped heart-beating go back to the queue; queued
   * operations whose queue job is gone (finished, cancelled, or active on a dead worker) get a
   * new job. The handler ignores any job that is not the operation's current one.
   */
  async recover(staleSeconds: number): Promise<{ requeued: number; resent: number }> {
    let requeued = 0;
    let resent = 0;
    // One transaction: a worker must not claim a taken-back operation before its deployment moved.
    const events = await this.db.transaction(async (tx) => {
      const out: DeploymentEvent[] = [];
      for (const op of await requeueStaleOperations(tx, staleSeconds)) {
        const cancelled = op.status === "cancelled";
        const to = cancelled ? "cancelled" : "queued";
        const event = cancelled ? "cancel" : "requeue";
        try {
          await transition(tx, op.deploymentId, sources(event, to), to, event, cancelled ? { error: op.error } : {});
        } catch (err) {
          if (!(err instanceof IllegalTransitionError)) throw err;
          // Not in an in-progress status: the deployment already moved on; leave its status alone.
        }
        out.push(
          await appendEvent(tx, {
            deploymentId: op.deploymentId,
            operationId: op.id,
            ...(cancelled
              ? { type: "status", data: { status: "cancelled", error: op.error } }
              : { type: "log", data: { message: "worker lost; operation re-queued to resume" } }),
          }),
        );
        if (!cancelled) requeued++;
      }
      return out;
    });
    for (const e of events) this.publish(e);
    for (const op of await lostQueuedOperations(this.db, this.queue.schema, OPERATIONS_QUEUE, staleSeconds)) {
      if (op.jobId) await this.queue.cancel(op.jobId).catch(() => undefined); // if it is still active somewhere
      const d = await deployments.getDeployment(this.db, op.tenant, op.deploymentId);
      if (!d) continue;
      // Same transaction: a worker must never see the new job before the operation points at it.
      await this.db.transaction(async (tx) => {
        const jobId = await this.queue.send({ operationId: op.id, stackName: d.stackName }, tx);
        await deployments.setOperationJob(tx, op.id, jobId);
      });
      this.queue.wake();
      resent++;
    }
    return { requeued, resent };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.worker.abortAll();
    await this.migrations.requote.stop();
    await this.queue.stop();
    await this.sweeping;
    await this.engine.close();
    await this.bus.close();
    if (this.ownsDb) await this.db.close();
  }
}

function hashRequest(input: SubmitDeploymentInput): string {
  const { actor: _actor, ...rest } = input;
  return createHash("sha256").update(stableJson(rest)).digest("hex");
}

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * Open the store, migrate, start the queue (pg-boss installs its schema) and return the facade.
 * Workers start with `start()`.
 */
export async function createControlPlane(
  config: AppConfig,
  deps: ControlPlaneDeps = {},
): Promise<ControlPlane & ControlPlaneImpl> {
  const db = deps.db ?? (await openDb(config.database, config.schema));
  try {
    await migrate(db);
    const queue = new OperationQueue(db, deps.queue ?? {});
    await queue.start();
    const engine = deps.engine ?? (await defaultEngine(config));
    const cp = new ControlPlaneImpl(config, db, queue, engine, deps, deps.db === undefined);
    if (config.database.kind === "postgres" && db.kind === "postgres")
      await cp.listenForRemoteEvents(config.database.url);
    return cp;
  } catch (err) {
    if (deps.db === undefined) await db.close().catch(() => undefined);
    throw err;
  }
}

async function defaultEngine(config: AppConfig): Promise<Engine> {
  if (config.engine === "dry-run") {
    // Loaded only here: the planner brings the Pulumi SDKs into a worker thread on first use.
    const [{ DryRunEngine }, { planDeployment }] = await Promise.all([import("../engine/dry-run"), import("../plan")]);
    // Planned against the platform's own footprint (its config file), never an invented platform.
    const source = config.footprintSource;
    let footprint: Promise<import("../../core/footprint").Footprint> | undefined;
    const footprintOf = () =>
      (footprint ??=
        source.kind === "config"
          ? import("../../../programs/platform/footprint").then((m) => m.footprintFromConfigFile(source.file))
          : Promise.reject(
              new ValidationError(
                "MODELPLANE_PLATFORM_CONFIG",
                "the dry-run engine plans against the platform's config file: set MODELPLANE_PLATFORM_CONFIG",
              ),
            ));
    return new DryRunEngine(async (stack) => planDeployment(stack.spec, { footprint: await footprintOf() }));
  }
  const { AutomationEngine } = await import("../engine/automation/engine");
  return new AutomationEngine(AutomationEngine.settingsFrom(config));
}

export type { DeploymentStatus };
