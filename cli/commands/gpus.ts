/**
 * `modelplane gpus [--json] [--precision P]`: the GPU spec table (memory, bandwidth, dense
 * TFLOPS, compute capability), each figure with its source in `--json`. With `--precision`, a
 * column says whether vLLM can serve that precision on each GPU, and under which rule.
 */
import type { Command } from "../main";
import { ValidationError } from "../../platform/core/validation";
import { GPU_SPECS, SPECS_CHECKED, type GpuSpec } from "../../platform/core/gpu-specs";
import { PRECISIONS, precisionSupport, type Precision } from "../../platform/core/precision-rules";
import { parseFlags, processIO, type CommandIO } from "./catalog";

function parsePrecision(value: string): Precision {
  const p = value.trim().toLowerCase();
  if (!(PRECISIONS as readonly string[]).includes(p)) {
    throw new ValidationError("--precision", `unknown precision "${value}"; use one of ${PRECISIONS.join(", ")}`);
  }
  return p as Precision;
}

const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? "—" : String(n));

function support(spec: GpuSpec, precision: Precision): string {
  const s = precisionSupport(spec.name, precision);
  if (!s.ok) return `no: ${s.rule}`;
  const served = s.served === precision ? "yes" : `as ${s.served}`;
  return s.note ? `${served} (${s.note})` : served;
}

export async function runGpus(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(
    argv,
    { json: { type: "boolean" }, precision: { type: "string" }, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help) {
    io.out(`usage: modelplane gpus [--json] [--precision ${PRECISIONS.join("|")}]\n`);
    return 0;
  }
  const precision = values.precision === undefined ? undefined : parsePrecision(values.precision);
  if (values.json) {
    const rows = GPU_SPECS.map((spec) =>
      precision === undefined ? spec : { ...spec, precision: { [precision]: precisionSupport(spec.name, precision) } },
    );
    io.out(`${JSON.stringify({ checked: SPECS_CHECKED, gpus: rows }, null, 2)}\n`);
    return 0;
  }
  const header = ["gpu", "vendor", "arch", "GB", "GB/s", "bf16 TF", "fp16 TF", "fp8 TF", "cc"];
  if (precision !== undefined) header.push(`serves ${precision}`);
  const rows = GPU_SPECS.map((s) => {
    const row = [
      s.name,
      s.vendor,
      s.architecture,
      fmt(s.memoryGB),
      fmt(s.memoryBandwidthGBps),
      fmt(s.denseBf16Tflops),
      fmt(s.denseFp16Tflops),
      fmt(s.denseFp8Tflops),
      s.computeCapability ?? s.gfxArch ?? "—",
    ];
    if (precision !== undefined) row.push(support(s, precision));
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  io.out(
    [
      line(header),
      ...rows.map(line),
      "",
      `TFLOPS are dense; "—" means the GPU lacks the format or no primary source publishes it.`,
      `Checked ${SPECS_CHECKED}; every figure's source is in --json.`,
    ].join("\n") + "\n",
  );
  return 0;
}

export const command: Command = {
  summary: "show the GPU spec table (--json for every figure's source)",
  run: (argv) => runGpus(argv, processIO),
};
