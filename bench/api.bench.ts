/**
 * API throughput over loopback with autocannon: quotes/s and deployments accepted/s, p50/p99.
 * The server runs in this process on 127.0.0.1 in front of the real control plane (in-memory
 * PGlite — the embedded default — then the local Postgres when reachable; the default engine,
 * workers running); autocannon drives it from worker threads so the
 * load generator does not share the server's event loop. Every accepted deployment is then
 * counted in the store.
 * Targets on 2 cores: quotes ≥ 3,000/s with p99 < 20 ms; deployments accepted ≥ 500/s.
 */
import autocannon from "autocannon";
import { cpus, loadavg } from "node:os";
import { Pool } from "pg";
import type { ControlPlane } from "../platform/service/types";
import { buildSpec, choosePlacement, CreateDeploymentBody } from "../api/deployment-request";
import { inlineRequest } from "../api/model-ref";
import { createPlanner } from "../api/planner";
import { controlPlaneFixture, makeKey, serve } from "../api/testing/harness";
import { TEST_DATABASE_URL, type TestBackend } from "../platform/service/store/testing/test-db";
import type { Figure, Section } from "./report";

export const name = "api";

const DURATION_S = 5;
const CONNECTIONS = 16;
const MODEL = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

function fire(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function figure(label: string, r: autocannon.Result): Figure {
  const rate = r["2xx"] / (r.duration || DURATION_S);
  return {
    label,
    value: `${rate.toFixed(0)}/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (${r.non2xx} non-2xx, ${r.errors} errors)`,
  };
}

function line(label: string, r: autocannon.Result): string {
  const ok = r["2xx"];
  const rate = ok / (r.duration || DURATION_S);
  return (
    `${label}: ${rate.toFixed(0)}/s (${ok} in ${r.duration.toFixed(1)} s, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts), ` +
    `latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, ${r.connections} connections`
  );
}

async function countDeployments(cp: ControlPlane, tenant: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await cp.listDeployments(tenant, { limit: 200, ...(cursor ? { cursor } : {}) });
    n += page.items.length;
    if (!page.nextCursor) return n;
    cursor = page.nextCursor;
  }
}

const TITLES: Record<TestBackend, string> = {
  pglite: "control plane on embedded PGlite (the default)",
  postgres: "control plane on Postgres (TEST_DATABASE_URL)",
};

