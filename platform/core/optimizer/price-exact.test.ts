import assert from "node:assert/strict";
import type { Catalog, EgressPrice, StoragePrice } from "../pricing/types";
import type { PlacementPricing } from "../placement";
import { basePlacement, packingOf, Pricer, toQuotedPlacement, type Priced } from "./price";
import type { ScopedCandidate } from "./scope";
import { broughtFootprint, twoRegionAwsFootprint } from "./test-fixtures";
import { offer, request, scopedCandidate, shipped, tiny } from "./testing";

/** 0.536870912 B parameters in bf16 are exactly 1 GiB of weights: every storage and egress figure is its per-GB price. */
const ONE_GIB = { name: "one-gib", parametersBillions: 0.536870912, precision: "bf16", contextTokens: 1024 } as const;
const storage = (cloud: "aws" | "gcp" | "azure", tier: string, perGbMonthUsd: number): StoragePrice => ({
  cloud,
  tier,
  perGbMonthUsd,
  region: "r1",
  source: "test",
  asOf: "2026-11-20",
});
const egress = (cloud: "aws" | "gcp", kind: EgressPrice["kind"], perGbUsd: number): EgressPrice => ({
  cloud,
  kind,
  geography: "us",
  perGbUsd,
  source: "test:row",
  asOf: "2026-11-20",
});
/** aws and gcp GPU offers, an azure serverless offer; storage for aws (two tiers) and gcp; egress from aws only. */
const catalog: Catalog = {
  ...tiny([offer("aws", "a", 1), offer("gcp", "g", 1)], {
    serverless: [{ ...shipped.serverless[0]!, cloud: "azure", region: "eastus" }],
    storage: [storage("aws", "STANDARD", 0.25), storage("aws", "COLD", 0.125), storage("gcp", "STANDARD", 0.5)],
  }),
  egress: [egress("aws", "inter-region", 0.0625), egress("aws", "internet", 0.75)],
};

const cand = (over: Partial<ScopedCandidate>): ScopedCandidate =>
  scopedCandidate({ instanceType: "a", unit: 2, ...over });

