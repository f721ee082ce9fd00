/**
 * Scale-out on one Postgres (TEST_DATABASE_URL): 2 API processes (`serve --role api`) and 2 worker
 * processes (`serve --role worker`), real child processes with the dry-run engine, take N
 * deployments (MODELPLANE_SCALE_OUT, default 10; `MODELPLANE_SCALE_OUT=1000` for the full run) and
 * destroy them. 10 holds every property below (more deployments than the workers' 4 operation
 * slots, replays in both directions at i = 0 and 5, streams followed on both API processes); each
 * deployment costs two offline plans (pre-flight, operation), so `npm test` keeps N small. Asserts: no duplicate
 * deployment or operation (idempotent replays sent to the other API process, destroys sent to
 * both), at most one operation per stack at a time (operation intervals of a stack never overlap),
 * every operation claimed once, and SSE events produced by the worker processes delivered live by
 * the other API process (LISTEN/NOTIFY).
 * MODELPLANE_SCALE_OUT_BASELINE=1 also runs the same N through one `serve --role all` process.
 * Both print their throughput (docs/control-plane.md records a run).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { Pool } from "pg";
import {
  dropPostgresSchemas,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  testSchemaName,
} from "../../platform/service/store/testing/test-db";
import { REPO_ROOT, startServe, type ServeProcess } from "./testing/serve-process";

const N = Number(process.env["MODELPLANE_SCALE_OUT"] ?? "10");
const BASELINE = process.env["MODELPLANE_SCALE_OUT_BASELINE"] === "1";
const ADMIN_KEY = "mp-scale-out-admin-key-0123456789";
const TERMINAL = new Set(["simulated", "ready", "failed", "cancelled"]);

function envFor(schema: string, dataDir: string): Record<string, string> {
  return {
    DATABASE_URL: TEST_DATABASE_URL ?? "",
    MODELPLANE_DB_SCHEMA: schema,
    MODELPLANE_DATA_DIR: dataDir,
    MODELPLANE_ADMIN_KEY: ADMIN_KEY,
    MODELPLANE_PLATFORM_CONFIG: path.join(REPO_ROOT, "Pulumi.dev.yaml"),
    MODELPLANE_WORKERS: "2",
    MODELPLANE_RATE_LIMIT_PER_MINUTE: "1000000",
    MODELPLANE_RATE_LIMIT_BURST: "100000",
    MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT: String(N + 10),
    MODELPLANE_MAX_CONNECTIONS: "4096",
    NODE_ENV: "test",
  };
}

async function call(base: string, method: string, p: string, key: string, body?: unknown, headers = {}) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Run `fn` over 0..n-1 with at most `width` in flight. */
async function pooled(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function request(i: number) {
  return {
    model: { name: `scale-${i}`, parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
    environment: "dev",
  };
}

/** Follow a deployment's SSE stream; resolves with the statuses seen once `until` arrives. */
function follow(base: string, key: string, id: string, until: string) {
  const controller = new AbortController();
  let firstFrame: () => void = () => undefined;
  const opened = new Promise<void>((r) => (firstFrame = r));
  const done = (async () => {
    const res = await fetch(`${base}/v1/deployments/${id}/events`, {
      headers: { authorization: `Bearer ${key}` },
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no body");
    const statuses: string[] = [];
    let buf = "";
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) throw new Error(`stream ended before ${until}: ${statuses.join(",")}`);
      buf += Buffer.from(value).toString("utf8");
      let cut: number;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const data = frame.split("\n").find((l) => l.startsWith("data:"));
        if (!data) continue;
        const e = JSON.parse(data.slice(5)) as { type: string; data: { status?: string } };
        if (e.type === "status" && e.data.status) statuses.push(e.data.status);
        firstFrame();
        if (e.data.status === until) {
          controller.abort();
          return statuses;
        }
      }
    }
  })();
  return { opened, done };
}

async function waitAll(db: Pool, schema: string, statuses: string[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.deployments WHERE status = ANY($1)`, [
      statuses,
    ]);
    if (Number(r.rows[0]?.n) >= N) return;
    if (Date.now() > until) throw new Error(`only ${r.rows[0]?.n}/${N} deployments reached ${statuses.join("|")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const rate = (n: number, ms: number) => `${((n * 1000) / ms).toFixed(1)}/s (${n} in ${(ms / 1000).toFixed(1)} s)`;

describe(`scale-out: 2 API + 2 worker processes on one Postgres take ${N} deployments`, function () {
  this.timeout(Math.max(300_000, N * 2_000));
  const schema = testSchemaName();
  const dir = mkdtempSync(path.join(tmpdir(), "mp-scale-"));
  const procs: ServeProcess[] = [];
  let db: Pool;

  before(function () {
    skipWithoutPostgres(this, "scale-out");
    db = new Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await db?.end();
    if (TEST_DATABASE_URL) {
      await dropPostgresSchemas(schema);
      await dropPostgresSchemas(`${schema}_one`);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("no duplicates, one operation per stack at a time, SSE across processes", async () => {
    const env = (name: string) => envFor(schema, path.join(dir, name));
    // The first process migrates; the others start on the migrated schema.
    const a = await startServe("api", env("api-a"));
    procs.push(a);
    const b = await startServe("api", env("api-b"));
    procs.push(b);
    const apis = [a, b];
    const made = await call(a.base, "POST", "/v1/api-keys", ADMIN_KEY, {
      tenant: "scale",
      role: "deployer",
      name: "scale",
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const key = String(made.body["secret"]);

    // Accept N deployments through both API processes; every 5th is replayed (same
    // Idempotency-Key, same body) on the OTHER process at the same time.
    const ids: string[] = new Array<string>(N);
    const t0 = Date.now();
    await pooled(N, 16, async (i) => {
      const headers = { "idempotency-key": `${schema}-${i}` };
      const first = call(apis[i % 2]!.base, "POST", "/v1/deployments", key, request(i), headers);
      const replay =
        i % 5 === 0 ? call(apis[(i + 1) % 2]!.base, "POST", "/v1/deployments", key, request(i), headers) : undefined;
      const [r1, r2] = await Promise.all([first, replay]);
      assert.ok([201, 202].includes(r1.status), JSON.stringify(r1.body));
      ids[i] = String(r1.body["id"]);
      if (r2) {
        assert.ok([200, 201, 202].includes(r2.status), JSON.stringify(r2.body));
        assert.equal(r2.body["id"], r1.body["id"], "an idempotent replay on the other process is the same deployment");
      }
    });
    const acceptMs = Date.now() - t0;

    // Follow a sample on the API process that did NOT accept it, before any worker runs: every
    // later event is written by a worker process and can only arrive through LISTEN/NOTIFY.
    const sample = ids.slice(0, Math.min(N, 20));
    const streams = sample.map((id, i) => follow(apis[(i + 1) % 2]!.base, key, id, "simulated"));
    await Promise.all(streams.map((s) => s.opened));

    // API-only processes enqueue and run nothing.
    const queued = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.deployments WHERE status = 'queued'`,
    );
    assert.equal(Number(queued.rows[0]?.n), N, "API processes run no operation");

    const t1 = Date.now();
    for (const name of ["worker-1", "worker-2"]) procs.push(await startServe("worker", env(name)));
    await waitAll(db, schema, [...TERMINAL], Math.max(240_000, N * 1_500));
    const runMs = Date.now() - t1;
    const seen = await Promise.all(streams.map((s) => s.done));
    for (const statuses of seen) assert.deepEqual(statuses, ["queued", "previewing", "deploying", "simulated"]);

    // Destroy all, each DELETE sent to both API processes at once: one destroy operation each.
    await pooled(N, 16, async (i) => {
      const rs = await Promise.all(apis.map((api) => call(api.base, "DELETE", `/v1/deployments/${ids[i]}`, key)));
      assert.ok(
        rs.some((r) => r.status === 202),
        JSON.stringify(rs.map((r) => r.status)),
      );
      for (const r of rs) assert.ok([202, 409].includes(r.status), JSON.stringify(r.body));
    });
    await waitAll(db, schema, ["destroyed"], Math.max(120_000, N * 500));

    const s = schema;
    // The workers' busy span: first create started to last create finished (process start excluded).
    const span = await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM max(finished_at) - min(started_at)) * 1000 AS ms FROM ${s}.operations WHERE kind = 'create'`,
    );
    const busyMs = Number(span.rows[0]?.ms);
    const deployments = await db.query<{ n: string; stacks: string }>(
      `SELECT count(*) AS n, count(DISTINCT stack_name) AS stacks FROM ${s}.deployments`,
    );
    assert.equal(Number(deployments.rows[0]?.n), N, "no duplicate deployments");
    assert.equal(Number(deployments.rows[0]?.stacks), N, "one stack per deployment");
    const ops = await db.query<{ stack: string; kind: string; status: string; attempts: number; s: Date; f: Date }>(
      `SELECT d.stack_name AS stack, o.kind, o.status, o.attempts, o.started_at AS s, o.finished_at AS f
         FROM ${s}.operations o JOIN ${s}.deployments d ON d.id = o.deployment_id ORDER BY d.stack_name, o.started_at`,
    );
    assert.equal(ops.rows.length, 2 * N, "one create and one destroy per deployment, no duplicate");
    const byStack = new Map<string, typeof ops.rows>();
    for (const o of ops.rows) byStack.set(o.stack, [...(byStack.get(o.stack) ?? []), o]);
    for (const [stack, list] of byStack) {
      assert.deepEqual(
        list.map((o) => `${o.kind}:${o.status}:${o.attempts}`),
        ["create:succeeded:1", "destroy:succeeded:1"],
        stack,
      );
      for (let k = 1; k < list.length; k++)
        assert.ok(list[k - 1]!.f <= list[k]!.s, `${stack}: operations overlap (at most one at a time)`);
    }
    const terminal = await db.query<{ n: string; d: string }>(
      `SELECT count(*) FILTER (WHERE data->>'status' = 'simulated') AS n,
              count(DISTINCT deployment_id) FILTER (WHERE data->>'status' = 'simulated') AS d
         FROM ${s}.events WHERE type = 'status'`,
    );
    assert.equal(Number(terminal.rows[0]?.n), N, "each deployment reached simulated once");
    assert.equal(Number(terminal.rows[0]?.d), N);
    process.stdout.write(
      `    scale-out (2 api + 2 worker processes, N=${N}, load ${loadavg()[0]?.toFixed(1)}): accepted ${rate(N, acceptMs)}, run ${rate(N, runMs)} from the workers' start, ${rate(N, busyMs)} first to last operation\n`,
    );
  });

  it("baseline: one `serve --role all` process takes the same N (MODELPLANE_SCALE_OUT_BASELINE=1)", async function () {
    if (!BASELINE) this.skip();
    const one = await startServe("all", envFor(`${schema}_one`, path.join(dir, "one")));
    procs.push(one);
    const made = await call(one.base, "POST", "/v1/api-keys", ADMIN_KEY, {
      tenant: "scale",
      role: "deployer",
      name: "scale-one",
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const key = String(made.body["secret"]);
    const t0 = Date.now();
    await pooled(N, 16, async (i) => {
      const r = await call(one.base, "POST", "/v1/deployments", key, request(i));
      assert.ok([201, 202].includes(r.status), JSON.stringify(r.body));
    });
    const acceptMs = Date.now() - t0;
    await waitAll(db, `${schema}_one`, [...TERMINAL], Math.max(240_000, N * 3_000));
    const totalMs = Date.now() - t0;
    const span = await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM max(finished_at) - min(started_at)) * 1000 AS ms FROM ${schema}_one.operations WHERE kind = 'create'`,
    );
    const busyMs = Number(span.rows[0]?.ms);
    process.stdout.write(
      `    one process (--role all, N=${N}, load ${loadavg()[0]?.toFixed(1)}): accepted ${rate(N, acceptMs)}, all simulated ${rate(N, totalMs)} from the first request, ${rate(N, busyMs)} first to last operation\n`,
    );
  });
});
