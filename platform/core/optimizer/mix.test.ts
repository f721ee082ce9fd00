import assert from "node:assert/strict";
import fc from "fast-check";
import { quote, type MixPlacement, type QuotedPlacement } from "./index";
import { MAX_UTILIZATION, fitWorkload, latencies, maxLoadPerReplica, type Workload } from "../performance/model";
import { gpuSpec } from "../gpu-specs";
import { HOURS_PER_MONTH } from "../types";
import { now, offer, request, shipped, tiny } from "./testing";
import { artifactSizeGiB, storageMonthlyUsd } from "../pricing/cost-model";
import { MIN_MIX_SAVING_USD } from "./mix";
import type { GpuOffer } from "../pricing/types";

const SMALL = {
  parametersBillions: 1,
  precision: "bf16" as const,
  architecture: { layers: 2, kvHeads: 1, headDim: 64 },
};
const WORKLOAD = { inputTokens: 4000, outputTokens: 400, tpotP95Ms: 40 };

/** The most req/s one replica of 1× `gpu` carries for the test model and workload. */
function loadOf(gpu: string, rate: number): number {
  const spec = gpuSpec(gpu)!;
  const max = maxLoadPerReplica(SMALL, spec, 1, { ...WORKLOAD, requestsPerSecond: rate });
  assert.ok(max, `${gpu} carries the test workload`);
  return max.loadRps;
}

const l4 = (type: string, price: number, extra: Partial<GpuOffer> = {}): GpuOffer =>
  offer("aws", type, price, null, { gpuType: "L4", gpuMemoryGiB: 24, ...extra });

const isMix = (p: QuotedPlacement | undefined): p is MixPlacement => p !== undefined && "mix" in p;

function quoteMix(offers: GpuOffer[], rate: number, replicas = 1, more: Parameters<typeof tiny>[1] = {}) {
  return quote(
    request({
      replicas,
      constraints: { capacity: "on-demand", scope: "anywhere" },
      workload: { ...WORKLOAD, requestsPerSecond: rate, allowMix: true },
    }),
    tiny(offers, more),
    { now },
  );
}

/** The shipped catalog's object-storage rows: a mix pays its weights' storage once. */
const STORAGE = { storage: shipped.storage };
const storageOf = (cloud: "aws" | "gcp") =>
  storageMonthlyUsd(tiny([], STORAGE), cloud, artifactSizeGiB({ parametersBillions: 1, precision: "bf16" }))!;

/** Every figure of a mix, recomputed from its parts: the totals, the head shape, the predictions, the saving. */
function checkMixFigures(mix: MixPlacement, rate: number, storage: number): void {
  const [first, second] = mix.mix;
  assert.ok(first && second && mix.mix.length === 2);
  assert.ok(first.loadRps >= second.loadRps, "the part carrying more comes first");
  for (const key of ["cloud", "region", "instanceType", "gpuType", "gpuCount", "capacity", "unitHourlyUsd"] as const) {
    assert.equal(mix[key], first[key], `the placement's ${key} is its first part's`);
  }
  assert.equal(mix.replicas, first.replicas + second.replicas);
  const hourly = first.replicas * first.unitHourlyUsd + second.replicas * second.unitHourlyUsd;
  assert.ok(Math.abs(mix.hourlyUsd - hourly) < 1e-9, `hourly ${mix.hourlyUsd} vs ${hourly}`);
  const monthly = hourly * HOURS_PER_MONTH + storage;
  assert.ok(Math.abs(mix.monthlyUsd - monthly) < 1e-6, `monthly ${mix.monthlyUsd} vs ${monthly}: storage once`);
  assert.ok(Math.abs(mix.atRestMonthlyUsd - monthly) < 1e-6, "nodes bill at rest");
  assert.ok(Math.abs(mix.atMaxMonthlyUsd - monthly) < 1e-6);
  assert.equal(mix.storageMonthlyUsd, storage);
  assert.ok(Math.abs(first.loadRps + second.loadRps - rate) < 1e-9, "the parts carry the rate");
  for (const m of mix.mix) {
    const bound = maxLoadPerReplica(SMALL, gpuSpec(m.gpuType)!, m.gpuCount, { ...WORKLOAD, requestsPerSecond: rate })!;
    const at = latencies(bound.replica, m.loadRps / m.replicas);
    assert.deepEqual(
      m.predicted,
      { ttftMs: at.ttftMs, tpotMs: at.tpotMs },
      `${m.instanceType} at its per-replica share`,
    );
    assert.ok(m.loadRps / m.replicas <= bound.loadRps + 1e-9, `${m.instanceType} within its bound`);
  }
  assert.deepEqual(mix.predicted, {
    ttftMs: Math.max(first.predicted.ttftMs, second.predicted.ttftMs),
    tpotMs: Math.max(first.predicted.tpotMs, second.predicted.tpotMs),
    tokensPerSecond: rate * WORKLOAD.outputTokens,
  });
  const versus = mix.mixSaving.versus.monthlyUsd;
  assert.ok(Math.abs(mix.mixSaving.monthlyUsd - (versus - mix.monthlyUsd)) < 1e-6);
  assert.ok(Math.abs(mix.mixSaving.percent - ((versus - mix.monthlyUsd) / versus) * 100) < 1e-9);
}

