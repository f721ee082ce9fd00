import * as assert from "node:assert/strict";
import { gcsVolume, parseGsUri } from "./serverless";

describe("gcp serverless (pure)", () => {
  it("mounts only the model's folder of the bucket, read-only", () => {
    assert.deepEqual(gcsVolume("gs://bkt/models/llama/v1/"), {
      name: "model",
      gcs: { bucket: "bkt", readOnly: true, mountOptions: ["only-dir=models/llama/v1"] },
    });
    assert.deepEqual(gcsVolume("gs://bkt"), { name: "model", gcs: { bucket: "bkt", readOnly: true } });
  });

  it("refuses non-gs URIs, naming modelUri", () => {
    assert.throws(() => parseGsUri("s3://bkt/x"), /^ValidationError: modelUri: "s3:\/\/bkt\/x" is not a gs:\/\//);
  });
});
