/**
 * The precision gate (precision.ts), exactly: which GPUs it lets through, what it says they serve,
 * which warnings it gives, and that its answers are computed once and shared.
 */
import assert from "node:assert/strict";
import { precisionSupport } from "../precision-rules";
import { PrecisionGate } from "./precision";

describe("optimizer: the precision gate", () => {
  it("flags each candidate of a list by whether its GPU serves the precision", () => {
    const list = [{ gpuType: "H100" }, { gpuType: "T4" }, { gpuType: "A100" }, { gpuType: "no-such-gpu" }];
    assert.deepEqual([...new PrecisionGate("fp8").allowed(list)], [1, 0, 1, 0]);
    assert.deepEqual([...new PrecisionGate("bf16").allowed(list)], [1, 1, 1, 0]);
  });

  it("keeps one flag array per list and precision, and a new list gets its own", () => {
    const list = [{ gpuType: "H100" }, { gpuType: "T4" }];
    const fp8 = new PrecisionGate("fp8").allowed(list);
    assert.equal(new PrecisionGate("fp8").allowed(list), fp8, "the same list and precision reuse the flags");
    const bf16 = new PrecisionGate("bf16").allowed(list);
    assert.notEqual(bf16, fp8);
    assert.deepEqual([...bf16], [1, 1]);
    assert.equal(new PrecisionGate("fp8").allowed(list), fp8, "another precision does not replace the first");
    const other = [{ gpuType: "T4" }];
    assert.deepEqual([...new PrecisionGate("fp8").allowed(other)], [0]);
  });

  it("answers each GPU once per precision for every gate of the process", () => {
    const a = new PrecisionGate("int4").support("L40S");
    assert.equal(new PrecisionGate("int4").support("L40S"), a, "a second gate reuses the first one's answer");
    assert.deepEqual(a, precisionSupport("L40S", "int4"));
    assert.notEqual(precisionSupport("L40S", "int4"), a, "the rules build a new answer on each call");
    const gate = new PrecisionGate("int8");
    assert.equal(gate.support("A10G"), gate.support("A10G"));
  });

  it("states the refusing rule, or nothing when the GPU serves the precision", () => {
    const gate = new PrecisionGate("fp8");
    assert.equal(gate.refusal("H100"), undefined);
    assert.equal(gate.refusal("A100"), undefined, "weight-only FP8 still serves");
    assert.match(gate.refusal("T4") ?? "", /^FP8 W8A8 needs compute capability ≥ 8\.9 .*T4 has 7\.5$/);
    assert.equal(gate.refusal("no-such-gpu"), 'unknown GPU type "no-such-gpu"');
  });

  it("names the precision vLLM runs: the substitute where there is one, the requested one otherwise", () => {
    const bf16 = new PrecisionGate("bf16");
    assert.equal(bf16.served("T4"), "fp16");
    assert.equal(bf16.served("H100"), "bf16");
    assert.equal(new PrecisionGate("fp8").served("T4"), "fp8", "refused: the requested precision");
  });

  it("at(): the same gate for its own precision, a gate of the other precision otherwise", () => {
    const gate = new PrecisionGate("bf16");
    assert.equal(gate.at("bf16"), gate);
    const fp16 = gate.at("fp16");
    assert.notEqual(fp16, gate);
    assert.equal(fp16.precision, "fp16");
    assert.equal(gate.precision, "bf16");
  });

  it("warns once per GPU type served by a substitute or weight-only, never for a plain note or a refusal", () => {
    assert.deepEqual(new PrecisionGate("bf16").warnings(["T4", "H100", "T4"]), [
      "T4: bf16 needs compute capability ≥ 8.0; T4 has 7.5, so vLLM serves the model in fp16 (--dtype half).",
    ]);
    const fp8 = new PrecisionGate("fp8").warnings(["A100", "MI300X", "T4", "H100"]);
    assert.equal(fp8.length, 1, JSON.stringify(fp8));
    assert.match(
      fp8[0]!,
      /^A100: FP8 W8A8 needs compute capability ≥ 8\.9; A100 has 8\.0, so vLLM runs FP8 weights only/,
    );
    assert.deepEqual(new PrecisionGate("fp8").warnings([]), []);
  });
});
