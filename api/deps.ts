/**
 * What the HTTP API is given from outside: the control plane facade, the price catalog, the
 * platform's footprint, the pre-flight planner (optional), a clock and the API's own settings. `createApp(deps)` never reads
 * the environment and never constructs any of these itself, so tests and the benchmark inject
 * real parts configured for them.
 */
import type { QuoteRunner } from "../platform/service/compute/quote-pool";
import type { AppConfig } from "../platform/service/config";
import type { ControlPlane, Role } from "../platform/service/types";
import type { PolicyViolation } from "../platform/core/errors";
import type { Catalog } from "../platform/core/pricing/types";
import type { Footprint } from "../platform/core/footprint";
import type { PlacementPolicy } from "../platform/core/optimizer/policy";
import type { DeploymentSpec } from "../programs/deployment/spec";
import type { RequestGovernance } from "../policy/governance";
import type { ResponseCheck } from "./response-check";

/** The placement policy of each environment, built from one policy pack config. */
export interface PlacementPolicies {
  /** Where the config came from (a file, or the policies' defaults). */
  readonly source: string;
  for(environment: string): PlacementPolicy;
}

/** The caller, as resolved from its API key. */
export interface Principal {
  keyId: string;
  tenant: string;
  role: Role;
  name: string;
  /** The bootstrap key (MODELPLANE_ADMIN_KEY): the only one that may give the platform-admin role. */
  bootstrap: boolean;
}

/**
 * The pre-flight plan (issue 5's offline plan + cost policy) as the API needs it: the policy
 * violations a spec would meet. A mandatory violation denies the request before any job is queued.
 */
export interface PreflightPlanner {
  check(spec: DeploymentSpec, context: PreflightContext): Promise<PolicyViolation[]>;
}

/** What the plan needs beyond the spec. */
export interface PreflightContext {
  /** Serverless placements are priced for these active hours per day. */
  activeHoursPerDay: number;
}

/** Settings of the API layer (a subset of AppConfig, so tests and benchmarks can build one inline). */
export interface ApiSettings {
  /** Per-key token bucket: sustained requests per minute, and the burst above it. */
  rateLimit: AppConfig["rateLimit"];
  /**
   * Per client address: requests with a missing, malformed, unknown or revoked key, per minute, and
   * the burst above it (default 60/min, burst 20). Above it such requests get 429 without a
   * database lookup; callers whose key is already known good are not affected.
   */
  badKeyRateLimit?: AppConfig["rateLimit"];
  /** Largest accepted request body, bytes (413 above). */
  maxBodyBytes: number;
  /** Platform stack every per-model stack references (`org/project/stack`); default `modelplane-platform/<environment>`. */
  platformStack?: string;
  /**
   * How long a resolved API key is trusted without asking the control plane again, ms (default
   * 5000). A key revoked through this process is dropped at once; other replicas see a revocation
   * within this window.
   */
  authCacheMs?: number;
  /**
   * How long the gateway's inference-key check trusts a looked-up key, ms (default 15000, at most
   * 30000): a key revoked on another replica stops working within it (the issue allows 60 s).
   */
  inferenceKeyCacheMs?: number;
  /** SSE keep-alive comment interval, ms (default 15000). */
  sseHeartbeatMs?: number;
  /** Export Node process metrics on /metrics (default false). */
  processMetrics?: boolean;
  /**
   * Check every 2xx JSON body against its endpoint's declared response schema; a mismatch is a 500
   * and a log line naming the endpoint and the field (default true; `serve` turns it off when
   * NODE_ENV=production).
   */
  checkResponses?: boolean;
}

export interface AppDeps {
  controlPlane: ControlPlane;
  catalog: Catalog;
  settings: ApiSettings;
  /** Absent when the planner capability is not installed: requests are then not pre-flighted. */
  planner?: PreflightPlanner;
  /**
   * Runs `POST /v1/quotes` off the event loop (a worker-thread pool with a bounded queue,
   * platform/service/compute/quote-pool.ts; `serve` always gives it). Absent: quotes run in process.
   */
  quotes?: QuoteRunner;
  /**
   * What the policy config says about request input (reserved tag keys, allowed image registries);
   * default: `requestGovernance()` of the default policy config.
   */
  governance?: RequestGovernance;
  /**
   * Where the platform runs (read at the edge from MODELPLANE_PLATFORM_CONFIG, ./Pulumi.dev.yaml or
   * MODELPLANE_PLATFORM_STACK; `serve` always gives it): quotes default to it, deployments always
   * place inside it, `/readyz` says its source. Absent (tests of other parts): anywhere.
   */
  footprint?: Footprint;
  /**
   * The cost policy quotes and deployments are placed under, per environment (the same pack config
   * the pre-flight checks with). Absent: placements are not shaped by policy.
   */
  policies?: PlacementPolicies;
  /** Now. Injected so rate limits and timestamps are testable. */
  clock?: () => Date;
  /** Where internal errors go (default: stderr). Their messages never reach the caller. */
  log?: (err: unknown) => void;
  /** Told about every response check (tests count them). */
  onResponseCheck?: (check: ResponseCheck) => void;
}
