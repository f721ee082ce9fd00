import assert from "node:assert/strict";
import { defaultCatalog } from "./catalog";
import { flagAnomalies, MEDIAN_FACTOR, MIN_REGIONS_FOR_MEDIAN, MIN_TIER_REGIONS, TIER_GAP } from "./anomaly";
import { gpuMemoryGiB } from "../gpu-specs";
import type { GpuOffer } from "./types";
import { parseQuoteRequest, quote } from "../optimizer/index";

const offers = (): GpuOffer[] => defaultCatalog().gpuOffers.map((o) => ({ ...o }));
const find = (list: readonly GpuOffer[], cloud: string, region: string, instanceType: string): GpuOffer => {
  const o = list.find((x) => x.cloud === cloud && x.region === region && x.instanceType === instanceType);
  assert.ok(o, `${cloud} ${region} ${instanceType} is in the shipped catalog`);
  return o;
};

describe("anomaly guard", () => {
  it("flags the issue's example: GCP us-central1 a2-ultragpu-1g (A100 80 GB) listed below a2-highgpu-1g (A100 40 GB)", () => {
    const list = offers();
    const big = find(list, "gcp", "us-central1", "a2-ultragpu-1g");
    const small = find(list, "gcp", "us-central1", "a2-highgpu-1g");
    // The premise, read from the catalog's own rows.
    assert.ok(gpuMemoryGiB(big.gpuType) > gpuMemoryGiB(small.gpuType));
    assert.ok(big.onDemandHourlyUsd < small.onDemandHourlyUsd);
    assert.equal(big.suspect, true);
    assert.match(big.note ?? "", /a2-highgpu-1g/);
    assert.match(big.note ?? "", /larger GPU priced lower/);
    assert.equal(small.suspect, undefined, "the smaller GPU is not the anomaly");
  });

  it("is idempotent: the shipped catalog is already flagged", () => {
    const list = offers();
    assert.deepEqual(flagAnomalies(list), list);
  });

  it("flags a larger GPU once its price falls below a smaller GPU's on a host no larger, and not before", () => {
    const list = offers().map((o) => ({ ...o }));
    const big = find(list, "gcp", "asia-southeast1", "a2-ultragpu-1g");
    const small = find(list, "gcp", "asia-southeast1", "a2-highgpu-1g");
    assert.ok(big.onDemandHourlyUsd > small.onDemandHourlyUsd, "premise: priced in order in asia-southeast1");
    assert.equal(find(flagAnomalies(list), "gcp", "asia-southeast1", "a2-ultragpu-1g").suspect, undefined);
    big.onDemandHourlyUsd = small.onDemandHourlyUsd * 0.99;
    const flagged = find(flagAnomalies(list), "gcp", "asia-southeast1", "a2-ultragpu-1g");
    assert.equal(flagged.suspect, true);
    assert.match(flagged.note ?? "", /a2-highgpu-1g/);
  });

  it("flags the lower of two price tiers of one instance type (GCP a3-megagpu-8g), and never a smooth regional spread", () => {
    const list = offers();
    const mega = list.filter((o) => o.cloud === "gcp" && o.instanceType === "a3-megagpu-8g");
    const perGpu = (o: GpuOffer) => o.onDemandHourlyUsd / o.gpuCount;
    const cut = 70; // $/h for 8 GPUs: the source's two tiers sit near $46 and from $92
    const low = mega.filter((o) => o.onDemandHourlyUsd < cut);
    const high = mega.filter((o) => o.onDemandHourlyUsd >= cut);
    assert.ok(low.length >= MIN_TIER_REGIONS && high.length >= MIN_TIER_REGIONS, "premise: two tiers in the source");
    assert.ok(Math.min(...high.map(perGpu)) >= TIER_GAP * Math.max(...low.map(perGpu)), "premise: a gap");
    for (const o of low) assert.match(o.note ?? "", /two price tiers.*lower tier is likely a discounted/, o.region);
    for (const o of high) assert.doesNotMatch(o.note ?? "", /two price tiers/, o.region);
    // AWS g5.xlarge spans about 1.5× across regions in small steps: no tier.
    const g5 = list.filter((o) => o.cloud === "aws" && o.instanceType === "g5.xlarge");
    assert.ok(
      g5.length >= 10 && Math.max(...g5.map(perGpu)) >= 1.5 * Math.min(...g5.map(perGpu)),
      "premise: a wide spread",
    );
    for (const o of g5) assert.doesNotMatch(o.note ?? "", /two price tiers/, o.region);
  });

  it("needs the regions on each side of a gap: one odd region is not a tier", () => {
    const list = offers().map((o) => ({ ...o }));
    const g5 = list.filter((o) => o.cloud === "aws" && o.instanceType === "g5.xlarge");
    const cheapest = [...g5].sort((a, b) => a.onDemandHourlyUsd - b.onDemandHourlyUsd);
    // One region at a third of the rest: a gap with one region below it.
    cheapest[0]!.onDemandHourlyUsd /= 3;
    const tiersOfG5 = () =>
      flagAnomalies(list).filter((o) => o.instanceType === "g5.xlarge" && /two price tiers/.test(o.note ?? ""));
    assert.deepEqual(tiersOfG5(), [], "one region is rule 2's case");
    // Two regions below the gap: a tier.
    cheapest[1]!.onDemandHourlyUsd /= 3;
    const tiered = tiersOfG5();
    assert.deepEqual(
      tiered.map((o) => `${o.instanceType} ${o.region}`).sort(),
      [cheapest[0]!, cheapest[1]!].map((o) => `${o.instanceType} ${o.region}`).sort(),
    );
  });

  it("compares only GPUs of one architecture: an older generation listed above a newer, larger GPU flags nothing", () => {
    const list = offers().map((o) => ({ ...o }));
    const v100 = list.find((o) => o.gpuType === "V100" && o.gpuCount === 4 && o.cloud === "aws");
    assert.ok(v100, "premise: the catalog holds a 4×V100 AWS offer");
    const l40s = list.find(
      (o) => o.cloud === v100.cloud && o.region === v100.region && o.gpuType === "L40S" && o.gpuCount === 4,
    );
    assert.ok(l40s, "premise: a 4×L40S offer in the same region");
    assert.ok(l40s.onDemandHourlyUsd < v100.onDemandHourlyUsd, "premise: the newer, larger GPU is cheaper");
    assert.ok(l40s.vcpus >= v100.vcpus && l40s.memoryGiB >= v100.memoryGiB, "premise: on a host no smaller");
    assert.equal(find(flagAnomalies(list), l40s.cloud, l40s.region, l40s.instanceType).suspect, undefined);
  });

  it("does not flag a larger GPU that is only cheaper than a smaller GPU on a bigger host", () => {
    const list = offers();
    // A 1-GPU offer of a larger GPU and a 1-GPU offer of a smaller GPU on a bigger host, same region.
    const pair = list
      .flatMap((big) =>
        list
          .filter(
            (s) =>
              s.cloud === big.cloud &&
              s.region === big.region &&
              s.gpuCount === big.gpuCount &&
              gpuMemoryGiB(s.gpuType) < gpuMemoryGiB(big.gpuType) &&
              s.vcpus > big.vcpus &&
              s.onDemandHourlyUsd > big.onDemandHourlyUsd,
          )
          .map((s) => ({ big, s })),
      )
      .find(({ big }) => big.suspect === undefined);
    assert.ok(pair, "the catalog holds such a pair");
    assert.equal(find(flagAnomalies(list), pair.big.cloud, pair.big.region, pair.big.instanceType).suspect, undefined);
  });

  it(`flags a per-GPU price more than ${MEDIAN_FACTOR}× from the cross-region median, above and below`, () => {
    const base = offers();
    const byType = new Map<string, GpuOffer[]>();
    for (const o of base)
      byType.set(`${o.cloud}|${o.instanceType}`, [...(byType.get(`${o.cloud}|${o.instanceType}`) ?? []), o]);
    const group = [...byType.values()].find(
      (g) => g.length >= MIN_REGIONS_FOR_MEDIAN + 2 && g.every((o) => o.suspect === undefined),
    );
    assert.ok(group, "an instance type sold in enough regions");
    const target = group[0]!;
    const priced = (factor: number): GpuOffer => {
      const list = base.map((o) => (o === target ? { ...o, onDemandHourlyUsd: o.onDemandHourlyUsd * factor } : o));
      return find(flagAnomalies(list), target.cloud, target.region, target.instanceType);
    };
    const maxRatio =
      Math.max(...group.map((o) => o.onDemandHourlyUsd)) / Math.min(...group.map((o) => o.onDemandHourlyUsd));
    // Far enough that the median of the others cannot be within the factor.
    const far = MEDIAN_FACTOR * maxRatio * 1.01;
    assert.match(priced(far).note ?? "", /above the .* median/);
    assert.match(priced(1 / far).note ?? "", /below the .* median/);
    assert.equal(priced(1).suspect, undefined);
  });

  it("the optimizer leaves suspect offers out unless constraints.allowSuspect", () => {
    const catalog = defaultCatalog();
    const suspect = catalog.gpuOffers.filter((o) => o.suspect);
    assert.ok(suspect.length > 0);
    const s = suspect[0]!;
    const request = (allowSuspect?: boolean) =>
      parseQuoteRequest({
        model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 },
        replicas: 1,
        constraints: {
          clouds: [s.cloud],
          regions: [s.region],
          gpuTypes: [s.gpuType],
          capacity: "on-demand",
          scope: "anywhere",
          ...(allowSuspect === undefined ? {} : { allowSuspect }),
        },
      });
    const now = new Date(`${catalog.asOf}T00:00:00Z`);
    const keys = (allow?: boolean) =>
      new Set(quote(request(allow), catalog, { now, limit: 1000 }).placements.map((p) => p.instanceType));
    assert.ok(!keys().has(s.instanceType), "excluded by default");
    assert.ok(!keys(false).has(s.instanceType), "excluded with allowSuspect: false");
    assert.ok(keys(true).has(s.instanceType), "included with allowSuspect: true");
  });
});

describe("anomaly guard: the infeasible explanation", () => {
  it("names constraints.allowSuspect when only a suspect offer would fit", () => {
    const catalog = defaultCatalog();
    const s = catalog.gpuOffers.find((o) => o.suspect === true);
    assert.ok(s);
    const inPlace = catalog.gpuOffers.filter(
      (o) => o.cloud === s.cloud && o.region === s.region && o.gpuType === s.gpuType && o.gpuCount === s.gpuCount,
    );
    assert.ok(
      inPlace.every((o) => o.suspect === true),
      "premise: every such offer there is suspect",
    );
    const r = quote(
      parseQuoteRequest({
        model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 },
        replicas: 1,
        constraints: {
          clouds: [s.cloud],
          regions: [s.region],
          gpuTypes: [s.gpuType],
          capacity: "on-demand",
          scope: "anywhere",
        },
      }),
      catalog,
      { now: new Date(`${catalog.asOf}T00:00:00Z`) },
    );
    assert.equal(r.placements.length, 0);
    assert.ok(
      r.infeasible?.relax.some((x) => x.startsWith("allowSuspect")),
      JSON.stringify(r.infeasible),
    );
    assert.match(r.infeasible?.message ?? "", /allowSuspect/);
  });
});
