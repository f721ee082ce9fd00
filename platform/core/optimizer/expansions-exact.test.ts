import assert from "node:assert/strict";
import type { Catalog, ControlPlanePrice, GpuOffer, ServerlessOffer } from "../pricing/types";
import type { Cloud } from "../types";
import { candidatesOf } from "./candidates";
import { findExpansions, type Expansion } from "./expansions";
import type { PlacementPolicy } from "./policy";
import { Pricer } from "./price";
import { twoRegionAwsFootprint } from "./test-fixtures";
import { offer, request, shipped, tiny } from "./testing";

/**
 * Hand-made catalogs with no storage and no stores: a placement's month is exactly
 * unit × replicas × 730 h, and a control plane's month is its hourly fee × 730 h.
 */
const at = (cloud: Cloud, region: string, instanceType: string, onDemand: number, spot: number | null = null) =>
  offer(cloud, instanceType, onDemand, spot, { region });
const plane = (cloud: Cloud, hourlyUsd: number): ControlPlanePrice => ({
  cloud,
  product: `${cloud}-k8s`,
  hourlyUsd,
  source: "test",
  asOf: "2026-11-20",
});
const catalogOf = (offers: GpuOffer[], planes: ControlPlanePrice[], serverless: ServerlessOffer[] = []): Catalog => ({
  ...tiny(offers, { serverless }),
  controlPlanes: planes,
});

type Input = Parameters<typeof findExpansions>[0];
function advise(
  catalog: Catalog,
  over: Partial<Input> & { replicas?: number; maxHourlyUsd?: number } = {},
): Expansion[] {
  const { replicas, maxHourlyUsd, ...rest } = over;
  const req = request({
    ...(replicas === undefined ? {} : { replicas }),
    constraints: { capacity: "any", ...(maxHourlyUsd === undefined ? {} : { maxHourlyUsd }) },
  });
  return findExpansions({
    all: candidatesOf(catalog),
    inFootprint: new Set<string>(),
    request: req,
    constraints: req.constraints,
    requiredGiB: 80,
    pricer: new Pricer(req, catalog, undefined, undefined, []),
    catalog,
    policy: undefined,
    bestMonthlyUsd: undefined,
    ...rest,
  });
}
const where = (es: readonly Expansion[]): string[] =>
  es.map((e) => `${e.cloud}|${e.region}|${e.instanceType}|${e.capacity}`);

