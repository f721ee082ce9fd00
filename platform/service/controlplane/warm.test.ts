import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { DryRunEngine } from "../engine/dry-run";
import { TestEngine } from "../engine/testing/test-engine";
import { openTestDb } from "../store/testing/test-db";
import { TEST_PLACEMENT, testSpec } from "../store/testing/spec";
import { createControlPlane } from "./controlplane";

/** A test engine whose warm-up waits for `release()`. */
class WarmingEngine extends TestEngine {
  warmed = 0;
  release: () => void = () => undefined;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  async warm(): Promise<void> {
    this.warmed += 1;
    await this.gate;
  }
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
}

describe("an engine is warmed before the first job (#14)", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const role of ["all", "api"] as const) {
    it(`role ${role}: ${role === "api" ? "never warms (it runs no operation)" : "takes no job until the engine is warm"}`, async () => {
      const t = await openTestDb("pglite");
      const dataDir = mkdtempSync(path.join(tmpdir(), "mp-warm-"));
      dirs.push(dataDir);
      const engine = new WarmingEngine();
      const cp = await createControlPlane(testConfig({ dataDir, schema: t.schema, workers: 2, role }), {
        engine,
        db: t.db,
        queue: { pollingIntervalSeconds: 0.5 },
      });
      try {
        const { deployment } = await cp.submitDeployment({
          tenant: "acme",
          actor: "k",
          name: "svc",
          environment: "dev",
          model: "mistral-7b",
          spec: testSpec("warm"),
          stackName: `acme-warm-${role}`,
          placement: TEST_PLACEMENT,
          estimatedMonthlyUsd: 255.5,
        });
        let started = false;
        const start = cp.start().then(() => (started = true));
        if (role === "api") {
          await start;
          assert.equal(engine.warmed, 0);
          return;
        }
        await until("start() warms the engine", () => engine.warmed === 1);
        assert.equal(started, false, "start() waits for the warm-up");
        assert.deepEqual(engine.calls, [], "no job was taken while warming");
        engine.release();
        await start;
        await until("the queued job runs once warm", () => engine.calls.some((c) => c.method === "up"));
        assert.equal((await cp.getDeployment("acme", deployment.id))?.id, deployment.id);
        assert.equal(engine.warmed, 1);
      } finally {
        engine.release();
        await cp.close();
        await t.dispose();
      }
    });
  }

  it("the dry-run engine starts its planner once, and a failed start is left to the plans to report", async () => {
    let warmed = 0;
    const engine = new DryRunEngine(async () => Promise.reject(new Error("no plan")), {
      warm: async () => {
        warmed += 1;
        throw new Error("the planner could not start");
      },
    });
    await engine.warm();
    await engine.warm();
    assert.equal(warmed, 1);
  });
});
