/**
 * The one place modelplane reads its environment. `loadConfig(process.env)` is called at the edge
 * (the `serve` command, the worker entry point) and the resulting `AppConfig` is passed inward;
 * nothing else reads `process.env`.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { parseOrThrow, ValidationError } from "../core/validation";

/**
 * How the service runs (MODELPLANE_ENV). Not a deployment's environment (`dev`, `staging`,
 * `production`: `ENVIRONMENTS` in platform/core/types.ts), which names stacks and keys policy limits.
 */
export const RUN_MODES = ["development", "production"] as const;
export type AppEnvironment = (typeof RUN_MODES)[number];

/**
 * What one `modelplane serve` process does (MODELPLANE_ROLE, `--role`): `all` (default) serves the
 * API and runs operations; `api` serves the API and only enqueues (scaled out behind a load
 * balancer); `worker` only runs queued operations (and answers /healthz, /readyz for its probes).
 * Processes of every role share one Postgres: the queue, the stack locks and LISTEN/NOTIFY events.
 */
export const SERVE_ROLES = ["all", "api", "worker"] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

/** What runs the stack operations (MODELPLANE_ENGINE). */
export const ENGINE_KINDS = ["automation", "dry-run"] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export interface AppConfig {
  /**
   * MODELPLANE_ENGINE: `automation` (default; Pulumi's Automation API, needs the CLI) or `dry-run`
   * (each operation is the offline plan; nothing is created; deployments end `simulated`).
   */
  engine: EngineKind;
  /** MODELPLANE_ROLE: `all` (default), `api` (serve and enqueue only) or `worker` (run operations only). */
  role: ServeRole;
  /** MODELPLANE_ENV: `development` (default) or `production`. */
  env: AppEnvironment;
  /** MODELPLANE_DATA_DIR, absolute (default `./.modelplane`). */
  dataDir: string;
  database:
    | { kind: "pglite"; /** `<dataDir>/db`, or undefined for in-memory (tests only). */ dataDir: string | undefined }
    | { kind: "postgres"; /** DATABASE_URL. */ url: string };
  /** Schema holding modelplane's tables (tests use a throwaway one). Default `modelplane`. */
  schema: string;
  /** MODELPLANE_WORKERS: operations run at once in this process (default 2). */
  workers: number;
  /** MODELPLANE_ADMIN_KEY: the first admin key, when set. */
  adminKey: string | undefined;
  /** PORT (default 8080) and HOST (default 127.0.0.1). */
  port: number;
  host: string;
  pulumi: {
    /** PULUMI_CONFIG_PASSPHRASE: secrets provider passphrase (required outside development). */
    passphrase: string | undefined;
    /**
     * MODELPLANE_SECRETS_PROVIDER: the per-model stacks' secrets provider, a KMS URL (`awskms://…`,
     * `gcpkms://…`, `azurekeyvault://…`, `hashivault://…`); absent: the passphrase (or Pulumi Cloud's).
     */
    secretsProvider: string | undefined;
    /** MODELPLANE_BACKEND_URL (default `file://<dataDir>/state`). */
    backendUrl: string;
    /** MODELPLANE_PULUMI_AUTO_INSTALL=1: let `PulumiCommand.install` fetch the CLI. */
    autoInstall: boolean;
    /** MODELPLANE_PLATFORM_STACK: the platform stack the per-model stacks reference. */
    platformStack: string | undefined;
    /**
     * MODELPLANE_KUBE_TOKEN_COMMAND: the command the per-model stacks' kubeconfigs exec as
     * `<command> kube-token eks|gke` in place of the AWS CLI / gke-gcloud-auth-plugin (the image sets
     * `modelplane`; providers/kube-token.ts). Unset: the platform's kubeconfig as it is.
     */
    kubeTokenCommand: string | undefined;
    /** `<dataDir>/pulumi-home`. */
    home: string;
    /** `<dataDir>/stacks`: one work dir per stack below it. */
    workRoot: string;
  };
  rateLimit: {
    /** MODELPLANE_RATE_LIMIT_PER_MINUTE: requests per key per minute (default 600). */
    perMinute: number;
    /** MODELPLANE_RATE_LIMIT_BURST: extra burst above the steady rate (default 100). */
    burst: number;
  };
  /** MODELPLANE_MAX_BODY_BYTES: largest accepted request body (default 1 MiB). */
  maxBodyBytes: number;
  /** MODELPLANE_BAD_KEY_RATE_LIMIT_PER_MINUTE: requests with bad keys per client address per minute (default 60, burst 20). */
  badKeyRateLimit: { perMinute: number; burst: number };
  /** Slow-client limits of the HTTP server (docs/security.md). */
  server: {
    /** MODELPLANE_HEADERS_TIMEOUT_MS: time to receive a request's headers (default 10 s; Node's is 60 s). */
    headersTimeoutMs: number;
    /** MODELPLANE_REQUEST_TIMEOUT_MS: time to receive a whole request (default 30 s; Node's is 300 s). Responses (event streams) are not limited. */
    requestTimeoutMs: number;
    /** MODELPLANE_MAX_CONNECTIONS: open connections at once; more are refused (default 1024). */
    maxConnections: number;
  };
  quotas: {
    /** MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT: live (not destroyed) deployments per tenant (default 100). */
    maxDeploymentsPerTenant: number;
  };
  /**
   * Where the platform's footprint is read: MODELPLANE_PLATFORM_CONFIG (a `Pulumi.<stack>.yaml`,
   * absolute), else MODELPLANE_PLATFORM_STACK's outputs when set, else `./Pulumi.dev.yaml` when it
   * exists; `none` when there is none (the server then refuses to start: nothing may be placed).
   */
  footprintSource:
    { kind: "config"; file: string; fromEnv: boolean } | { kind: "stack"; stack: string } | { kind: "none" };
  /**
   * MODELPLANE_POLICY_CONFIG: the policy pack config (`policy/config.example.json` shape), absolute.
   * Quotes leave out what it denies and the pre-flight checks with it; absent: every policy's defaults.
   */
  policyConfigFile: string | undefined;
  /** MODELPLANE_CATALOG: a price catalog file, absolute; absent: the shipped catalog. Every re-quote sweep re-reads it. */
  catalogFile: string | undefined;
  /** Re-quote sweeps (issue 15 item 3; platform/service/requote/). */
  requote: {
    /** MODELPLANE_REQUOTE_CRON: when scheduled sweeps run, a 5-field cron in UTC (default `0 * * * *`, hourly). */
    cron: string;
    /** MODELPLANE_REQUOTE_MIN_SAVING_PCT: a recommendation saves at least this percent (default 15). */
    minSavingPct: number;
    /** MODELPLANE_REQUOTE_MIN_SAVING_USD: and at least this many USD per month (default 50). */
    minSavingUsd: number;
    /** MODELPLANE_REQUOTE_CATALOG_POLL_SECONDS: how often the catalog file is checked for a change (default 60; 0 = never). */
    catalogPollSeconds: number;
  };
  /**
   * NODE_ENV other than `production`: the API checks every 2xx JSON body against its endpoint's
   * declared response schema (a mismatch is a 500 naming the endpoint and the field).
   */
  checkResponses: boolean;
}

