/**
 * The control plane: the facade behind the HTTP API. Opens the store (PGlite or Postgres, same
 * SQL), runs the migrations, starts pg-boss on the same database, and runs operations through an
 * `Engine` in a bounded pool of workers. See ../types.ts for the contract.
 *
 * The facade delegates: deployment requests (./requests.ts), API keys (./api-keys.ts), inference
 * keys (./inference-keys.ts), the model registry (./model-registry.ts), re-quote and migration
 * (./migrate.ts), crash recovery (./recovery.ts), the default engine (./default-engine.ts).
 */
import type { AppConfig } from "../config";
import type { Engine } from "../engine/types";
import { OperationQueue } from "../queue/queue";
import { openDb, type Db } from "../store/db";
import { migrate } from "../store/migrate";
import { listEvents } from "../store/events";
import { readStats } from "../store/stats";
import { accrueLedger, openHourLedger, queryLedger } from "../store/ledger";
import { activeExclusions, failuresRecordedHere } from "../store/placement-failures";
import { ExclusionsCache } from "./exclusions-cache";
import type { PlacementExclusion } from "../../core/optimizer/exclusions";
import type { FailoverContext } from "../worker/failover";
import { OperationWorker } from "../worker/worker";
import { ApiKeys } from "./api-keys";
import { defaultEngine } from "./default-engine";
import type { ControlPlaneDeps } from "./deps";
import { EventBus } from "./event-bus";
import * as inferenceKeys from "./inference-keys";
import * as registry from "./model-registry";
import { recover, RecoverySweeper } from "./recovery";
import { DeploymentRequests } from "./requests";
import { SubmitBatcher } from "./submit-batcher";
import { TenantQuotas } from "./quotas";
import { Migrations } from "./migrate";
import type {
  ApiKey,
  ControlPlane,
  ControlPlaneHealth,
  ControlPlaneStats,
  CostQuery,
  CreateInferenceKeyInput,
  InferenceKey,
  CostRow,
  OpenHourRow,
  Deployment,
  DeploymentEvent,
  DeploymentStatus,
  EventListener,
  ListDeploymentsOptions,
  MigrationAccepted,
  MigrationTarget,
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

export type { ControlPlaneDeps };
export { stableJson } from "./request-hash";

export class ControlPlaneImpl implements ControlPlane {
  private readonly bus: EventBus;
  private readonly worker: OperationWorker;
  private readonly requests: DeploymentRequests;
  private readonly keys: ApiKeys;
  private started = false;
  private closed = false;
  private readonly sweeper = new RecoverySweeper(() => this.recover(this.staleAfter()));
  private readonly migrations: Migrations;
  private readonly exclusions: ExclusionsCache;

  constructor(
    private readonly config: AppConfig,
    readonly db: Db,
    private readonly queue: OperationQueue,
    private readonly engine: Engine,
    private readonly deps: ControlPlaneDeps,
    private readonly ownsDb: boolean,
  ) {
    this.bus = new EventBus(db);
    this.exclusions = new ExclusionsCache({
      fetch: (now) => activeExclusions(db, now),
      generation: failuresRecordedHere,
    });
    const quotas = new TenantQuotas(db, {
      maxDeploymentsPerTenant: config.quotas.maxDeploymentsPerTenant,
      ...(deps.monthlySpendLimitUsd ? { monthlySpendLimitUsd: deps.monthlySpendLimitUsd } : {}),
    });
    const batcher = new SubmitBatcher(db, (tx, created) =>
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
    this.requests = new DeploymentRequests({
      db,
      queue,
      batcher,
      quotas,
      publish: (e) => this.publish(e),
      abortLocal: (opId) => this.worker.abortLocal(opId, "cancel"),
      abortMigration: (tenant, id, actor) => this.abortMigration(tenant, id, actor),
    });
    this.keys = new ApiKeys(db, config.env);
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

  // ---- deployments (./requests.ts) ------------------------------------------------------------

  submitDeployment(
    raw: SubmitDeploymentInput,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    return this.requests.submit(raw, idempotencyKey);
  }

  getDeployment(tenant: string, id: string): Promise<Deployment> {
    return this.requests.get(tenant, id);
  }

  listDeployments(tenant: string, raw: ListDeploymentsOptions): Promise<Page<Deployment>> {
    return this.requests.list(tenant, raw);
  }

  requestUpdate(tenant: string, id: string, raw: UpdateDeploymentInput, actor: string): Promise<Deployment> {
    return this.requests.update(tenant, id, raw, actor);
  }

  requestDestroy(tenant: string, id: string, actor: string): Promise<Deployment> {
    return this.requests.destroy(tenant, id, actor);
  }

  /** Remove a deployment that never reached the engine's deploy or destroy phase (`DELETE ?purge=true`). */
  purgeDeployment(tenant: string, id: string, actor: string): Promise<void> {
    return this.requests.purge(tenant, id, actor);
  }

  cancel(tenant: string, id: string, actor: string): Promise<Deployment> {
    return this.requests.cancel(tenant, id, actor);
  }

  // ---- events -----------------------------------------------------------------------------------

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

  // ---- API keys (./api-keys.ts) -----------------------------------------------------------------

  createApiKey(
    raw: { tenant: string; role: Role; name: string },
    actor: string,
  ): Promise<{ key: ApiKey; secret: string }> {
    return this.keys.create(raw, actor);
  }

  revokeApiKey(id: string, actor: string, tenant?: string): Promise<ApiKey> {
    return this.keys.revoke(id, actor, tenant);
  }

  listApiKeys(options: { tenant?: string; limit: number }): Promise<ApiKey[]> {
    return this.keys.list(options);
  }

  authenticate(secret: string): Promise<ApiKey | null> {
    return this.keys.authenticate(secret);
  }

  /** The bootstrap key (see ./keys.ts); configuring a new one revokes the previous one. */
  ensureAdminKey(configuredKey?: string): Promise<{ secret: string | null; generated: boolean }> {
    return this.keys.ensureAdmin(configuredKey);
  }

  // ---- inference keys (./inference-keys.ts) -----------------------------------------------------

  createInferenceKey(input: CreateInferenceKeyInput, actor: string): Promise<{ key: InferenceKey; secret: string }> {
    return inferenceKeys.createInferenceKey(this.db, input, actor);
  }

  listInferenceKeys(options: { tenant?: string; limit: number }): Promise<InferenceKey[]> {
    return inferenceKeys.listInferenceKeys(this.db, options);
  }

  revokeInferenceKey(id: string, actor: string, tenant?: string): Promise<InferenceKey> {
    return inferenceKeys.revokeInferenceKey(this.db, id, actor, tenant);
  }

  authenticateInferenceKey(secret: string): Promise<InferenceKey | null> {
    return inferenceKeys.authenticateInferenceKey(this.db, secret);
  }

  // ---- model registry (./model-registry.ts) -----------------------------------------------------

  registerModel(input: RegisterModelInput, actor: string): Promise<RegisteredModel> {
    return registry.registerModel(this.db, input, actor);
  }

  listModels(tenant: string, options: { limit: number }): Promise<RegisteredModel[]> {
    return registry.listModels(this.db, tenant, options);
  }

  getModel(tenant: string, name: string): Promise<RegisteredModel> {
    return registry.getModel(this.db, tenant, name);
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

  openHourCosts(now: Date, groupBy: CostQuery["groupBy"], tenant?: string): Promise<OpenHourRow[]> {
    return openHourLedger(this.db, now, groupBy, tenant);
  }

  placementExclusions(now: Date): Promise<PlacementExclusion[]> {
    return this.exclusions.at(now);
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
    // Load what the first operation would (the dry-run planner): a job claimed here must not wait
    // seconds for it while another worker process, already warm, could run it (#14).
    await this.engine.warm?.();
    // Embedded PGlite belongs to this one process: anything "running" was cut off by a crash.
    await this.recover(this.db.kind === "pglite" ? 0 : this.staleAfter());
    await this.queue.work(this.config.workers, (job) => this.worker.handle(job));
    if (this.deps.requoteSchedule !== false) await this.migrations.requote.start();
    this.sweeper.start(this.deps.sweepIntervalMs ?? 15_000);
  }

  private staleAfter(): number {
    return this.deps.staleAfterSeconds ?? 30;
  }

  /** Crash recovery (./recovery.ts): stale operations back to the queue, lost jobs re-sent. */
  recover(staleSeconds: number): Promise<{ requeued: number; resent: number }> {
    return recover(this.db, this.queue, (e) => this.publish(e), staleSeconds);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sweeping = this.sweeper.stop();
    // Running operations park their jobs (back to `queued`) before the database closes: a handler
    // cut off by the close would leave its operation `running`, for the next start to call lost.
    const grace = this.deps.shutdownGraceMs ?? 10_000;
    this.worker.abortAll();
    await this.migrations.requote.stop();
    await this.queue.stop(grace);
    await sweeping;
    if (!(await this.worker.drain(grace))) {
      await this.engine.close(); // an engine that ignores the abort: kill its processes, then wait again
      await this.worker.drain(grace);
    }
    await this.engine.close();
    await this.bus.close();
    if (this.ownsDb) await this.db.close();
  }
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
    // Postgres, shared with other processes: their events and wake-ups arrive by LISTEN/NOTIFY.
    const url = config.database.kind === "postgres" && db.kind === "postgres" ? config.database.url : undefined;
    const queue = new OperationQueue(db, { ...(url ? { listenUrl: url } : {}), ...deps.queue });
    await queue.start();
    const engine = deps.engine ?? (await defaultEngine(config));
    const cp = new ControlPlaneImpl(config, db, queue, engine, deps, deps.db === undefined);
    if (url) await cp.listenForRemoteEvents(url);
    return cp;
  } catch (err) {
    if (deps.db === undefined) await db.close().catch(() => undefined);
    throw err;
  }
}

export type { DeploymentStatus };
