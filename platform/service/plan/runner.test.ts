import * as assert from "node:assert/strict";
import { join } from "node:path";
import { callInWorker, closePlanWorker } from "./runner";

describe("plan worker thread (#14)", function () {
  this.timeout(120_000);
  after(() => closePlanWorker());

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
