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
