/**
 * The pools a footprint quote lists beside its ranked placements (unpriced pools and serverless
 * SKUs it cannot rank), checked over random requests and policies: every unpriced pool of the
 * footprint is listed exactly when it passes the request's constraints, the precision rules and
 * the policy; a brought pool with a declared price is ranked instead, exactly when it passes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseFootprint } from "../footprint";
import { defaultCatalog } from "../pricing/catalog";
import { precisionSupport } from "../precision-rules";
import { sizeModel } from "../sizing";
import { GPU_MEMORY_GIB } from "../gpus";
import { parseQuoteRequest, quote, type PlacementPolicy } from "./index";
import { deniedBy } from "./policy";
import { scopeOf } from "./scope";

const catalog = defaultCatalog();
const now = new Date(Date.parse(catalog.asOf) + 86_400_000);

const pool = (name: string, gpu: string, capacity: "spot" | "on-demand", maxNodes: number, price?: number) => ({
  name,
  gpu,
  gpusPerNode: 1,
  capacity,
  minNodes: 0,
  maxNodes,
  ...(price === undefined ? {} : { nodeHourlyUsd: price }),
});

/** Two brought clusters of mixed pools (priced and not) and two clouds' serverless SKUs. */
const footprint = parseFootprint({
  source: { kind: "config", file: "pools.yaml" },
  clusters: [
    {
      cloud: "kubernetes",
      region: "onprem-fra",
      name: "lab",
      dedicatedPools: false,
      pools: [
        pool("a100", "A100-80GB", "on-demand", 2, 1.5),
        pool("l4", "L4", "on-demand", 4),
        pool("t4", "T4", "spot", 3, 0.2),
        pool("h100", "H100", "spot", 1, 2.5),
      ],
    },
    {
      cloud: "kubernetes",
      region: "onprem-par",
      name: "lab2",
      dedicatedPools: false,
      pools: [pool("l40s", "L40S", "on-demand", 8, 0.9), pool("t4", "T4", "on-demand", 2, 0.3)],
    },
    {
      cloud: "gcp",
      region: "us-central1",
      name: "gcp",
      pools: [],
      dedicatedPools: false,
      serverless: [{ product: "cloud-run", sku: "nvidia-l4" }],
    },
    {
      cloud: "azure",
      region: "eastus",
      name: "azure",
      pools: [],
      dedicatedPools: false,
      serverless: [{ product: "container-apps", sku: "Consumption-GPU-NC8as-T4" }],
    },
  ],
});
const seeds = scopeOf(footprint, catalog).pools;

/** Absent three times in four: each constraint or rule is tried alone often enough. */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

const arbRequest = fc.record({
  parametersBillions: fc.constantFrom(1, 8, 8, 30, 70),
  precision: fc.constantFrom("bf16" as const, "fp8" as const, "fp16" as const),
  replicas: fc.integer({ min: 1, max: 4 }),
  capacity: fc.constantFrom("any" as const, "spot" as const, "on-demand" as const),
  clouds: sometimes(fc.subarray(["gcp", "azure", "aws"] as const, { minLength: 1 })),
  regions: sometimes(fc.subarray(["onprem-fra", "onprem-par", "us-central1", "eastus"], { minLength: 1 })),
  gpuTypes: sometimes(fc.subarray(["A100-80GB", "L4", "T4", "H100", "L40S"], { minLength: 1 })),
});

const arbPolicy = fc.option(
  fc.record({
    environment: fc.constant("dev"),
    source: fc.constant("test"),
    spotRequired: fc.boolean(),
    allowedGpuTypes: sometimes(fc.subarray(["A100-80GB", "L4", "T4", "H100", "L40S"])),
    allowedRegions: sometimes(fc.subarray(["onprem-fra", "us-central1", "eastus"], { minLength: 1 })),
    maxHourlyUsd: sometimes(fc.constantFrom(0.5, 1, 3, 10)),
    monthlyBudgetUsd: sometimes(fc.constantFrom(300, 1000, 5000)),
  }),
  { nil: undefined },
);

