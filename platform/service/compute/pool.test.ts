import * as assert from "node:assert/strict";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { getPriority } from "node:os";
import { BusyError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import { quote } from "../../core/optimizer";
import { parseQuoteRequest } from "../../core/optimizer/schema";
import { defaultCatalog } from "../../core/pricing/catalog";
import { footprintFromConfigFile } from "../../../programs/platform/footprint";
import { WorkerPool } from "./pool";
import { createQuotePool } from "./quote-pool";
import { POOL_THREAD_NICENESS } from "./thread-priority";
import type { TestJob } from "./fixtures/test-worker";

type Answer = { value: string; threadId: number };
const SCRIPT = join(__dirname, "fixtures", "test-worker.ts");

describe("compute: the worker pool (bounded work per request, issue 11)", function () {
  this.timeout(60_000);
  let pool: WorkerPool<TestJob, Answer>;
  afterEach(async () => pool?.close());

  it("runs a job in another thread and answers its result", async () => {
    pool = new WorkerPool({ name: "test", script: SCRIPT, size: 1, maxQueue: 0 });
    const r = await pool.run({ kind: "echo", value: "hi" });
    assert.equal(r.value, "hi");
    assert.notEqual(r.threadId, threadId);
  });

  it("a ValidationError in the worker arrives as a ValidationError naming the field", async () => {
    pool = new WorkerPool({ name: "test", script: SCRIPT, size: 1, maxQueue: 0 });
    await assert.rejects(pool.run({ kind: "invalid" }), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.field, "model.name");
      return true;
    });
  });

  it("refuses a job at once with BusyError and Retry-After when every thread is busy and the queue is full", async () => {
    pool = new WorkerPool({ name: "test", script: SCRIPT, size: 1, maxQueue: 1, retryAfterSeconds: 2 });
    const gate = new SharedArrayBuffer(4);
    const running = pool.run({ kind: "hold", gate });
    const queued = pool.run({ kind: "echo", value: "after" });
    assert.deepEqual(pool.load, { running: 1, queued: 1 });
    await assert.rejects(pool.run({ kind: "echo", value: "refused" }), (e: unknown) => {
      assert.ok(e instanceof BusyError);
      assert.equal(e.retryAfterSeconds, 2);
      assert.match(e.message, /too many test requests in progress \(1 running, 1 waiting\)/);
      return true;
    });
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    assert.equal((await running).value, "released");
    assert.equal((await queued).value, "after");
    assert.deepEqual(pool.load, { running: 0, queued: 0 });
  });

  it("a worker that dies fails its job with a BusyError saying why, and the next job runs on a new thread", async () => {
    pool = new WorkerPool({ name: "test", script: SCRIPT, size: 1, maxQueue: 1 });
    const before = await pool.run({ kind: "echo", value: "a" });
    await assert.rejects(pool.run({ kind: "crash" }), (e: unknown) => {
      assert.ok(e instanceof BusyError);
      assert.match(e.message, /the test worker stopped \(exited with code 3\); nothing was lost, retry the request/);
      return true;
    });
    const after = await pool.run({ kind: "echo", value: "b" });
    assert.equal(after.value, "b");
    assert.notEqual(after.threadId, before.threadId);
  });

  it("pool threads run nicer than the event loop's thread (Linux), so heavy jobs yield the CPU to it", async function () {
    if (process.platform !== "linux") this.skip();
    const mine = getPriority(0);
    if (mine >= 19) this.skip(); // already as nice as it gets
    pool = new WorkerPool({ name: "test", script: SCRIPT, size: 1, maxQueue: 0 });
    const theirs = Number((await pool.run({ kind: "priority" })).value);
    assert.equal(theirs, Math.min(19, mine + POOL_THREAD_NICENESS));
    assert.equal(getPriority(0), mine, "the event loop's thread keeps its priority");
  });

  it("a closed pool refuses jobs with BusyError", async () => {
    pool = new WorkerPool({ name: "test", script: SCRIPT, size: 1, maxQueue: 0 });
    await pool.close();
    await assert.rejects(pool.run({ kind: "echo", value: "x" }), BusyError);
  });
});

describe("compute: the quote pool answers what the optimizer answers in process", function () {
  this.timeout(60_000);

  it("same request, same options, same quote", async () => {
    const catalog = defaultCatalog();
    const footprint = footprintFromConfigFile(join(__dirname, "..", "..", "..", "Pulumi.dev.yaml"), catalog);
    const quotes = createQuotePool({ catalog, footprint });
    try {
      const request = parseQuoteRequest({
        model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
        workload: { requestsPerSecond: 5, inputTokens: 1000, outputTokens: 300 },
      });
      const now = new Date("2026-12-01T00:00:00Z");
      const inPool = await quotes.quote(request, { now });
      const inProcess = quote(request, catalog, { now, footprint });
      assert.ok(inPool.placements.length > 0);
      assert.deepEqual(inPool, inProcess);
    } finally {
      await quotes.close();
    }
  });
});
