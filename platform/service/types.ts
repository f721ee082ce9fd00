/**
 * The control plane's public contract: the one facade the HTTP API (and the CLI) calls.
 *
 * Everything here is plain data: the API serialises these objects as JSON as they are. The
 * implementation (`./controlplane/controlplane.ts`, `createControlPlane`) persists to Postgres (PGlite embedded,
 * or a real server via DATABASE_URL), queues work on pg-boss, and drives an `Engine`.
 *
 * Errors thrown by the facade: `NotFoundError` (missing, or another tenant's), `ConflictError`
 * (an operation is already in flight, an idempotency key reused with a different request, a
 * transition that the current status does not allow), `EngineUnavailableError` is NEVER thrown by
 * submit/update/destroy (requests are accepted and persisted; their job fails fast with the reason),
 * and `ValidationError` (from platform/core/validation.ts) for bad input, naming the field.
 *
 * `DeploymentSpec` is the one spec type: `z.output` of `DeploymentSpecSchema`
 * (programs/deployment/spec.ts). The control plane re-validates it on submit and update; the
 * engine's child process validates it again at its process boundary before anything is created.
 *
 * The contract's data types live in ./contract/ (deployments, keys, health and costs, models,
 * re-quote), one noun per file, and are re-exported here: import them from this module.
 */
import type { PlacementExclusion } from "../core/optimizer/exclusions";
import type {
  Deployment,
  DeploymentEvent,
  EventListener,
  ListDeploymentsOptions,
  Page,
  SubmitDeploymentInput,
  UpdateDeploymentInput,
} from "./contract/deployment";
import type { ControlPlaneHealth, ControlPlaneStats, CostQuery, CostRow, OpenHourRow } from "./contract/health";
import type { ApiKey, CreateInferenceKeyInput, InferenceKey, Role } from "./contract/keys";
import type { RegisteredModel, RegisterModelInput } from "./contract/models";
import type { RequoteControl } from "./contract/requote";

export * from "./contract/deployment";
export * from "./contract/keys";
export * from "./contract/health";
export * from "./contract/models";
export * from "./contract/requote";

export interface ControlPlane extends RequoteControl {
  /**
   * Persist a deployment and its `create` job (one transaction); returns at once with status
   * `queued`. With an idempotency key, a repeated request returns the first deployment
   * (`created: false`); the same key with a different request → ConflictError.
   * A stack name already used by a live deployment of the tenant → ConflictError.
   */
  submitDeployment(
    input: SubmitDeploymentInput,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }>;
  /** NotFoundError when absent or another tenant's. */
  getDeployment(tenant: string, id: string): Promise<Deployment>;
  /** Newest first. Items carry no operation history (`operations: []`); get one for that. */
  listDeployments(tenant: string, options: ListDeploymentsOptions): Promise<Page<Deployment>>;
  /** Queue an `update` job. ConflictError while another operation is queued/running or when destroyed. */
  requestUpdate(tenant: string, id: string, input: UpdateDeploymentInput, actor: string): Promise<Deployment>;
  /** Queue a `destroy` job (destroy, then remove the stack). ConflictError while another operation is in flight. */
  requestDestroy(tenant: string, id: string, actor: string): Promise<Deployment>;
  /**
   * Remove a deployment that never reached the engine's deploy or destroy phase, with its rows in
   * every dependent table; its stack name is free afterwards. ConflictError naming why otherwise.
   */
  purgeDeployment(tenant: string, id: string, actor: string): Promise<void>;
  /** Cancel the queued or running operation. ConflictError when nothing is in flight. */
  cancel(tenant: string, id: string, actor: string): Promise<Deployment>;
  /** Persisted events with id > afterId, oldest first (NotFoundError for another tenant's deployment). */
  listEvents(tenant: string, id: string, afterId: number, limit: number): Promise<DeploymentEvent[]>;
  /** Live events of one deployment as they are persisted. Returns the unsubscribe function. */
  subscribe(deploymentId: string, listener: EventListener): () => void;

  createApiKey(
    input: { tenant: string; role: Role; name: string },
    actor: string,
  ): Promise<{ key: ApiKey; secret: string }>;
  /**
   * Revoke a key. With `tenant`, only a key of that tenant (another tenant's key is a NotFoundError,
   * as is an absent one); without it (platform-admin), any key.
   */
  revokeApiKey(id: string, actor: string, tenant?: string): Promise<ApiKey>;
  /** Keys (never their secrets), newest first; of one tenant, or of all when `tenant` is undefined. */
  listApiKeys(options: { tenant?: string; limit: number }): Promise<ApiKey[]>;
  /** The key for a presented secret, or null (unknown or revoked). */
  authenticate(secret: string): Promise<ApiKey | null>;
  /**
   * Make sure an admin key exists. With `configuredKey` (MODELPLANE_ADMIN_KEY) that key is stored
   * (hashed) for tenant `default` → `{ secret: configuredKey, generated: false }`. Without one, when
   * no admin key exists yet, one is generated → `{ secret, generated: true }` (print it once);
   * when one exists → `{ secret: null, generated: false }`.
   */
  ensureAdminKey(configuredKey?: string): Promise<{ secret: string | null; generated: boolean }>;

  /** Issue an inference key (`mpi_…`); the secret is returned once and stored hashed. */
  createInferenceKey(input: CreateInferenceKeyInput, actor: string): Promise<{ key: InferenceKey; secret: string }>;
  /** Inference keys newest first, of one tenant or (undefined) of all; never their secrets. */
  listInferenceKeys(options: { tenant?: string; limit: number }): Promise<InferenceKey[]>;
  /** Revoke an inference key; with `tenant`, only that tenant's (otherwise NotFoundError). */
  revokeInferenceKey(id: string, actor: string, tenant?: string): Promise<InferenceKey>;
  /** The live inference key for a presented secret, or null (unknown, revoked, malformed). */
  authenticateInferenceKey(secret: string): Promise<InferenceKey | null>;

  /**
   * Register a model of a tenant, or add versions to it. Versions are immutable: a version already
   * stored → ConflictError naming it (nothing of the request is stored). Returns the whole entry.
   */
  registerModel(input: RegisterModelInput, actor: string): Promise<RegisteredModel>;
  /** The tenant's models, by name, with their versions. */
  listModels(tenant: string, options: { limit: number }): Promise<RegisteredModel[]>;
  /** One model of the tenant; NotFoundError when absent (or another tenant's). */
  getModel(tenant: string, name: string): Promise<RegisteredModel>;

  health(): Promise<ControlPlaneHealth>;
  stats(): Promise<ControlPlaneStats>;
  /**
   * Append the cost ledger's whole hours before `now` not yet accrued, priced as placed and tagged
   * with `catalogVersion`; returns the rows written (store/ledger.ts).
   */
  accrueCosts(now: Date, catalogVersion: string): Promise<number>;
  /** Sum the ledger by one dimension over [from, to). */
  costs(query: CostQuery): Promise<CostRow[]>;
  /** The hour under way at `now`, by one dimension (not in the ledger until it ends; nothing is written). */
  openHourCosts(now: Date, groupBy: CostQuery["groupBy"], tenant?: string): Promise<OpenHourRow[]>;
  /** Capacity/quota failures still remembered at `now` (store/placement-failures.ts): quotes skip them. */
  placementExclusions?(now: Date): Promise<PlacementExclusion[]>;
  /** Start the workers (idempotent). The API calls it after listen(). */
  start(): Promise<void>;
  /** Stop workers (letting running operations be resumed by the next start), close the database. */
  close(): Promise<void>;
}
