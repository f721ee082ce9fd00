import * as assert from "node:assert/strict";
import { checkName } from "../limits/names";
import { identityPlace, ownReaderName, readUnderPrefixCondition, weightsInStore } from "./reader-identity";

const STORE = "https://mpmodels1a2b.blob.core.windows.net/models";

describe("azure: a deployment stack's own reader identity (pure parts)", () => {
  it("is named from the deployment id, apart for two deployments, within the identity name limits", () => {
    const a = ownReaderName("dep-tenant-a-llama");
    const b = ownReaderName("dep-tenant-b-llama");
    assert.notEqual(a, b);
    assert.equal(a, ownReaderName("dep-tenant-a-llama"), "stable across runs");
    assert.equal(checkName("azure-user-assigned-identity", a), undefined);
    assert.equal(checkName("azure-user-assigned-identity", ownReaderName("x".repeat(500))), undefined);
  });

  it("finds the weights' container and path in the platform store, and nothing outside it", () => {
    assert.deepEqual(weightsInStore(STORE, `${STORE}/Llama-3.1-8B/v1`), {
      account: "mpmodels1a2b",
      container: "models",
      prefix: "Llama-3.1-8B/v1/",
    });
    assert.deepEqual(weightsInStore(`${STORE}/`, `${STORE}/a/b/`)?.prefix, "a/b/");
    assert.equal(weightsInStore(STORE, "hf://meta-llama/Llama-3.1-8B"), undefined);
    assert.equal(weightsInStore(STORE, "https://other.blob.core.windows.net/models/x"), undefined);
    assert.equal(weightsInStore(STORE, "https://mpmodels1a2b.blob.core.windows.net/modelsx/x"), undefined);
    assert.equal(weightsInStore(STORE, STORE), undefined, "the whole container is not a model's weights");
    assert.equal(weightsInStore("s3://bucket/models", "s3://bucket/models/x"), undefined);
  });

  it("the condition restricts reading blob content to the weights' paths and leaves listing alone", () => {
    const c = readUnderPrefixCondition(["m/v1/", "m/v2/"]);
    assert.equal(
      c,
      "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR " +
        "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'm/v1/') OR " +
        "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'm/v2/'))",
    );
    assert.throws(() => readUnderPrefixCondition([]), /no prefix/);
    assert.throws(() => readUnderPrefixCondition(["it's/"]), /quote/);
  });

  it("reads the store's subscription and group from its reader's resource id", () => {
    assert.deepEqual(
      identityPlace(
        "/subscriptions/s-1/resourceGroups/rg-x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/r",
      ),
      { subscription: "s-1", resourceGroupName: "rg-x" },
    );
    assert.equal(identityPlace("arn:aws:iam::1:role/r"), undefined);
  });
});
