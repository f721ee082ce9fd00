import assert from "node:assert/strict";
import type { Footprint } from "../footprint";
import { defaultCatalog } from "../pricing/catalog";
import { artifactSizeGiB, storageMonthlyUsd, unitHourlyUsd } from "../pricing/cost-model";
import type { Catalog } from "../pricing/types";
import { sizeModel } from "../sizing";
import { GPU_MEMORY_GIB } from "../gpus";
import { precisionSupport } from "../precision-rules";
import { CAPACITY_PREFERENCES, CLOUDS, GPU_TYPES, PRECISIONS, type Capacity, type Cloud } from "../types";
import { ValidationError } from "../validation";
import { parseQuoteRequest, quote, type PlacementPolicy, type QuoteRequest } from "./index";
import { broughtFootprint, devFootprint, packedFootprint, twoRegionAwsFootprint } from "./test-fixtures";

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
const subset = <T>(rand: () => number, xs: readonly T[]): T[] => {
  const s = xs.filter(() => rand() < 0.4);
  return s.length ? s : [pick(rand, xs)];
};

/** Per GB to move weights from a US store, written out from extras.json (the test's own copy). */
const EGRESS: Record<string, number> = { "aws|inter-region": 0.02, "aws|internet": 0.09, "gcp|inter-region": 0.02 };
const US = /^(us-|eastus|westus|centralus|northcentralus|southcentralus)/;

/** One copy of the weights to (cloud, region), independently of the optimizer: undefined = no store, null = unpriced. */
function transferOf(fp: Footprint, cloud: string, region: string, gib: number): number | null | undefined {
  if (fp.stores.length === 0) return undefined;
  if (fp.stores.some((s) => s.cloud === cloud && s.region === region)) return 0;
  let best: number | null = null;
  for (const s of fp.stores) {
    const per = EGRESS[`${s.cloud}|${s.cloud === cloud ? "inter-region" : "internet"}`];
    if (per === undefined || !US.test(s.region) || (s.cloud === cloud && !US.test(region))) continue;
    best = best === null ? gib * per : Math.min(best, gib * per);
  }
  return best;
}

interface Brute {
  monthly: number;
  key: string;
}

/**
 * Replicas one node of an existing pool carries, written out independently of the optimizer: a
 * replica takes the fewest of 1, 2, 4, 8 GPUs (no more than the node's) that hold it, else the node.
 */
function perNodeOf(gpusPerNode: number, mem: number, need: number): number {
  const gpus = [1, 2, 4, 8].find((t) => t <= gpusPerNode && t * mem >= need) ?? gpusPerNode;
  return Math.floor(gpusPerNode / gpus);
}

