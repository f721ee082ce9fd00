/**
 * `npm run bench quote`: median wall time of one quote over the full shipped catalog, for a few
 * typical requests, plus the catalog's size; then the same requests as footprint quotes (the
 * shipped Pulumi.dev.yaml footprint, expansions included) and with the shipped policy config,
 * reported beside the global quote. The first quote also builds the per-catalog index; that
 * one-off cost is printed separately.
 */
import { defaultCatalog } from "../platform/core/pricing/catalog";
import { parseQuoteRequest, quote, type QuoteOptions, type QuoteRequest } from "../platform/core/optimizer";
import { devFootprint } from "../platform/core/optimizer/test-fixtures";
import { placementPolicyFrom } from "../policy/policies/placement-policy";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Figure, Section } from "./report";

export const name = "quote";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(): Promise<Section[]> {
  const catalog = defaultCatalog();
  const now = new Date();
  const requests: Array<[string, QuoteRequest]> = [
    [
      "8B bf16, no constraints",
      parseQuoteRequest({
        model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      }),
    ],
    [
      "70B fp16, 2 replicas, spot",
      parseQuoteRequest({
        model: { name: "llama-3.1-70b", parametersBillions: 70, precision: "fp16", contextTokens: 8192 },
        replicas: 2,
        constraints: { capacity: "spot" },
      }),
    ],
    [
      "issue example (L4, us-east-1, ≤ $5/h)",
      parseQuoteRequest({
        model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
        constraints: {
          clouds: ["aws", "gcp", "azure"],
          regions: ["us-east-1"],
          gpuTypes: ["L4"],
          capacity: "any",
          maxHourlyUsd: 5,
        },
      }),
    ],
    [
      // 8×L4 (g6.48xlarge) holds 70B fp16 since the full AWS import; 8×T4 (g4dn.metal, 128 GiB) does not.
      "infeasible (70B fp16 on T4 in us-east-1)",
      parseQuoteRequest({
        model: { name: "llama-3.1-70b", parametersBillions: 70, precision: "fp16", contextTokens: 8192 },
        constraints: { regions: ["us-east-1"], gpuTypes: ["T4"] },
      }),
    ],
  ];
  const first = timeMs(() => quote(requests[0]![1], catalog, { now }));
  process.stdout.write(
    `catalog ${catalog.version} (as of ${catalog.asOf}): ${catalog.gpuOffers.length} GPU offers, ${catalog.serverless.length} serverless offers\n`,
  );
  process.stdout.write(`first quote (builds the per-catalog index): ${first.toFixed(3)} ms\n`);
  const figures: Figure[] = [
    {
      label: "catalog",
      value: `${catalog.version} (as of ${catalog.asOf}): ${catalog.gpuOffers.length} GPU offers, ${catalog.serverless.length} serverless offers`,
    },
    { label: "first quote (builds the per-catalog index)", value: `${first.toFixed(1)} ms` },
  ];
  const footprint = devFootprint();
  const policy = placementPolicyFrom(
    JSON.parse(readFileSync(join(__dirname, "..", "policy", "config.example.json"), "utf8")),
    "dev",
    "policy/config.example.json",
  );
  const modes: Array<[string, QuoteOptions]> = [
    ["global", { now }],
    ["footprint + expansions", { now, footprint }],
    ["footprint + expansions + policy", { now, footprint, policy }],
  ];
  for (const [mode, options] of modes) {
    process.stdout.write(`\n${mode}:\n`);
    const all: number[] = [];
    for (const [label, req] of requests) {
      for (let i = 0; i < 200; i += 1) quote(req, catalog, options); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < 2000; i += 1) samples.push(timeMs(() => quote(req, catalog, options)));
      all.push(...samples);
      const med = (median(samples) * 1000).toFixed(1);
      const p99 = (samples.sort((x, y) => x - y)[Math.floor(samples.length * 0.99)]! * 1000).toFixed(1);
      process.stdout.write(`  ${label.padEnd(42)} median ${med} µs  p99 ${p99} µs\n`);
      figures.push({ label: `${mode} quote: ${label}`, value: `median ${med} µs, p99 ${p99} µs` });
    }
    const overall = (median(all) * 1000).toFixed(1);
    process.stdout.write(`median of one ${mode} quote over the full catalog: ${overall} µs\n`);
    figures.push({
      label: `one ${mode} quote over the full catalog (all requests above)`,
      value: `median ${overall} µs`,
    });
  }
  // Workload quotes (issue 13: median < 1 ms over the full catalog): each shape sized by the performance model.
  const llama2 = {
    name: "llama-2-7b",
    parametersBillions: 6.74,
    precision: "fp16",
    contextTokens: 4096,
    architecture: { layers: 32, kvHeads: 32, headDim: 128 },
  } as const;
  const workloads: Array<[string, QuoteRequest]> = [
    [
      "7B, 20 req/s, 800/300 tokens, TPOT ≤ 60 ms",
      parseQuoteRequest({
        model: llama2,
        workload: { requestsPerSecond: 20, inputTokens: 800, outputTokens: 300, tpotP95Ms: 60 },
      }),
    ],
    [
      "70B fp8, 5 req/s, 2000/500 tokens, TTFT ≤ 2 s",
      parseQuoteRequest({
        model: { name: "llama-3.1-70b", parametersBillions: 70, precision: "fp8", contextTokens: 8192 },
        workload: { requestsPerSecond: 5, inputTokens: 2000, outputTokens: 500, ttftP95Ms: 2000 },
      }),
    ],
  ];
  process.stdout.write(`
global with a workload:
`);
  const withWorkload: number[] = [];
  for (const [label, req] of workloads) {
    for (let i = 0; i < 100; i += 1) quote(req, catalog, { now }); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < 1000; i += 1) samples.push(timeMs(() => quote(req, catalog, { now })));
    withWorkload.push(...samples);
    const med = (median(samples) * 1000).toFixed(1);
    const p99 = (samples.sort((x, y) => x - y)[Math.floor(samples.length * 0.99)]! * 1000).toFixed(1);
    process.stdout.write(`  ${label.padEnd(42)} median ${med} µs  p99 ${p99} µs\n`);
    figures.push({ label: `workload quote: ${label}`, value: `median ${med} µs, p99 ${p99} µs` });
  }
  const wMed = (median(withWorkload) * 1000).toFixed(1);
  process.stdout.write(
    `median of one global quote with a workload over the full catalog: ${wMed} µs (target < 1000 µs)\n`,
  );
  figures.push({ label: "one global quote with a workload over the full catalog", value: `median ${wMed} µs` });
  return [
    {
      title: "",
      figures,
      note: "2,000 timed quotes per request and mode after 200 warm-up quotes (workload quotes: 1,000 after 100), in one process. Footprint: the shipped Pulumi.dev.yaml; policy: policy/config.example.json for dev.",
    },
  ];
}