describe("optimizer: Pricer (exact)", () => {
  it("warns once per catalog cloud (GPU or serverless) without a storage price, naming the tier when one is asked", () => {
    const warnings: string[] = [];
    new Pricer(request({ model: ONE_GIB }), catalog, undefined, undefined, warnings);
    assert.deepEqual(warnings, [
      "no object-storage price for azure in the catalog; its placements exclude artifact storage",
    ]);
    const tiered: string[] = [];
    new Pricer(request({ model: ONE_GIB }), catalog, undefined, "cold", tiered);
    assert.deepEqual(tiered, [
      "no object-storage price for gcp tier cold in the catalog; its placements exclude artifact storage",
      "no object-storage price for azure tier cold in the catalog; its placements exclude artifact storage",
    ]);
  });

  it("prices storage per cloud (the standard tier, or the one asked) and none where the catalog has none", () => {
    const req = request({ model: ONE_GIB });
    const std = new Pricer(req, catalog, undefined, undefined, []);
    assert.equal(std.price(cand({ cloud: "aws" })).storageUsd, 0.25);
    assert.equal(std.price(cand({ cloud: "gcp" })).storageUsd, 0.5);
    assert.equal(std.price(cand({ cloud: "azure" })).storageUsd, 0);
    const cold = new Pricer(req, catalog, undefined, "COLD", []);
    assert.equal(cold.price(cand({ cloud: "aws" })).storageUsd, 0.125);
    assert.equal(cold.price(cand({ cloud: "gcp" })).storageUsd, 0);
  });

  it("prices one weights move from the nearest store: none without stores, free in its region, egress elsewhere, null where unpriced", () => {
    const req = request({ model: ONE_GIB });
    assert.equal(new Pricer(req, catalog, undefined, undefined, []).transfer("aws", "us-east-1"), undefined);
    assert.equal(new Pricer(req, catalog, broughtFootprint(), undefined, []).transfer("aws", "us-east-1"), undefined);
    const p = new Pricer(req, catalog, twoRegionAwsFootprint(), undefined, []);
    assert.equal(p.transfer("aws", "us-east-1"), 0);
    assert.equal(p.transfer("aws", "us-west-2"), 0.0625);
    assert.equal(p.transfer("gcp", "us-central1"), 0.75);
    assert.deepEqual([...p.unpricedMoves], [], "priced moves leave no note");
    assert.equal(p.transfer("aws", "eu-west-1"), null);
    assert.equal(p.transfer("aws", "eu-west-1"), null);
    assert.deepEqual(
      [...p.unpricedMoves],
      ["moving the weights to aws eu-west-1 is unpriced: the catalog has no egress price from aws us-east-1 to there"],
    );
  });

  it("fixed: storage plus one move per replica (the request's by default), nothing on a brought cluster", () => {
    const req = request({ model: ONE_GIB, replicas: 3 });
    const p = new Pricer(req, catalog, twoRegionAwsFootprint(), undefined, []);
    const west = cand({ region: "us-west-2", where: "aws|us-west-2", whereIndex: 1 });
    assert.equal(p.fixed(west), 0.25 + 3 * 0.0625);
    assert.equal(p.fixed(west, 5), 0.25 + 5 * 0.0625);
    assert.equal(p.fixed(cand({ whereIndex: 0 }), 4), 0.25);
    assert.equal(p.fixed(cand({ cloud: "gcp", region: "us-central1", whereIndex: 2 }), 2), 0.5 + 2 * 0.75);
    const brought = cand({ cloud: "kubernetes", region: "onprem", whereIndex: 3, brought: true });
    assert.equal(p.fixed(brought, 2), 0);
    assert.equal(
      p.fixed(cand({ cloud: "azure", region: "eastus", whereIndex: 4 }), 1),
      0.75,
      "no storage price: the move only",
    );
  });

  it("price: the cost model with the request's replicas and hours, storage and moves; a brought cluster's move is unknown", () => {
    const req = request({ model: ONE_GIB, replicas: 2, activeHoursPerDay: 12 });
    const p = new Pricer(req, catalog, twoRegionAwsFootprint(), undefined, []);
    const west = cand({ region: "us-west-2", unit: 2 });
    const priced = p.price(west);
    assert.equal(priced.cand, west);
    assert.equal(priced.storageUsd, 0.25);
    assert.equal(priced.transferUsd, 0.0625);
    // A node bills 730 h whatever the active hours: 2 × $2 × 730 + storage + one move per replica.
    assert.deepEqual(priced.cost, {
      hourlyUsd: 4,
      monthlyUsd: 2920 + 0.25 + 0.125,
      atRestMonthlyUsd: 2920 + 0.25 + 0.125,
      atMaxMonthlyUsd: 2920 + 0.25 + 0.125,
    });
    // Serverless bills the active hours only: 2 × $2 × 365 h.
    const run = p.price(cand({ capacity: "serverless", unit: 2 }), 1);
    assert.deepEqual(run.cost, {
      hourlyUsd: 2,
      monthlyUsd: 730 + 0.25,
      atRestMonthlyUsd: 0.25,
      atMaxMonthlyUsd: 1460 + 0.25,
    });
    assert.equal(run.transferUsd, 0);

    const brought = cand({ cloud: "kubernetes", region: "onprem", unit: 1.5, brought: true });
    const withStores = p.price(brought);
    assert.equal(withStores.storageUsd, 0);
    assert.equal(withStores.transferUsd, null);
    assert.equal(withStores.cost.monthlyUsd, 2 * 1.5 * 730);
    const noStores = new Pricer(req, catalog, broughtFootprint(), undefined, []).price(brought);
    assert.equal(noStores.transferUsd, undefined);
    assert.equal(noStores.storageUsd, 0);
    assert.equal(new Pricer(req, catalog, undefined, undefined, []).price(west).transferUsd, undefined);
    assert.equal(
      new Pricer(req, catalog, undefined, undefined, []).price(brought).transferUsd,
      undefined,
      "no footprint: no stores",
    );
  });

  it("price: a hibernation schedule bills the nodes only its hours (84 h a week = 365 h a month)", () => {
    const req = request({
      model: ONE_GIB,
      schedule: {
        timezone: "UTC",
        activeWindows: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], from: "00:00", to: "12:00" }],
      },
    });
    const priced = new Pricer(req, catalog, undefined, undefined, []).price(cand({ unit: 2 }));
    assert.deepEqual(priced.cost, {
      hourlyUsd: 2,
      monthlyUsd: 730.25,
      atRestMonthlyUsd: 730.25,
      atMaxMonthlyUsd: 730.25,
    });
  });
});

