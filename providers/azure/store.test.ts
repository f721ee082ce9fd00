import * as assert from "node:assert/strict";
import { azureLifecycleRules, subscriptionOf } from "./store";

describe("azure store (pure)", () => {
  it("tiers the container's block blobs to Cool then Cold by last access, back to Hot when read (#14), and deletes old versions", () => {
    const [rule] = azureLifecycleRules(
      { coolAfterDays: 30, coldAfterDays: 90, noncurrentVersionExpirationDays: 7, abortIncompleteUploadDays: 7 },
      "models",
    );
    assert.deepEqual(rule, {
      name: "modelplane-tiering",
      enabled: true,
      type: "Lifecycle",
      definition: {
        filters: { blobTypes: ["blockBlob"], prefixMatch: ["models/"] },
        actions: {
          baseBlob: {
            tierToCool: { daysAfterLastAccessTimeGreaterThan: 30 },
            enableAutoTierToHotFromCool: true,
            tierToCold: { daysAfterLastAccessTimeGreaterThan: 90 },
          },
          version: { delete: { daysAfterCreationGreaterThan: 7 } },
        },
      },
    });
  });

  it("omits the Cold tier when coldAfterDays is null", () => {
    const [rule] = azureLifecycleRules(
      { coolAfterDays: 30, coldAfterDays: null, noncurrentVersionExpirationDays: 7, abortIncompleteUploadDays: 7 },
      "m1",
    );
    assert.equal(JSON.stringify(rule).includes("tierToCold"), false);
  });

  it("reads the subscription out of a resource id", () => {
    assert.equal(
      subscriptionOf("/subscriptions/abc-123/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x"),
      "abc-123",
    );
    assert.equal(subscriptionOf("no-subscription"), "");
    assert.equal(subscriptionOf(undefined), "");
  });
});
