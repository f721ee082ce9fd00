/**
 * Exact answers and boundaries of the optimizer (the mutation run's survivors): the `limit`, the
 * best placement per cloud, the tie-break order, the warnings and the `maxHourlyUsd` bound. Small
 * hand-made catalogs (./testing.ts) give exact expected values; the shipped catalog is used where
 * the price comes from its rows, never a hard-coded number.
 */
import assert from "node:assert/strict";
import type { ServerlessOffer, StoragePrice } from "../pricing/types";
import type { Placement } from "../placement";
import { sizeModel } from "../sizing";
import type { Cloud } from "../types";
import { candidatesOf, compareCandidates } from "./candidates";
import { comparePlacements, capacitiesFor, parseQuoteRequest, quote } from "./index";
import { names, now, offer, request, shipped, tiny } from "./testing";

describe("optimizer boundaries", () => {
  describe("limit", () => {
    const twelve = tiny(Array.from({ length: 12 }, (_, i) => offer("aws", `a${i + 1}`, i + 1)));

    it("returns 10 placements by default, the 10 cheapest, and counts all 12 feasible", () => {
      const r = quote(request(), twelve, { now });
      assert.equal(r.feasibleCount, 12);
      assert.deepEqual(
        r.placements.map((p) => p.instanceType),
        ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"],
      );
    });

    it("returns exactly `limit` placements when one cloud has them all", () => {
      assert.deepEqual(names(quote(request(), twelve, { now, limit: 3 }).placements), [
        "a1:on-demand",
        "a2:on-demand",
        "a3:on-demand",
      ]);
      assert.deepEqual(names(quote(request(), twelve, { now, limit: 1 }).placements), ["a1:on-demand"]);
    });

    it("a limit below 1 still returns the cheapest placement", () => {
      assert.deepEqual(names(quote(request(), twelve, { now, limit: 0 }).placements), ["a1:on-demand"]);
      assert.deepEqual(names(quote(request(), twelve, { now, limit: -4 }).placements), ["a1:on-demand"]);
    });

    it("keeps every placement tied with the last one inside the limit, and nothing dearer", () => {
      const tied = tiny([
        offer("aws", "a", 1),
        offer("aws", "b", 2),
        offer("aws", "c", 2),
        offer("aws", "d", 2),
        offer("aws", "e", 3),
      ]);
      assert.deepEqual(
        quote(request(), tied, { now, limit: 2 }).placements.map((p) => p.instanceType),
        ["a", "b", "c", "d"],
      );
      assert.deepEqual(
        quote(request(), tied, { now, limit: 4 }).placements.map((p) => p.instanceType),
        ["a", "b", "c", "d"],
      );
    });
  });

  describe("best per cloud", () => {
    // gcp's cheapest offer is listed between two dearer ones; azure has one.
    const cat = tiny([
      offer("aws", "a1", 1),
      offer("aws", "a2", 2),
      offer("aws", "a3", 3),
      offer("gcp", "g7", 7),
      offer("gcp", "g5", 5),
      offer("gcp", "g6", 6),
      offer("azure", "z9", 9),
    ]);

    it("adds the cheapest placement of each other cloud after the top `limit`", () => {
      const r = quote(request(), cat, { now, limit: 2 });
      assert.deepEqual(
        r.placements.map((p) => p.instanceType),
        ["a1", "a2", "g5", "z9"],
      );
      assert.equal(r.feasibleCount, 7);
    });

    it("on equal prices within a cloud, the tie-break key (cloud|region|type|capacity) decides, ascending", () => {
      const ties = tiny([offer("aws", "a", 1), offer("gcp", "x-b", 5), offer("gcp", "x-a", 5), offer("gcp", "x-c", 5)]);
      assert.deepEqual(
        quote(request(), ties, { now, limit: 1 }).placements.map((p) => p.instanceType),
        ["a", "x-a"],
      );
      assert.deepEqual(
        candidatesOf(ties).map((c) => c.key),
        ["aws|r1|a|0", "gcp|r1|x-a|0", "gcp|r1|x-b|0", "gcp|r1|x-c|0"],
      );
    });
  });

  describe("order", () => {
    it("candidates: unit price first, then key; spot keys sort after on-demand of the same shape", () => {
      const cat = tiny([offer("gcp", "b", 3, 1), offer("aws", "z", 3, 2), offer("aws", "y", 3)]);
      assert.deepEqual(
        candidatesOf(cat).map((c) => `${c.key}@${c.unit}`),
        ["gcp|r1|b|1@1", "aws|r1|z|1@2", "aws|r1|y|0@3", "aws|r1|z|0@3", "gcp|r1|b|0@3"],
      );
      const same = tiny([offer("aws", "s", 3, 3)]);
      assert.deepEqual(
        candidatesOf(same).map((c) => c.key),
        ["aws|r1|s|0", "aws|r1|s|1"],
      );
    });

    it("compareCandidates: equal prices compare by key, -1 / 1, and a candidate equals itself", () => {
      const [a, b] = candidatesOf(tiny([offer("aws", "a", 3), offer("aws", "b", 3)]));
      assert.equal(compareCandidates(a!, b!), -1);
      assert.equal(compareCandidates(b!, a!), 1);
      assert.equal(compareCandidates(a!, a!), 0);
      const [cheap, dear] = candidatesOf(tiny([offer("aws", "z", 1), offer("aws", "a", 3)]));
      assert.ok(compareCandidates(cheap!, dear!) < 0 && compareCandidates(dear!, cheap!) > 0);
    });

    it("a shape not sold on-demand yields only its spot candidate, with no on-demand floor", () => {
      const cands = candidatesOf(tiny([offer("gcp", "a3-highgpu-1g", 9, 2, { onDemandAvailable: false })]));
      assert.deepEqual(
        cands.map((c) => [c.key, c.unit, c.onDemandUnit]),
        [["gcp|r1|a3-highgpu-1g|1", 2, null]],
      );
    });

    it("candidates are cached per catalog object and rebuilt for a new one", () => {
      const a = tiny([offer("aws", "a", 1)]);
      assert.equal(candidatesOf(a), candidatesOf(a));
      const b = tiny([offer("aws", "a", 1)]);
      assert.notEqual(candidatesOf(b), candidatesOf(a));
      assert.deepEqual(candidatesOf(b), candidatesOf(a));
    });

    it("placements with equal hourly prices rank by monthly (storage), then cloud", () => {
      const storage = (cloud: Cloud, perGbMonthUsd: number): StoragePrice => ({
        ...shipped.storage[0]!,
        cloud,
        tier: "STANDARD",
        perGbMonthUsd,
      });
      const offers = [offer("aws", "a", 2), offer("gcp", "g", 2), offer("azure", "z", 2)];
      // storage makes gcp cheapest per month, then azure, then aws
      const withStorage = tiny(offers, {
        storage: [storage("aws", 0.03), storage("gcp", 0.01), storage("azure", 0.02)],
      });
      assert.deepEqual(
        quote(request(), withStorage, { now }).placements.map((p) => p.cloud),
        ["gcp", "azure", "aws"],
      );
      // no storage anywhere: alphabetical by cloud
      assert.deepEqual(
        quote(request(), tiny([offers[2]!, offers[1]!, offers[0]!]), { now }).placements.map((p) => p.cloud),
        ["aws", "azure", "gcp"],
      );
    });

    it("comparePlacements: monthly, hourly, cloud, region, instance type, capacity, in that order", () => {
      const p: Placement = {
        cloud: "gcp",
        region: "r2",
        instanceType: "m",
        gpuType: "H100",
        gpuCount: 1,
        gpuMemoryGiB: 80,
        capacity: "on-demand",
        replicas: 1,
        unitHourlyUsd: 2,
        hourlyUsd: 2,
        monthlyUsd: 1460,
        storageMonthlyUsd: 0,
        onDemandUnitHourlyUsd: null,
      };
      const lower: Array<[string, Partial<Placement>]> = [
        ["monthly", { monthlyUsd: 1459, hourlyUsd: 9, cloud: "gcp", region: "z" }],
        ["hourly", { hourlyUsd: 1.5, cloud: "gcp", region: "z" }],
        ["cloud", { cloud: "aws", region: "z", instanceType: "z" }],
        ["region", { region: "r1", instanceType: "z", capacity: "spot" }],
        ["instance type", { instanceType: "l", capacity: "spot" }],
        ["capacity", { capacity: "on-demand" }],
      ];
      const dearer = { ...p, capacity: "spot" as const };
      for (const [what, change] of lower) {
        const a = { ...(what === "capacity" ? dearer : p), ...change };
        const b = what === "capacity" ? dearer : p;
        assert.ok(comparePlacements(a, b) < 0, `${what}: a first`);
        assert.ok(comparePlacements(b, a) > 0, `${what}: b second`);
      }
      assert.equal(comparePlacements(p, { ...p }), 0);
    });
  });

  describe("maxHourlyUsd", () => {
    const cat = tiny([offer("aws", "a", 2), offer("aws", "b", 3)]);

    it("a placement costing exactly the cap is feasible; a cent less excludes it", () => {
      const at = quote(request({ replicas: 2, constraints: { maxHourlyUsd: 4 } }), cat, { now });
      assert.deepEqual(names(at.placements), ["a:on-demand"]);
      assert.equal(at.feasibleCount, 1);
      assert.equal(at.placements[0]!.hourlyUsd, 4);
      const below = quote(request({ replicas: 2, constraints: { maxHourlyUsd: 3.99 } }), cat, { now });
      assert.equal(below.feasibleCount, 0);
      assert.deepEqual(below.placements, []);
      assert.equal(
        below.infeasible?.message,
        "no placement holding 3.3 GiB costs at most $3.99/h for 2 replica(s) (cheapest there: 1×H100 (a) on aws r1 at $4/h on-demand); cheapest fit anywhere is 1×H100 (a) on aws r1 at $4/h on-demand; relax maxHourlyUsd",
      );
    });

    it("the explanation's relaxations honour the cap at its exact value", () => {
      // L4 is asked for but absent; without gpuTypes, the H100 at exactly the cap fits.
      const r = quote(request({ replicas: 2, constraints: { gpuTypes: ["L4"], maxHourlyUsd: 4 } }), cat, { now });
      assert.deepEqual(r.infeasible?.relax, ["gpuTypes"]);
      assert.deepEqual(r.infeasible?.constraints, ["gpuTypes", "maxHourlyUsd"]);
      const under = quote(request({ replicas: 2, constraints: { gpuTypes: ["L4"], maxHourlyUsd: 3.99 } }), cat, {
        now,
      });
      assert.deepEqual(under.infeasible?.relax, []);
    });

    it("a node holding exactly the requirement is feasible", () => {
      const exact = sizeModel(request().model).totalGiB;
      const r = quote(request(), tiny([offer("aws", "x", 2, null, { gpuMemoryGiB: exact })]), { now });
      assert.deepEqual(names(r.placements), ["x:on-demand"]);
    });

    it("shipped catalog: a cap equal to the cheapest on-demand price (from its rows) keeps that offer", () => {
      const req = parseQuoteRequest({
        model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
        constraints: { capacity: "on-demand" },
      });
      const need = sizeModel(req.model).totalGiB;
      const rows = shipped.gpuOffers.filter(
        (o) => o.onDemandAvailable !== false && o.gpuCount * o.gpuMemoryGiB >= need,
      );
      const cheapest = Math.min(...rows.map((o) => o.onDemandHourlyUsd));
      const atCap = rows.filter((o) => o.onDemandHourlyUsd === cheapest);
      const capped = quote({ ...req, constraints: { ...req.constraints, maxHourlyUsd: cheapest } }, shipped, {
        now,
        limit: 100,
      });
      assert.equal(capped.feasibleCount, atCap.length);
      assert.deepEqual(capped.placements.map((p) => p.instanceType).sort(), atCap.map((o) => o.instanceType).sort());
      const under = quote({ ...req, constraints: { ...req.constraints, maxHourlyUsd: cheapest - 1e-6 } }, shipped, {
        now,
      });
      assert.equal(under.feasibleCount, 0);
    });
  });

  describe("warnings", () => {
    const spotCat = tiny([offer("aws", "a", 3, 1)]);
    const SPOT =
      "spot placements can be reclaimed by the cloud at short notice; each carries onDemandUnitHourlyUsd, the price of an on-demand floor of the same shape";
    const NO_STORAGE = "no object-storage price for aws in the catalog; its placements exclude artifact storage";

    it("warns about spot exactly when a spot placement is returned", () => {
      assert.deepEqual(quote(request(), spotCat, { now }).warnings, [NO_STORAGE, SPOT]);
      assert.deepEqual(quote(request({ constraints: { capacity: "on-demand" } }), spotCat, { now }).warnings, [
        NO_STORAGE,
      ]);
    });

    it("names the estimated architecture when the request gives none", () => {
      const r = quote(
        parseQuoteRequest({ model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 1024 } }),
        tiny([offer("aws", "a", 3)]),
        { now },
      );
      assert.deepEqual(r.warnings, [
        "model.architecture not given: KV cache estimated for a 8B model as 32 layers × 8 KV heads × 128 head dim; pass model.architecture for an exact figure",
        NO_STORAGE,
      ]);
    });

    it("names the storage tier it could not price", () => {
      assert.deepEqual(quote(request(), tiny([offer("aws", "a", 3)]), { now, storageTier: "COLD" }).warnings, [
        "no object-storage price for aws tier COLD in the catalog; its placements exclude artifact storage",
      ]);
    });

    it("every cloud with a serverless offer gets its storage priced, too", () => {
      const run: ServerlessOffer = { ...shipped.serverless[0]!, cloud: "gcp", region: "r1", perSecondUsd: 0.001 };
      assert.deepEqual(quote(request(), tiny([], { serverless: [run] }), { now }).warnings, [
        "no object-storage price for gcp in the catalog; its placements exclude artifact storage",
      ]);
    });

    it("the catalog-age warning starts the day after the limit", () => {
      const cat = tiny([offer("aws", "a", 3)], { storage: [{ ...shipped.storage[0]!, cloud: "aws" }] });
      // asOf 2026-11-20: 30 days later is 2026-12-20
      assert.deepEqual(quote(request(), cat, { now: new Date("2026-12-20T12:00:00Z") }).warnings, []);
      assert.deepEqual(quote(request(), cat, { now: new Date("2026-12-21T00:00:00Z") }).warnings, [
        "catalog t is 31 days old (as of 2026-11-20; limit 30 days): prices may have changed; run `modelplane pricing refresh` or import a fresh SkyPilot catalog",
      ]);
      assert.equal(
        quote(request(), cat, { now: new Date("2026-12-21T00:00:00Z"), maxCatalogAgeDays: 31 }).warnings.length,
        0,
      );
      assert.equal(
        quote(request(), cat, { now: new Date("2026-11-22T00:00:00Z"), maxCatalogAgeDays: 1 }).warnings.length,
        1,
      );
    });
  });

  describe("placements", () => {
    it("prices each candidate with the cost model: replicas, storage once, serverless active hours", () => {
      const storage = { ...shipped.storage[0]!, cloud: "gcp" as const, perGbMonthUsd: 0.02 };
      const run: ServerlessOffer = {
        ...shipped.serverless[0]!,
        cloud: "gcp",
        region: "r1",
        sku: "s",
        perSecondUsd: 0.001,
      };
      const r = quote(
        request({ replicas: 3, activeHoursPerDay: 6 }),
        tiny([offer("gcp", "g", 5, 2)], { storage: [storage], serverless: [run] }),
        {
          now,
        },
      );
      const store = ((1e9 * 2) / 2 ** 30) * 0.02;
      const byName = new Map(r.placements.map((p) => [`${p.instanceType}:${p.capacity}`, p]));
      const spot = byName.get("g:spot")!;
      const {
        atMaxMonthlyUsd: _max,
        atRestMonthlyUsd: _rest,
        ...priced
      } = spot as typeof spot & {
        atMaxMonthlyUsd?: number;
        atRestMonthlyUsd?: number;
      };
      assert.deepEqual(
        { ...priced, why: undefined },
        {
          cloud: "gcp",
          region: "r1",
          instanceType: "g",
          gpuType: "H100",
          gpuCount: 1,
          gpuMemoryGiB: 80,
          capacity: "spot",
          replicas: 3,
          unitHourlyUsd: 2,
          hourlyUsd: 6,
          monthlyUsd: 6 * 730 + store,
          storageMonthlyUsd: store,
          onDemandUnitHourlyUsd: 5,
          why: undefined,
        },
      );
      const serverless = byName.get("s:serverless")!;
      assert.equal(serverless.serverlessProduct, run.product);
      assert.ok(Math.abs(serverless.hourlyUsd - 3 * 3.6) < 1e-9);
      assert.ok(Math.abs(serverless.monthlyUsd - (3 * 3.6 * 730 * 6) / 24 - store) < 1e-9);
      assert.equal(serverless.onDemandUnitHourlyUsd, null);
      assert.equal(byName.get("g:on-demand")!.onDemandUnitHourlyUsd, null);
      assert.equal("serverlessProduct" in byName.get("g:on-demand")!, false);
    });

    it("capacitiesFor: any admits all three; a preference admits itself", () => {
      assert.deepEqual(capacitiesFor("any"), ["on-demand", "spot", "serverless"]);
      assert.deepEqual(capacitiesFor("spot"), ["spot"]);
      assert.deepEqual(capacitiesFor("on-demand"), ["on-demand"]);
    });
  });
});