describe("optimizer: packingOf and packed prices (exact)", () => {
  /** An existing pool's node of `gpuCount` 80-GiB GPUs. */
  const pooled = (gpuCount: number): ScopedCandidate => cand({ pool: "p", cluster: "c", gpuCount, unit: 8 });

  it("shares an existing pool's multi-GPU node: the fewest tensor-parallel GPUs that hold a replica, and how many fit", () => {
    // 100 GiB needs 2 × 80 GiB: an 8-GPU node carries 4 replicas; a 3-GPU node carries 1 (a GPU idles).
    assert.deepEqual(packingOf(pooled(8), 100), { gpusPerReplica: 2, replicasPerNode: 4 });
    assert.deepEqual(packingOf(pooled(8), 80), { gpusPerReplica: 1, replicasPerNode: 8 });
    assert.deepEqual(packingOf(pooled(3), 100), { gpusPerReplica: 2, replicasPerNode: 1 });
  });

  it("is undefined (not null) for a dedicated pool, a one-GPU node, a replica that takes the whole node, or one that does not fit", () => {
    assert.equal(
      packingOf(cand({ gpuCount: 8 }), 100),
      undefined,
      "no pool: a new dedicated pool's node is one replica's",
    );
    assert.equal(packingOf(pooled(1), 40), undefined);
    assert.equal(packingOf(pooled(8), 500), undefined, "500 GiB takes all 8 GPUs");
    assert.equal(packingOf(pooled(2), 100), undefined, "100 GiB takes both GPUs");
    assert.equal(packingOf(pooled(2), 200), undefined, "200 GiB does not fit 2 × 80 GiB");
  });

  it("prices the nodes a packed pool needs: 6 replicas at 4 a node are 2 nodes", () => {
    const p = new Pricer(request({ model: ONE_GIB, replicas: 6 }), catalog, undefined, undefined, []);
    const packing = { gpusPerReplica: 2, replicasPerNode: 4 };
    const priced = p.price(pooled(8), 6, packing);
    assert.deepEqual(priced.packing, packing);
    // 2 nodes × $8 = $16/h; 730 h; storage $0.25 (1 GiB at $0.25), no stores: no move.
    assert.deepEqual(priced.cost, {
      hourlyUsd: 16,
      monthlyUsd: 16 * 730 + 0.25,
      atRestMonthlyUsd: 16 * 730 + 0.25,
      atMaxMonthlyUsd: 16 * 730 + 0.25,
    });
    assert.equal(p.price(pooled(8), 6).cost.hourlyUsd, 48, "unpacked: one node per replica");
  });

  it("a packed placement asks for a replica's GPUs, and names replicas per node only when a node carries several", () => {
    const cost = { hourlyUsd: 16, monthlyUsd: 1, atRestMonthlyUsd: 1, atMaxMonthlyUsd: 1 };
    const base = { cand: pooled(8), cost, storageUsd: 0, transferUsd: undefined };
    const four = toQuotedPlacement({ ...base, packing: { gpusPerReplica: 2, replicasPerNode: 4 } }, 6);
    assert.equal(four.gpuCount, 2);
    assert.equal(four.replicasPerNode, 4);
    const one = toQuotedPlacement({ ...base, cand: pooled(3), packing: { gpusPerReplica: 2, replicasPerNode: 1 } }, 2);
    assert.equal(one.gpuCount, 2);
    assert.ok(!("replicasPerNode" in one), "one replica a node: no replicasPerNode");
    assert.ok(!("replicasPerNode" in toQuotedPlacement(base, 6)));
    assert.equal(toQuotedPlacement(base, 6).gpuCount, 8);
  });
});

describe("optimizer: toQuotedPlacement and basePlacement (exact)", () => {
  const cost = { hourlyUsd: 4, monthlyUsd: 3000, atRestMonthlyUsd: 2900, atMaxMonthlyUsd: 3100 };
  const plain: Priced = { cand: cand({ onDemandUnit: 3 }), cost, storageUsd: 0.25, transferUsd: undefined };

  it("copies the candidate's shape and the priced figures, and only the optional fields that are set", () => {
    assert.deepEqual(toQuotedPlacement(plain, 2), {
      cloud: "aws",
      region: "us-east-1",
      instanceType: "a",
      gpuType: "H100",
      gpuCount: 1,
      gpuMemoryGiB: 80,
      capacity: "on-demand",
      replicas: 2,
      unitHourlyUsd: 2,
      hourlyUsd: 4,
      monthlyUsd: 3000,
      storageMonthlyUsd: 0.25,
      onDemandUnitHourlyUsd: 3,
      atRestMonthlyUsd: 2900,
      atMaxMonthlyUsd: 3100,
    });
  });

  it("carries the serverless product, cluster, pool, a copy of the pricing label and the weights move (null too)", () => {
    const pricing: PlacementPricing = { basis: "declared", note: "n" };
    const full: Priced = {
      ...plain,
      cand: cand({ serverlessProduct: "cloud-run", cluster: "c", pool: "p", pricing }),
      transferUsd: null,
    };
    const q = toQuotedPlacement(full, 1);
    assert.equal(q.serverlessProduct, "cloud-run");
    assert.equal(q.cluster, "c");
    assert.equal(q.pool, "p");
    assert.deepEqual(q.pricing, { basis: "declared", note: "n" });
    assert.notEqual(q.pricing, pricing, "a copy, not the candidate's object");
    assert.equal(q.weightsTransferUsd, null);
    assert.equal(toQuotedPlacement({ ...plain, transferUsd: 0.5 }, 1).weightsTransferUsd, 0.5);
    assert.ok(!("weightsTransferUsd" in toQuotedPlacement(plain, 1)));
  });

  it("basePlacement keeps the Placement fields only", () => {
    const q = {
      ...toQuotedPlacement({ ...plain, cand: cand({ cluster: "c", onDemandUnit: 3 }), transferUsd: 0.5 }, 2),
      usdPerMillionTokens: 1,
      predicted: { ttftMs: 1, tpotMs: 2, tokensPerSecond: 3 },
    };
    assert.deepEqual(basePlacement(q), {
      cloud: "aws",
      region: "us-east-1",
      instanceType: "a",
      gpuType: "H100",
      gpuCount: 1,
      gpuMemoryGiB: 80,
      capacity: "on-demand",
      replicas: 2,
      unitHourlyUsd: 2,
      hourlyUsd: 4,
      monthlyUsd: 3000,
      storageMonthlyUsd: 0.25,
      onDemandUnitHourlyUsd: 3,
      cluster: "c",
    });
  });
});
