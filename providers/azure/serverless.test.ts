import * as assert from "node:assert/strict";
import { blobFetchScript, CONTAINER_APPS_SKUS, gpuWorkloadProfiles, WEIGHTS_DIR } from "./serverless";

describe("azure serverless (pure)", () => {
  it("downloads a model folder as the user-assigned identity and moves it to the weights dir", () => {
    const script = blobFetchScript("https://acct123.blob.core.windows.net/models/llama/v1/");
    assert.equal(script.split("\n")[1], 'az login --identity --client-id "$AZURE_CLIENT_ID" --output none');
    assert.match(
      script,
      /--account-name 'acct123' --source 'models' --destination '\/models\/blob' --pattern 'llama\/v1\/\*'/,
    );
    assert.ok(script.endsWith(`mv '/models/blob/llama/v1' '${WEIGHTS_DIR}'`));
    assert.ok(
      blobFetchScript("https://acct123.blob.core.windows.net/models").endsWith(`mv '/models/blob' '${WEIGHTS_DIR}'`),
    );
  });

  it("refuses URIs that are not blob URIs or carry shell metacharacters, naming modelUri", () => {
    assert.throws(() => blobFetchScript("https://example.com/models/x"), /^ValidationError: modelUri:/);
    assert.throws(
      () => blobFetchScript("https://acct123.blob.core.windows.net/models/x';rm -rf /'"),
      /^ValidationError: modelUri:/,
    );
  });

  it("builds one GPU workload profile per SKU plus Consumption, without duplicates", () => {
    const profiles = gpuWorkloadProfiles([...CONTAINER_APPS_SKUS, ...CONTAINER_APPS_SKUS]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ["Consumption", "gpu-t4", "gpu-a100"],
    );
  });
});
