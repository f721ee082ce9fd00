import assert from "node:assert/strict";
import { defaultCatalog } from "../pricing/catalog";
import { storageMonthlyUsd, artifactSizeGiB, unitHourlyUsd } from "../pricing/cost-model";
import type { Catalog } from "../pricing/types";
import { sizeModel } from "../sizing";
import { precisionSupport } from "../precision-rules";
import { CLOUDS, GPU_TYPES, PRECISIONS, CAPACITY_PREFERENCES, type Capacity, type Cloud } from "../types";
import { ValidationError } from "../validation";
import { parseQuoteRequest, quote, QuoteRequestSchema, type QuoteRequest } from "./index";

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

interface Brute {
  hourly: number;
  monthly: number;
  key: string;
}

/** Every feasible (offer, capacity) of the catalog, priced independently of the optimizer. */
function bruteForce(request: QuoteRequest, catalog: Catalog): Brute[] {
  const need = sizeModel(request.model).totalGiB;
  const c = request.constraints;
  const out: Brute[] = [];
  const admit = (
    cloud: string,
    region: string,
    gpuType: string,
    capacity: Capacity,
    holds: number,
    unit: number | null,
    key: string,
  ): void => {
    if (unit === null) return;
    if (c.clouds && !c.clouds.includes(cloud as never)) return;
    if (c.regions && !c.regions.includes(region)) return;
    if (c.gpuTypes && !c.gpuTypes.includes(gpuType as never)) return;
    if (c.capacity !== "any" && c.capacity !== capacity) return;
    if (holds < need) return;
    if (!precisionSupport(gpuType, request.model.precision).ok) return; // precision rules (precision-rules.ts)
    const hourly = unit * request.replicas;
    if (c.maxHourlyUsd !== undefined && hourly > c.maxHourlyUsd) return;
    // A node bills 730 h a month; serverless only its active hours; storage once per deployment.
    const hours = capacity === "serverless" ? (730 * request.activeHoursPerDay) / 24 : 730;
    const storage = storageMonthlyUsd(catalog, cloud as never, artifactSizeGiB(request.model)) ?? 0;
    out.push({ hourly, monthly: hourly * hours + storage, key });
  };
  for (const o of catalog.gpuOffers) {
    if (o.suspect === true && c.allowSuspect !== true) continue; // the anomaly guard (pricing/anomaly.ts)
    for (const cap of ["on-demand", "spot"] as const) {
      admit(
        o.cloud,
        o.region,
        o.gpuType,
        cap,
        o.gpuCount * o.gpuMemoryGiB,
        unitHourlyUsd(o, cap),
        `${o.cloud}|${o.region}|${o.instanceType}|${cap}`,
      );
    }
  }
  for (const s of catalog.serverless) {
    admit(
      s.cloud,
      s.region,
      s.gpuType,
      "serverless",
      s.gpuCount * s.gpuMemoryGiB,
      unitHourlyUsd(s, "serverless"),
      `${s.cloud}|${s.region}|${s.sku}|serverless`,
    );
  }
  return out;
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}
function subset<T>(rand: () => number, xs: readonly T[]): T[] {
  const s = xs.filter(() => rand() < 0.4);
  return s.length ? s : [pick(rand, xs)];
}

function generate(rand: () => number, catalog: Catalog): QuoteRequest {
  const constraints: Record<string, unknown> = {};
  if (rand() < 0.4) constraints.clouds = subset(rand, CLOUDS);
  // Regions of the asked clouds only: an unknown code is now a ValidationError (regions.test.ts).
  const asked = (constraints.clouds as string[] | undefined) ?? CLOUDS;
  const regions = [...new Set(catalog.gpuOffers.filter((o) => asked.includes(o.cloud)).map((o) => o.region))];
  if (rand() < 0.4) constraints.regions = subset(rand, regions).slice(0, 4);
  if (rand() < 0.4) constraints.gpuTypes = subset(rand, GPU_TYPES);
  if (rand() < 0.6) constraints.capacity = pick(rand, CAPACITY_PREFERENCES);
  if (rand() < 0.3) constraints.maxHourlyUsd = Math.round(rand() * 4000) / 100;
  return parseQuoteRequest({
    model: {
      name: "m",
      parametersBillions: pick(rand, [0.5, 1, 3, 7, 8, 13, 14, 32, 34, 70, 72, 180, 405]),
      precision: pick(rand, PRECISIONS),
      contextTokens: pick(rand, [512, 2048, 4096, 8192, 32768, 131072]),
      concurrency: pick(rand, [1, 1, 2, 4, 16]),
    },
    replicas: pick(rand, [1, 1, 2, 3]),
    activeHoursPerDay: pick(rand, [24, 12, 1.5]),
    constraints,
  });
}

