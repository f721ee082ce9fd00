import assert from "node:assert/strict";
import { defaultCatalog } from "../pricing/catalog";
import { controlPlanePrice } from "../pricing/lookup";
import { parseQuoteRequest, quote } from "./index";
import { devFootprint, twoRegionAwsFootprint } from "./test-fixtures";

describe("optimizer: expansion advice", () => {
  const catalog = defaultCatalog();
  const now = new Date("2026-11-23T00:00:00Z");
  const llama = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } as const;

  it("advises up to 3 cheaper regions outside the footprint, net of a new control plane, with the config entry to add", () => {
    const fp = devFootprint();
    const r = quote(parseQuoteRequest({ model: llama }), catalog, { now, footprint: fp });
    const best = r.placements[0]!;
    const inside = new Set(fp.clusters.map((c) => `${c.cloud}|${c.region}`));
    assert.ok(r.expansions!.length > 0 && r.expansions!.length <= 3, `${r.expansions!.length} expansions`);
    const regions = new Set<string>();
    let last = Number.POSITIVE_INFINITY;
    for (const e of r.expansions!) {
      assert.ok(!inside.has(`${e.cloud}|${e.region}`), `${e.cloud} ${e.region} is inside the footprint`);
      assert.ok(!regions.has(`${e.cloud}|${e.region}`), "one per region");
      regions.add(`${e.cloud}|${e.region}`);
      const fee = controlPlanePrice(catalog, e.cloud)!.hourlyUsd * 730;
      assert.equal(e.controlPlaneMonthlyUsd, fee);
      // The same offer quoted anywhere costs the same month; the saving is what is left after the fee.
      const there = quote(
        parseQuoteRequest({ model: llama, constraints: { scope: "anywhere", regions: [e.region], clouds: [e.cloud] } }),
        catalog,
        { now, footprint: fp, limit: 100 },
      ).placements.find((p) => p.instanceType === e.instanceType && p.capacity === e.capacity)!;
      assert.ok(Math.abs(there.monthlyUsd - e.monthlyUsd) < 1e-6);
      assert.ok(Math.abs(e.monthlySavingsUsd! - (best.monthlyUsd - e.monthlyUsd - fee)) < 1e-6);
      assert.ok(e.monthlySavingsUsd! > 0 && e.monthlySavingsUsd! <= last, "biggest saving first");
      last = e.monthlySavingsUsd!;
      assert.deepEqual(e.configEntry, {
        cloud: e.cloud,
        region: e.region,
        gpuPools: [
          {
            name: e.gpuType.toLowerCase(),
            gpu: e.gpuType,
            instanceType: e.instanceType,
            minNodes: 0,
            maxNodes: 1,
            spot: e.capacity === "spot",
          },
        ],
      });
    }
    // aws eu-south-2 g6.xlarge spot ($0.0913/h, the example) is the catalog's cheapest fit.
    assert.equal(r.expansions![0]!.region, "eu-south-2");
  });

  it("advises nothing a policy would deny, and nothing when no region saves money", () => {
    const fp = devFootprint();
    const onlyHere = quote(parseQuoteRequest({ model: llama }), catalog, {
      now,
      footprint: fp,
      policy: {
        environment: "production",
        source: "t",
        spotRequired: false,
        allowedRegions: ["us-east-1", "us-central1", "eastus"],
      },
    });
    assert.deepEqual(onlyHere.expansions, []);
    const eu = quote(parseQuoteRequest({ model: llama, constraints: { regions: ["eu-south-2"] } }), catalog, {
      now,
      footprint: {
        ...twoRegionAwsFootprint(),
        clusters: [{ ...twoRegionAwsFootprint().clusters[0]!, region: "eu-south-2" }],
      },
    });
    assert.deepEqual(eu.expansions, [], "the footprint already runs in the cheapest region");
  });

  it("when nothing fits inside, still lists what fits outside, with no saving to claim", () => {
    const r = quote(
      parseQuoteRequest({
        model: { name: "llama-3.1-70b", parametersBillions: 70, precision: "fp16", contextTokens: 8192 },
        constraints: { capacity: "spot" },
      }),
      catalog,
      // One L4 pool and no dedicated pools: a 70B fp16 model fits nowhere inside.
      {
        now,
        footprint: {
          ...twoRegionAwsFootprint(),
          clusters: [{ ...twoRegionAwsFootprint().clusters[0]!, dedicatedPools: false }],
        },
      },
    );
    assert.equal(r.placements.length, 0);
    assert.ok(r.infeasible);
    assert.ok(r.expansions!.length > 0);
    for (const e of r.expansions!) assert.equal(e.monthlySavingsUsd, null);
  });
});