async function runOn(backend: TestBackend): Promise<Section> {
  // Every accepted deployment stays live: the per-tenant quota is lifted for the measurement.
  const fx = await controlPlaneFixture({}, backend, { config: { quotas: { maxDeploymentsPerTenant: 1_000_000 } } });
  // The benchmark measures the API, not the per-key limit (which is tested elsewhere).
  const settings = { rateLimit: { perMinute: 100_000_000, burst: 1_000_000 }, maxBodyBytes: 1024 * 1024 };
  const api = await serve({ controlPlane: fx.controlPlane, catalog: fx.catalog, footprint: fx.footprint, settings });
  // As the image runs it (NODE_ENV=production): 2xx bodies are not checked against their schema.
  const production = await serve({
    controlPlane: fx.controlPlane,
    catalog: fx.catalog,
    footprint: fx.footprint,
    settings: { ...settings, checkResponses: false },
  });
  // The same API with the real pre-flight planner (offline plan + every cost policy at its default level).
  const planner = createPlanner({ catalog: fx.catalog, footprint: fx.footprint });
  const planned = await serve({
    controlPlane: fx.controlPlane,
    catalog: fx.catalog,
    footprint: fx.footprint,
    settings,
    planner,
  });
  try {
    const deployer = (await makeKey(api.base, fx.adminKey, "bench", "deployer")).secret;
    const headers = { authorization: `Bearer ${deployer}`, "content-type": "application/json" };
    const workers = Math.max(1, Math.min(2, cpus().length - 1));
    const load = loadavg()[0]!.toFixed(1);
    process.stdout.write(
      `-- ${TITLES[backend]}; cpus: ${cpus().length}, autocannon worker threads: ${workers}, ${DURATION_S} s per run, load average ${load}\n`,
    );
    const figures: Figure[] = [];

    // Warm up (JIT, catalog index, key cache, plan worker).
    await fire({
      url: `${api.base}/v1/quotes`,
      method: "POST",
      headers,
      body: JSON.stringify({ model: MODEL }),
      connections: 4,
      amount: 500,
    });
    await planner.warm();

    const fireQuotes = (base: string) =>
      fire({
        url: `${base}/v1/quotes`,
        method: "POST",
        headers,
        body: JSON.stringify({ model: MODEL }),
        connections: CONNECTIONS,
        duration: DURATION_S,
        workers,
      });
    const quotes = await fireQuotes(api.base);
    process.stdout.write(line("quotes (POST /v1/quotes → 200)", quotes) + "\n");
    figures.push(figure("quotes (`POST /v1/quotes` → 200)", quotes));
    const prodQuotes = await fireQuotes(production.base);
    process.stdout.write(line("quotes, production mode (no response schema check)", prodQuotes) + "\n");
    figures.push(figure("quotes, production mode (`NODE_ENV=production`: no response schema check)", prodQuotes));

    // A spec to queue behind the in-flight plans at the end (see below).
    const sample = inlineRequest(CreateDeploymentBody.parse({ model: { ...MODEL, name: "bench-barrier" } }));
    const spec = buildSpec(sample, choosePlacement(sample, fx.catalog, new Date()).placement, {
      tenant: "bench",
      keyName: "bench",
      deploymentId: "bench-barrier",
      platformStack: "modelplane-platform/dev",
    });

    // Every request deploys a distinct model (one stack per tenant, model and environment).
    const deployBody = JSON.stringify({ model: { ...MODEL, name: "bench-[<id>]" } });
    let accepted = 0;
    const rates: number[] = [];
    for (const [label, target, docLabel] of [
      [
        "deployments (POST /v1/deployments → 202)",
        api,
        "deployments accepted (`POST /v1/deployments` → 202, no pre-flight)",
      ],
      ["deployments with the pre-flight plan", planned, "deployments accepted with the pre-flight plan"],
    ] as const) {
      const r = await fire({
        url: `${target.base}/v1/deployments`,
        method: "POST",
        headers,
        body: deployBody,
        idReplacement: true,
        connections: CONNECTIONS,
        duration: DURATION_S,
        workers,
      });
      process.stdout.write(line(label, r) + "\n");
      figures.push(figure(docLabel, r));
      accepted += r["2xx"];
      rates.push(r["2xx"] / r.duration);
    }

    // Requests in flight when autocannon stops are still served (and persisted) but not counted.
    // The plan worker is first-in first-out, so one more plan finishes after every queued one;
    // then wait until the count stops moving.
    await planner.check(spec, { activeHoursPerDay: 24 }).catch(() => undefined);
    let stored = await countDeployments(fx.controlPlane, "bench");
    for (let settled = 0; settled < 3;) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await countDeployments(fx.controlPlane, "bench");
      settled = now === stored ? settled + 1 : 0;
      stored = now;
    }
    const inFlight = stored - accepted;
    const ok = stored >= accepted && inFlight <= 2 * CONNECTIONS * workers;
    process.stdout.write(
      `persisted: ${stored} deployments in the store for ${accepted} accepted ` +
        `(+${inFlight} in flight at the cut-offs): ${ok ? "every accepted deployment persisted" : "MISMATCH"}\n`,
    );
    const quoteRate = quotes["2xx"] / quotes.duration;
    const prodRate = prodQuotes["2xx"] / prodQuotes.duration;
    process.stdout.write(
      `targets: quotes ≥ 3000/s ${quoteRate >= 3000 ? "met" : "MISSED"} (production mode ${prodRate >= 3000 ? "met" : "MISSED"}), quote p99 < 20 ms ${quotes.latency.p99 < 20 ? "met" : "MISSED"}, ` +
        `deployments ≥ 500/s ${(rates[0] ?? 0) >= 500 ? "met" : "MISSED"}\n`,
    );
    figures.push({
      label: "persisted",
      value: ok
        ? `every accepted deployment (${stored} stored for ${accepted} accepted)`
        : `MISMATCH: ${stored} stored for ${accepted} accepted`,
    });
    if (!ok) process.exitCode = 1;
    return {
      title: TITLES[backend],
      figures,
      note: `Server in-process on 127.0.0.1, workers running; autocannon from ${workers} worker thread(s), ${CONNECTIONS} connections, ${DURATION_S} s per run; load average ${load} at the start. Targets on 2 cores: quotes ≥ 3,000/s with p99 < 20 ms; deployments accepted ≥ 500/s. The runs check every 2xx body against its schema, as development does; the production-mode quotes run does not, as the image does.`,
    };
  } finally {
    await api.close();
    await production.close();
    await planned.close();
    await planner.close();
    await fx.close();
  }
}

async function postgresReachable(url: string): Promise<boolean> {
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 1000 });
  try {
    await pool.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

export async function run(): Promise<Section[]> {
  const sections = [await runOn("pglite")];
  const why = !TEST_DATABASE_URL
    ? "TEST_DATABASE_URL is not set"
    : (await postgresReachable(TEST_DATABASE_URL))
      ? undefined
      : `${TEST_DATABASE_URL} is not reachable`;
  if (why === undefined) sections.push(await runOn("postgres"));
  else {
    process.stdout.write(`-- Postgres: not measured (${why})\n`);
    sections.push({ title: TITLES.postgres, figures: [], note: `Not measured in this run: ${why}.` });
  }
  return sections;
}
