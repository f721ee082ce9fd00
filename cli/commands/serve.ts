/**
 * `modelplane serve` (= `npm start`): the control plane and the HTTP API in one process, on
 * embedded defaults (PGlite in ./.modelplane; DATABASE_URL for Postgres). Prints how to call it:
 * the dev admin key (generated on first start, printed once), a curl for a quote and one for a
 * deployment. SIGINT/SIGTERM stop it gracefully: stop accepting, end streams, let workers park
 * their jobs for the next start, close the database.
 */
import { mkdirSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import type { Server } from "node:http";
import { createApp } from "../../api/app";
import { requestGovernance } from "../../policy/governance";
import { createPlanner } from "../../api/planner";
import { createQuotePool } from "../../platform/service/compute/quote-pool";
import { createApiServer } from "../../api/server";
import { loadConfig, SERVE_ROLES, type AppConfig, type ServeRole } from "../../platform/service/config";
import { createControlPlane } from "../../platform/service/controlplane/controlplane";
import { ValidationError } from "../../platform/core/validation";
import { describeFootprint, type Footprint } from "../../platform/core/footprint";
import type { Catalog } from "../../platform/core/pricing/types";
import type { Command } from "../main";
import { serverPricing } from "./platform-inputs";
import { runWorker } from "./serve-worker";
import { listen, shutdown } from "./serve-http";

const HELP = `usage: modelplane serve [--role all|api|worker] [--port N] [--host H] [--dry-run] [--policy-config FILE] [--catalog FILE]

Start the modelplane API and its deployment workers. --dry-run (or MODELPLANE_ENGINE=dry-run) runs
every operation as the offline plan: nothing is created and deployments end \`simulated\`.
--role (or MODELPLANE_ROLE): \`all\` (default) serves the API and runs operations; \`api\` serves the
API and only enqueues; \`worker\` only runs queued operations and answers /healthz and /readyz on
the port. \`api\` and \`worker\` need DATABASE_URL: every process shares one Postgres (queue,
stack locks, events through LISTEN/NOTIFY).

Environment (all optional):
  PORT, HOST                      listen address (default 127.0.0.1:8080)
  MODELPLANE_ROLE                 all (default), api or worker (--role)
  MODELPLANE_ENGINE               automation (default: Pulumi, needs its CLI) or dry-run
  MODELPLANE_DATA_DIR             data directory (default ./.modelplane: PGlite database, stack state)
  DATABASE_URL                    use this Postgres instead of the embedded PGlite
  MODELPLANE_ADMIN_KEY            the bootstrap platform-admin key (otherwise generated on first start and
                                  printed once); changing it revokes the previous one
  MODELPLANE_WORKERS              deployment operations run at once (default 2)
  MODELPLANE_RATE_LIMIT_PER_MINUTE, MODELPLANE_RATE_LIMIT_BURST   per-key rate limit (default 600/min, burst 100)
  MODELPLANE_MAX_BODY_BYTES       largest request body (default 1 MiB)
  MODELPLANE_PLATFORM_CONFIG      the platform's Pulumi.<stack>.yaml: where deployments may be placed
                                  (default ./Pulumi.dev.yaml when it exists)
  MODELPLANE_PLATFORM_STACK       platform stack the model stacks reference; without a platform
                                  config, the footprint is read from its outputs (needs the Pulumi CLI)
  MODELPLANE_BAD_KEY_RATE_LIMIT_PER_MINUTE   requests with bad keys per client address (default 60)
  MODELPLANE_HEADERS_TIMEOUT_MS, MODELPLANE_REQUEST_TIMEOUT_MS   slow-client limits (default 10 s, 30 s)
  MODELPLANE_MAX_CONNECTIONS      open connections at once (default 1024)
  MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT   live deployments per tenant (default 100)
  MODELPLANE_POLICY_CONFIG        policy pack config (--policy-config): quotes leave out what it denies,
                                  the pre-flight checks with it (default: every policy's defaults)
  MODELPLANE_CATALOG              price catalog file (--catalog; default: the shipped catalog); re-quote
                                  sweeps re-read it, and sweep when its content changes
  MODELPLANE_REQUOTE_CRON         when re-quote sweeps run, cron in UTC (default \`0 * * * *\`, hourly)
  MODELPLANE_REQUOTE_MIN_SAVING_PCT, MODELPLANE_REQUOTE_MIN_SAVING_USD   a recommendation saves at least
                                  both (default 15 % and $50/month)
  MODELPLANE_REQUOTE_CATALOG_POLL_SECONDS   how often the catalog file is checked for a change (default 60)
  PULUMI_CONFIG_PASSPHRASE        secrets passphrase (required outside development)
`;

interface ServeArgs {
  role?: ServeRole;
  port?: number;
  host?: string;
  policyConfig?: string;
  catalog?: string;
  help: boolean;
  dryRun: boolean;
}

export function parseArgs(argv: string[]): ServeArgs {
  const out: ServeArgs = { help: false, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") out.help = true;
    else if (arg === "--dry-run") out.dryRun = true;
    else if (arg === "--role") {
      const r = argv[++i];
      const role = SERVE_ROLES.find((x) => x === r);
      if (!role) throw new ValidationError("--role", `must be one of ${SERVE_ROLES.join(", ")}`);
      out.role = role;
    } else if (arg === "--port") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new ValidationError("--port", "must be an integer from 0 to 65535");
      out.port = n;
    } else if (arg === "--host") {
      const h = argv[++i];
      if (!h) throw new ValidationError("--host", "needs a value, e.g. 0.0.0.0");
      out.host = h;
    } else if (arg === "--policy-config" || arg === "--catalog") {
      const f = argv[++i];
      if (!f) throw new ValidationError(arg, "needs a file path");
      if (arg === "--catalog") out.catalog = f;
      else out.policyConfig = f;
    } else {
      throw new ValidationError(String(arg), "unknown option; see `modelplane serve --help`");
    }
  }
  return out;
}