/** Every feasible candidate inside the footprint, enumerated from the footprint and the catalog directly. */
function bruteForce(req: QuoteRequest, catalog: Catalog, fp: Footprint, policy?: PlacementPolicy): Brute[] {
  const need = sizeModel(req.model).totalGiB;
  const gib = artifactSizeGiB(req.model);
  const c = req.constraints;
  const out: Brute[] = [];
  const admit = (
    cloud: Cloud | "kubernetes",
    region: string,
    gpu: string,
    cap: Capacity,
    holds: number,
    unit: number | null,
    key: string,
    pool?: { maxNodes: number; gpusPerNode: number },
  ) => {
    // A brought cluster: its declared node price only (no storage, no weights move), exempt from allowed-regions.
    const brought = cloud === "kubernetes";
    if (unit === null || holds < need) return;
    if (!precisionSupport(gpu, req.model.precision).ok) return; // precision rules (precision-rules.ts)
    // An existing pool: its nodes carry perNode replicas each, up to maxNodes nodes.
    const perNode = pool ? perNodeOf(pool.gpusPerNode, holds / pool.gpusPerNode, need) : 1;
    if (pool && req.replicas > pool.maxNodes * perNode) return;
    if (c.clouds && !(c.clouds as readonly string[]).includes(cloud)) return;
    if (c.regions && !c.regions.includes(region)) return;
    if (c.gpuTypes && !(c.gpuTypes as string[]).includes(gpu)) return;
    if (c.capacity !== "any" && c.capacity !== cap) return;
    const hourly = unit * Math.ceil(req.replicas / perNode);
    if (c.maxHourlyUsd !== undefined && hourly > c.maxHourlyUsd) return;
    const moves = brought ? 0 : (transferOf(fp, cloud, region, gib) ?? 0) * req.replicas;
    const storage = brought ? 0 : (storageMonthlyUsd(catalog, cloud, gib) ?? 0);
    const atMax = hourly * 730 + storage + moves;
    const monthly =
      (cap === "serverless" ? (hourly * 730 * req.activeHoursPerDay) / 24 : hourly * 730) + storage + moves;
    if (policy) {
      if (policy.allowedGpuTypes && !policy.allowedGpuTypes.includes(gpu)) return;
      if (policy.allowedRegions && !brought && !policy.allowedRegions.includes(region)) return;
      if (policy.spotRequired && cap === "on-demand") return;
      if (policy.maxHourlyUsd !== undefined && hourly > policy.maxHourlyUsd) return;
      if (policy.monthlyBudgetUsd !== undefined && atMax > policy.monthlyBudgetUsd) return;
    }
    out.push({ monthly, key });
  };
  for (const cl of fp.clusters) {
    if (cl.cloud === "kubernetes") {
      // Only a pool with a declared nodeHourlyUsd is ranked; unpriced pools are listed beside the ranking.
      for (const p of cl.pools) {
        const mem: number | undefined = GPU_MEMORY_GIB[p.gpu];
        if (mem === undefined || p.nodeHourlyUsd === undefined) continue;
        admit(
          "kubernetes",
          cl.region,
          p.gpu,
          p.capacity,
          p.gpusPerNode * mem,
          p.nodeHourlyUsd,
          `pool:${cl.name}/${p.name}`,
          p,
        );
      }
      continue;
    }
    if (!(CLOUDS as readonly string[]).includes(cl.cloud)) continue;
    const cloud = cl.cloud as Cloud;
    const existing = new Set<string>();
    for (const p of cl.pools) {
      const offer = catalog.gpuOffers.find(
        (o) => o.cloud === cloud && o.region === cl.region && o.instanceType === p.instanceType,
      );
      if (!offer) continue;
      if (offer.suspect === true) continue; // the anomaly guard (pricing/anomaly.ts); no allowSuspect here
      const before = out.length;
      admit(
        cloud,
        cl.region,
        p.gpu,
        p.capacity,
        offer.gpuCount * offer.gpuMemoryGiB,
        unitHourlyUsd(offer, p.capacity),
        `${cloud}|${cl.region}|pool:${p.name}`,
        { maxNodes: p.maxNodes, gpusPerNode: offer.gpuCount },
      );
      // A feasible pool shadows a dedicated pool of its shape (same node, same price).
      if (out.length > before) existing.add(`${offer.instanceType}|${p.capacity}`);
    }
    for (const o of catalog.gpuOffers) {
      if (o.cloud !== cloud || o.region !== cl.region || !cl.dedicatedPools) continue;
      if (o.suspect === true) continue;
      for (const cap of ["on-demand", "spot"] as const) {
        if (existing.has(`${o.instanceType}|${cap}`)) continue;
        admit(
          cloud,
          o.region,
          o.gpuType,
          cap,
          o.gpuCount * o.gpuMemoryGiB,
          unitHourlyUsd(o, cap),
          `${cloud}|${o.region}|${o.instanceType}|${cap}`,
        );
      }
    }
    for (const s of catalog.serverless) {
      if (s.cloud !== cloud || s.region !== cl.region || !cl.serverless.some((x) => x.sku === s.sku)) continue;
      admit(
        cloud,
        s.region,
        s.gpuType,
        "serverless",
        s.gpuCount * s.gpuMemoryGiB,
        unitHourlyUsd(s, "serverless"),
        `${cloud}|${s.region}|${s.sku}|serverless`,
      );
    }
  }
  return out;
}

