/**
 * Re-quote sweep (issue 15, item 3, Performance): 10,000 live (simulated) deployments of 5 models
 * over 20 tenants, the offer they run on tripled in MODELPLANE_CATALOG, then one sweep through the
 * control plane (`POST /v1/admin/requote`'s path) while a concurrent caller (in its own thread, as
 * a client is) sends `GET /v1/deployments?limit=20` over real HTTP; the same caller with no sweep
 * running first, for what the machine gives at rest. Targets: the sweep under 10 s, the caller's p99
 * under 50 ms while it runs. On PGlite, and on Postgres when TEST_DATABASE_URL is set.
 * REQUOTE_BENCH_DEPLOYMENTS shrinks it.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { Section } from "./report";
import { DEFAULT_CATALOG_PATH } from "../platform/core/pricing/catalog";
import type { Catalog } from "../platform/core/pricing/types";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import type { Db } from "../platform/service/store/db";
import { L4_SPOT_PLACED, testSpec } from "../platform/service/store/testing/spec";
import { TEST_DATABASE_URL, type TestBackend } from "../platform/service/store/testing/test-db";
import { controlPlaneFixture, DEFAULT_TEST_SETTINGS, serve } from "../api/testing/harness";

export const name = "requote";

const DEPLOYMENTS = Number(process.env["REQUOTE_BENCH_DEPLOYMENTS"] ?? 10_000);
const TENANTS = 20;

const PLACED = L4_SPOT_PLACED;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function tripled(): Catalog {
  const c = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, "utf8")) as Catalog;
  c.version = `${c.version}-bench`;
  const o = c.gpuOffers.find(
    (x) => x.cloud === "gcp" && x.region === "us-central1" && x.instanceType === "g2-standard-4",
  );
  if (!o || o.spotHourlyUsd === null)
    throw new Error("the shipped catalog no longer sells gcp us-central1 g2-standard-4 spot");
  o.spotHourlyUsd *= 3;
  o.onDemandHourlyUsd = Math.max(o.onDemandHourlyUsd, o.spotHourlyUsd * 1.5);
  return c;
}

/**
 * The caller runs in its own thread, as a real client is outside the server's process: it measures
 * the server's answer, not the bench's own event loop. `count` calls, or back to back until told to stop.
 */
const CALLER = `
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");
let stop = false;
parentPort.on("message", () => { stop = true; });
(async () => {
  const latencies = [];
  const failures = [];
  while (!stop && (workerData.count === undefined || latencies.length < workerData.count)) {
    const s = performance.now();
    try {
      const r = await fetch(workerData.url, { headers: { authorization: workerData.auth } });
      await r.arrayBuffer();
      if (r.status !== 200) failures.push("HTTP " + r.status);
    } catch (err) {
      failures.push(String((err && err.cause) || err));
    }
    latencies.push(performance.now() - s);
  }
  parentPort.postMessage({ latencies, failures });
})();
`;

interface CallerResult {
  latencies: number[];
  failures: string[];
}

function startCaller(
  url: string,
  auth: string,
  count?: number,
): { done: Promise<CallerResult>; stop(): Promise<CallerResult> } {
  const worker = new Worker(CALLER, { eval: true, workerData: { url, auth, count } });
  const done = new Promise<CallerResult>((resolve, reject) => {
    worker.once("message", (m: CallerResult) => resolve(m));
    worker.once("error", reject);
  }).finally(() => void worker.terminate());
  return {
    done,
    stop() {
      worker.postMessage("stop");
      return done;
    },
  };
}

const callFor = (url: string, auth: string, count: number): Promise<CallerResult> => startCaller(url, auth, count).done;

