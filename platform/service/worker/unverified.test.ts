/**
 * A successful `up` whose serving the control plane could not see (outputs.readiness `unverified`,
 * platform/service/engine/readiness.ts) ends the deployment `unverified`, never `ready`, with the
 * reason on the summary and status events; it can be updated, and an update seen serving ends `ready`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { createControlPlane, type ControlPlaneImpl } from "../controlplane/controlplane";
import { TestEngine } from "../engine/testing/test-engine";
import { openTestDb, type TestDb } from "../store/testing/test-db";
import { TEST_PLACEMENT, testSpec } from "../store/testing/spec";
import type { Deployment, DeploymentStatus } from "../types";

const REASON = "the stack has no Kubernetes Deployment to follow (serverless, or not applied)";

function readiness(state: "ready" | "unverified", reason: string): Record<string, unknown> {
  return { state, reason, checkedAt: "2026-12-01T00:00:00.000Z", waitedSeconds: 0 };
}

describe("worker: an up that could not be seen serving ends unverified (PGlite, test engine)", function () {
  this.timeout(30_000);
  let t: TestDb;
  let engine: TestEngine;
  let cp: ControlPlaneImpl;
  const dataDir = mkdtempSync(path.join(tmpdir(), "mp-unverified-"));

  async function settle(id: string, statuses: DeploymentStatus[]): Promise<Deployment> {
    const until = Date.now() + 20_000;
    for (;;) {
      const d = await cp.getDeployment("acme", id);
      if (statuses.includes(d.status) && d.operations.every((o) => o.status !== "queued" && o.status !== "running"))
        return d;
      if (Date.now() > until) throw new Error(`deployment still ${d.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  before(async function () {
    t = await openTestDb("pglite");
    engine = new TestEngine();
    cp = await createControlPlane(testConfig({ dataDir, schema: t.schema, workers: 1 }), {
      engine,
      db: t.db,
      heartbeatMs: 100,
      queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryBackoff: false, retryLimit: 0 },
    });
    await cp.start();
  });
  after(async function () {
    await cp?.close();
    await t?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("create → unverified with the readiness reason in the summary and status events; an update seen serving → ready", async function () {
    const endpoint = "https://svc.run.app";
    engine.next("up", { kind: "succeed", outputs: { endpoint, readiness: readiness("unverified", REASON) } });
    const { deployment } = await cp.submitDeployment({
      tenant: "acme",
      actor: "key-1",
      name: "svc-unverified",
      environment: "dev",
      model: "mistral-7b",
      spec: testSpec(1),
      stackName: "acme-mistral-unverified",
      placement: TEST_PLACEMENT,
      estimatedMonthlyUsd: 255.5,
    });
    const d = await settle(deployment.id, ["unverified", "ready", "failed"]);
    assert.equal(d.status, "unverified", "never ready when nothing was seen serving");
    assert.equal(d.error, null);
    assert.equal(d.outputs?.["endpoint"], endpoint, "the outputs are kept");
    assert.deepEqual(
      d.operations.map((o) => [o.kind, o.status]),
      [["create", "succeeded"]],
    );
    const events = await cp.listEvents("acme", d.id, 0, 200);
    const summary = events.find((e) => e.type === "summary" && e.data["kind"] === "create");
    assert.ok(summary, JSON.stringify(events.map((e) => e.data)));
    assert.equal(summary.data["readiness"], "unverified");
    assert.match(String(summary.data["reason"]), new RegExp(`not seen serving: .*no Kubernetes Deployment to follow`));
    const last = events.filter((e) => e.type === "status").at(-1);
    assert.deepEqual(last?.data, { status: "unverified", reason: REASON });

    // `unverified` allows what `ready` allows: an update, which ends ready once it is seen serving.
    engine.next("up", { kind: "succeed", outputs: { endpoint, readiness: readiness("ready", "1/1 Available") } });
    await cp.requestUpdate("acme", d.id, { spec: d.spec, estimatedMonthlyUsd: d.estimatedMonthlyUsd }, "key-1");
    const updated = await settle(d.id, ["ready", "unverified", "failed"]);
    assert.equal(updated.status, "ready");
    assert.deepEqual(
      updated.operations.map((o) => [o.kind, o.status]),
      [
        ["create", "succeeded"],
        ["update", "succeeded"],
      ],
    );
    const listed = await cp.listDeployments("acme", { status: "ready", limit: 10 });
    assert.deepEqual(
      listed.items.map((x) => x.id),
      [d.id],
    );
  });

  it("an up with no readiness (an engine that does not follow it) stays ready", async function () {
    engine.next("up", { kind: "succeed", outputs: { endpoint: "https://other.run.app" } });
    const { deployment } = await cp.submitDeployment({
      tenant: "acme",
      actor: "key-1",
      name: "svc-plain",
      environment: "dev",
      model: "mistral-7b",
      spec: testSpec(2),
      stackName: "acme-mistral-plain",
      placement: TEST_PLACEMENT,
      estimatedMonthlyUsd: 255.5,
    });
    assert.equal((await settle(deployment.id, ["unverified", "ready", "failed"])).status, "ready");
  });
});
