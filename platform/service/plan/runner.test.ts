import * as assert from "node:assert/strict";
import { join } from "node:path";
import { callInWorker, closePlanWorker } from "./runner";

describe("plan worker thread (#14)", function () {
  this.timeout(120_000);
  after(() => closePlanWorker());

  it("an unexpected failure still brings the worker's stack back (a re-run with frames on); the thread stays frameless", async () => {
    const fixture = join(__dirname, "fixtures", "thread-info.ts");
    const err = await callInWorker<number>({ modulePath: fixture, exportName: "buggyPlan", arg: { depth: 1 } }).then(
      () => assert.fail("expected the plan to fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error);
    assert.equal(err.name, "TypeError");
    assert.match(String(err.stack), /readDeep/, String(err.stack));
    assert.match(String(err.stack), /thread-info\.ts/);
    assert.match(String(err.stack), /<the plan worker thread>/);
    const info = await callInWorker<{ sourceMapsEnabled: boolean; stackTraceLimit: number }>({
      modulePath: fixture,
      exportName: "stackTraceMapping",
      arg: null,
    });
    assert.deepEqual([info.sourceMapsEnabled, info.stackTraceLimit], [false, 0]);
  });

  it("captures no stack frames and maps none (Pulumi takes a stack per promise), leaving the caller's thread as it was", async () => {
    const before = { maps: process.sourceMapsEnabled, limit: Error.stackTraceLimit };
    const info = await callInWorker<{ isMainThread: boolean; sourceMapsEnabled: boolean; stackTraceLimit: number }>({
      modulePath: join(__dirname, "fixtures", "thread-info.ts"),
      exportName: "stackTraceMapping",
      arg: null,
    });
    assert.deepEqual(info, { isMainThread: false, sourceMapsEnabled: false, stackTraceLimit: 0 });
    assert.deepEqual(
      { maps: process.sourceMapsEnabled, limit: Error.stackTraceLimit },
      before,
      "the caller's thread keeps its own settings",
    );
  });
});
