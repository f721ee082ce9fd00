import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { TestEngine } from "../engine/testing/test-engine";
import type { Placement } from "../../core/placement";
import { openPostgres } from "../store/db";
import {
  dropPostgresSchemas,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  testDatabaseUrl,
  testSchemaName,
} from "../store/testing/test-db";
import { createControlPlane } from "./controlplane";
import type { DeploymentEvent } from "../types";
import { testSpec } from "../store/testing/spec";

const placement: Placement = {
  cloud: "aws",
  region: "us-west-2",
  instanceType: "g6.xlarge",
  gpuType: "L4",
  gpuCount: 1,
  gpuMemoryGiB: 24,
  capacity: "on-demand",
  replicas: 1,
  unitHourlyUsd: 0.805,
  hourlyUsd: 0.805,
  monthlyUsd: 587.65,
  storageMonthlyUsd: 0,
  onDemandUnitHourlyUsd: null,
};

describe("live events across processes (Postgres LISTEN/NOTIFY)", function () {
  const schema = testSchemaName();
  before(function () {
    skipWithoutPostgres(this, "live events across processes");
  });
  after(async function () {
    if (TEST_DATABASE_URL) await dropPostgresSchemas(schema);
  });

  it("a subscriber on one API instance sees the events a worker on another instance persists; cancels reach it", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "mp-bus-"));
    const config = {
      ...testConfig({ dataDir: dir, schema }),
      database: { kind: "postgres" as const, url: testDatabaseUrl() },
    };
    const deps = { heartbeatMs: 200, queue: { pollingIntervalSeconds: 0.5 } };
    const workerEngine = new TestEngine();
    const worker = await createControlPlane(config, {
      ...deps,
      engine: workerEngine,
      db: await openPostgres(testDatabaseUrl(), schema, 3),
    });
    const api = await createControlPlane(config, {
      ...deps,
      engine: new TestEngine(),
      db: await openPostgres(testDatabaseUrl(), schema, 3),
    });
    try {
      await worker.start(); // only this instance runs operations
      const { deployment } = await api.submitDeployment({
        tenant: "acme",
        actor: "k",
        name: "svc",
        environment: "dev",
        model: "qwen-7b",
        spec: testSpec(),
        stackName: `${schema}-qwen`,
        placement,
        estimatedMonthlyUsd: 587.65,
      });
      const got: DeploymentEvent[] = [];
      api.subscribe(deployment.id, (e) => got.push(e));
      const until = Date.now() + 15_000;
      while (!got.some((e) => e.data["status"] === "ready")) {
        if (Date.now() > until) throw new Error(`no ready event; got ${JSON.stringify(got.map((e) => e.data))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const statuses = got.filter((e) => e.type === "status").map((e) => e.data["status"]);
      assert.deepEqual(statuses, ["previewing", "deploying", "ready"]);
      const ids = got.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...new Set(ids)].sort((a, b) => a - b),
        "in order, no duplicates",
      );

      // A cancel on the API instance reaches the operation running on the worker instance (via its heartbeat).
      workerEngine.defaultBehavior = { kind: "hang" };
      const started = workerEngine.started("preview");
      const second = await api.submitDeployment({
        tenant: "acme",
        actor: "k",
        name: "svc2",
        environment: "dev",
        model: "qwen-7b",
        spec: testSpec(),
        stackName: `${schema}-qwen-2`,
        placement,
        estimatedMonthlyUsd: 587.65,
      });
      await started;
      await api.cancel("acme", second.deployment.id, "k");
      const cancelUntil = Date.now() + 10_000;
      let status = "";
      while (status !== "cancelled" && Date.now() < cancelUntil) {
        status = (await api.getDeployment("acme", second.deployment.id)).status;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(status, "cancelled");
    } finally {
      await worker.close();
      await api.close();
      await worker.db.close();
      await api.db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
