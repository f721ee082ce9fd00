import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { testConfig } from "../config";
import { createControlPlane } from "../controlplane/controlplane";
import type { Deployment } from "../types";
import { TestEngine } from "../engine/testing/test-engine";
import { openPglite, openPostgres, type Db } from "../store/db";
import {
  dropPostgresSchemas,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  testDatabaseUrl,
  testSchemaName,
  type TestBackend,
} from "../store/testing/test-db";
import { testSpec } from "../store/testing/spec";

/** Run the fixture, wait until its first operation is running, then kill -9 it. */
async function runAndKill(backend: TestBackend, schema: string, dataDir: string, count: number): Promise<string[]> {
  const child = fork(path.join(__dirname, "testing/worker-process.ts"), [backend, schema, dataDir, String(count)], {
    execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString("utf8");
  });
  const ids = await new Promise<string[]>((resolve, reject) => {
    child.on("message", (raw: unknown) => {
      const m = raw as { type: string; ids?: string[]; message?: string };
      if (m.type === "running" && m.ids) resolve(m.ids);
      else reject(new Error(`worker process failed: ${m.message ?? ""}`));
    });
    child.on("exit", (code) => reject(new Error(`worker process exited early (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
  return ids;
}

async function waitSettled(get: () => Promise<Deployment>, timeoutMs = 20_000): Promise<Deployment> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await get();
    if (["ready", "failed", "cancelled", "destroyed"].includes(d.status)) return d;
    if (Date.now() > until) throw new Error(`deployment still ${d.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const backend of ["postgres", "pglite"] as const) {
  describe(`crash recovery on ${backend}: kill -9 mid-operation, restart, every job finishes`, function () {
    this.timeout(60_000);
    const schema = testSchemaName();
    const dir = mkdtempSync(path.join(tmpdir(), "mp-recovery-"));
    const pgliteDir = path.join(dir, "db");

    before(function () {
      if (backend === "postgres") skipWithoutPostgres(this, `crash recovery on ${backend}`);
    });
    after(async function () {
      if (backend === "postgres" && TEST_DATABASE_URL) await dropPostgresSchemas(schema);
      rmSync(dir, { recursive: true, force: true });
    });

    it("resumes the interrupted operation and runs the queued one", async function () {
      const ids = await runAndKill(backend, schema, backend === "pglite" ? pgliteDir : "", 2);
      assert.equal(ids.length, 2);

      const db: Db =
        backend === "postgres" ? await openPostgres(testDatabaseUrl(), schema, 4) : await openPglite(pgliteDir, schema);
      const engine = new TestEngine();
      const cp = await createControlPlane(testConfig({ dataDir: dir, schema, workers: 2 }), {
        engine,
        db,
        heartbeatMs: 200,
        staleAfterSeconds: 1,
        sweepIntervalMs: 300,
        queue: { pollingIntervalSeconds: 0.5 },
      });
      try {
        const before = await cp.getDeployment("crash", ids[0] ?? "");
        assert.ok(["previewing", "deploying"].includes(before.status), `was ${before.status} when killed`);
        assert.equal(before.operations[0]?.status, "running");
        await cp.start();
        const done = await Promise.all(ids.map((id) => waitSettled(() => cp.getDeployment("crash", id))));
        assert.deepEqual(
          done.map((d) => d.status),
          ["ready", "ready"],
        );
        assert.deepEqual(
          done.map((d) => d.operations.map((o) => o.status)),
          [["succeeded"], ["succeeded"]],
        );
        assert.equal(done[0]?.operations[0]?.attempts, 2, "the interrupted operation ran again");
        const resumed = engine.calls.filter((c) => c.deploymentId === ids[0]);
        assert.deepEqual(
          resumed.map((c) => [c.method, c.resume]),
          [
            ["preview", true],
            ["up", true],
          ],
          "told to resume (refresh first)",
        );
        const logs = (await cp.listEvents("crash", ids[0] ?? "", 0, 200))
          .filter((e) => e.type === "log")
          .map((e) => String(e.data["message"]));
        assert.ok(
          logs.some((m) => /worker lost/.test(m)),
          logs.join("\n"),
        );
        const stats = await cp.stats();
        assert.equal(stats.jobsByState.running + stats.jobsByState.queued, 0, "nothing left behind");
      } finally {
        await cp.close();
        await db.close();
      }
    });
  });
}

describe("graceful shutdown parks running operations; the next start resumes them", function () {
  it("re-queues on close() and finishes after start()", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "mp-park-"));
    const db = await openPglite(undefined, testSchemaName());
    try {
      const hanging = new TestEngine();
      hanging.defaultBehavior = { kind: "hang" };
      const deps = { db, heartbeatMs: 100, queue: { pollingIntervalSeconds: 0.5 } };
      const first = await createControlPlane(testConfig({ dataDir: dir, schema: db.schema }), {
        ...deps,
        engine: hanging,
      });
      await first.start();
      const started = hanging.started("preview");
      const { deployment } = await first.submitDeployment({
        tenant: "park",
        actor: "k",
        name: "svc",
        environment: "dev",
        model: "m",
        spec: testSpec(),
        stackName: "park-svc",
        placement: {
          cloud: "aws",
          region: "us-east-1",
          instanceType: "g5.xlarge",
          gpuType: "A10G",
          gpuCount: 1,
          gpuMemoryGiB: 24,
          capacity: "on-demand",
          replicas: 1,
          unitHourlyUsd: 1.006,
          hourlyUsd: 1.006,
          monthlyUsd: 734.38,
          storageMonthlyUsd: 0,
          onDemandUnitHourlyUsd: null,
        },
        estimatedMonthlyUsd: 734.38,
      });
      await started;
      await first.close();
      const parked = await first.getDeployment("park", deployment.id);
      assert.equal(parked.status, "queued", "parked, not failed");
      assert.deepEqual(
        parked.operations.map((o) => o.status),
        ["queued"],
      );

      const engine = new TestEngine();
      const second = await createControlPlane(testConfig({ dataDir: dir, schema: db.schema }), { ...deps, engine });
      try {
        await second.start();
        const done = await waitSettled(() => second.getDeployment("park", deployment.id));
        assert.equal(done.status, "ready");
        assert.equal(done.operations[0]?.attempts, 2);
        assert.deepEqual(
          engine.calls.map((c) => `${c.method}:${c.resume}`),
          ["preview:true", "up:true"],
        );
      } finally {
        await second.close();
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SIGTERM with an operation that stops slowly: it parks its job before the database closes", function () {
  this.timeout(300_000); // two file-backed PGlite opens; slow on a loaded machine
  it("an engine that only stops when closed still leaves the operation queued, not running (no 'worker lost')", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "mp-park-slow-"));
    // The control plane owns this database (file-backed PGlite): close() closes it.
    const config = testConfig({
      dataDir: dir,
      schema: testSchemaName(),
      database: { kind: "pglite", dataDir: path.join(dir, "db") },
    });
    try {
      const stubborn = new TestEngine();
      stubborn.defaultBehavior = { kind: "hang", stopsOn: "close" };
      const first = await createControlPlane(config, {
        engine: stubborn,
        heartbeatMs: 100,
        shutdownGraceMs: 200,
        queue: { pollingIntervalSeconds: 0.5 },
      });
      await first.start();
      const started = stubborn.started("preview");
      const { deployment } = await first.submitDeployment({
        tenant: "park",
        actor: "k",
        name: "slow",
        environment: "dev",
        model: "m",
        spec: testSpec(),
        stackName: "park-slow",
        placement: {
          cloud: "aws",
          region: "us-east-1",
          instanceType: "g5.xlarge",
          gpuType: "A10G",
          gpuCount: 1,
          gpuMemoryGiB: 24,
          capacity: "on-demand",
          replicas: 1,
          unitHourlyUsd: 1.006,
          hourlyUsd: 1.006,
          monthlyUsd: 734.38,
          storageMonthlyUsd: 0,
          onDemandUnitHourlyUsd: null,
        },
        estimatedMonthlyUsd: 734.38,
      });
      await started;
      await first.close();

      // Reopen without starting workers: what the first process left behind, as the next start finds it.
      const second = await createControlPlane(config, { engine: new TestEngine() });
      try {
        const parked = await second.getDeployment("park", deployment.id);
        assert.deepEqual(
          parked.operations.map((o) => o.status),
          ["queued"],
          "the handler parked its job before the database closed",
        );
        assert.equal(parked.status, "queued");
        const events = await second.listEvents("park", deployment.id, 0, 100);
        assert.ok(
          events.some((e) => e.data["message"] === "worker shutting down; operation re-queued"),
          JSON.stringify(events.map((e) => e.data)),
        );
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
