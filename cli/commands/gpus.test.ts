import assert from "node:assert/strict";
import { GPU_SPECS } from "../../platform/core/gpu-specs";
import { ValidationError } from "../../platform/core/validation";
import type { CommandIO } from "./catalog";
import { runGpus } from "./gpus";

function io(): CommandIO & { stdout: string; stderr: string } {
  const b = {
    stdout: "",
    stderr: "",
    out(t: string) {
      b.stdout += t;
    },
    err(t: string) {
      b.stderr += t;
    },
  };
  return b;
}

describe("modelplane gpus", () => {
  it("prints one row per GPU in the spec table, with its memory and bandwidth", async () => {
    const b = io();
    assert.equal(await runGpus([], b), 0);
    for (const spec of GPU_SPECS) {
      const row = b.stdout.split("\n").find((l) => l.split(/\s+/)[0] === spec.name);
      assert.ok(row, `no row for ${spec.name}`);
      const cells = row.split(/\s{2,}/);
      assert.equal(cells[3], String(spec.memoryGB));
      assert.equal(cells[4], String(spec.memoryBandwidthGBps));
    }
  });

  it("--json carries every row with its sources", async () => {
    const b = io();
    assert.equal(await runGpus(["--json"], b), 0);
    const parsed = JSON.parse(b.stdout) as { gpus: Array<{ name: string; sources: unknown[] }> };
    assert.deepEqual(
      parsed.gpus.map((g) => g.name),
      GPU_SPECS.map((s) => s.name),
    );
    assert.ok(parsed.gpus.every((g) => g.sources.length > 0));
  });

  it("--precision fp8 says which GPUs serve it and names the rule for those that don't", async () => {
    const b = io();
    assert.equal(await runGpus(["--precision", "FP8"], b), 0);
    const row = (name: string): string => b.stdout.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
    assert.match(row("T4"), /no: .*8\.9/);
    assert.match(row("H100"), /yes/);
  });

  it("an unknown precision is bad input naming the flag", async () => {
    await assert.rejects(
      runGpus(["--precision", "fp7"], io()),
      (e: unknown) => e instanceof ValidationError && e.field === "--precision" && /fp16/.test(e.message),
    );
  });
});
