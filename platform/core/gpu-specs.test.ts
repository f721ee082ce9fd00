import assert from "node:assert/strict";
import {
  GPU_ALIASES,
  GPU_NAMES,
  GPU_SPECS,
  SPECS_CHECKED,
  gpuMemoryGiB,
  gpuSpec,
  type GpuSpec,
  type SpecField,
} from "./gpu-specs";

function row(name: string): GpuSpec {
  const spec = gpuSpec(name);
  assert.ok(spec, `no row for ${name}`);
  return spec;
}

function sourced(spec: GpuSpec, field: SpecField): boolean {
  return spec.sources.some((s) => s.field === field);
}

describe("GPU_SPECS", function () {
  it("has exactly the catalog's GPU types, each name unique (also after case/alias normalization)", function () {
    assert.deepEqual([...GPU_NAMES].sort(), [
      "A10",
      "A100",
      "A100-80GB",
      "A10G",
      "B200",
      "B300",
      "H100",
      "H100-MEGA",
      "H200",
      "L4",
      "L40S",
      "MI300X",
      "T4",
      "V100",
      "V100-32GB",
    ]);
    assert.equal(new Set(GPU_NAMES).size, GPU_NAMES.length);
    assert.equal(new Set(GPU_NAMES.map((n) => n.toLowerCase())).size, GPU_NAMES.length);
    for (const name of GPU_NAMES) assert.equal(gpuSpec(name)?.name, name);
  });

  it("every row has a source for its memory and its bandwidth", function () {
    for (const spec of GPU_SPECS) {
      assert.ok(sourced(spec, "memoryGB"), `${spec.name}: memoryGB unsourced`);
      assert.ok(sourced(spec, "memoryBandwidthGBps"), `${spec.name}: memoryBandwidthGBps unsourced`);
      const memory = spec.sources.filter((s) => s.field === "memoryGB");
      assert.ok(
        memory.some((s) => s.publisher !== "third-party"),
        `${spec.name}: memory only from a third party`,
      );
    }
  });

  it("every stated figure has a source, and every source is a titled https URL", function () {
    const figures: readonly SpecField[] = [
      "denseBf16Tflops",
      "denseFp16Tflops",
      "denseFp8Tflops",
      "int8Tops",
      "computeCapability",
      "gfxArch",
    ];
    for (const spec of GPU_SPECS) {
      for (const field of figures) {
        const value = spec[field];
        if (value !== null && value !== undefined) assert.ok(sourced(spec, field), `${spec.name}: ${field} unsourced`);
      }
      for (const s of spec.sources) {
        assert.match(s.url, /^https:\/\/\S+$/, `${spec.name}: ${s.url}`);
        assert.ok(s.title.length > 0, `${spec.name}: untitled source`);
      }
    }
  });

  it("a row relying on a third-party figure or missing a tensor figure it should have explains it in a note", function () {
    for (const spec of GPU_SPECS) {
      const thirdParty = spec.sources.some((s) => s.publisher === "third-party");
      const unknownTensor = spec.denseFp16Tflops === null;
      if (thirdParty || unknownTensor)
        assert.ok(spec.note !== undefined && spec.note.length > 0, `${spec.name}: needs a note`);
    }
    assert.equal(row("A10G").denseBf16Tflops, null);
    assert.match(row("A10G").note ?? "", /unknown/);
  });

  it("records the date it was checked", function () {
    assert.equal(SPECS_CHECKED, "2026-11-30");
    for (const spec of GPU_SPECS) assert.equal(spec.checked, "2026-11-30");
  });

  it("orders memory bandwidth H200 > H100 > A100-80GB > A100 > L40S > L4", function () {
    const order = ["H200", "H100", "A100-80GB", "A100", "L40S", "L4"].map((n) => row(n).memoryBandwidthGBps);
    for (let i = 1; i < order.length; i++)
      assert.ok(order[i - 1]! > order[i]!, `bandwidth order broken at ${i}: ${order.join(" > ")}`);
    assert.ok(row("B200").memoryBandwidthGBps > row("H200").memoryBandwidthGBps);
    assert.ok(row("MI300X").memoryBandwidthGBps > row("H200").memoryBandwidthGBps);
  });

  it("orders compute: B200 fp8 > H100 fp8 > L40S fp8 > L4 fp8; H100 bf16 > A100 bf16 > A10 bf16", function () {
    const fp8 = ["B200", "H100", "L40S", "L4"].map((n) => row(n).denseFp8Tflops ?? 0);
    for (let i = 1; i < fp8.length; i++) assert.ok(fp8[i - 1]! > fp8[i]!, `fp8 order: ${fp8.join(" > ")}`);
    const bf16 = ["H100", "A100", "A10"].map((n) => row(n).denseBf16Tflops ?? 0);
    for (let i = 1; i < bf16.length; i++) assert.ok(bf16[i - 1]! > bf16[i]!, `bf16 order: ${bf16.join(" > ")}`);
  });

  it("stores dense figures: H100 bf16 is half NVIDIA's sparse 1,979, and fp8 beats bf16 wherever both exist", function () {
    assert.equal(row("H100").denseBf16Tflops, 1979 / 2);
    assert.equal(row("H100").denseFp8Tflops, 3958 / 2);
    assert.equal(row("L4").denseFp8Tflops, 485 / 2);
    for (const spec of GPU_SPECS) {
      if (spec.denseFp8Tflops !== null && spec.denseBf16Tflops !== null)
        assert.ok(spec.denseFp8Tflops > spec.denseBf16Tflops, spec.name);
    }
  });

  it("has no fp8 or bf16 on T4 and V100 (fp16 given instead), and no fp8 on Ampere", function () {
    for (const name of ["T4", "V100", "V100-32GB"]) {
      const spec = row(name);
      assert.equal(spec.denseFp8Tflops, null, name);
      assert.equal(spec.denseBf16Tflops, null, name);
      assert.ok((spec.denseFp16Tflops ?? 0) > 0, name);
    }
    for (const name of ["A10", "A10G", "A100", "A100-80GB"]) assert.equal(row(name).denseFp8Tflops, null, name);
  });

  it("gives NVIDIA rows a compute capability consistent with the architecture, AMD rows a gfx arch", function () {
    const expected: Readonly<Record<string, RegExp>> = {
      volta: /^7\.0$/,
      turing: /^7\.5$/,
      ampere: /^8\.[06]$/,
      ada: /^8\.9$/,
      hopper: /^9\.0$/,
      blackwell: /^10\.\d$/,
    };
    for (const spec of GPU_SPECS) {
      if (spec.vendor === "amd") {
        assert.equal(spec.computeCapability, null, spec.name);
        assert.match(spec.gfxArch ?? "", /^gfx\d+$/, spec.name);
      } else {
        assert.equal(spec.gfxArch, undefined, spec.name);
        assert.match(spec.computeCapability ?? "", expected[spec.architecture] ?? /^$/, spec.name);
      }
    }
    assert.equal(row("MI300X").gfxArch, "gfx942");
  });

  it("treats H100-MEGA as the same silicon as H100", function () {
    const { name: _a, sources: _s, note: _n, ...h100 } = row("H100");
    const { name: _b, sources: _t, note: _m, ...mega } = row("H100-MEGA");
    assert.deepEqual(mega, h100);
  });
});

