import * as assert from "node:assert/strict";
import { join } from "node:path";
import { callInWorker, closePlanWorker } from "./runner";

describe("plan worker thread (#14)", function () {
  this.timeout(120_000);
  after(() => closePlanWorker());

  it("formats stack traces without source maps (Pulumi takes a stack per promise), leaving the caller's thread as it was", async () => {
    const before = process.sourceMapsEnabled;
    const info = await callInWorker<{ isMainThread: boolean; sourceMapsEnabled: boolean }>({
      modulePath: join(__dirname, "fixtures", "thread-info.ts"),
      exportName: "stackTraceMapping",
      arg: null,
    });
    assert.deepEqual(info, { isMainThread: false, sourceMapsEnabled: false });
    assert.equal(process.sourceMapsEnabled, before, "the caller's thread keeps its own setting");
  });
});