describe("optimizer: a footprint quote's unranked pools", () => {
  it("the footprint's seeds cover every branch the listing decides on", () => {
    const kinds = new Set(
      seeds.map((s) => `${s.cloud}:${s.capacity}:${s.nodeHourlyUsd === null ? "unpriced" : "priced"}`),
    );
    assert.deepEqual([...kinds].sort(), ["azure:serverless:unpriced", "kubernetes:on-demand:unpriced"]);
    // Brought pools with a declared price are ranked candidates, not listed pools.
    const ranked = scopeOf(footprint, catalog).candidates.filter((c) => c.cloud === "kubernetes");
    assert.deepEqual(ranked.map((c) => `${c.cluster}/${c.pool}`).sort(), [
      "lab/a100",
      "lab/h100",
      "lab/t4",
      "lab2/l40s",
      "lab2/t4",
    ]);
    // Cloud Run's L4 is priced (a ranked candidate); the Container Apps SKU is not in the catalog.
    assert.deepEqual(
      seeds.filter((s) => s.capacity === "serverless").map((s) => s.region),
      ["eastus"],
    );
  });

  it("lists exactly the pools that pass, priced for the request's replicas, cheapest first", () => {
    const seen = { listed: 0, left: 0, ranked: 0 };
    fc.assert(
      fc.property(arbRequest, arbPolicy, (a, policy) => {
        // A region outside the listed clouds is a validation error (regions.test.ts), not a listing.
        const cloudOf = (region: string) => footprint.clusters.find((x) => x.region === region)!.cloud;
        fc.pre(!a.clouds || !a.regions || a.regions.every((x) => (a.clouds as readonly string[]).includes(cloudOf(x))));
        const req = parseQuoteRequest({
          model: { name: "m", parametersBillions: a.parametersBillions, precision: a.precision, contextTokens: 4096 },
          replicas: a.replicas,
          constraints: {
            scope: "footprint",
            capacity: a.capacity,
            ...(a.clouds ? { clouds: a.clouds } : {}),
            ...(a.regions ? { regions: a.regions } : {}),
            ...(a.gpuTypes ? { gpuTypes: a.gpuTypes } : {}),
          },
        });
        const r = quote(req, catalog, {
          now,
          footprint,
          limit: 100,
          ...(policy ? { policy: policy as PlacementPolicy } : {}),
        });
        const need = sizeModel(req.model).totalGiB;
        const passes = (s: (typeof seeds)[number]): boolean => {
          if (a.clouds && !(a.clouds as readonly string[]).includes(s.cloud)) return false;
          if (a.regions && !a.regions.includes(s.region)) return false;
          if (s.capacity === "serverless") return a.capacity === "any" && !a.gpuTypes;
          if (!precisionSupport(s.gpuType, a.precision).ok) return false;
          if (s.holdsGiB < need || a.replicas > s.maxNodes) return false;
          if (a.gpuTypes && !a.gpuTypes.includes(s.gpuType)) return false;
          if (a.capacity !== "any" && a.capacity !== s.capacity) return false;
          const hourly = s.nodeHourlyUsd === null ? 0 : s.nodeHourlyUsd * a.replicas;
          const subject = { region: s.region, gpuType: s.gpuType, capacity: s.capacity, hourlyUsd: hourly };
          return (
            deniedBy(
              { ...subject, atMaxMonthlyUsd: hourly * 730, brought: s.cloud === "kubernetes" },
              policy as PlacementPolicy,
            ) === undefined
          );
        };
        const expected = seeds.filter(passes);
        // The priced brought pools, as seeds, pass the same rules: exactly those are ranked.
        const broughtSeeds = footprint.clusters
          .filter((c) => c.cloud === "kubernetes")
          .flatMap((c) =>
            c.pools
              .filter((p) => p.nodeHourlyUsd !== undefined)
              .map((p) => ({
                cluster: c.name,
                pool: p.name,
                cloud: c.cloud,
                region: c.region,
                gpuType: p.gpu,
                gpuCount: p.gpusPerNode,
                capacity: p.capacity as "spot" | "on-demand",
                nodeHourlyUsd: p.nodeHourlyUsd!,
                note: "",
                holdsGiB: p.gpusPerNode * GPU_MEMORY_GIB[p.gpu]!,
                maxNodes: p.maxNodes,
              })),
          );
        const key = (p: { cluster?: string; pool?: string }) => `${p.cluster}/${p.pool}`;
        assert.deepEqual(
          r.placements
            .filter((p) => p.cloud === "kubernetes")
            .map(key)
            .sort(),
          broughtSeeds.filter(passes).map(key).sort(),
        );
        seen.ranked += broughtSeeds.filter(passes).length;
        const pools = r.pools ?? [];
        assert.deepEqual(pools.map(key).sort(), expected.map(key).sort());
        for (const p of pools) {
          const s = seeds.find((x) => key(x) === key(p))!;
          const { holdsGiB: _h, maxNodes: _m, ...rest } = s;
          const hourly = s.capacity === "serverless" || s.nodeHourlyUsd === null ? null : s.nodeHourlyUsd * a.replicas;
          assert.deepEqual(p, {
            ...rest,
            replicas: a.replicas,
            hourlyUsd: hourly,
            monthlyUsd: hourly === null ? null : hourly * 730,
          });
        }
        const order = pools.map((p) => p.monthlyUsd ?? Number.POSITIVE_INFINITY);
        assert.deepEqual(
          order,
          [...order].sort((x, y) => x - y),
          "cheapest first, unpriced last",
        );
        seen.listed += pools.length;
        seen.left += seeds.length - pools.length;
      }),
      { seed: 1201, numRuns: 300 },
    );
    assert.ok(
      seen.listed > 50 && seen.left > 300 && seen.ranked > 50,
      `every outcome is exercised: ${JSON.stringify(seen)}`,
    );
  });

  it("reports the footprint's clusters with the quote", () => {
    const r = quote(
      parseQuoteRequest({ model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 } }),
      catalog,
      {
        now,
        footprint,
      },
    );
    assert.equal(r.scope, "footprint");
    assert.deepEqual(r.footprint, {
      clusters: [
        { cloud: "kubernetes", region: "onprem-fra", name: "lab" },
        { cloud: "kubernetes", region: "onprem-par", name: "lab2" },
        { cloud: "gcp", region: "us-central1", name: "gcp" },
        { cloud: "azure", region: "eastus", name: "azure" },
      ],
    });
    const anywhere = quote(
      parseQuoteRequest({ model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 } }),
      catalog,
      { now },
    );
    assert.equal(anywhere.footprint, undefined);
    assert.equal(anywhere.pools, undefined);
  });
});
