import * as assert from "node:assert/strict";
import { s3LifecycleRules, s3ReadOnlyPolicy } from "./store";

describe("aws store (pure)", () => {
  it("tiers by access: everything in Intelligent-Tiering from day 0, never Glacier by age (#14); expires old versions, aborts stale uploads", () => {
    for (const coldAfterDays of [365, null]) {
      const rules = s3LifecycleRules({
        coolAfterDays: 30,
        coldAfterDays,
        noncurrentVersionExpirationDays: 14,
        abortIncompleteUploadDays: 2,
      });
      assert.deepEqual(
        rules.map((r) => r.id),
        ["tiering", "noncurrent-versions", "abort-incomplete-uploads"],
      );
      assert.deepEqual(rules[0]?.transitions, [{ days: 0, storageClass: "INTELLIGENT_TIERING" }]);
      assert.ok(!JSON.stringify(rules).includes("GLACIER"), "no retrieval fee on a cold start");
      assert.deepEqual(rules[1]?.noncurrentVersionExpiration, { noncurrentDays: 14 });
      assert.deepEqual(rules[2]?.abortIncompleteMultipartUpload, { daysAfterInitiation: 2 });
    }
  });

  it("grants read and list only, on the bucket and its objects", () => {
    const doc = JSON.parse(s3ReadOnlyPolicy("arn:aws:s3:::b")) as {
      Statement: Array<{ Action: string[]; Resource: string; Effect: string }>;
    };
    for (const s of doc.Statement) {
      assert.equal(s.Effect, "Allow");
      for (const a of s.Action) assert.match(a, /^s3:(Get|List)/);
    }
    assert.deepEqual(
      doc.Statement.map((s) => s.Resource),
      ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    );
  });
});