/** The platform config the server reads when MODELPLANE_PLATFORM_CONFIG is not set, if it exists. */
export const DEFAULT_PLATFORM_CONFIG = "Pulumi.dev.yaml";

const boolFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const int = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const decimal = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

/** Five cron fields (minute hour day-of-month month day-of-week), as pg-boss schedules take them. */
const CRON = /^\s*(\S+\s+){4}\S+\s*$/;

const nonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const backendUrl = z
  .string()
  .optional()
  .refine(
    (v) => v === undefined || v === "" || /^(file|s3|gs|azblob):\/\//.test(v) || /^https:\/\//.test(v),
    "must be file://, s3://, gs://, azblob:// or an https:// Pulumi Cloud URL (e.g. https://api.pulumi.com)",
  );

const envSchema = z.object({
  MODELPLANE_ENV: z.enum(RUN_MODES).optional().default("development"),
  MODELPLANE_ENGINE: z
    .enum(ENGINE_KINDS, { message: `must be one of ${ENGINE_KINDS.join(", ")}` })
    .optional()
    .default("automation"),
  MODELPLANE_ROLE: z
    .enum(SERVE_ROLES, { message: `must be one of ${SERVE_ROLES.join(", ")}` })
    .optional()
    .default("all"),
  MODELPLANE_DATA_DIR: nonEmpty,
  DATABASE_URL: nonEmpty.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL"),
  MODELPLANE_DB_SCHEMA: nonEmpty.refine(
    (v) => v === undefined || /^[a-z_][a-z0-9_]{0,40}$/.test(v),
    "must be a lowercase SQL identifier",
  ),
  MODELPLANE_WORKERS: int(2, 1, 64),
  MODELPLANE_ADMIN_KEY: nonEmpty.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  PORT: int(8080, 0, 65535),
  HOST: nonEmpty,
  PULUMI_CONFIG_PASSPHRASE: z.string().optional(),
  MODELPLANE_BACKEND_URL: backendUrl,
  MODELPLANE_SECRETS_PROVIDER: nonEmpty.refine(
    (v) => v === undefined || /^(awskms|gcpkms|azurekeyvault|hashivault):\/\/\S+$/.test(v),
    "must be a KMS secrets-provider URL: awskms://, gcpkms://, azurekeyvault:// or hashivault://",
  ),
  MODELPLANE_PULUMI_AUTO_INSTALL: boolFlag,
  MODELPLANE_PLATFORM_STACK: nonEmpty,
  MODELPLANE_KUBE_TOKEN_COMMAND: nonEmpty.refine(
    (v) => v === undefined || /^\S+$/.test(v),
    "must be one command (a name on PATH or an absolute path) without arguments, e.g. modelplane",
  ),
  MODELPLANE_PLATFORM_CONFIG: nonEmpty,
  MODELPLANE_RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
  MODELPLANE_RATE_LIMIT_BURST: int(100, 0, 1_000_000),
  MODELPLANE_MAX_BODY_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  MODELPLANE_BAD_KEY_RATE_LIMIT_PER_MINUTE: int(60, 1, 1_000_000),
  MODELPLANE_HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
  MODELPLANE_REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  MODELPLANE_MAX_CONNECTIONS: int(1024, 1, 1_000_000),
  MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT: int(100, 1, 1_000_000),
  MODELPLANE_POLICY_CONFIG: nonEmpty,
  MODELPLANE_CATALOG: nonEmpty,
  MODELPLANE_REQUOTE_CRON: nonEmpty.refine(
    (v) => v === undefined || CRON.test(v),
    "must be a 5-field cron expression in UTC, e.g. `0 * * * *` (hourly)",
  ),
  MODELPLANE_REQUOTE_MIN_SAVING_PCT: decimal(15, 0, 100),
  MODELPLANE_REQUOTE_MIN_SAVING_USD: decimal(50, 0, 1_000_000),
  MODELPLANE_REQUOTE_CATALOG_POLL_SECONDS: int(60, 0, 86_400),
  NODE_ENV: z.string().optional(),
});

