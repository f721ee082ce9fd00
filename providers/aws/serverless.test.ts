import * as assert from "node:assert/strict";
import { ValidationError } from "../../platform/core/validation";
import { asyncPrefix, executionPolicy, parseS3Uri, sagemakerServerEnv, SAGEMAKER_ASYNC_SKUS } from "./serverless";

describe("aws serverless (pure)", () => {
  it("turns vLLM flags into the SM_VLLM_* variables the SageMaker entrypoint reads, dropping host and port", () => {
    assert.deepEqual(
      sagemakerServerEnv([
        "--model",
        "/opt/ml/model",
        "--host",
        "0.0.0.0",
        "--port",
        "8080",
        "--max-model-len=4096",
        "--enforce-eager",
        "--dtype",
        "bfloat16",
      ]),
      {
        SM_VLLM_MODEL: "/opt/ml/model",
        SM_VLLM_MAX_MODEL_LEN: "4096",
        SM_VLLM_ENFORCE_EAGER: "",
        SM_VLLM_DTYPE: "bfloat16",
      },
    );
  });

  it("refuses positional arguments, naming their index", () => {
    assert.throws(
      () => sagemakerServerEnv(["--model", "a", "b"]),
      (e: unknown) => e instanceof ValidationError && e.field === "args[2]",
    );
  });

  it("parses s3 URIs and puts async I/O beside the model bucket", () => {
    assert.deepEqual(parseS3Uri("s3://bkt/a/b/"), { bucket: "bkt", prefix: "a/b" });
    assert.throws(() => parseS3Uri("gs://bkt/a"), /modelUri: "gs:\/\/bkt\/a" is not an s3:\/\//);
    assert.equal(asyncPrefix("s3://bkt/models/x", "ep"), "s3://bkt/async/ep");
  });

  it("grants the execution role async I/O under its prefix, and model reads only when asked", () => {
    const withModel = JSON.parse(executionPolicy("s3://bkt/async/ep", "s3://bkt/models/x")) as {
      Statement: Array<{ Sid: string; Resource: string }>;
    };
    assert.deepEqual(withModel.Statement.map((s) => [s.Sid, s.Resource]).slice(3), [
      ["AsyncIO", "arn:aws:s3:::bkt/async/ep/*"],
      ["ListModel", "arn:aws:s3:::bkt"],
      ["ReadModel", "arn:aws:s3:::bkt/models/x/*"],
    ]);
    const without = JSON.parse(executionPolicy("s3://out", undefined)) as {
      Statement: Array<{ Sid: string; Resource: string }>;
    };
    assert.deepEqual(
      without.Statement.map((s) => s.Sid),
      ["PullImage", "Logs", "Metrics", "AsyncIO"],
    );
    assert.equal(without.Statement[3]?.Resource, "arn:aws:s3:::out/*");
  });

  it("lists one SKU per GPU type and count, every one a GPU instance type", () => {
    const keys = SAGEMAKER_ASYNC_SKUS.map((s) => `${s.gpuType}x${s.gpuCount}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const s of SAGEMAKER_ASYNC_SKUS) assert.match(s.sku, /^ml\.(g4dn|g5|g6|g6e|p4d|p4de|p5)\.\d*x?large$/);
  });
});