/** Where the footprint came from, in words (banner, errors). */
export function footprintSourceText(fp: Footprint): string {
  return fp.source.kind === "config" ? `platform config ${fp.source.file}` : `platform stack ${fp.source.stack}`;
}

/**
 * The platform's footprint, read at startup from the configured source. An unreadable or invalid
 * source is a startup error naming it; no source at all is one too (nothing could be placed).
 */
export async function loadFootprint(config: AppConfig, catalog: Catalog): Promise<Footprint> {
  const source = config.footprintSource;
  if (source.kind === "none") {
    throw new ValidationError(
      "MODELPLANE_PLATFORM_CONFIG",
      "no platform footprint: set it to the platform's Pulumi.<stack>.yaml (or run where ./Pulumi.dev.yaml is), or set MODELPLANE_PLATFORM_STACK to a platform stack that `pulumi up` built",
    );
  }
  const { footprintFromConfigFile, footprintFromStack } = await import("../../programs/platform/footprint");
  if (source.kind === "config") {
    try {
      return footprintFromConfigFile(source.file, catalog);
    } catch (err) {
      if (err instanceof ValidationError) {
        const field = source.fromEnv ? "MODELPLANE_PLATFORM_CONFIG" : err.field;
        throw new ValidationError(field, `${source.file}: ${err.message}`);
      }
      throw err;
    }
  }
  const { automationStackReader } = await import("../../platform/service/engine/automation/platform-stack");
  const { settingsFromConfig } = await import("../../platform/service/engine/automation/settings");
  try {
    return await footprintFromStack(automationStackReader(settingsFromConfig(config, [])), source.stack);
  } catch (err) {
    throw new ValidationError(
      "MODELPLANE_PLATFORM_STACK",
      `cannot read the footprint from stack ${source.stack}: ${err instanceof Error ? err.message.slice(0, 400) : String(err)}`,
    );
  }
}

