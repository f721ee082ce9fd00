import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Placement } from "../../core/placement";
import type { BatchItem } from "../store/batch";
import { migrate } from "../store/migrate";
import { openTestDb, type TestDb } from "../store/testing/test-db";
import { SubmitBatcher } from "./submit-batcher";
import { testSpec } from "../store/testing/spec";

const placement: Placement = {
  cloud: "gcp",
  region: "us-east4",
  instanceType: "a2-highgpu-1g",
  gpuType: "A100",
  gpuCount: 1,
  gpuMemoryGiB: 40,
  capacity: "on-demand",
  replicas: 1,
  unitHourlyUsd: 3.67,
  hourlyUsd: 3.67,
  monthlyUsd: 2679,
  storageMonthlyUsd: 0,
  onDemandUnitHourlyUsd: null,
};

function item(stackName: string): BatchItem {
  return {
    deploymentId: randomUUID(),
    operationId: randomUUID(),
    jobId: randomUUID(),
    tenant: "t",
    actor: "k",
    name: stackName,
    environment: "dev",
    model: "m",
    stackName,
    placement,
    estimatedMonthlyUsd: 1,
    spec: testSpec(),
    idempotency: null,
  };
}

describe("SubmitBatcher (group commit)", function () {
  let t: TestDb;
  before(async function () {
    t = await openTestDb("pglite");
    await migrate(t.db);
  });
  after(async function () {
    await t?.dispose();
  });

  it("writes concurrent requests in few transactions and answers each", async function () {
    const batchSizes: number[] = [];
    const batcher = new SubmitBatcher(t.db, async (_tx, created) => {
      batchSizes.push(created.length);
    });
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => batcher.submit(item(`gc-${i}`))));
    assert.ok(outcomes.every((o) => o.kind === "created"));
    assert.equal(
      batchSizes.reduce((a, b) => a + b, 0),
      30,
    );
    assert.ok(batchSizes.length < 30, `30 requests in ${batchSizes.length} transactions`);
    const n = await t.db.query("SELECT count(*)::int AS n FROM deployments WHERE stack_name LIKE 'gc-%'");
    assert.equal(n.rows[0]?.["n"], 30);
  });

  it("isolates a request that breaks its batch: the others are written, it alone fails", async function () {
    const batcher = new SubmitBatcher(t.db, async (_tx, created) => {
      if (created.some((c) => c.stackName === "poison")) throw new Error("cannot enqueue poison");
    });
    const results = await Promise.allSettled(["iso-1", "poison", "iso-2", "iso-3"].map((s) => batcher.submit(item(s))));
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "rejected", "fulfilled", "fulfilled"],
    );
    const n = await t.db.query(
      "SELECT stack_name FROM deployments WHERE stack_name IN ('iso-1','iso-2','iso-3','poison') ORDER BY stack_name",
    );
    assert.deepEqual(
      n.rows.map((r) => r["stack_name"]),
      ["iso-1", "iso-2", "iso-3"],
      "the poisoned request left nothing behind",
    );
  });
});
