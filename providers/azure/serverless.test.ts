import * as assert from "node:assert/strict";
import {
  blobFetchScript,
  CONTAINER_APPS_SKUS,
  gpuWorkloadProfiles,
  VLLM_SERVER_MODULE,
  WEIGHTS_DIR,
} from "./serverless";

describe("azure serverless (pure)", () => {
  it("the server container downloads the folder as the user-assigned identity, then execs vLLM; no az login (#9)", () => {
    const script = blobFetchScript("https://acct123.blob.core.windows.net/models/llama/v1/");
    assert.doesNotMatch(script, /az login/, "init containers, and az login --identity, get no managed identity");
    assert.match(script, /os\.environ\['IDENTITY_ENDPOINT'\]/);
    assert.match(script, /account, container, prefix, dest = 'acct123', 'models', 'llama\/v1\/', '\/models\/weights'/);
    assert.ok(script.endsWith(`exec python3 -m ${VLLM_SERVER_MODULE} "$@"`));
    assert.match(
      blobFetchScript("https://acct123.blob.core.windows.net/models"),
      /account, container, prefix, dest = 'acct123', 'models', '', /,
    );
    assert.ok(script.includes(`mkdir -p '${WEIGHTS_DIR}'`));
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
