/**
 * Crash recovery moves deployments through the lifecycle: an operation taken back from a worker
 * that looks dead re-queues its deployment in the same transaction, and a deployment that is no
 * longer in an in-progress status is left alone instead of failing the sweep.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { TestEngine } from "../engine/testing/test-engine";
import { claimOperationForJob } from "../store/finish";
import { transition } from "../store/lifecycle";
import { openTestDb, type TestDb } from "../store/testing/test-db";
import { testSpec } from "../store/testing/spec";
import { createControlPlane, type ControlPlaneImpl } from "./controlplane";
import { RecoverySweeper } from "./recovery";
import { waitFor } from "../store/testing/wait";

describe("crash recovery through the lifecycle (PGlite)", function () {
  let t: TestDb;
  let cp: ControlPlaneImpl;
  const dataDir = mkdtempSync(path.join(tmpdir(), "mp-recover-"));
  let n = 0;

  before(async function () {
    t = await openTestDb("pglite");
    // Workers never start: this test plays the worker that dies.
    cp = await createControlPlane(testConfig({ dataDir, schema: t.schema }), { engine: new TestEngine(), db: t.db });
  });
  after(async function () {
    await cp?.close();
    await t?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A deployment whose create operation a (now dead) worker claimed and moved to `previewing`. */
  async function claimedAndPreviewing(): Promise<{ id: string; operationId: string }> {
    n++;
    const spec = testSpec(n);
    const { deployment } = await cp.submitDeployment({
      tenant: "acme",
      actor: "k",
      name: `svc-${n}`,
      environment: "dev",
      model: "mistral-7b",
      spec,
      stackName: `recover-${n}`,
      placement: spec.placement,
      estimatedMonthlyUsd: spec.placement.monthlyUsd,
    });
    const op = deployment.operations[0];
    assert.ok(op);
    const jobs = await t.db.query("SELECT job_id FROM operations WHERE id = $1", [op.id]);
    assert.ok(await claimOperationForJob(t.db, op.id, String(jobs.rows[0]?.["job_id"]), "dead-worker"));
    await transition(t.db, deployment.id, ["queued"], "previewing", "start-preview", {
      whileOwnedBy: { operationId: op.id, claim: "dead-worker" },
    });
    return { id: deployment.id, operationId: op.id };
  }

  it("re-queues the operation and its deployment together", async function () {
    const { id, operationId } = await claimedAndPreviewing();
    const r = await cp.recover(0);
    assert.equal(r.requeued, 1);
    const d = await cp.getDeployment("acme", id);
    assert.equal(d.status, "queued");
    assert.deepEqual(
      d.operations.map((o) => [o.id, o.status]),
      [[operationId, "queued"]],
    );
  });

  it("leaves a deployment that already moved on alone, and still takes the operation back", async function () {
    const { id, operationId } = await claimedAndPreviewing();
    // An inconsistent row, as only a bug or a hand edit could leave it (tests may write SQL directly).
    await t.db.query("UPDATE deployments SET status = 'failed' WHERE id = $1", [id]);
    const r = await cp.recover(0);
    assert.equal(r.requeued, 1, "the sweep did not fail");
    const d = await cp.getDeployment("acme", id);
    assert.equal(d.status, "failed", "failed → queued is not a legal move: unchanged");
    assert.equal(d.operations.find((o) => o.id === operationId)?.status, "queued");
  });
});

describe("RecoverySweeper: crash recovery on a timer", () => {
  it("runs one sweep at a time, survives a failing sweep, and stop() waits for the one under way", async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const sweeper = new RecoverySweeper(() => {
      calls++;
      if (calls === 1) return Promise.reject(new Error("database gone"));
      return new Promise<void>((r) => (release = r));
    });
    await sweeper.sweep(); // the failure is swallowed: the next tick tries again
    const a = sweeper.sweep();
    const b = sweeper.sweep();
    assert.equal(a, b, "a second call joins the sweep under way");
    assert.equal(calls, 2);
    let stopped = false;
    const stopping = sweeper.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(stopped, false, "stop() waits for the sweep under way");
    release();
    await stopping;
    assert.equal(stopped, true);
  });

  it("sweeps on its timer until stopped", async () => {
    let calls = 0;
    const sweeper = new RecoverySweeper(async () => {
      calls++;
    });
    sweeper.start(5);
    await waitFor("two timed sweeps", async () => (calls >= 2 ? true : undefined));
    await sweeper.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(calls, after, "no tick after stop()");
  });
});
