import { strict as assert } from "node:assert";
import { artifactUri, fetchPlan, FETCH_IMAGES } from "./model-fetch";
import { WEIGHTS_DIR } from "./model-server";

describe("model fetch plan", () => {
  it("s3: aws s3 sync into the weights dir", () => {
    const p = fetchPlan("s3://bucket/models/llama/v1");
    assert.equal(p.scheme, "s3");
    assert.equal(p.modelPath, WEIGHTS_DIR);
    assert.equal(p.initContainer?.image, FETCH_IMAGES.s3);
    assert.deepEqual(p.initContainer?.command.slice(0, 3), ["aws", "s3", "sync"]);
    assert.ok(p.initContainer?.command.includes("s3://bucket/models/llama/v1/"));
  });

  it("gs: gcloud storage rsync", () => {
    const p = fetchPlan("gs://bucket/models/llama/v1/");
    assert.equal(p.scheme, "gs");
    assert.match(
      p.initContainer?.command[2] ?? "",
      /gcloud storage rsync --recursive 'gs:\/\/bucket\/models\/llama\/v1'/,
    );
  });

  it("azure blob: federated login, then download the prefix", () => {
    const p = fetchPlan("https://acct123.blob.core.windows.net/models/llama/v1");
    assert.equal(p.scheme, "azblob");
    const script = p.initContainer?.command[2] ?? "";
    assert.match(script, /--federated-token/);
    assert.match(script, /--account-name 'acct123' --source 'models'/);
    assert.match(script, /--pattern 'llama\/v1\/\*'/);
  });

  it("every copier image is pinned to an exact version, never a moving tag (#16)", () => {
    for (const image of Object.values(FETCH_IMAGES)) {
      const tag = image.slice(image.lastIndexOf(":") + 1);
      assert.match(tag, /^\d+\.\d+\.\d+/, image);
    }
  });

  it("hf: no init container, the server loads the repo", () => {
    const p = fetchPlan("hf://meta-llama/Llama-3.1-8B-Instruct");
    assert.equal(p.initContainer, undefined);
    assert.equal(p.modelPath, "meta-llama/Llama-3.1-8B-Instruct");
  });

  it("rejects unknown schemes and shell metacharacters", () => {
    assert.throws(() => fetchPlan("ftp://x/y"), /unsupported scheme/);
    assert.throws(() => fetchPlan("s3://b/x';rm -rf /"), /characters not allowed/);
    assert.throws(() => fetchPlan("hf://only-org"), /hf:\/\/<org>\/<repo>/);
  });

  it("artifactUri: a URI source wins; otherwise a path under the store", () => {
    assert.equal(artifactUri("s3://store/models/", "gs://other/x", "m", "v1"), "gs://other/x");
    assert.equal(artifactUri("s3://store/models/", undefined, "Llama 3", "v1"), "s3://store/models/Llama-3/v1");
    assert.equal(artifactUri("s3://store/models", "team/llama/v2", "m", "v1"), "s3://store/models/team/llama/v2");
  });
});
