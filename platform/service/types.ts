/**
 * The control plane's public contract: the one facade the HTTP API (and the CLI) calls.
 *
 * Everything here is plain data: the API serialises these objects as JSON as they are. The
 * implementation (`./controlplane.ts`, `createControlPlane`) persists to Postgres (PGlite embedded,
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
 */
import type { Footprint } from "../core/footprint";
import type { ModelArchitecture } from "../core/model-config";
import type { PlacementPolicy } from "../core/optimizer/policy";
import type { Placement } from "../core/placement";
import type { PlacementExclusion } from "../core/optimizer/exclusions";
import type { Precision } from "../core/types";
import type { DeploymentSpec } from "../../programs/deployment/spec";

export type { DeploymentSpec };

/** Every status a deployment can be in. */
export const DEPLOYMENT_STATUSES = [
  "queued",
  "previewing",
  "deploying",
  "ready",
  "failed",
  "destroying",
  "destroyed",
  "cancelled",
  /** The dry-run engine planned it offline; nothing was created. */
  "simulated",
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Statuses in which no operation is queued or running. */
export const SETTLED_STATUSES: ReadonlyArray<DeploymentStatus> = [
  "ready",
  "failed",
  "destroyed",
  "cancelled",
  "simulated",
];

/**
 * API key roles, highest first: `platform-admin` manages keys of every tenant (held by the bootstrap
 * key, and given only by a bootstrap key); `admin` manages its own tenant's keys; deployers
 * create/update/destroy; viewers read. See docs/security.md.
 */
export const ROLES = ["platform-admin", "admin", "deployer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** What a deployment operation does to the stack. */
/** `migrate`: a blue/green move to another placement (platform/service/worker/migration.ts). */
export const OPERATION_KINDS = ["create", "update", "destroy", "migrate"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** A safe-to-show error: `code` is stable (`engine_unavailable`, `policy_denied`, `engine_failed`, ...). */
export interface ErrorInfo {
  code: string;
  message: string;
}

/** One operation (job) on a deployment's stack; a deployment's history is its list of operations. */
export interface Operation {
  id: string;
  deploymentId: string;
  kind: OperationKind;
  status: OperationStatus;
  /** Engine attempts made so far (retries of transient failures such as a locked stack count). */
  attempts: number;
  error: ErrorInfo | null;
  /** Who asked for it: an API key id, or `system`. */
  actor: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Deployment {
  id: string;
  tenant: string;
  name: string;
  environment: string;
  /** The model's name (from the request), used for filtering and stack tags. */
  model: string;
  stackName: string;
  status: DeploymentStatus;
  placement: Placement;
  estimatedMonthlyUsd: number;
  spec: DeploymentSpec;
  /** Stack outputs after a successful `up` (endpoint URL, ...); null before. */
  outputs: Record<string, unknown> | null;
  /** Why the last operation failed or was cancelled; null otherwise. */
  error: ErrorInfo | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Operation history, oldest first. */
  operations: Operation[];
}

/** One persisted deployment event. `id` increases monotonically (use it as SSE `id:` / `Last-Event-ID`). */
export interface DeploymentEvent {
  id: number;
  deploymentId: string;
  operationId: string | null;
  /**
   * `status` (data: `{ status, error? }`), `engine` (data: a Pulumi engine event, trimmed),
   * `log` (data: `{ message }`), `summary` (data: `{ kind, result, changes? }`).
   */
  type: "status" | "engine" | "log" | "summary";
  at: string;
  data: Record<string, unknown>;
}

export interface ApiKey {
  id: string;
  /** The public, non-secret part of the key shown in listings (`mp_<prefix>_...`). */
  prefix: string;
  tenant: string;
  role: Role;
  name: string;
  createdAt: string;
  /** When the key last authenticated a request (updated at most once a minute); null if never. */
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** True for the bootstrap key (MODELPLANE_ADMIN_KEY, or the first generated one). */
  bootstrap: boolean;
}

/** What the caller fixes about a new deployment; the store adds its status, outputs and timestamps. */
export type NewDeploymentFields = Pick<
  Deployment,
  "tenant" | "name" | "environment" | "model" | "stackName" | "placement" | "estimatedMonthlyUsd" | "spec"
>;

export interface SubmitDeploymentInput extends NewDeploymentFields {
  /** The caller's API key id (audit). */
  actor: string;
}

export interface UpdateDeploymentInput {
  spec: DeploymentSpec;
  placement?: Placement;
  estimatedMonthlyUsd: number;
}

export interface ListDeploymentsOptions {
  status?: DeploymentStatus;
  model?: string;
  /** 1..200. */
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface EngineAvailability {
  available: boolean;
  /** Pulumi CLI version when found. */
  version?: string;
  /** Why the engine cannot run (shown by /readyz and recorded on failed jobs). */
  reason?: string;
}

export interface ControlPlaneHealth {
  database: { ok: boolean; error?: string };
  engine: EngineAvailability;
}

export interface OperationDurationStats {
  kind: OperationKind;
  status: OperationStatus;
  count: number;
  totalSeconds: number;
}

export interface ControlPlaneStats {
  /** Operations by status (every status present, 0 when none). */
  jobsByState: Record<OperationStatus, number>;
  /** Operations queued and not yet started. */
  queueDepth: number;
  /** Sum of `estimatedMonthlyUsd` of live (not destroyed/cancelled/failed-create) deployments, per tenant. */
  monthlySpendByTenant: Record<string, number>;
  /** Finished operations, aggregated by kind and final status. */
  operationDurations: OperationDurationStats[];
  /** The cost ledger's totals by (tenant, model, cloud), USD. */
  costTotals: CostTotal[];
}

/** Dimensions the cost ledger sums by (`GET /v1/costs?groupBy=`). */
export const COST_GROUP_BY = ["tenant", "costCenter", "model", "cloud"] as const;
export type CostGroupBy = (typeof COST_GROUP_BY)[number];

/** One group of accrued cost (see store/ledger.ts for which state costs what). */
export interface CostRow {
  /** The group's value (a tenant, cost center, model or cloud). */
  key: string;
  /** Accrued cost, USD. */
  usd: number;
  /** Deployment-hours summed. */
  hours: number;
  /** Catalog version the accrued hours were priced under. */
  catalogVersion: string;
}

export interface CostQuery {
  groupBy: CostGroupBy;
  /** Inclusive start (whole hours). */
  from: Date;
  /** Exclusive end. */
  to: Date;
  /** Only this tenant's rows; undefined = every tenant (platform-admin only). */
  tenant?: string;
}

/** Every accrued dollar of one (tenant, model, cloud), USD. */
export interface CostTotal {
  tenant: string;
  model: string;
  cloud: string;
  usd: number;
}

export type EventListener = (event: DeploymentEvent) => void;

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
  /** Capacity/quota failures still remembered at `now` (store/placement-failures.ts): quotes skip them. */
  placementExclusions?(now: Date): Promise<PlacementExclusion[]>;
  /** Start the workers (idempotent). The API calls it after listen(). */
  start(): Promise<void>;
  /** Stop workers (letting running operations be resumed by the next start), close the database. */
  close(): Promise<void>;
}

/** A model's attention shape and size, read from its Hugging Face config.json (platform/core/model-config.ts). */
export type { ModelArchitecture };

/** One immutable version of a registered model. */
export interface ModelVersion {
  version: string;
  /** Where the weights live: s3://, gs://, https://<account>.blob.core.windows.net/…, hf://org/repo. */
  artifactUri: string;
  precision: Precision;
  parametersBillions: number;
  /** `given` by the caller, or estimated from the `config` (formula in platform/core/model-config.ts). */
  parametersSource: "given" | "config";
  architecture: ModelArchitecture;
  createdAt: string;
}

/** A tenant's registered model with its versions, oldest first. */
export interface RegisteredModel {
  name: string;
  versions: ModelVersion[];
  createdAt: string;
  updatedAt: string;
}

/** What the control plane stores for `POST /v1/models` (already validated and derived). */
export interface RegisterModelInput {
  tenant: string;
  name: string;
  versions: Array<Omit<ModelVersion, "createdAt">>;
}

// ---- re-quote and migration (issue 15, item 3) ------------------------------------------------------

/** Why a sweep recommends moving a deployment. */
export const RECOMMENDATION_REASONS = ["price-change", "new-offer", "spot-drop"] as const;
export type RecommendationReason = (typeof RECOMMENDATION_REASONS)[number];

/**
 * A cheaper placement for a live deployment, found by a re-quote sweep. Money is USD per month,
 * both sides priced under `catalogVersion` (the catalog the sweep read).
 */
export interface Recommendation {
  id: string;
  deploymentId: string;
  tenant: string;
  reason: RecommendationReason;
  /** Where it runs now, repriced under `catalogVersion`. */
  current: { placement: Placement; monthlyUsd: number };
  /** The cheapest placement inside the footprint under `catalogVersion`. */
  proposed: { placement: Placement; monthlyUsd: number };
  savingMonthlyUsd: number;
  /** Saving as a percentage of the current (repriced) monthly cost. */
  savingPct: number;
  currency: "USD";
  catalogVersion: string;
  createdAt: string;
  /** The last sweep that found it still worth it. */
  sweptAt: string;
}

/** What one sweep did. */
export interface RequoteReport {
  catalogVersion: string;
  /** SHA-256 of the catalog file's bytes (or of the shipped catalog's). */
  catalogHash: string;
  /** Live deployments looked at. */
  swept: number;
  /** Deployments not re-quoted, and why (offer gone from the catalog, nothing feasible). */
  skipped: number;
  /** Recommendations this sweep made or refreshed. */
  recommended: number;
  /** Those standing after the sweep (of the scope swept), biggest saving first, at most 1,000. */
  recommendations: Recommendation[];
  durationMs: number;
}

/** Where `POST /v1/deployments/:id/migrate` moves a deployment. */
export type MigrationTarget =
  | { recommendationId: string }
  | { placement: { cloud: string; region: string; instanceType: string; capacity: string } };

/** The thresholds a recommendation must pass (both). */
export interface RequoteThresholds {
  /** Percent of the current monthly cost, e.g. 15. */
  minSavingPct: number;
  /** USD per month, e.g. 50. */
  minSavingUsd: number;
}

/** What `requestMigration` answers: the deployment (still on its old stack) and the migration asked for. */
export interface MigrationAccepted {
  deployment: Deployment;
  migration: {
    operationId: string;
    fromStack: string;
    toStack: string;
    placement: Placement;
    monthlyUsd: number;
    currency: "USD";
    catalogVersion: string;
    recommendationId: string | null;
  };
}

/** Where re-quote sweeps place and under which policy (given at the edge by `serve`). */
export interface RequoteContextInput {
  footprint?: Footprint;
  policy?: (environment: string) => PlacementPolicy | undefined;
}

/** The control plane's re-quote and migration methods (issue 15 item 3). */
export interface RequoteControl {
  /** Set the footprint and placement policy sweeps use (default: the platform config file's footprint). */
  configureRequote(context: RequoteContextInput): void;
  /** Run a sweep now (of one tenant's deployments when given) and return what it recommended. */
  requote(options: { tenant?: string }): Promise<RequoteReport>;
  /** Standing recommendations, biggest saving first (of one tenant when given). */
  listRecommendations(options: { tenant?: string; limit: number }): Promise<Recommendation[]>;
  /**
   * Queue a blue/green migration. NotFoundError for another tenant's deployment or recommendation;
   * ConflictError while another operation is in flight or when the deployment is not serving;
   * ValidationError naming the field for a bad target.
   */
  requestMigration(tenant: string, id: string, target: MigrationTarget, actor: string): Promise<MigrationAccepted>;
  /** Abort the in-flight migration (the old stack keeps serving). ConflictError when none is in flight. */
  abortMigration(tenant: string, id: string, actor: string): Promise<Deployment>;
}
