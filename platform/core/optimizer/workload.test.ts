import assert from "node:assert/strict";
import fc from "fast-check";
import { gpuSpec } from "../gpu-specs";
import { effectiveTflops, fitWorkload } from "../performance/model";
import { defaultCatalog } from "../pricing/catalog";
import { artifactSizeGiB, storageMonthlyUsd, unitHourlyUsd } from "../pricing/cost-model";
import type { Catalog } from "../pricing/types";
import { precisionSupport } from "../precision-rules";
import { sizeModel } from "../sizing";
import { CAPACITY_PREFERENCES, CLOUDS, GPU_TYPES, type Capacity, type Cloud } from "../types";
import { ValidationError } from "../validation";
import { parseQuoteRequest, quote, type QuoteRequest, type QuoteRequestInput } from "./index";

/** mulberry32: a tiny seeded PRNG so the generated requests are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const catalog = defaultCatalog();
const now = new Date("2026-11-23T00:00:00Z");
const LLAMA2_7B = {
  name: "llama-2-7b",
  parametersBillions: 6.74,
  precision: "fp16",
  contextTokens: 4096,
  architecture: { layers: 32, kvHeads: 32, headDim: 128 },
} as const;

const q = (input: QuoteRequestInput) => quote(parseQuoteRequest(input), catalog, { now, limit: 50 });

/**
 * Every feasible (offer, capacity) of a workload request, sized and priced without the optimizer:
 * constraints, memory, precision rule, FLOPS figure, then the performance model per offer.
 */
function bruteForce(req: QuoteRequest, cat: Catalog): Array<{ key: string; monthly: number; replicas: number }> {
  const w = req.workload!;
  const need = sizeModel(req.model);
  const c = req.constraints;
  const out: Array<{ key: string; monthly: number; replicas: number }> = [];
  const admit = (
    cloud: Cloud,
    region: string,
    gpuType: string,
    gpuCount: number,
    cap: Capacity,
    holds: number,
    unit: number | null,
    key: string,
  ) => {
    if (unit === null || holds < need.totalGiB) return;
    if (c.clouds && !c.clouds.includes(cloud)) return;
    if (c.regions && !c.regions.includes(region)) return;
    if (c.gpuTypes && !(c.gpuTypes as readonly string[]).includes(gpuType)) return;
    if (c.capacity !== "any" && c.capacity !== cap) return;
    const support = precisionSupport(gpuType, req.model.precision);
    if (!support.ok) return;
    const spec = gpuSpec(gpuType);
    if (!spec || effectiveTflops(spec, support.served) === null) return;
    const fit = fitWorkload(
      { parametersBillions: req.model.parametersBillions, precision: support.served, architecture: need.architecture },
      spec,
      gpuCount,
      w,
    );
    if (!fit.feasible) return;
    const replicas = Math.max(fit.replicas, req.replicas);
    const hourly = unit * replicas;
    if (c.maxHourlyUsd !== undefined && hourly > c.maxHourlyUsd) return;
    const hours = cap === "serverless" ? (730 * req.activeHoursPerDay) / 24 : 730;
    const storage = storageMonthlyUsd(cat, cloud, artifactSizeGiB(req.model)) ?? 0;
    out.push({ key, monthly: hourly * hours + storage, replicas });
  };
  for (const o of cat.gpuOffers) {
    if (o.suspect === true) continue; // the anomaly guard (pricing/anomaly.ts); no allowSuspect here
    for (const cap of ["on-demand", "spot"] as const) {
      const holds = o.gpuCount * o.gpuMemoryGiB;
      admit(
        o.cloud,
        o.region,
        o.gpuType,
        o.gpuCount,
        cap,
        holds,
        unitHourlyUsd(o, cap),
        `${o.cloud}|${o.region}|${o.instanceType}|${cap}`,
      );
    }
  }
  for (const s of cat.serverless) {
    const holds = s.gpuCount * s.gpuMemoryGiB;
    admit(
      s.cloud,
      s.region,
      s.gpuType,
      s.gpuCount,
      "serverless",
      holds,
      unitHourlyUsd(s, "serverless"),
      `${s.cloud}|${s.region}|${s.sku}|serverless`,
    );
  }
  return out;
}

