import * as assert from "node:assert/strict";
import { GCS_AUTOCLASS, gcsLifecycleRules } from "./store";

describe("gcp store (pure)", () => {
  it("tiers by access with Autoclass, not by age (#14); deletes old versions and aborts stale uploads", () => {
    const rules = gcsLifecycleRules({
      coolAfterDays: 10,
      coldAfterDays: 100,
      noncurrentVersionExpirationDays: 5,
      abortIncompleteUploadDays: 1,
    });
    assert.deepEqual(rules, [
      { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 5, withState: "ARCHIVED" } },
      { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 1 } },
    ]);
    assert.ok(!JSON.stringify(rules).includes("COLDLINE"), "no retrieval fee on a cold start");
    assert.deepEqual(GCS_AUTOCLASS, { enabled: true, terminalStorageClass: "NEARLINE" });
  });
});