describe("optimizer: mixes of two GPU types (workload.allowMix)", () => {
  it("one replica's bound agrees with the single-type sizing: ceil(rate / bound) replicas", () => {
    const spec = gpuSpec("H100")!;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 400, noNaN: true }), (rate) => {
        const w: Workload = { ...WORKLOAD, requestsPerSecond: rate };
        const fit = fitWorkload(SMALL, spec, 1, w);
        const max = maxLoadPerReplica(SMALL, spec, 1, w);
        if (!fit.feasible || max === null) return fit.feasible === (max !== null);
        const l = latencies(max.replica, max.loadRps);
        assert.ok(l.tpotMs <= WORKLOAD.tpotP95Ms + 1e-9);
        assert.ok(max.loadRps <= max.replica.capacityRps * MAX_UTILIZATION + 1e-9);
        return Math.ceil(rate / max.loadRps - 1e-9) === fit.replicas;
      }),
      { seed: 1130, numRuns: 200 },
    );
  });

  it("puts the remainder above one big replica on a small GPU when that beats a second big one", () => {
    const big = loadOf("H100", 1);
    const small = loadOf("L4", 1);
    const rate = big * 1.05;
    const k = Math.ceil(rate / small); // L4 alone
    const nb = Math.ceil((rate - big) / small);
    assert.ok(k >= 3 && nb < k / 2.2, `premise: an H100 carries far more than an L4 (${big} vs ${small} req/s)`);
    const pA = 4;
    const pB = ((2 * pA) / k) * 1.1; // k L4s cost more than 2 H100s; nb L4s less than one H100
    const r = quoteMix([offer("aws", "h1", pA), l4("l1", pB)], rate);
    const top = r.placements[0];
    assert.ok(isMix(top), JSON.stringify(r.warnings));
    assert.deepEqual(
      top.mix.map((m) => [m.instanceType, m.replicas]),
      [
        ["h1", 1],
        ["l1", nb],
      ],
    );
    assert.ok(Math.abs(top.monthlyUsd - (pA + nb * pB) * HOURS_PER_MONTH) < 1e-6);
    assert.equal(top.replicas, 1 + nb);
    assert.ok(Math.abs(top.mix.reduce((s, m) => s + m.loadRps, 0) - rate) < 1e-9, "the parts carry the rate");
    for (const m of top.mix) assert.ok(m.predicted.tpotMs <= WORKLOAD.tpotP95Ms, `${m.instanceType} meets the SLO`);
    const single = r.placements[1]!;
    assert.ok(!isMix(single));
    assert.equal(single.instanceType, "h1");
    assert.equal(single.replicas, 2);
    assert.equal(top.mixSaving.versus.instanceType, "h1");
    assert.ok(Math.abs(top.mixSaving.monthlyUsd - (single.monthlyUsd - top.monthlyUsd)) < 1e-6);
    assert.match(top.why ?? "", /^mix: 1× h1 .* \+ \d+× l1 /);
  });

  it("mixes only within one place: the same shapes in two regions make no mix", () => {
    const big = loadOf("H100", 1);
    const small = loadOf("L4", 1);
    const rate = big * 1.05;
    const k = Math.ceil(rate / small);
    const r = quoteMix([offer("aws", "h1", 4), l4("l1", ((2 * 4) / k) * 1.1, { region: "r2" })], rate);
    assert.ok(!r.placements.some(isMix));
    assert.ok(r.warnings.some((w) => w.startsWith("workload.allowMix: no mix of two GPU types in one place")));
  });

  it("never returns a mix above the hourly limit, even when it is cheaper a month than the best single type", () => {
    const big = loadOf("H100", 1);
    const small = loadOf("L4", 1);
    const rate = big * 1.05;
    const nb = Math.ceil((rate - big) / small);
    const k = Math.ceil(rate / small);
    assert.ok(k > 2.2 * nb, "premise: an H100 carries far more than an L4");
    // gcp: 1× h1 + nb× l1 costs $8.00/h with no storage row; aws: 2× s1 cost $7.80/h plus $1,000/month storage.
    const offers = [
      offer("gcp", "h1", 4.2),
      offer("gcp", "l1", 3.8 / nb, null, { gpuType: "L4", gpuMemoryGiB: 24 }),
      offer("aws", "s1", 3.9),
    ];
    const sizeGiB = artifactSizeGiB({ parametersBillions: 1, precision: "bf16" });
    const storage = [{ ...shipped.storage.find((x) => x.cloud === "aws")!, perGbMonthUsd: 1000 / sizeGiB }];
    const ask = (maxHourlyUsd?: number) =>
      quote(
        request({
          constraints: { capacity: "on-demand", scope: "anywhere", ...(maxHourlyUsd ? { maxHourlyUsd } : {}) },
          workload: { ...WORKLOAD, requestsPerSecond: rate, allowMix: true },
        }),
        tiny(offers, { storage }),
        { now },
      );
    const free = ask();
    const mix = free.placements[0];
    assert.ok(isMix(mix), "premise: without a limit the mix is the cheapest");
    assert.ok(Math.abs(mix.hourlyUsd - 8) < 1e-9);
    const capped = ask(7.9);
    assert.ok(!capped.placements.some(isMix));
    const best = capped.placements[0]!;
    assert.equal(best.instanceType, "s1");
    assert.ok(
      mix.monthlyUsd < best.monthlyUsd - 100,
      "premise: the mix would beat the best within the limit by its month",
    );
    assert.ok(capped.warnings.some((w) => w.startsWith("workload.allowMix: no mix") && w.endsWith("none fits")));
  });

  it("never mixes two shapes of the same GPU type, even where that would be cheaper", () => {
    const one = loadOf("H100", 1);
    const two = maxLoadPerReplica(SMALL, gpuSpec("H100")!, 2, { ...WORKLOAD, requestsPerSecond: 1 })!.loadRps;
    const rate = two * 1.3;
    const p1 = 4;
    const p2 = 7.6;
    // Premise: some split of 2-GPU and 1-GPU nodes beats either shape alone.
    const singles = Math.min(Math.ceil(rate / one - 1e-9) * p1, Math.ceil(rate / two - 1e-9) * p2);
    let split = Number.POSITIVE_INFINITY;
    for (let n2 = 1; n2 * two < rate; n2 += 1)
      split = Math.min(split, n2 * p2 + Math.ceil((rate - n2 * two) / one) * p1);
    assert.ok(split < singles - 0.01, `premise: a same-type split ($${split}/h) beats $${singles}/h`);
    const r = quoteMix(
      [offer("aws", "h1", p1), offer("aws", "h2", p2, null, { gpuCount: 2, gpuMemoryGiB: 160 })],
      rate,
    );
    assert.ok(!r.placements.some(isMix));
    assert.ok(
      r.warnings.some((w) => w.startsWith("workload.allowMix: no mix of two GPU types") && w.endsWith("none fits")),
    );
  });

  it("without allowMix, no mix is searched", () => {
    const big = loadOf("H100", 1);
    const r = quote(
      request({
        constraints: { capacity: "on-demand", scope: "anywhere" },
        workload: { ...WORKLOAD, requestsPerSecond: big * 1.05 },
      }),
      tiny([offer("aws", "h1", 4), l4("l1", 0.1)]),
      { now },
    );
    assert.ok(!r.placements.some(isMix));
    assert.ok(!r.warnings.some((w) => w.includes("allowMix")));
  });

  it("is the brute-force cheapest mix over every pair and split, or absent when no mix beats the best single type", () => {
    const big = loadOf("H100", 1);
    const small = loadOf("L4", 1);
    const a100 = loadOf("A100", 1);
    const shapes = [
      { type: "h1", gpu: "H100", load: big, mem: 80 },
      { type: "l1", gpu: "L4", load: small, mem: 24 },
      { type: "a1", gpu: "A100", load: a100, mem: 40 },
    ];
    const seen = { mix: 0, none: 0, bigFirst: 0 };
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: 0.2, max: 6, noNaN: true }), fc.double({ min: 0.05, max: 3, noNaN: true })),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0.3, max: 4, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        ([pH, pL], pA, times, replicas) => {
          const prices = [pH, pL, pA];
          const offers = shapes.map((s, i) =>
            offer("aws", s.type, prices[i]!, null, { gpuType: s.gpu, gpuMemoryGiB: s.mem }),
          );
          const rate = big * times;
          const r = quoteMix(offers, rate, replicas, STORAGE);
          const storage = storageOf("aws");
          const best = r.placements.find((p) => !isMix(p))!;
          // Brute force: every ordered pair of different shapes, every split with both parts used.
          let min = Number.POSITIVE_INFINITY;
          for (let i = 0; i < shapes.length; i += 1) {
            for (let j = 0; j < shapes.length; j += 1) {
              if (i === j) continue;
              for (let na = 1; na * shapes[i]!.load < rate; na += 1) {
                for (let nb = 1; nb <= 200; nb += 1) {
                  if (na * shapes[i]!.load + nb * shapes[j]!.load < rate || na + nb < replicas) continue;
                  min = Math.min(min, (na * prices[i]! + nb * prices[j]!) * HOURS_PER_MONTH + storage);
                  break;
                }
              }
            }
          }
          const mix = r.placements.find(isMix);
          if (min <= best.monthlyUsd - MIN_MIX_SAVING_USD) {
            assert.ok(mix, `a mix at $${min} beats $${best.monthlyUsd}`);
            assert.ok(Math.abs(mix.monthlyUsd - min) < 1e-6, `${mix.monthlyUsd} vs brute force ${min}`);
            assert.equal(r.placements[0], mix);
            checkMixFigures(mix, rate, storage);
            // The month's tokens are the same for both: the price per million tokens scales with the month.
            assert.ok(
              Math.abs(mix.usdPerMillionTokens! / mix.monthlyUsd - best.usdPerMillionTokens! / best.monthlyUsd) < 1e-12,
            );
            const single = mix.mixSaving.versus;
            assert.deepEqual(single, {
              cloud: best.cloud,
              region: best.region,
              instanceType: best.instanceType,
              gpuType: best.gpuType,
              replicas: best.replicas,
              monthlyUsd: best.monthlyUsd,
            });
            seen.mix += 1;
            if (mix.instanceType === "h1") seen.bigFirst += 1;
          } else {
            assert.equal(mix, undefined);
            seen.none += 1;
          }
        },
      ),
      { seed: 30, numRuns: 150 },
    );
    assert.ok(seen.mix >= 10 && seen.none >= 10, `both outcomes are exercised: ${JSON.stringify(seen)}`);
    assert.ok(seen.bigFirst >= 3 && seen.mix - seen.bigFirst >= 3, `either part may lead: ${JSON.stringify(seen)}`);
  });
});