async function seed(db: Db): Promise<void> {
  const specs = [7, 8, 9, 13, 14].map((b, i) =>
    JSON.stringify(
      testSpec(`bench-${i}`, {
        placement: PLACED,
        model: {
          name: `bench-model-${b}b`,
          version: "v1",
          parametersBillions: b,
          precision: "fp8",
          contextTokens: 4096,
        },
      }),
    ),
  );
  for (let i = 0; i < DEPLOYMENTS; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, DEPLOYMENTS - i) }, () => randomUUID());
    await db.query(
      `INSERT INTO deployments (id, tenant, name, environment, model, stack_name, status, placement,
         estimated_monthly_usd, spec, created_by)
       SELECT id::uuid, CASE WHEN n % ${TENANTS} = 0 THEN 'default' ELSE 'tenant-' || (n % ${TENANTS}) END,
         'svc-' || n, 'dev', 'bench-model', 'stack-' || id, 'simulated', $2::jsonb, ${PLACED.monthlyUsd},
         ($3::jsonb[])[1 + (n % 5)], 'bench'
       FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n)`,
      [ids, JSON.stringify(PLACED), specs],
    );
  }
  await db.query("ANALYZE deployments");
}

async function runOn(backend: TestBackend): Promise<Section> {
  const title = `${backend}: one sweep over ${DEPLOYMENTS} live deployments (5 models, ${TENANTS} tenants)`;
  const dir = mkdtempSync(join(tmpdir(), "modelplane-requote-bench-"));
  const catalogFile = join(dir, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify(tripled()));
  const fx = await controlPlaneFixture({ engine: new TestEngine(), requoteSchedule: false }, backend, {
    startWorkers: false,
    config: {
      catalogFile,
      footprintSource: { kind: "config", file: join(__dirname, "..", "Pulumi.dev.yaml"), fromEnv: true },
    },
  });
  const api = await serve({ controlPlane: fx.controlPlane, catalog: fx.catalog, settings: DEFAULT_TEST_SETTINGS });
  try {
    const db = (fx.controlPlane as unknown as { db: Db }).db;
    const seedStart = performance.now();
    await seed(db);
    process.stdout.write(
      `-- ${backend}: seeded ${DEPLOYMENTS} deployments in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );
    fx.controlPlane.configureRequote({ footprint: fx.footprint });

    const url = `${api.base}/v1/deployments?limit=20`;
    const auth = `Bearer ${fx.adminKey}`;
    // The same caller with no sweep running: what this machine gives the API at rest.
    await callFor(url, auth, 20); // warm-up
    const idle = await callFor(url, auth, 200);
    idle.latencies.sort((a, b) => a - b);

    // The concurrent caller: GET /v1/deployments?limit=20 back to back while the sweep runs.
    const caller = startCaller(url, auth);
    const s = performance.now();
    const report = await fx.controlPlane.requote({});
    const sweepMs = performance.now() - s;
    const { latencies, failures } = await caller.stop();
    // A second sweep over the same rows (every recommendation already stands: updates, no inserts).
    const s2 = performance.now();
    await fx.controlPlane.requote({});
    const again = performance.now() - s2;
    latencies.sort((a, b) => a - b);
    if (failures.length > 0)
      process.stdout.write(`caller failures: ${failures.length} (${failures.slice(0, 3).join("; ")})\n`);
    const figures = [
      { label: "sweep (first: inserts every recommendation)", value: `${(sweepMs / 1000).toFixed(2)} s` },
      { label: "sweep (again: refreshes them)", value: `${(again / 1000).toFixed(2)} s` },
      {
        label: "recommendations",
        value: `${report.recommended} of ${report.swept} swept (${report.skipped} skipped)`,
      },
      {
        label: "GET /v1/deployments?limit=20 with no sweep running (this machine at rest)",
        value: `p50 ${percentile(idle.latencies, 50).toFixed(1)} ms, p99 ${percentile(idle.latencies, 99).toFixed(1)} ms (${idle.latencies.length} calls, ${idle.failures.length} failed)`,
      },
      {
        label: "concurrent GET /v1/deployments?limit=20 during the first sweep",
        value: `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} calls, ${failures.length} failed)`,
      },
    ];
    for (const f of figures) process.stdout.write(`${f.label}: ${f.value}\n`);
    return { title, figures, note: "Targets: sweep < 10 s; concurrent API p99 < 50 ms." };
  } finally {
    await api.close();
    await fx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Section[]> {
  const sections = [await runOn("pglite")];
  if (!TEST_DATABASE_URL) {
    sections.push({
      title: `postgres: one sweep over ${DEPLOYMENTS} live deployments`,
      figures: [],
      note: "Not measured in this run: TEST_DATABASE_URL is not set.",
    });
  } else {
    sections.push(await runOn("postgres"));
  }
  return sections;
}