function generate(rand: () => number, fp: Footprint): { req: QuoteRequest; policy?: PlacementPolicy } {
  const constraints: Record<string, unknown> = {};
  if (rand() < 0.3) constraints.clouds = subset(rand, CLOUDS);
  const asked = (constraints.clouds as string[] | undefined) ?? [...CLOUDS, "kubernetes"];
  const regions = fp.clusters.filter((c) => (asked as readonly string[]).includes(c.cloud)).map((c) => c.region);
  if (rand() < 0.3 && regions.length) constraints.regions = subset(rand, regions);
  if (rand() < 0.4) constraints.gpuTypes = subset(rand, GPU_TYPES);
  if (rand() < 0.6) constraints.capacity = pick(rand, CAPACITY_PREFERENCES);
  if (rand() < 0.2) constraints.maxHourlyUsd = Math.round(rand() * 800) / 100;
  const req = parseQuoteRequest({
    model: {
      name: "m",
      parametersBillions: pick(rand, [0.5, 1, 3, 7, 8, 13, 32, 70]),
      precision: pick(rand, PRECISIONS),
      contextTokens: pick(rand, [2048, 8192, 32768]),
    },
    replicas: pick(rand, [1, 1, 2, 3]),
    activeHoursPerDay: pick(rand, [24, 8, 2]),
    constraints,
  });
  if (rand() < 0.5) return { req };
  const policy: PlacementPolicy = { environment: "dev", source: "generated", spotRequired: rand() < 0.5 };
  if (rand() < 0.4) policy.allowedGpuTypes = subset(rand, GPU_TYPES);
  if (rand() < 0.3)
    policy.allowedRegions = subset(
      rand,
      fp.clusters.map((c) => c.region),
    );
  if (rand() < 0.4) policy.maxHourlyUsd = Math.round(rand() * 500) / 100;
  if (rand() < 0.4) policy.monthlyBudgetUsd = Math.round(rand() * 300000) / 100;
  return { req, policy };
}