const EXAMPLE_MODEL = { name: "llama-3.1-8b-instruct", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

function banner(
  base: string,
  adminKey: { secret: string | null; generated: boolean },
  config: AppConfig,
  engine: { available: boolean; version?: string; reason?: string },
  footprint: Footprint,
  pricing: { catalogSource: string; policySource: string },
): string {
  const lines: string[] = [];
  lines.push(`modelplane API listening on ${base}`);
  if (config.role === "api")
    lines.push("  role: api (enqueues only; `modelplane serve --role worker` processes on the same database run them)");
  lines.push(`  catalog: ${pricing.catalogSource}`);
  lines.push(`  policy: ${pricing.policySource} (quotes leave out what it denies; the pre-flight checks with it)`);
  lines.push(
    `  database: ${config.database.kind === "pglite" ? `PGlite in ${config.database.dataDir ?? "memory"}` : "Postgres (DATABASE_URL)"}`,
  );
  lines.push(`  footprint: ${describeFootprint(footprint)} (from ${footprintSourceText(footprint)})`);
  if (config.engine === "dry-run") {
    lines.push(
      "  engine: DRY RUN — every operation is the offline plan (priced, policy-checked); nothing is created;",
      "    deployments end `simulated`, never `ready`",
    );
  } else {
    lines.push(
      engine.available
        ? `  Pulumi CLI: ${engine.version ?? "found"}`
        : `  Pulumi CLI: NOT AVAILABLE — ${engine.reason ?? "unknown reason"}\n    (requests are still validated, planned and persisted; their jobs fail with this reason; /readyz answers 503)\n    To see every step without creating anything: npm start -- --dry-run (or MODELPLANE_ENGINE=dry-run)`,
    );
  }
  lines.push("");
  if (adminKey.generated && adminKey.secret) {
    lines.push("Development admin key (generated now, shown ONCE, stored only hashed):");
    lines.push(`  export MODELPLANE_KEY=${adminKey.secret}`);
  } else if (adminKey.secret) {
    lines.push("Admin key: the one in MODELPLANE_ADMIN_KEY");
    lines.push('  export MODELPLANE_KEY="$MODELPLANE_ADMIN_KEY"');
  } else {
    lines.push("Admin key: generated on the first start and printed then (it is stored only hashed).");
    lines.push(
      `  Lost it? Set MODELPLANE_ADMIN_KEY (16+ characters) and restart, or remove ${config.dataDir} to start over.`,
    );
  }
  lines.push("");
  lines.push("Quote a model (cheapest placements across clouds):");
  lines.push(
    `  curl -s ${base}/v1/quotes -H "Authorization: Bearer $MODELPLANE_KEY" -H 'Content-Type: application/json' \\`,
  );
  lines.push(`    -d '${JSON.stringify({ model: EXAMPLE_MODEL })}'`);
  lines.push("");
  lines.push("Deploy it (202 at once; the Pulumi operation runs on a worker):");
  lines.push(
    `  curl -si ${base}/v1/deployments -H "Authorization: Bearer $MODELPLANE_KEY" -H 'Content-Type: application/json' \\`,
  );
  lines.push(
    `    -H "Idempotency-Key: $(uuidgen 2>/dev/null || date +%s)" -d '${JSON.stringify({ model: EXAMPLE_MODEL, environment: "dev" })}'`,
  );
  lines.push("");
  lines.push(`Follow it: curl -N ${base}/v1/deployments/<id>/events -H "Authorization: Bearer $MODELPLANE_KEY"`);
  lines.push("");
  lines.push("Call the model (through the cluster's gateway, OpenAI-compatible): create an inference key, once:");
  lines.push(
    `  export MODELPLANE_INFERENCE_KEY=$(curl -s ${base}/v1/inference-keys -H "Authorization: Bearer $MODELPLANE_KEY" -H 'Content-Type: application/json' -d '{"name":"my-app"}' | sed -E 's/.*"secret":"([^"]+)".*/\\1/')`,
  );
  lines.push(
    `  then GET ${base}/v1/deployments/<id>: its \`endpoint\` has the https URL and a ready-to-paste curl of /chat/completions`,
  );
  lines.push(
    `  (or {url: null, reason} when there is none: no gateway, not ready, or a dry run); docs/calling-models.md`,
  );
  lines.push(`API document: ${base}/openapi.json   metrics: ${base}/metrics   readiness: ${base}/readyz`);
  return lines.join("\n");
}

export const command: Command = {
  summary: "start the HTTP API and deployment workers (embedded PGlite in ./.modelplane by default)",
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    // Listen for SIGINT/SIGTERM from the start: a signal during startup stops right after it.
    const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGINT", () => resolve("SIGINT"));
      process.once("SIGTERM", () => resolve("SIGTERM"));
    });
    const loaded = loadConfig(args.role ? { ...process.env, MODELPLANE_ROLE: args.role } : process.env);
    const config: AppConfig = {
      ...loaded,
      ...(args.dryRun ? { engine: "dry-run" as const } : {}),
      // --catalog is the catalog re-quote sweeps re-read too.
      ...(args.catalog ? { catalogFile: resolvePath(args.catalog) } : {}),
    };
    if (config.role === "worker") {
      process.umask(0o077);
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      return runWorker(config, { port: args.port ?? config.port, host: args.host ?? config.host }, stopSignal);
    }
    const pricing = serverPricing(args, config);
    const { catalog } = pricing;
    // The data directory (PGlite database, stack work dirs, file backend) is ours to create.
    // Everything this process writes (database, Pulumi state, stack work dirs) is private to its
    // user: the database holds key hashes and audit rows, the state holds stack secrets.
    process.umask(0o077);
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    // Where deployments may be placed, read while the database opens; an unreadable source stops
    // the start here, naming it.
    // Reserved tag keys, image registries and each tenant's monthly spend limit come from the same
    // policy config the pre-flight uses.
    const governance = requestGovernance(pricing.policyConfig);
    const [fp, cp] = await Promise.allSettled([
      loadFootprint(config, catalog),
      createControlPlane(config, { monthlySpendLimitUsd: governance.monthlySpendLimitUsd }),
    ]);
    if (fp.status === "rejected") {
      if (cp.status === "fulfilled") await cp.value.close().catch(() => undefined);
      throw fp.reason;
    }
    if (cp.status === "rejected") throw cp.reason;
    const footprint = fp.value;
    const controlPlane = cp.value;
    // Capacity/quota failures re-place deployments inside the same footprint, under the same policy.
    controlPlane.configureFailover({ catalog, footprint, policyFor: (env) => pricing.policies.for(env) });
    let server: Server | undefined;
    let closeQuotes: () => Promise<void> = async () => undefined;
    try {
      const adminKey = await controlPlane.ensureAdminKey(config.adminKey);
      // Re-quote sweeps place where deployments do: the same footprint and placement policy.
      controlPlane.configureRequote({ footprint, policy: (env) => pricing.policies.for(env) });
      const planner = createPlanner({
        catalog,
        footprint,
        ...(pricing.policyConfig !== undefined ? { policyConfig: pricing.policyConfig } : {}),
      });
      // Quotes run in a worker thread with a bounded queue: a large one cannot hold up other callers.
      const quotes = createQuotePool({ catalog, footprint });
      closeQuotes = () => quotes.close();
      const app = createApp({
        controlPlane,
        catalog,
        footprint,
        quotes,
        settings: {
          rateLimit: config.rateLimit,
          badKeyRateLimit: config.badKeyRateLimit,
          maxBodyBytes: config.maxBodyBytes,
          ...(config.pulumi.platformStack ? { platformStack: config.pulumi.platformStack } : {}),
          processMetrics: true,
          checkResponses: config.checkResponses,
        },
        planner,
        policies: pricing.policies,
        governance,
      });
      server = createApiServer(app, config.server);
      const address = await listen(server, args.port ?? config.port, args.host ?? config.host);
      await controlPlane.start();
      const health = await controlPlane.health();
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      process.stdout.write(
        banner(`http://${shownHost}:${address.port}`, adminKey, config, health.engine, footprint, {
          catalogSource: pricing.catalogSource,
          policySource: pricing.policies.source,
        }) + "\n",
      );
      // The plan worker (and the cloud SDKs it loads) starts with the first plan, not here: an idle
      // server holds none of it (issue 11, memory); the first deployment request pays for the start.
      // Exception: with `--dry-run` a process that runs operations plans every one of them, so
      // `controlPlane.start()` warmed it before taking a job (Engine.warm, #14).

      const signal = await stopSignal;
      process.stdout.write(`\n${signal}: shutting down (stop accepting, end event streams, park running jobs)...\n`);
      await shutdown(server);
      server = undefined;
      await planner.close();
      await closeQuotes();
      await controlPlane.close();
      process.stdout.write("stopped.\n");
      return 0;
    } catch (err) {
      if (server) await shutdown(server).catch(() => undefined);
      await closeQuotes().catch(() => undefined);
      await controlPlane.close().catch(() => undefined);
      throw err;
    }
  },
};
