/**
 * The offline plan of a per-model stack: quote an 8B model, build the spec of its top placement,
 * and time `planDeployment` (program under recording mocks in the warm worker + pricing + every
 * policy + the real-cloud checks: schemas, add-on contract, cloud limits, GPU arithmetic). Prints
 * the cold first plan (worker start-up, SDK and schema loading) and the median of warm plans.
 * Target: median < 300 ms. Then the platform plan of the example Pulumi.dev.yaml, timed the same way.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { defaultCatalog } from "../platform/core/pricing/catalog";
import { parseQuoteRequest, quote } from "../platform/core/optimizer";
import { join } from "node:path";
import { closePlanWorker, planDeployment, planPlatformFile } from "../platform/service/plan";
import { specFromPlacement } from "../platform/service/plan/quote";
import { planPreflight } from "../platform/service/plan/preflight";
import type { Cloud } from "../platform/core/types";
import { footprintFromConfigFile } from "../programs/platform/footprint";
import type { Figure, Section } from "./report";

export const name = "plan";

const RUNS = 30;
const PLATFORM_RUNS = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export async function run(): Promise<Section[]> {
  const catalog = defaultCatalog();
  // Planned against the shipped dev platform: each cloud's placement in its footprint region.
  const footprint = footprintFromConfigFile(join(__dirname, "..", "Pulumi.dev.yaml"), catalog);
  const specs = (["aws", "gcp", "azure"] as Cloud[]).map((cloud) => {
    const region = footprint.clusters.find((c) => c.cloud === cloud)?.region;
    if (!region) throw new Error(`the dev footprint has no ${cloud} cluster`);
    const request = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      constraints: { clouds: [cloud], regions: [region], capacity: "spot" },
    });
    const top = quote(request, catalog).placements[0];
    if (!top) throw new Error(`no ${cloud} placement in the catalog`);
    return { cloud, spec: specFromPlacement(request, top, { owner: "bench", costCenter: "bench" }) };
  });
  const figures: Figure[] = [];
  try {
    const t0 = performance.now();
    const first = await planDeployment(specs[0]?.spec, { catalog, footprint });
    const cold = (performance.now() - t0).toFixed(0);
    process.stdout.write(
      `cold first plan (worker start + SDK and schema load): ${cold} ms, ${first.resources.length} resources\n`,
    );
    figures.push({ label: "cold first plan in a process (worker start, SDK and schema load)", value: `${cold} ms` });
    const inThreadBefore = performance.eventLoopUtilization();
    for (const { cloud, spec } of specs) {
      const times: number[] = [];
      let resources = 0;
      let findings = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const report = await planDeployment(spec, { catalog, footprint });
        times.push(performance.now() - t);
        resources = report.resources.length;
        findings = report.findings.length;
      }
      const spread = `median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;
      process.stdout.write(
        `${cloud} per-model stack (${resources} resources, ${findings} findings): ${spread} over ${RUNS} plans (target < 300 ms)\n`,
      );
      figures.push({ label: `warm plan, ${cloud} per-model stack (${resources} resources)`, value: spread });
    }
    // planDeployment records in the worker but checks, prices and evaluates policy in this thread.
    const inThread = performance.eventLoopUtilization(inThreadBefore).active / (RUNS * specs.length);
    process.stdout.write(
      `plans above (recorded in the worker, the rest in this thread): event loop ${inThread.toFixed(1)} ms per plan\n`,
    );
    figures.push({
      label: "planDeployment (CLI plan; the pre-flight before #11): event loop per plan",
      value: `${inThread.toFixed(1)} ms`,
    });
    // What a pre-flight costs other callers of the API's process (#11): the API plans in the plan
    // worker (recording, checks, pricing, policy); its event loop only posts the spec and reads the
    // verdict. Its active time per plan is that share; the delay histogram's max is the longest a
    // timer waited meanwhile.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const busyBefore = performance.eventLoopUtilization();
    delay.enable();
    for (const { spec } of specs) {
      for (let i = 0; i < RUNS; i++) await planPreflight(spec, { catalog, footprint, activeHoursPerDay: 24 });
    }
    delay.disable();
    const busy = performance.eventLoopUtilization(busyBefore);
    const perPlan = busy.active / (RUNS * specs.length);
    const blocked = `event loop ${perPlan.toFixed(1)} ms per plan; delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`;
    process.stdout.write(`pre-flight plans (the API's path, in the plan worker): ${blocked}\n`);
    figures.push({ label: "pre-flight plans in the plan worker: the API's event loop", value: blocked });
    const file = join(__dirname, "..", "Pulumi.dev.yaml");
    const times: number[] = [];
    let resources = 0;
    let findings = 0;
    for (let i = 0; i < PLATFORM_RUNS; i++) {
      const t = performance.now();
      const report = await planPlatformFile(file, { catalog });
      times.push(performance.now() - t);
      resources = report.resources.length;
      findings = report.findings.length;
    }
    const spread = `median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;
    process.stdout.write(
      `platform Pulumi.dev.yaml (${resources} resources, ${findings} findings): ${spread} over ${PLATFORM_RUNS} plans\n`,
    );
    figures.push({ label: `warm plan, platform Pulumi.dev.yaml (${resources} resources)`, value: spread });
  } finally {
    await closePlanWorker();
  }
  return [
    {
      title: "",
      figures,
      note: `Offline plan of an 8B spot deployment's stack (program under mocks, pricing, every policy, the real-cloud checks), ${RUNS} warm plans per cloud; the platform plan of Pulumi.dev.yaml, ${PLATFORM_RUNS} warm plans. Target: median < 300 ms per model stack.`,
    },
  ];
}