describe("optimizer: findExpansions (exact)", () => {
  it("advises the cheapest offer of each region outside the footprint, with its month, fee, saving and config entry", () => {
    const catalog = catalogOf(
      [at("aws", "r1", "a1", 1, 0.5), at("aws", "r1", "a2", 0.75), at("aws", "r2", "b1", 1.5)],
      [plane("aws", 0.125)],
    );
    const es = advise(catalog, { bestMonthlyUsd: 2000 });
    assert.deepEqual(es, [
      {
        cloud: "aws",
        region: "r1",
        instanceType: "a1",
        gpuType: "H100",
        gpuCount: 1,
        capacity: "spot",
        monthlyUsd: 365,
        controlPlaneMonthlyUsd: 91.25,
        monthlySavingsUsd: 2000 - 365 - 91.25,
        configEntry: {
          cloud: "aws",
          region: "r1",
          gpuPools: [{ name: "h100", gpu: "H100", instanceType: "a1", minNodes: 0, maxNodes: 1, spot: true }],
        },
      },
      {
        cloud: "aws",
        region: "r2",
        instanceType: "b1",
        gpuType: "H100",
        gpuCount: 1,
        capacity: "on-demand",
        monthlyUsd: 1095,
        controlPlaneMonthlyUsd: 91.25,
        monthlySavingsUsd: 2000 - 1095 - 91.25,
        configEntry: {
          cloud: "aws",
          region: "r2",
          gpuPools: [{ name: "h100", gpu: "H100", instanceType: "b1", minNodes: 0, maxNodes: 1, spot: false }],
        },
      },
    ]);
  });

  it("sizes the pool entry for the replicas and names it from the GPU type (lower case, runs of other characters → -)", () => {
    const catalog = catalogOf([at("gcp", "r1", "g1", 1, null)], [plane("gcp", 0)]);
    catalog.gpuOffers[0]!.gpuType = "H100 (SXM)";
    const [e] = advise(catalog, { replicas: 2 });
    assert.equal(e!.monthlyUsd, 1460);
    assert.equal(e!.controlPlaneMonthlyUsd, 0);
    assert.equal(e!.monthlySavingsUsd, null);
    assert.deepEqual(e!.configEntry.gpuPools, [
      { name: "h100-sxm-", gpu: "H100 (SXM)", instanceType: "g1", minNodes: 0, maxNodes: 2, spot: false },
    ]);
  });

  it("skips the footprint's regions, serverless offers, offers too small, and clouds without a control-plane price", () => {
    const small = at("aws", "r4", "tiny", 0.1);
    small.gpuMemoryGiB = 79;
    const run: ServerlessOffer = {
      ...shipped.serverless[0]!,
      cloud: "gcp",
      region: "r5",
      gpuType: "H100",
      gpuCount: 1,
      gpuMemoryGiB: 80,
      perSecondUsd: 0.0001,
    };
    const catalog = catalogOf(
      [
        at("aws", "r1", "in", 0.2),
        small,
        at("azure", "r3", "nofee", 0.3),
        at("aws", "r2", "exact", 0.4),
        at("gcp", "r6", "g", 0.5),
      ],
      [plane("aws", 0.1), plane("gcp", 0.1)],
      [run],
    );
    const es = advise(catalog, { inFootprint: new Set(["aws|r1"]) });
    assert.deepEqual(where(es), ["aws|r2|exact|on-demand", "gcp|r6|g|on-demand"]);
  });

  it("keeps the request's constraints, the allowed GPU types, and the cap on hourly cost per replica (inclusive)", () => {
    const catalog = catalogOf(
      [at("aws", "r1", "a", 1, 0.6), at("aws", "r2", "b", 1.25), at("gcp", "r3", "c", 1.5)],
      [plane("aws", 0.1), plane("gcp", 0.1)],
    );
    catalog.gpuOffers[2]!.gpuType = "L4";
    catalog.gpuOffers[2]!.gpuMemoryGiB = 80;
    // $2.50/h for 2 replicas: $1.25 per replica is the cap; b at exactly $1.25 stays, c at $1.50 does not.
    assert.deepEqual(where(advise(catalog, { replicas: 2, maxHourlyUsd: 2.5 })), [
      "aws|r1|a|spot",
      "aws|r2|b|on-demand",
    ]);
    assert.deepEqual(where(advise(catalog, { replicas: 2, maxHourlyUsd: 2.49 })), ["aws|r1|a|spot"]);
    assert.deepEqual(where(advise(catalog, { replicas: 2 })), [
      "aws|r1|a|spot",
      "aws|r2|b|on-demand",
      "gcp|r3|c|on-demand",
    ]);
    const req = request({ constraints: { capacity: "on-demand" } });
    assert.deepEqual(where(advise(catalog, { request: req, constraints: req.constraints })), [
      "aws|r1|a|on-demand",
      "aws|r2|b|on-demand",
      "gcp|r3|c|on-demand",
    ]);
    assert.deepEqual(where(advise(catalog, { gpuAllowed: (g) => g === "L4" })), ["gcp|r3|c|on-demand"]);
  });

  it("advises nothing the policy denies, each rule checked on the priced offer", () => {
    const catalog = catalogOf(
      [at("aws", "r1", "a", 1, 0.5), at("gcp", "r2", "b", 2)],
      [plane("aws", 0), plane("gcp", 0)],
    );
    const p = (x: Partial<PlacementPolicy>): PlacementPolicy => ({
      environment: "dev",
      source: "t",
      spotRequired: false,
      ...x,
    });
    assert.deepEqual(where(advise(catalog, { policy: p({}) })), ["aws|r1|a|spot", "gcp|r2|b|on-demand"]);
    assert.deepEqual(where(advise(catalog, { policy: p({ allowedRegions: ["r2"] }) })), ["gcp|r2|b|on-demand"]);
    assert.deepEqual(where(advise(catalog, { policy: p({ allowedGpuTypes: ["L4"] }) })), []);
    assert.deepEqual(where(advise(catalog, { policy: p({ spotRequired: true }) })), ["aws|r1|a|spot"]);
    assert.deepEqual(where(advise(catalog, { policy: p({ maxHourlyUsd: 1.5 }) })), ["aws|r1|a|spot"]);
    // At max: $2/h × 730 h = $1460 for b; $0.50 × 730 = $365 for a.
    assert.deepEqual(where(advise(catalog, { policy: p({ monthlyBudgetUsd: 1459 }) })), ["aws|r1|a|spot"]);
    assert.deepEqual(where(advise(catalog, { policy: p({ monthlyBudgetUsd: 1460 }) })), [
      "aws|r1|a|spot",
      "gcp|r2|b|on-demand",
    ]);
  });

  it("advises only a positive saving: an offer whose month plus fee equals the footprint's best is not advice", () => {
    // a: 730 + 91.25 = 821.25; b: 876 + 91.25 = 967.25.
    const catalog = catalogOf([at("aws", "r1", "a", 1), at("aws", "r2", "b", 1.2)], [plane("aws", 0.125)]);
    assert.deepEqual(advise(catalog, { bestMonthlyUsd: 821.25 }), []);
    const es = advise(catalog, { bestMonthlyUsd: 1000 });
    assert.deepEqual(where(es), ["aws|r1|a|on-demand", "aws|r2|b|on-demand"]);
    assert.deepEqual(
      es.map((e) => e.monthlySavingsUsd),
      [1000 - 821.25, 1000 - 967.25],
    );
    assert.deepEqual(where(advise(catalog, { bestMonthlyUsd: 967.25 })), ["aws|r1|a|on-demand"]);
  });

  it("orders by saving (or, with no footprint best, by month plus fee), then cloud, then region; at most 3", () => {
    // gcp's fee is high: gcp r1 costs 730 + 365 = 1095; aws r2: 876 + 0 = 876; azure r3: 949 + 0 = 949.
    const catalog = catalogOf(
      [at("gcp", "r1", "g", 1), at("aws", "r2", "a", 1.2), at("azure", "r3", "z", 1.3), at("aws", "r4", "d", 1.6)],
      [plane("aws", 0), plane("gcp", 0.5), plane("azure", 0)],
    );
    assert.deepEqual(where(advise(catalog)), ["aws|r2|a|on-demand", "azure|r3|z|on-demand", "gcp|r1|g|on-demand"]);
    const saved = advise(catalog, { bestMonthlyUsd: 1500 });
    assert.deepEqual(where(saved), ["aws|r2|a|on-demand", "azure|r3|z|on-demand", "gcp|r1|g|on-demand"]);
    assert.deepEqual(
      saved.map((e) => e.monthlySavingsUsd),
      [1500 - 876, 1500 - 949, 1500 - 1095],
    );
    // Equal totals: gcp (cheaper unit, scanned first) and aws tie at 1095; the cloud name decides.
    const tie = catalogOf([at("gcp", "r1", "g", 1), at("aws", "r2", "a", 1.5)], [plane("aws", 0), plane("gcp", 0.5)]);
    assert.deepEqual(where(advise(tie)), ["aws|r2|a|on-demand", "gcp|r1|g|on-demand"]);
    assert.deepEqual(where(advise(tie, { bestMonthlyUsd: 2000 })), ["aws|r2|a|on-demand", "gcp|r1|g|on-demand"]);
  });

  it("sorts by the saving it reports: two savings equal as numbers tie (the cloud decides) even where the totals differ", () => {
    // gcp r1: $730 a month, aws r2: $876. Against a best of 2^70 both savings round to 2^70 exactly.
    const catalog = catalogOf([at("gcp", "r1", "g", 1), at("aws", "r2", "a", 1.2)], [plane("aws", 0), plane("gcp", 0)]);
    const es = advise(catalog, { bestMonthlyUsd: 2 ** 70 });
    assert.deepEqual(
      es.map((e) => e.monthlySavingsUsd),
      [2 ** 70, 2 ** 70],
    );
    assert.deepEqual(where(es), ["aws|r2|a|on-demand", "gcp|r1|g|on-demand"]);
    assert.deepEqual(
      where(advise(catalog)),
      ["gcp|r1|g|on-demand", "aws|r2|a|on-demand"],
      "no best: by month plus fee",
    );
  });

  it("ties on cloud and total break on the region name", () => {
    // A 730 GiB model (391.91576576 B bf16) and a store in us-east-1: one copy to us-west-2 costs 730 × $0.50 = $365.
    // us-west-2 at $1/h (scanned first) and us-east-1 at $1.50/h both cost $1095 a month; us-east-1 comes first.
    const catalog: Catalog = {
      ...catalogOf([at("aws", "us-east-1", "a", 1.5), at("aws", "us-west-2", "b", 1)], [plane("aws", 0)]),
      egress: [
        { cloud: "aws", kind: "inter-region", geography: "us", perGbUsd: 0.5, source: "test", asOf: "2026-11-20" },
      ],
    };
    const req = request({
      model: { name: "big", parametersBillions: 391.91576576, precision: "bf16", contextTokens: 1024 },
    });
    const pricer = new Pricer(req, catalog, twoRegionAwsFootprint(), undefined, []);
    const es = advise(catalog, { request: req, constraints: req.constraints, pricer, inFootprint: new Set() });
    assert.deepEqual(where(es), ["aws|us-east-1|a|on-demand", "aws|us-west-2|b|on-demand"]);
    assert.deepEqual(
      es.map((e) => e.monthlyUsd),
      [1095, 1095],
    );
    const saved = advise(catalog, { request: req, constraints: req.constraints, pricer, bestMonthlyUsd: 1200 });
    assert.deepEqual(where(saved), ["aws|us-east-1|a|on-demand", "aws|us-west-2|b|on-demand"]);
  });
});
