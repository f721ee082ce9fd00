import assert from "node:assert/strict";
import { GPU_NAMES } from "./gpu-specs";
import { PRECISIONS, precisionSupport, type PrecisionSupport } from "./precision-rules";

function refused(result: PrecisionSupport): { rule: string; source: string } {
  assert.equal(result.ok, false, JSON.stringify(result));
  if (result.ok) throw new Error("unreachable");
  return result;
}

describe("precisionSupport", function () {
  it("answers every GPU × precision; refusals name the GPU and link a source", function () {
    for (const gpu of GPU_NAMES) {
      for (const precision of PRECISIONS) {
        const r = precisionSupport(gpu, precision);
        if (r.ok) {
          assert.ok(PRECISIONS.includes(r.served), `${gpu}/${precision}`);
        } else {
          assert.ok(r.rule.includes(gpu), `${gpu}/${precision}: ${r.rule}`);
          assert.match(r.source, /^https:\/\//);
        }
      }
    }
  });

  it("serves fp16 and fp32 everywhere as requested", function () {
    for (const gpu of GPU_NAMES) {
      for (const precision of ["fp16", "fp32"] as const)
        assert.deepEqual(precisionSupport(gpu, precision), { ok: true, served: precision });
    }
  });

  it("refuses fp8 on T4 and V100 with the rule and the GPU's capability", function () {
    const t4 = refused(precisionSupport("T4", "fp8"));
    assert.match(t4.rule, /FP8 W8A8 needs compute capability ≥ 8\.9/);
    assert.match(t4.rule, /T4 has 7\.5$/);
    assert.match(t4.source, /vllm/);
    assert.match(refused(precisionSupport("V100", "fp8")).rule, /V100 has 7\.0$/);
    assert.match(refused(precisionSupport("V100-32GB", "fp8")).rule, /V100-32GB has 7\.0$/);
  });

  it("substitutes fp16 for bf16 below compute capability 8.0, with the reason", function () {
    for (const [gpu, cc] of [
      ["T4", "7.5"],
      ["V100", "7.0"],
    ] as const) {
      const r = precisionSupport(gpu, "bf16");
      assert.ok(r.ok);
      assert.equal(r.served, "fp16");
      assert.match(
        r.note ?? "",
        new RegExp(`bf16 needs compute capability ≥ 8\\.0; ${gpu} has ${cc.replace(".", "\\.")}`),
      );
      assert.match(r.note ?? "", /--dtype half/);
    }
  });

  it("serves bf16 as bf16 from Ampere on, and on MI300X", function () {
    for (const gpu of ["A10", "A10G", "A100", "L4", "H100", "B200", "MI300X"]) {
      assert.deepEqual(precisionSupport(gpu, "bf16"), { ok: true, served: "bf16" }, gpu);
    }
  });

  it("allows fp8 on Ampere only as weight-only (FP8 Marlin)", function () {
    for (const gpu of ["A10", "A10G", "A100", "A100-80GB"]) {
      const r = precisionSupport(gpu, "fp8");
      assert.ok(r.ok, gpu);
      assert.equal(r.served, "fp8");
      assert.equal(r.weightOnly, true, gpu);
      assert.match(r.note ?? "", /Marlin/);
    }
  });

  it("allows fp8 W8A8 (not weight-only) from Ada on and on MI300X", function () {
    for (const gpu of ["L4", "L40S", "H100", "H100-MEGA", "H200", "B200", "B300", "MI300X"]) {
      const r = precisionSupport(gpu, "fp8");
      assert.ok(r.ok, gpu);
      assert.equal(r.served, "fp8");
      assert.equal(r.weightOnly, undefined, gpu);
    }
    assert.equal((precisionSupport("H100", "fp8") as { note?: string }).note, undefined);
    assert.match((precisionSupport("B200", "fp8") as { note?: string }).note ?? "", /no Blackwell column/);
    assert.match((precisionSupport("MI300X", "fp8") as { note?: string }).note ?? "", /FNUZ/);
  });

  it("allows int4 (AWQ/GPTQ, weight-only) from 7.5: T4 yes, V100 no", function () {
    const t4 = precisionSupport("T4", "int4");
    assert.ok(t4.ok);
    assert.equal(t4.served, "int4");
    assert.equal(t4.weightOnly, true);
    assert.match(
      refused(precisionSupport("V100", "int4")).rule,
      /int4 \(AWQ\/GPTQ\) needs compute capability ≥ 7\.5.*V100 has 7\.0$/,
    );
  });

  it("allows int8 W8A8 from 7.5 and flags B300's cut INT8 throughput", function () {
    assert.deepEqual(precisionSupport("T4", "int8"), { ok: true, served: "int8" });
    assert.match(
      refused(precisionSupport("V100", "int8")).rule,
      /INT8 W8A8 needs compute capability ≥ 7\.5; V100 has 7\.0/,
    );
    const b300 = precisionSupport("B300", "int8");
    assert.ok(b300.ok);
    assert.match(b300.note ?? "", /125 dense TOPS; prefer fp8/);
  });

  it("follows vLLM's AMD GPU column on MI300X: no int8 W8A8, no AWQ/GPTQ", function () {
    assert.match(refused(precisionSupport("MI300X", "int8")).rule, /not supported on AMD GPUs.*gfx942/);
    assert.match(refused(precisionSupport("MI300X", "int4")).rule, /AWQ\/GPTQ.*not supported on AMD GPUs/);
  });

  it("accepts aliases and refuses unknown GPUs", function () {
    const r = precisionSupport("nvidia-tesla-t4", "bf16");
    assert.ok(r.ok);
    assert.equal(r.served, "fp16");
    assert.match(refused(precisionSupport("K80", "fp16")).rule, /unknown GPU type "K80"/);
  });
});