describe("optimizer", () => {
  const catalog = defaultCatalog();
  const now = new Date("2026-11-23T00:00:00Z");

  it("the first placement is the exact minimum over every feasible offer (brute force, 600 seeded requests)", () => {
    const rand = prng(20261122);
    let feasibleSeen = 0;
    let infeasibleSeen = 0;
    for (let i = 0; i < 600; i += 1) {
      const req = generate(rand, catalog);
      const brute = bruteForce(req, catalog);
      const result = quote(req, catalog, { now });
      assert.equal(result.feasibleCount, brute.length, `request ${i}: feasible count`);
      if (brute.length === 0) {
        infeasibleSeen += 1;
        assert.equal(result.placements.length, 0);
        assert.ok(result.infeasible && result.infeasible.message.length > 10, `request ${i}: no explanation`);
        continue;
      }
      feasibleSeen += 1;
      assert.equal(result.infeasible, undefined);
      const min = Math.min(...brute.map((b) => b.monthly));
      assert.ok(
        Math.abs(result.placements[0]!.monthlyUsd - min) < 1e-6,
        `request ${i}: ${result.placements[0]!.monthlyUsd} vs ${min}`,
      );
      const feasibleKeys = new Set(brute.map((b) => b.key));
      result.placements.forEach((p, k) => {
        assert.ok(
          feasibleKeys.has(`${p.cloud}|${p.region}|${p.instanceType}|${p.capacity}`),
          `request ${i}: placement ${k} is not feasible`,
        );
        if (k > 0) assert.ok(p.monthlyUsd >= result.placements[k - 1]!.monthlyUsd, `request ${i}: not sorted`);
      });
    }
    assert.ok(feasibleSeen > 100 && infeasibleSeen > 20, `${feasibleSeen} feasible, ${infeasibleSeen} infeasible`);
  });

  it("fills every Placement field, prices storage once, and says why for the top and the best per cloud", () => {
    const req = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      replicas: 2,
      activeHoursPerDay: 24,
    });
    const r = quote(req, catalog, { now, limit: 3 });
    const top = r.placements[0]!;
    assert.match(top.why ?? "", /^cheapest per month of \d+ feasible placements/);
    for (const p of r.placements) {
      for (const field of [
        "cloud",
        "region",
        "instanceType",
        "gpuType",
        "gpuCount",
        "gpuMemoryGiB",
        "capacity",
        "replicas",
        "unitHourlyUsd",
        "hourlyUsd",
        "monthlyUsd",
        "storageMonthlyUsd",
        "onDemandUnitHourlyUsd",
        "why",
      ]) {
        assert.ok(field in p, `missing ${field}`);
      }
      assert.equal(p.replicas, 2);
      assert.ok(Math.abs(p.hourlyUsd - 2 * p.unitHourlyUsd) < 1e-12);
      const storage = storageMonthlyUsd(catalog, p.cloud as Cloud, artifactSizeGiB(req.model))!;
      assert.ok(Math.abs(p.storageMonthlyUsd - storage) < 1e-9);
      if (p.capacity !== "serverless") assert.ok(Math.abs(p.monthlyUsd - (p.hourlyUsd * 730 + storage)) < 1e-6);
    }
    // limit 3, plus the best placement of each cloud that has one
    for (const cloud of CLOUDS) {
      const best = r.placements.find((p) => p.cloud === cloud);
      assert.ok(best, `no placement on ${cloud}`);
      if (best !== top) assert.match(best.why ?? "", new RegExp(`^cheapest on ${cloud}`));
    }
    assert.deepEqual(r.catalog, { version: catalog.version, asOf: catalog.asOf, ageDays: 1 });
  });

  it("spot placements carry the on-demand price of the same shape; others carry null", () => {
    const r = quote(
      parseQuoteRequest({ model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } }),
      catalog,
      { now, limit: 50 },
    );
    const spot = r.placements.filter((p) => p.capacity === "spot");
    assert.ok(spot.length > 0);
    for (const p of spot) {
      const offer = catalog.gpuOffers.find(
        (o) => o.cloud === p.cloud && o.region === p.region && o.instanceType === p.instanceType,
      )!;
      assert.equal(p.onDemandUnitHourlyUsd, unitHourlyUsd(offer, "on-demand"));
      assert.ok(p.unitHourlyUsd < offer.onDemandHourlyUsd);
    }
    for (const p of r.placements.filter((x) => x.capacity !== "spot")) assert.equal(p.onDemandUnitHourlyUsd, null);
  });

  it("never places on-demand on a shape sold only as spot (GCP a3-highgpu-1g), and gives its spot no on-demand floor", () => {
    const req = parseQuoteRequest({
      model: { name: "m", parametersBillions: 30, precision: "bf16", contextTokens: 4096 },
      constraints: { clouds: ["gcp"], gpuTypes: ["H100"] },
    });
    const r = quote(req, catalog, { now, limit: 500 });
    assert.ok(!r.placements.some((p) => p.instanceType === "a3-highgpu-1g" && p.capacity === "on-demand"));
    const spot = r.placements.find((p) => p.instanceType === "a3-highgpu-1g" && p.capacity === "spot")!;
    assert.equal(spot.onDemandUnitHourlyUsd, null);
    assert.ok(r.placements.some((p) => p.instanceType === "a3-highgpu-8g" && p.capacity === "on-demand"));
  });

  it("serverless is billed for active hours only", () => {
    const req = parseQuoteRequest({
      model: { name: "m", parametersBillions: 3, precision: "bf16", contextTokens: 4096 },
      activeHoursPerDay: 6,
      constraints: { clouds: ["gcp"], regions: ["us-central1"], gpuTypes: ["L4"] },
    });
    const r = quote(req, catalog, { now, limit: 50 });
    const run = r.placements.find((p) => p.capacity === "serverless")!;
    assert.equal(run.serverlessProduct, "cloud-run");
    assert.ok(Math.abs(run.monthlyUsd - run.storageMonthlyUsd - (run.hourlyUsd * 730 * 6) / 24) < 1e-6);
  });

  it("explains an infeasible request: which constraint excluded what, the cheapest fit anywhere, what to relax", () => {
    const req = parseQuoteRequest({
      model: { name: "llama-70b", parametersBillions: 70, precision: "fp16", contextTokens: 8192 },
      // T4: 8×T4 (g4dn.metal) is 128 GiB; 8×L4 (g6.48xlarge) would hold it.
      constraints: { regions: ["us-east-1"], gpuTypes: ["T4"] },
    });
    const r = quote(req, catalog, { now });
    assert.equal(r.placements.length, 0);
    const inf = r.infeasible!;
    assert.match(inf.message, /^no GPU in \[T4\] in \[us-east-1\] holds 156 GiB/);
    assert.match(inf.message, /cheapest fit anywhere is \d×[\w-]+ \(.+\) on (aws|gcp|azure) [\w-]+ at \$[\d.]+\/h/);
    assert.ok(inf.relax.includes("gpuTypes"));
    assert.ok(inf.relax.some((x) => x.startsWith("precision")));
    assert.deepEqual(inf.constraints, ["regions", "gpuTypes"]);
    // The cheapest fit is the unconstrained minimum.
    const unconstrained = bruteForce(parseQuoteRequest({ model: req.model }), catalog);
    assert.ok(Math.abs(inf.cheapestFit!.hourlyUsd - Math.min(...unconstrained.map((b) => b.hourly))) < 1e-9);
  });

  it("names the price cap and an unknown region when they are what excludes everything", () => {
    const cap = quote(
      parseQuoteRequest({
        model: { name: "m", parametersBillions: 70, precision: "fp16", contextTokens: 8192 },
        constraints: { maxHourlyUsd: 0.5 },
      }),
      catalog,
      { now },
    );
    assert.match(cap.infeasible!.message, /costs at most \$0\.5\/h/);
    assert.deepEqual(
      cap.infeasible!.relax.filter((x) => !x.startsWith("precision")),
      ["maxHourlyUsd"],
    );
    // An unknown region is bad input now, not an infeasible quote (regions.test.ts has the cases).
    assert.throws(
      () =>
        quote(
          parseQuoteRequest({
            model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 1024 },
            constraints: { regions: ["mars-1"] },
          }),
          catalog,
          { now },
        ),
      (err: unknown) => err instanceof ValidationError && err.field === "constraints.regions[0]",
    );
    const huge = quote(
      parseQuoteRequest({ model: { name: "m", parametersBillions: 2000, precision: "fp32", contextTokens: 1024 } }),
      catalog,
      { now },
    );
    assert.match(huge.infeasible!.message, /no node in the catalog holds .* GiB \(largest: 8×/);
    assert.equal(huge.infeasible!.cheapestFit, null);
  });

  it("warns in every quote when the catalog is older than the limit", () => {
    const req = parseQuoteRequest({
      model: {
        name: "m",
        parametersBillions: 8,
        precision: "bf16",
        contextTokens: 8192,
        architecture: { layers: 32, kvHeads: 8, headDim: 128 },
      },
      constraints: { capacity: "on-demand" },
    });
    assert.deepEqual(quote(req, catalog, { now }).warnings, []);
    const late = new Date("2027-03-01T00:00:00Z");
    assert.ok(quote(req, catalog, { now: late }).warnings.some((w) => /days old/.test(w)));
    assert.deepEqual(quote(req, catalog, { now: late, maxCatalogAgeDays: 365 }).warnings, []);
  });

  it("reads no global state: same inputs, same answer; the catalog is not modified; any catalog object works", () => {
    const req = parseQuoteRequest({
      model: { name: "m", parametersBillions: 13, precision: "fp16", contextTokens: 4096 },
    });
    const before = JSON.stringify(catalog);
    assert.deepEqual(quote(req, catalog, { now }), quote(req, catalog, { now }));
    assert.equal(JSON.stringify(catalog), before);
    const tiny: Catalog = {
      version: "t",
      asOf: "2026-11-20",
      serverless: [],
      storage: [],
      controlPlanes: [],
      gpuOffers: [
        {
          ...catalog.gpuOffers[0]!,
          cloud: "aws",
          region: "r1",
          instanceType: "a",
          gpuType: "H100",
          gpuCount: 1,
          gpuMemoryGiB: 80,
          onDemandHourlyUsd: 3,
          spotHourlyUsd: 1,
        },
        {
          ...catalog.gpuOffers[0]!,
          cloud: "gcp",
          region: "r2",
          instanceType: "b",
          gpuType: "H100",
          gpuCount: 1,
          gpuMemoryGiB: 80,
          onDemandHourlyUsd: 2,
          spotHourlyUsd: null,
        },
      ],
    };
    const r = quote(req, tiny, { now });
    assert.deepEqual(
      r.placements.map((p) => `${p.instanceType}:${p.capacity}:${p.hourlyUsd}`),
      ["a:spot:1", "b:on-demand:2", "a:on-demand:3"],
    );
    assert.equal(r.placements[0]!.storageMonthlyUsd, 0);
    assert.ok(r.warnings.some((w) => /no object-storage price for aws/.test(w)));
  });

  describe("request schema", () => {
    const ok = { model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } };
    it("applies defaults", () => {
      const r = parseQuoteRequest(ok);
      assert.equal(r.replicas, 1);
      assert.equal(r.activeHoursPerDay, 24);
      assert.equal(r.model.concurrency, 1);
      assert.equal(r.constraints.capacity, "any");
    });
    const bad: Array<[string, unknown, string]> = [
      ["unknown precision", { model: { ...ok.model, precision: "fp12" } }, "model.precision"],
      ["negative parameters", { model: { ...ok.model, parametersBillions: -8 } }, "model.parametersBillions"],
      ["unknown cloud", { ...ok, constraints: { clouds: ["aws", "oracle"] } }, "constraints.clouds[1]"],
      ["unknown GPU", { ...ok, constraints: { gpuTypes: ["K80"] } }, "constraints.gpuTypes[0]"],
      ["misspelt key", { ...ok, constraint: {} }, "constraint"],
      ["misspelt nested key", { ...ok, constraints: { gpuType: ["L4"] } }, "constraints.gpuType"],
      ["zero replicas", { ...ok, replicas: 0 }, "replicas"],
      ["too many active hours", { ...ok, activeHoursPerDay: 25 }, "activeHoursPerDay"],
      ["fractional context", { model: { ...ok.model, contextTokens: 1.5 } }, "model.contextTokens"],
      ["missing model", {}, "model"],
    ];
    for (const [name, input, field] of bad) {
      it(`rejects ${name}, naming ${field || "the key"}`, () => {
        assert.throws(
          () => parseQuoteRequest(input),
          (err: unknown) => err instanceof ValidationError && err.field === field,
        );
      });
    }
    it("produces a JSON schema for the API's OpenAPI document", async () => {
      const { z } = await import("zod");
      const schema = z.toJSONSchema(QuoteRequestSchema, { io: "input" }) as { properties?: Record<string, unknown> };
      assert.ok(schema.properties && "model" in schema.properties && "constraints" in schema.properties);
    });
  });
});