describe("optimizer: footprint scope", () => {
  const catalog = defaultCatalog();
  const now = new Date("2026-11-23T00:00:00Z");

  for (const [label, make] of [
    ["dev", devFootprint],
    ["two-region aws", twoRegionAwsFootprint],
    ["brought", broughtFootprint],
    ["packed", packedFootprint],
  ] as const) {
    it(`the first placement is the exact minimum inside the ${label} footprint, with and without a policy (brute force, 400 seeded requests)`, () => {
      const fp = make();
      const inside = new Set(fp.clusters.map((c) => `${c.cloud}|${c.region}`));
      const rand = prng(label.length * 7919);
      let feasibleSeen = 0;
      let broughtRanked = 0;
      let shared = 0;
      for (let i = 0; i < 400; i += 1) {
        const { req, policy } = generate(rand, fp);
        const brute = bruteForce(req, catalog, fp, policy);
        const result = quote(req, catalog, { now, footprint: fp, policy, limit: 1000 });
        assert.equal(result.scope, "footprint");
        assert.equal(result.feasibleCount, brute.length, `request ${i}: feasible count`);
        if (brute.length === 0) {
          assert.equal(result.placements.length, 0);
          assert.ok(result.infeasible, `request ${i}: no explanation`);
          continue;
        }
        feasibleSeen += 1;
        if (result.placements.some((p) => p.cloud === "kubernetes")) broughtRanked += 1;
        if (result.placements.some((p) => (p.replicasPerNode ?? 1) > 1 && p.replicas > 1)) shared += 1;
        // Every figure, not only the first: the ranked months are the brute force's, one for one.
        const months = brute.map((b) => b.monthly).sort((a, b) => a - b);
        result.placements.forEach((p, k) =>
          assert.ok(Math.abs(p.monthlyUsd - months[k]!) < 1e-6, `request ${i}: #${k} ${p.monthlyUsd} vs ${months[k]}`),
        );
        const min = Math.min(...brute.map((b) => b.monthly));
        assert.ok(
          Math.abs(result.placements[0]!.monthlyUsd - min) < 1e-6,
          `request ${i}: ${result.placements[0]!.monthlyUsd} vs ${min}`,
        );
        assert.equal(
          result.placements.length,
          brute.length,
          `request ${i}: limit 1000 returns every feasible placement`,
        );
        result.placements.forEach((p, k) => {
          assert.ok(
            inside.has(`${p.cloud}|${p.region}`),
            `request ${i}: ${p.cloud} ${p.region} is outside the footprint`,
          );
          if (k > 0) assert.ok(p.monthlyUsd >= result.placements[k - 1]!.monthlyUsd - 1e-9, `request ${i}: not sorted`);
        });
      }
      assert.ok(feasibleSeen > 60, `${feasibleSeen} feasible`);
      if (label === "brought") assert.ok(broughtRanked > 30, `${broughtRanked} quotes rank the brought pool`);
      if (label === "packed") assert.ok(shared > 30, `${shared} quotes rank replicas sharing a pool's node`);
    });
  }

  it("ranks by the month: a $206 spot VM no longer beats a $64 serverless endpoint at 2 active hours a day", () => {
    const req = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      activeHoursPerDay: 2,
      constraints: { clouds: ["gcp"] },
    });
    const r = quote(req, catalog, { now, footprint: devFootprint() });
    const vm = catalog.gpuOffers.find(
      (o) => o.cloud === "gcp" && o.region === "us-central1" && o.instanceType === "g2-standard-4",
    )!;
    const run = catalog.serverless.find((s) => s.sku === "nvidia-l4")!;
    const storage = storageMonthlyUsd(catalog, "gcp", artifactSizeGiB(req.model))!;
    const vmMonth = vm.spotHourlyUsd! * 730 + storage;
    const runMonth = (run.perSecondUsd * 3600 * 730 * 2) / 24 + storage;
    assert.ok(vmMonth > 200 && vmMonth < 210 && runMonth > 60 && runMonth < 68, `${vmMonth} ${runMonth}`);
    const top = r.placements[0]!;
    assert.equal(top.capacity, "serverless");
    assert.ok(Math.abs(top.monthlyUsd - runMonth) < 1e-6);
    const spot = r.placements.find((p) => p.instanceType === "g2-standard-4" && p.capacity === "spot")!;
    assert.ok(Math.abs(spot.monthlyUsd - vmMonth) < 1e-6);
    assert.ok(spot.hourlyUsd < top.hourlyUsd, "the spot VM is cheaper per hour, dearer per month");
    assert.ok(r.placements.indexOf(spot) > 0);
    // At rest the endpoint costs its storage only; the VM still bills every hour. At max both run 730 h.
    assert.ok(Math.abs(top.atRestMonthlyUsd - storage) < 1e-9);
    assert.ok(Math.abs(top.atMaxMonthlyUsd - (run.perSecondUsd * 3600 * 730 + storage)) < 1e-6);
    assert.ok(Math.abs(spot.atRestMonthlyUsd - vmMonth) < 1e-6 && Math.abs(spot.atMaxMonthlyUsd - vmMonth) < 1e-6);
  });

  it("places on an existing pool at its node price, and on a dedicated pool when the pool is too small", () => {
    const fp = devFootprint();
    const req = (replicas: number) =>
      parseQuoteRequest({
        model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
        replicas,
        constraints: { clouds: ["aws"], gpuTypes: ["L4"], capacity: "spot" },
      });
    const one = quote(req(1), catalog, { now, footprint: fp }).placements;
    const offer = catalog.gpuOffers.find(
      (o) => o.cloud === "aws" && o.region === "us-east-1" && o.instanceType === "g6.xlarge",
    )!;
    const g6 = one.filter((p) => p.instanceType === "g6.xlarge");
    assert.equal(g6.length, 1, "the pool and a dedicated g6.xlarge spot pool are one placement, not two");
    assert.equal(one[0], g6[0], "the cheapest L4 node there");
    assert.equal(one[0]!.pool, "l4");
    assert.equal(one[0]!.cluster, "aws-us-east-1");
    assert.equal(one[0]!.unitHourlyUsd, offer.spotHourlyUsd);
    assert.match(one[0]!.why ?? "", /existing pool l4 of aws-us-east-1/);
    const four = quote(req(4), catalog, { now, footprint: fp }).placements;
    const dedicated = four.find((p) => p.instanceType === "g6.xlarge")!;
    assert.equal(dedicated.pool, undefined, "the l4 pool holds at most 3 nodes: 4 replicas need a dedicated pool");
    assert.equal(dedicated.cluster, "aws-us-east-1");
  });

  it("ranks a brought pool at its declared price (labelled, no storage or egress invented); lists unpriced pools and SKUs as unpriced", () => {
    const r = quote(
      parseQuoteRequest({ model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } }),
      catalog,
      { now, footprint: broughtFootprint() },
    );
    const a100 = r.placements.find((p) => p.pool === "a100")!;
    assert.equal(a100.cloud, "kubernetes");
    assert.equal(a100.region, "onprem-fra");
    assert.equal(a100.cluster, "lab");
    assert.equal(a100.instanceType, "lab/a100", "no node type declared: the pool names it");
    assert.equal(a100.unitHourlyUsd, 1.5);
    assert.equal(a100.monthlyUsd, 1.5 * 730, "the declared node price only");
    assert.equal(a100.storageMonthlyUsd, 0);
    assert.equal(a100.weightsTransferUsd, undefined, "the footprint names no store");
    assert.equal(a100.pricing?.basis, "declared");
    assert.match(
      a100.pricing?.note ?? "",
      /declared chargeback price, \$1\.5\/node-hour.*not a market price.*storage and moving the weights.*unpriced/,
    );
    assert.equal(
      r.pools!.find((p) => p.pool === "a100"),
      undefined,
      "ranked, so not listed again",
    );
    const l4 = r.pools!.find((p) => p.pool === "l4" && p.cloud === "kubernetes")!;
    assert.equal(l4.monthlyUsd, null);
    assert.match(l4.note, /unpriced/);
    assert.ok(
      r.placements.every((p) => (p.cloud === "gcp" && p.pool === "l4") || p.pool === "a100"),
      "gcp offers only its pool here; the brought cluster its priced pool",
    );
    assert.ok(
      r.placements.every((p) => p.pool !== "l4" || p.cloud === "gcp"),
      "an unpriced pool is never ranked",
    );
    const dev = quote(
      parseQuoteRequest({ model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 } }),
      catalog,
      { now, footprint: devFootprint() },
    );
    assert.match(
      dev.pools!.find((p) => p.capacity === "serverless")!.note,
      /no container-apps SKU Consumption-GPU-NC8as-T4/,
    );
  });

  it("prices moving the weights from the store: free in its region, inter-region egress elsewhere, unpriced where no price holds", () => {
    const fp = twoRegionAwsFootprint();
    const req = parseQuoteRequest({
      model: { name: "m", parametersBillions: 3, precision: "bf16", contextTokens: 8192 },
      replicas: 2,
      constraints: { gpuTypes: ["L4", "T4"], capacity: "spot" },
    });
    const r = quote(req, catalog, { now, footprint: fp, limit: 100 });
    const gib = artifactSizeGiB(req.model);
    const east = r.placements.find((p) => p.region === "us-east-1")!;
    const ohio = r.placements.find((p) => p.region === "us-east-2" && p.instanceType === "g6.xlarge")!;
    assert.equal(east.weightsTransferUsd, 0);
    assert.ok(Math.abs(ohio.weightsTransferUsd! - gib * 0.02) < 1e-9);
    assert.ok(Math.abs(ohio.monthlyUsd - (ohio.hourlyUsd * 730 + ohio.storageMonthlyUsd + 2 * gib * 0.02)) < 1e-6);
    const ireland = r.placements.find((p) => p.region === "eu-west-1")!;
    assert.equal(ireland.instanceType, "g4dn.xlarge");
    assert.equal(ireland.weightsTransferUsd, null, "no egress price holds from us-east-1 to Europe in the catalog");
    assert.ok(r.warnings.some((w) => /eu-west-1 is unpriced/.test(w)));
  });

  it("scope anywhere (or no footprint) quotes the whole catalog; scope footprint without one is bad input", () => {
    const base = { model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } } as const;
    const plain = quote(parseQuoteRequest(base), catalog, { now });
    const anywhere = quote(parseQuoteRequest({ ...base, constraints: { scope: "anywhere" } }), catalog, {
      now,
      footprint: broughtFootprint() /* names no store: no weights move is priced */,
    });
    assert.equal(plain.scope, "anywhere");
    assert.deepEqual(
      anywhere.placements.map((p) => [p.cloud, p.region, p.instanceType, p.capacity]),
      plain.placements.map((p) => [p.cloud, p.region, p.instanceType, p.capacity]),
    );
    assert.equal(anywhere.expansions, undefined);
    assert.ok(
      !plain.placements.every((p) => ["us-east-1", "us-central1", "eastus"].includes(p.region)),
      "the catalog's cheapest are elsewhere",
    );
    assert.throws(
      () => quote(parseQuoteRequest({ ...base, constraints: { scope: "footprint" } }), catalog, { now }),
      (e: unknown) => e instanceof ValidationError && e.field === "constraints.scope",
    );
  });
});