/**
 * Validate the environment and build the config. Bad values throw a ValidationError naming the
 * variable (`MODELPLANE_WORKERS: must be an integer from 1 to 64 (got "lots")`).
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AppConfig {
  const e = parseOrThrow(envSchema, env);
  if (e.MODELPLANE_ROLE !== "all" && !e.DATABASE_URL)
    throw new ValidationError(
      "MODELPLANE_ROLE",
      `"${e.MODELPLANE_ROLE}" needs DATABASE_URL: api and worker processes share one Postgres (the embedded PGlite belongs to a single process); set DATABASE_URL or use --role all`,
    );
  const dataDir = path.resolve(cwd, e.MODELPLANE_DATA_DIR ?? ".modelplane");
  const backend =
    e.MODELPLANE_BACKEND_URL && e.MODELPLANE_BACKEND_URL !== ""
      ? e.MODELPLANE_BACKEND_URL
      : `file://${path.join(dataDir, "state")}`;
  return {
    engine: e.MODELPLANE_ENGINE,
    role: e.MODELPLANE_ROLE,
    env: e.MODELPLANE_ENV,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "pglite", dataDir: path.join(dataDir, "db") },
    schema: e.MODELPLANE_DB_SCHEMA ?? "modelplane",
    workers: e.MODELPLANE_WORKERS,
    adminKey: e.MODELPLANE_ADMIN_KEY,
    port: e.PORT,
    host: e.HOST ?? "127.0.0.1",
    pulumi: {
      passphrase: e.PULUMI_CONFIG_PASSPHRASE,
      secretsProvider: e.MODELPLANE_SECRETS_PROVIDER,
      backendUrl: backend,
      autoInstall: e.MODELPLANE_PULUMI_AUTO_INSTALL,
      platformStack: e.MODELPLANE_PLATFORM_STACK,
      kubeTokenCommand: e.MODELPLANE_KUBE_TOKEN_COMMAND,
      home: path.join(dataDir, "pulumi-home"),
      workRoot: path.join(dataDir, "stacks"),
    },
    rateLimit: { perMinute: e.MODELPLANE_RATE_LIMIT_PER_MINUTE, burst: e.MODELPLANE_RATE_LIMIT_BURST },
    maxBodyBytes: e.MODELPLANE_MAX_BODY_BYTES,
    footprintSource: footprintSourceOf(e.MODELPLANE_PLATFORM_CONFIG, e.MODELPLANE_PLATFORM_STACK, cwd),
    badKeyRateLimit: {
      perMinute: e.MODELPLANE_BAD_KEY_RATE_LIMIT_PER_MINUTE,
      burst: Math.max(1, Math.ceil(e.MODELPLANE_BAD_KEY_RATE_LIMIT_PER_MINUTE / 3)),
    },
    server: {
      headersTimeoutMs: e.MODELPLANE_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: Math.max(e.MODELPLANE_REQUEST_TIMEOUT_MS, e.MODELPLANE_HEADERS_TIMEOUT_MS),
      maxConnections: e.MODELPLANE_MAX_CONNECTIONS,
    },
    quotas: { maxDeploymentsPerTenant: e.MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT },
    policyConfigFile: e.MODELPLANE_POLICY_CONFIG ? path.resolve(cwd, e.MODELPLANE_POLICY_CONFIG) : undefined,
    catalogFile: e.MODELPLANE_CATALOG ? path.resolve(cwd, e.MODELPLANE_CATALOG) : undefined,
    requote: {
      cron: e.MODELPLANE_REQUOTE_CRON?.trim() ?? "0 * * * *",
      minSavingPct: e.MODELPLANE_REQUOTE_MIN_SAVING_PCT,
      minSavingUsd: e.MODELPLANE_REQUOTE_MIN_SAVING_USD,
      catalogPollSeconds: e.MODELPLANE_REQUOTE_CATALOG_POLL_SECONDS,
    },
    checkResponses: e.NODE_ENV !== "production",
  };
}

function footprintSourceOf(
  configFile: string | undefined,
  stack: string | undefined,
  cwd: string,
): AppConfig["footprintSource"] {
  if (configFile !== undefined) return { kind: "config", file: path.resolve(cwd, configFile), fromEnv: true };
  const fallback = path.resolve(cwd, DEFAULT_PLATFORM_CONFIG);
  if (stack === undefined && existsSync(fallback)) return { kind: "config", file: fallback, fromEnv: false };
  return stack !== undefined ? { kind: "stack", stack } : { kind: "none" };
}

/**
 * A config for tests: in-memory PGlite (or the given Postgres URL), a throwaway schema, a temp
 * data dir. Not read from the environment.
 */
export function testConfig(overrides: Partial<AppConfig> & { dataDir: string }): AppConfig {
  const base = loadConfig({ MODELPLANE_DATA_DIR: overrides.dataDir }, "/");
  return { ...base, database: { kind: "pglite", dataDir: undefined }, ...overrides };
}