describe("gpuSpec", function () {
  it("is case-insensitive and accepts aliases and cloud accelerator names", function () {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["t4", "T4"],
      ["a100-80gb", "A100-80GB"],
      ["A100-40GB", "A100"],
      ["a100 40gb", "A100"],
      ["H100-80GB", "H100"],
      ["h100-sxm", "H100"],
      ["nvidia-tesla-t4", "T4"],
      ["nvidia-tesla-a100", "A100"],
      ["nvidia-a100-80gb", "A100-80GB"],
      ["nvidia-h100-80gb", "H100"],
      ["nvidia-h100-mega-80gb", "H100-MEGA"],
      ["nvidia-h200-141gb", "H200"],
      ["nvidia-l4", "L4"],
      ["nvidia-b200", "B200"],
      ["NVIDIA L40S", "L40S"],
      ["AMD Instinct MI300X", "MI300X"],
      ["v100-32g", "V100-32GB"],
    ];
    for (const [input, name] of cases) assert.equal(gpuSpec(input)?.name, name, input);
  });

  it("returns undefined for unknown names rather than guessing", function () {
    for (const input of ["", "A100-120GB", "H100-PCIE-96GB", "K80", "mi250x", "h1000"])
      assert.equal(gpuSpec(input), undefined, input);
  });

  it("maps every alias to an existing row", function () {
    for (const [alias, target] of Object.entries(GPU_ALIASES)) {
      assert.ok(GPU_NAMES.includes(target), `${alias} → ${target}`);
      assert.equal(gpuSpec(alias)?.name, target, alias);
    }
  });
});

describe("gpuMemoryGiB", function () {
  it('returns the stated capacity (GPU "GB" is JEDEC binary), via aliases too', function () {
    assert.equal(gpuMemoryGiB("A100-80GB"), 80);
    assert.equal(gpuMemoryGiB("nvidia-h200-141gb"), 141);
    assert.equal(gpuMemoryGiB("t4"), 16);
    assert.equal(gpuMemoryGiB("MI300X"), 192);
  });

  it("throws for an unknown GPU, naming the known ones", function () {
    assert.throws(() => gpuMemoryGiB("K80"), /unknown GPU type "K80".*A100-80GB/);
  });
});
