import { strict as assert } from "node:assert";
import {
  cacheGiB,
  cacheSizeLimit,
  nodeDiskGiB,
  serverContainer,
  serverProbes,
  tritonModelJson,
  vllmArgs,
  weightLoadSeconds,
  weightsGiB,
  DEFAULT_SERVER_IMAGES,
  WEIGHTS_DIR,
} from "./model-server";

const base = {
  kind: "vllm" as const,
  servedModelName: "llama-3-70b",
  modelPath: WEIGHTS_DIR,
  gpuCount: 2,
  contextTokens: 8192,
  precision: "fp16" as const,
};

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

describe("model server builders", () => {
  it("sizes weights by precision", () => {
    assert.equal(Math.round(weightsGiB(70, "fp16") * 10) / 10, 130.4);
    assert.equal(weightsGiB(8, "int4"), weightsGiB(8, "fp16") / 4);
  });

  it("a 70B fp16 model on 2 GPUs: 2 GPUs per pod and --tensor-parallel-size 2", () => {
    const c = serverContainer(base, weightsGiB(70, "fp16"));
    assert.equal(c.resources.limits["nvidia.com/gpu"], "2");
    assert.equal(c.resources.requests["nvidia.com/gpu"], "2");
    assert.equal(flag(c.args, "--tensor-parallel-size"), "2");
    assert.equal(flag(c.args, "--max-model-len"), "8192");
    assert.equal(flag(c.args, "--dtype"), "float16");
    assert.equal(flag(c.args, "--model"), WEIGHTS_DIR);
    assert.equal(c.image, DEFAULT_SERVER_IMAGES.vllm);
    assert.ok(c.volumeMounts.some((m) => m.mountPath === "/dev/shm"));
  });

  it("fp8 adds --quantization fp8; bf16 maps to bfloat16", () => {
    assert.equal(flag(vllmArgs({ ...base, precision: "fp8" }), "--quantization"), "fp8");
    assert.equal(flag(vllmArgs({ ...base, precision: "bf16" }), "--dtype"), "bfloat16");
  });

  it("probes: the startup probe allows twice the load estimate and gates; readiness and liveness have no delay (#13)", () => {
    const small = serverProbes("vllm", weightsGiB(8, "fp16"));
    const big = serverProbes("vllm", weightsGiB(70, "fp16"));
    assert.ok(big.startupProbe.failureThreshold > small.startupProbe.failureThreshold);
    // A delay here would keep a replica whose startup probe already passed out of the Service.
    for (const p of [big.readinessProbe, big.livenessProbe, small.readinessProbe])
      assert.equal(p.initialDelaySeconds, 0);
    const budget =
      big.startupProbe.initialDelaySeconds + big.startupProbe.periodSeconds * big.startupProbe.failureThreshold;
    assert.ok(budget >= 2 * weightLoadSeconds(weightsGiB(70, "fp16")));
    assert.equal(big.livenessProbe.httpGet.path, "/health");
    assert.equal(serverProbes("triton", 10).readinessProbe.httpGet.path, "/health/ready");
  });

  it("Triton writes the tensor-parallel size into model.json and starts the OpenAI frontend", () => {
    const c = serverContainer({ ...base, kind: "triton" }, 10);
    assert.deepEqual(c.command, ["/bin/sh", "-c"]);
    assert.equal(tritonModelJson({ ...base, kind: "triton" })["tensor_parallel_size"], 2);
    assert.match(c.args[0] ?? "", /openai_frontend\/main\.py/);
    assert.match(c.args[0] ?? "", /"tensor_parallel_size":2/);
    assert.equal(c.resources.limits["nvidia.com/gpu"], "2");
    assert.equal(c.image, DEFAULT_SERVER_IMAGES.triton);
  });

  it("rejects a GPU count below 1 and quotes in names", () => {
    assert.throws(() => serverContainer({ ...base, gpuCount: 0 }, 1), /gpuCount/);
    assert.throws(() => serverContainer({ ...base, servedModelName: "a'b" }, 1), /quotes/);
  });

  it("cache size covers the weights with headroom", () => {
    assert.equal(cacheSizeLimit(weightsGiB(70, "fp16")), "162Gi");
  });

  it("requests ephemeral storage for the weight cache, so replicas are not packed onto one disk (#10)", () => {
    const w = weightsGiB(70, "fp16");
    const c = serverContainer(base, w);
    assert.equal(c.resources.requests["ephemeral-storage"], cacheSizeLimit(w));
  });

  it("node disk holds every replica's cache plus the image (#10)", () => {
    const w = weightsGiB(8, "fp16");
    const one = nodeDiskGiB({ replicasPerNode: 1, weightsGiB: w, imageGiB: 10 });
    const four = nodeDiskGiB({ replicasPerNode: 4, weightsGiB: w, imageGiB: 10 });
    assert.ok(one >= cacheGiB(w) + 10);
    assert.ok(four >= 4 * cacheGiB(w) + 10);
    assert.equal(four - one, 3 * cacheGiB(w));
    assert.throws(() => nodeDiskGiB({ replicasPerNode: 0, weightsGiB: w }), /replicasPerNode/);
  });
});
