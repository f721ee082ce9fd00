import * as assert from "node:assert/strict";
import { gcsLifecycleRules } from "./store";

describe("gcp store (pure)", () => {
  it("moves STANDARD to NEARLINE, then to COLDLINE, deletes old versions and aborts stale uploads", () => {
    const rules = gcsLifecycleRules({
      coolAfterDays: 10,
      coldAfterDays: 100,
      noncurrentVersionExpirationDays: 5,
      abortIncompleteUploadDays: 1,
    });
    assert.deepEqual(rules, [
      {
        action: { type: "SetStorageClass", storageClass: "NEARLINE" },
        condition: { age: 10, matchesStorageClasses: ["STANDARD"], withState: "LIVE", sendAgeIfZero: true },
      },
      {
        action: { type: "SetStorageClass", storageClass: "COLDLINE" },
        condition: { age: 100, matchesStorageClasses: ["STANDARD", "NEARLINE"], withState: "LIVE" },
      },
      { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 5, withState: "ARCHIVED" } },
      { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 1 } },
    ]);
  });
});
