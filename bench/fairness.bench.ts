/**
 * Bounded work per request (issue 11): one tenant sends the heaviest quotes the schema allows, as
 * fast as its rate limit lets it (the default 600/min with its burst), while another tenant reads
 * (`GET /v1/deployments`). Reported: the reader's p50/p99, with quotes computed on the event loop
 * and with the quote pool (worker thread, bounded queue; what `serve` runs). Then the same with a
 * deployer sending deployments at its rate limit, each pre-flighted by the offline plan (recorded in
 * the plan worker; its checks, pricing and policy on the event loop). Target: the reader's p99 ≤ 50 ms. The server runs in this process on 127.0.0.1 (embedded PGlite);
 * autocannon drives both tenants from worker threads.
 */
import autocannon from "autocannon";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createQuotePool, type QuoteRunner } from "../platform/service/compute/quote-pool";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { createPlanner, type OfflinePlanner } from "../api/planner";
import { controlPlaneFixture, makeKey, serve } from "../api/testing/harness";
import type { Figure, Section } from "./report";

export const name = "fairness";

const DURATION_S = 10;
const TARGET_P99_MS = 50;
/** The heaviest quote found on the shipped catalog: a workload mix over the whole catalog (~250 ms of CPU). */
const HEAVY_QUOTE = {
  model: { name: "tiny", parametersBillions: 1, precision: "bf16", contextTokens: 8192 },
  constraints: { scope: "anywhere" },
  workload: {
    requestsPerSecond: 20_000,
    inputTokens: 1000,
    outputTokens: 300,
    ttftP95Ms: 5000,
    tpotP95Ms: 200,
    allowMix: true,
  },
};

const DEPLOY_BODY = JSON.stringify({
  model: { name: "fair-[<id>]", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
});

function fire(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** What the heavy tenant sends: the heaviest quote, or deployments that each need a pre-flight plan. */
type Heavy = "quotes" | "plans";

async function scenario(label: string, pooled: boolean, heavyKind: Heavy = "quotes"): Promise<Figure[]> {
  // Enough deployment quota for every deployment the deployer can send in the run.
  const config = { quotas: { maxDeploymentsPerTenant: 100_000 } };
  const fx = await controlPlaneFixture({ engine: new TestEngine() }, "pglite", { startWorkers: false, config });
  const quotes: QuoteRunner | undefined = pooled
    ? createQuotePool({ catalog: fx.catalog, footprint: fx.footprint })
    : undefined;
  const planner: OfflinePlanner | undefined =
    heavyKind === "plans" ? createPlanner({ catalog: fx.catalog, footprint: fx.footprint }) : undefined;
  await planner?.warm();
  // The production default rate limit (MODELPLANE_RATE_LIMIT_PER_MINUTE=600, burst 100).
  const settings = {
    rateLimit: { perMinute: 600, burst: 100 },
    badKeyRateLimit: { perMinute: 600, burst: 100 },
    maxBodyBytes: 1024 * 1024,
  };
  const api = await serve({
    controlPlane: fx.controlPlane,
    catalog: fx.catalog,
    footprint: fx.footprint,
    settings,
    ...(quotes ? { quotes } : {}),
    ...(planner ? { planner } : {}),
  });
  try {
    const heavyKey = (await makeKey(api.base, fx.adminKey, "heavy", heavyKind === "plans" ? "deployer" : "viewer"))
      .secret;
    const lightKey = (await makeKey(api.base, fx.adminKey, "light", "viewer")).secret;
    // How long the server's event loop was held (what every caller waits behind), besides CPU contention.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const [heavy, light] = await Promise.all([
      fire({
        url: `${api.base}/v1/${heavyKind === "plans" ? "deployments" : "quotes"}`,
        method: "POST",
        headers: { authorization: `Bearer ${heavyKey}`, "content-type": "application/json" },
        // Each deployment a distinct model (one stack per model and environment), so each is planned.
        body: heavyKind === "plans" ? DEPLOY_BODY : JSON.stringify(HEAVY_QUOTE),
        idReplacement: heavyKind === "plans",
        connections: 4,
        overallRate: 10, // its steady rate limit; the burst is spent first
        duration: DURATION_S,
        workers: 1,
      }),
      fire({
        url: `${api.base}/v1/deployments`,
        headers: { authorization: `Bearer ${lightKey}` },
        connections: 2,
        overallRate: 8,
        duration: DURATION_S,
        workers: 1,
      }),
    ]);
    loop.disable();
    const loopP99 = loop.percentile(99) / 1e6;
    const loopMax = loop.max / 1e6;
    const line =
      `${label}: reader GET p50 ${light.latency.p50} ms, p99 ${light.latency.p99} ms, max ${light.latency.max} ms ` +
      `(${light["2xx"]} 2xx, ${light.non2xx} non-2xx, ${light.timeouts} timeouts); event-loop delay p99 ${loopP99.toFixed(0)} ms, max ${loopMax.toFixed(0)} ms; heavy quoter ${heavy["2xx"]} 2xx, ${heavy.non2xx} non-2xx ` +
      `(429 rate-limited or 503 busy), ${heavyKind === "plans" ? "deployment" : "quote"} p50 ${heavy.latency.p50} ms\n`;
    process.stdout.write(line);
    process.stdout.write(
      `  target: reader p99 ≤ ${TARGET_P99_MS} ms ${light.latency.p99 <= TARGET_P99_MS ? "met" : "MISSED"}\n`,
    );
    return [
      {
        label: `${label}: the other tenant's GET`,
        value: `p50 ${light.latency.p50} ms, p99 ${light.latency.p99} ms (${light["2xx"]} answered in ${DURATION_S} s)`,
      },
      {
        label: `${label}: the server's event-loop delay`,
        value: `p99 ${loopP99.toFixed(0)} ms, max ${loopMax.toFixed(0)} ms`,
      },
      {
        label: `${label}: the heavy ${heavyKind === "plans" ? "deployer" : "quoter"}`,
        value: `${heavy["2xx"]} ${heavyKind === "plans" ? "deployments accepted" : "quotes answered"}, ${heavy.non2xx} refused (429/503), p50 ${heavy.latency.p50} ms`,
      },
    ];
  } finally {
    await api.close();
    await quotes?.close();
    await planner?.close();
    await fx.close();
  }
}

export async function run(): Promise<Section[]> {
  const load = loadavg()[0]!.toFixed(1);
  const figures = [
    ...(await scenario("quotes on the event loop", false)),
    ...(await scenario("quotes in the quote pool (serve)", true)),
    ...(await scenario("deployments with pre-flight plans (serve)", true, "plans")),
  ];
  return [
    {
      title: "",
      figures,
      note: `One tenant sends the heaviest allowed quote (workload mix over the whole catalog), or distinct 8B deployments each pre-flighted by the offline plan, at its rate limit (600/min, burst 100) on 4 connections; another reads GET /v1/deployments at 8/s; ${DURATION_S} s each; load average ${load} at the start. Target: the reader's p99 ≤ ${TARGET_P99_MS} ms.`,
    },
  ];
}