describe("optimizer: precision rules in placement", () => {
  it("a 70B fp8 request never lands on T4 or V100 (any cloud, any capacity, scope anywhere, with and without a workload)", () => {
    const rand = prng(7013);
    let placed = 0;
    for (let i = 0; i < 60; i += 1) {
      const input: QuoteRequestInput = {
        model: { name: "llama-70b", parametersBillions: 70, precision: "fp8", contextTokens: pick(rand, [2048, 8192]) },
        replicas: pick(rand, [1, 2]),
        constraints: {
          scope: "anywhere",
          clouds: rand() < 0.5 ? [pick(rand, CLOUDS)] : undefined,
          capacity: pick(rand, CAPACITY_PREFERENCES),
          gpuTypes: rand() < 0.3 ? ["T4", pick(rand, GPU_TYPES)] : undefined,
        },
      };
      if (rand() < 0.4) input.workload = { requestsPerSecond: 0.5, inputTokens: 500, outputTokens: 200 };
      const r = q(input);
      for (const p of r.placements) {
        placed += 1;
        assert.ok(!["T4", "V100", "V100-32GB"].includes(p.gpuType), `request ${i}: placed on ${p.gpuType}`);
        assert.ok(precisionSupport(p.gpuType, "fp8").ok, `request ${i}: ${p.gpuType} cannot serve fp8`);
      }
    }
    assert.ok(placed > 100, `only ${placed} placements checked`);
  });

  it("names the precision rule when only GPUs that cannot serve the precision are allowed", () => {
    const r = q({
      model: { name: "codellama-34b", parametersBillions: 34, precision: "fp8", contextTokens: 4096 },
      constraints: { scope: "anywhere", gpuTypes: ["T4"] },
    });
    assert.equal(r.placements.length, 0);
    const refused = precisionSupport("T4", "fp8");
    assert.ok(!refused.ok);
    assert.ok(r.infeasible?.message.includes(refused.rule), r.infeasible?.message);
    assert.deepEqual(r.infeasible?.precisionRules, [refused.rule]);
    // The same request in fp16 would place on T4 (4×T4 or 8×T4 holds it): only the rule excluded it.
    const fp16 = q({
      model: { name: "codellama-34b", parametersBillions: 34, precision: "fp16", contextTokens: 4096 },
      constraints: { scope: "anywhere", gpuTypes: ["T4"] },
    });
    assert.ok(fp16.placements.length > 0);
  });

  it("keeps a substituted offer (bf16 served as fp16 on T4) and warns", () => {
    const r = q({
      model: { name: "m", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
      constraints: { scope: "anywhere", gpuTypes: ["T4"] },
    });
    assert.ok(r.placements.length > 0 && r.placements.every((p) => p.gpuType === "T4"));
    assert.ok(
      r.warnings.some((w) => w.startsWith("T4:") && w.includes("fp16")),
      r.warnings.join("\n"),
    );
    const l4 = q({
      model: { name: "m", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
      constraints: { scope: "anywhere", gpuTypes: ["L4"] },
    });
    assert.ok(!l4.warnings.some((w) => w.includes("--dtype half")), "no substitution warning on a bf16 GPU");
  });
});

describe("optimizer: workload", () => {
  const loose = { requestsPerSecond: 1, inputTokens: 100, outputTokens: 100, tpotP95Ms: 200 };

  describe("request schema", () => {
    const cases: Array<[string, unknown, string]> = [
      ["zero rate", { ...loose, requestsPerSecond: 0 }, "workload.requestsPerSecond"],
      ["negative prompt", { ...loose, inputTokens: -5 }, "workload.inputTokens"],
      ["huge completion", { ...loose, outputTokens: 1e12 }, "workload.outputTokens"],
      ["huge objective", { ...loose, tpotP95Ms: 1e9 }, "workload.tpotP95Ms"],
      ["text rate", { ...loose, requestsPerSecond: "1" }, "workload.requestsPerSecond"],
      ["unknown key", { ...loose, rps: 3 }, "workload.rps"],
      ["missing rate", { inputTokens: 10, outputTokens: 10 }, "workload.requestsPerSecond"],
    ];
    for (const [name, workload, field] of cases) {
      it(`rejects ${name}, naming ${field}`, () => {
        assert.throws(
          () => parseQuoteRequest({ model: LLAMA2_7B, workload }),
          (e: unknown) => e instanceof ValidationError && e.field === field,
        );
      });
    }
  });

  it("without a workload, placements carry no workload figures and keep the request's replicas", () => {
    const r = q({ model: LLAMA2_7B, replicas: 2, constraints: { scope: "anywhere" } });
    assert.ok(r.placements.length > 0);
    for (const p of r.placements) {
      assert.equal(p.replicas, 2);
      assert.equal(p.usdPerMillionTokens, undefined);
      assert.equal(p.predicted, undefined);
    }
  });

  it("with a workload, each placement has replicas, $/M tokens of its monthly cost and predictions within the SLO", () => {
    const w = { requestsPerSecond: 20, inputTokens: 800, outputTokens: 300, tpotP95Ms: 60, ttftP95Ms: 2000 };
    const r = q({ model: LLAMA2_7B, activeHoursPerDay: 12, workload: w, constraints: { scope: "anywhere" } });
    assert.ok(r.placements.length > 0);
    const millionTokens = (w.requestsPerSecond * (w.inputTokens + w.outputTokens) * 3600 * 730 * 12) / 24 / 1e6;
    for (const p of r.placements) {
      assert.ok(p.replicas >= 1);
      assert.ok(Math.abs(p.hourlyUsd - p.unitHourlyUsd * p.replicas) < 1e-9);
      assert.ok(Math.abs(p.usdPerMillionTokens! - p.monthlyUsd / millionTokens) < 1e-9);
      assert.ok(p.predicted!.tpotMs <= w.tpotP95Ms && p.predicted!.ttftMs <= w.ttftP95Ms, JSON.stringify(p.predicted));
      assert.equal(p.predicted!.tokensPerSecond, w.requestsPerSecond * w.outputTokens);
      assert.notEqual(p.gpuType, "A10G");
    }
    assert.ok(
      r.placements.some((p) => p.replicas > 1),
      "20 req/s needs more than one replica somewhere",
    );
  });

  it("leaves out GPUs without a FLOPS figure (A10G) and says so, never guessing", () => {
    const r = q({ model: LLAMA2_7B, workload: loose, constraints: { scope: "anywhere", gpuTypes: ["A10G", "L4"] } });
    assert.ok(r.placements.length > 0 && r.placements.every((p) => p.gpuType === "L4"));
    assert.ok(
      r.warnings.some((x) => x.includes("A10G") && x.includes("FLOPS")),
      r.warnings.join("\n"),
    );
    const only = q({ model: LLAMA2_7B, workload: loose, constraints: { scope: "anywhere", gpuTypes: ["A10G"] } });
    assert.equal(only.placements.length, 0);
    assert.ok(only.infeasible?.message.includes("A10G") && only.infeasible.message.includes("FLOPS"));
    // Without a workload the A10G is placed by memory as before.
    const memory = q({ model: LLAMA2_7B, constraints: { scope: "anywhere", gpuTypes: ["A10G"] } });
    assert.ok(memory.placements.length > 0);
  });

  it("names the workload field and the best achievable value across offers when nothing fits", () => {
    const w = { requestsPerSecond: 1, inputTokens: 500, outputTokens: 200, tpotP95Ms: 0.2 };
    const r = q({ model: LLAMA2_7B, workload: w, constraints: { scope: "anywhere" } });
    assert.equal(r.placements.length, 0);
    const miss = r.infeasible?.workload?.find((m) => m.field === "workload.tpotP95Ms");
    assert.ok(miss, JSON.stringify(r.infeasible));
    assert.ok(r.infeasible!.message.includes("workload.tpotP95Ms"));
    assert.ok(r.infeasible!.message.includes(miss.bestAchievable.toFixed(1)));
    // The best achievable is the minimum of the model's figure over every shape the catalog offers.
    let best = Number.POSITIVE_INFINITY;
    for (const o of catalog.gpuOffers) {
      const spec = gpuSpec(o.gpuType);
      if (!spec || o.gpuCount * o.gpuMemoryGiB < sizeModel(LLAMA2_7B).totalGiB) continue;
      const fit = fitWorkload({ ...LLAMA2_7B, precision: "fp16" }, spec, o.gpuCount, w);
      if (!fit.feasible && fit.field === "workload.tpotP95Ms") best = Math.min(best, fit.bestAchievable);
    }
    assert.ok(Math.abs(best - miss.bestAchievable) < 1e-9, `${best} vs ${miss.bestAchievable}`);
    assert.deepEqual(r.infeasible!.relax, ["workload.tpotP95Ms"]);
  });

  it("the first placement is the exact minimum over every offer sized by the model (brute force, 80 seeded requests)", () => {
    const rand = prng(20261130);
    let feasibleSeen = 0;
    for (let i = 0; i < 80; i += 1) {
      const constraints: Record<string, unknown> = { scope: "anywhere" };
      if (rand() < 0.4) constraints.clouds = [pick(rand, CLOUDS)];
      if (rand() < 0.3) constraints.gpuTypes = [pick(rand, GPU_TYPES), pick(rand, GPU_TYPES)];
      if (rand() < 0.5) constraints.capacity = pick(rand, CAPACITY_PREFERENCES);
      if (rand() < 0.2) constraints.maxHourlyUsd = Math.round(rand() * 6000) / 100;
      const req = parseQuoteRequest({
        model: {
          name: "m",
          parametersBillions: pick(rand, [1, 7, 8, 13, 34, 70]),
          precision: pick(rand, ["fp16", "bf16", "fp8", "int4"] as const),
          contextTokens: pick(rand, [2048, 8192]),
        },
        replicas: pick(rand, [1, 1, 2]),
        activeHoursPerDay: pick(rand, [24, 8]),
        workload: {
          requestsPerSecond: pick(rand, [0.2, 1, 5, 30]),
          inputTokens: pick(rand, [100, 1000, 4000]),
          outputTokens: pick(rand, [50, 300, 1000]),
          tpotP95Ms: pick(rand, [undefined, 30, 80, 200]),
          ttftP95Ms: pick(rand, [undefined, 500, 5000]),
        },
        constraints,
      });
      const brute = bruteForce(req, catalog);
      const result = quote(req, catalog, { now });
      assert.equal(result.feasibleCount, brute.length, `request ${i}: feasible count`);
      if (brute.length === 0) {
        assert.ok(result.infeasible, `request ${i}: no explanation`);
        continue;
      }
      feasibleSeen += 1;
      const min = Math.min(...brute.map((b) => b.monthly));
      const top = result.placements[0]!;
      assert.ok(Math.abs(top.monthlyUsd - min) < 1e-6, `request ${i}: ${top.monthlyUsd} vs ${min}`);
      const byKey = new Map(brute.map((b) => [b.key, b]));
      for (const p of result.placements) {
        const b = byKey.get(`${p.cloud}|${p.region}|${p.instanceType}|${p.capacity}`);
        assert.ok(b, `request ${i}: placement not feasible`);
        assert.equal(p.replicas, b.replicas, `request ${i}: replicas`);
      }
    }
    assert.ok(feasibleSeen > 30, `${feasibleSeen} feasible`);
  });

  it("doubling requestsPerSecond never lowers the total cost (fast-check, fixed seed)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 100, noNaN: true }),
        fc.integer({ min: 16, max: 4000 }),
        fc.integer({ min: 16, max: 1000 }),
        fc.option(fc.integer({ min: 20, max: 200 }), { nil: undefined }),
        fc.constantFrom("any", "on-demand", "spot"),
        (rps, input, output, tpot, capacity) => {
          const base = { model: LLAMA2_7B, constraints: { scope: "anywhere", capacity } } as const;
          const w = { requestsPerSecond: rps, inputTokens: input, outputTokens: output, tpotP95Ms: tpot };
          const one = quote(parseQuoteRequest({ ...base, workload: w }), catalog, { now, limit: 1 });
          const two = quote(parseQuoteRequest({ ...base, workload: { ...w, requestsPerSecond: rps * 2 } }), catalog, {
            now,
            limit: 1,
          });
          const cost = (r: typeof one): number => r.placements[0]?.monthlyUsd ?? Number.POSITIVE_INFINITY;
          return cost(two) >= cost(one);
        },
      ),
      { seed: 1130, numRuns: 60 },
    );
  });

  it("Mélange's finding through quote(): Llama2-7b at 1 req/s, short requests, loose SLO lands on L4/A10-class GPUs", () => {
    for (const capacity of ["any", "on-demand"] as const) {
      const r = q({ model: LLAMA2_7B, workload: loose, constraints: { scope: "anywhere", capacity } });
      const top = r.placements[0];
      assert.ok(top && ["L4", "A10", "A10G"].includes(top.gpuType), `${capacity}: ${top?.gpuType}`);
    }
  });

  it("Mélange's finding through quote(): long requests at a 40 ms TPOT land on A100/H100-class GPUs", () => {
    const w = { requestsPerSecond: 1, inputTokens: 2000, outputTokens: 2000, tpotP95Ms: 40 };
    for (const capacity of ["any", "on-demand"] as const) {
      const r = q({ model: LLAMA2_7B, workload: w, constraints: { scope: "anywhere", capacity } });
      const top = r.placements[0];
      assert.ok(top && ["A100", "A100-80GB", "H100"].includes(top.gpuType), `${capacity}: ${top?.gpuType}`);
    }
  });
});
