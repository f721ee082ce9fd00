import assert from "node:assert/strict";
import { parseFootprint, type Footprint } from "../footprint";
import type { Catalog, ServerlessOffer } from "../pricing/types";
import { placeIndex } from "./candidates";
import type { Feasible } from "./rank";
import { broughtCandidate, declared, dropShadowed, poolInstanceType, scopeOf, type ScopedCandidate } from "./scope";
import { offer, shipped, tiny } from "./testing";

const run = (sku: string, gpuType: string, perSecondUsd: number): ServerlessOffer => ({
  ...shipped.serverless[0]!,
  cloud: "gcp",
  region: "r1",
  product: "cloud-run",
  sku,
  gpuType,
  gpuCount: 1,
  gpuMemoryGiB: 24,
  perSecondUsd,
});
/** H100 nodes (80 GiB) in aws r1 and r2 and gcp r1, and a Cloud Run L4 in gcp r1 at $0.9/h. */
const catalog = (): Catalog =>
  tiny(
    [
      offer("aws", "p4", 4, 1, { region: "r1" }),
      offer("aws", "od-only", 3, null, { region: "r1" }),
      offer("aws", "far", 0.5, 0.25, { region: "r2" }),
      offer("gcp", "gpu-g", 0.5, null, { region: "r1" }),
    ],
    { serverless: [run("nvidia-l4", "L4", 0.00025)] },
  );
const pool = (
  name: string,
  gpu: string,
  instanceType: string | undefined,
  capacity: "spot" | "on-demand",
  extra = {},
) => ({
  name,
  gpu,
  gpusPerNode: 1,
  ...(instanceType ? { instanceType } : {}),
  capacity,
  minNodes: 0,
  maxNodes: 3,
  ...extra,
});
const footprint = (): Footprint =>
  parseFootprint({
    source: { kind: "config", file: "t.yaml" },
    clusters: [
      {
        cloud: "aws",
        region: "r1",
        name: "a",
        pools: [
          pool("spot", "H100", "p4", "spot", { gpusPerNode: 2, maxNodes: 5 }),
          pool("od", "H100", "p4", "on-demand"),
          pool("nospot", "H100", "od-only", "spot"),
          pool("missing", "H100", "nope", "spot"),
          pool("declared", "H100", "nope2", "on-demand", { nodeHourlyUsd: 2.5 }),
          pool("noinst", "H100", undefined, "spot"),
          pool("noinst-declared", "H100", undefined, "spot", { nodeHourlyUsd: 1.75 }),
          pool("unknown-gpu", "Z9000", "p4", "spot"),
        ],
      },
      {
        cloud: "gcp",
        region: "r1",
        name: "g",
        pools: [],
        dedicatedPools: false,
        serverless: [
          { product: "cloud-run", sku: "nvidia-l4" },
          { product: "cloud-run", sku: "missing-sku" },
        ],
      },
      {
        cloud: "kubernetes",
        region: "onprem",
        name: "lab",
        pools: [
          pool("priced", "H100", undefined, "on-demand", { nodeHourlyUsd: 1.5, maxNodes: 2 }),
          pool("free", "L4", undefined, "on-demand"),
        ],
        serverless: [{ product: "cloud-run", sku: "nvidia-l4" }],
      },
    ],
  });

describe("optimizer: footprint scope (exact)", () => {
  it("ranks existing priced pools, dedicated pools where allowed and listed serverless SKUs, by unit price then key", () => {
    const s = scopeOf(footprint(), catalog());
    assert.deepEqual(
      s.candidates.map((c) => [c.key, c.unit]),
      [
        ["gcp|r1|nvidia-l4|2", 0.00025 * 3600],
        ["aws|r1|p4|1", 1],
        ["aws|r1|p4|spot|pool:a/spot", 1],
        ["kubernetes|onprem|lab/priced|on-demand|pool:lab/priced", 1.5],
        ["aws|r1|a/noinst-declared|spot|pool:a/noinst-declared", 1.75],
        ["aws|r1|nope2|on-demand|pool:a/declared", 2.5],
        ["aws|r1|od-only|0", 3],
        ["aws|r1|p4|0", 4],
        ["aws|r1|p4|on-demand|pool:a/od", 4],
      ],
    );
    assert.deepEqual([...s.regions], ["aws|r1", "gcp|r1", "kubernetes|onprem"]);
  });

  it("an existing pool at its catalog price: its shape, node ceiling, and the on-demand price beside a spot one", () => {
    const cat = catalog();
    const s = scopeOf(footprint(), cat);
    const byKey = new Map(s.candidates.map((c) => [c.key, c]));
    assert.deepEqual(byKey.get("aws|r1|p4|spot|pool:a/spot"), {
      cloud: "aws",
      region: "r1",
      instanceType: "p4",
      gpuType: "H100",
      gpuCount: 2,
      gpuMemoryGiB: 80,
      holdsGiB: 160,
      capacity: "spot",
      unit: 1,
      onDemandUnit: 4,
      key: "aws|r1|p4|spot|pool:a/spot",
      where: "aws|r1",
      whereIndex: placeIndex(cat, "aws|r1"),
      cluster: "a",
      pool: "spot",
      maxNodes: 5,
      shape: "aws|r1|p4|spot",
    });
    const od = byKey.get("aws|r1|p4|on-demand|pool:a/od")!;
    assert.equal(od.onDemandUnit, null);
    assert.equal(od.shape, "aws|r1|p4|on-demand");
    assert.equal(od.maxNodes, 3);
    assert.equal(od.pricing, undefined);
    const dedicated = byKey.get("aws|r1|p4|1")!;
    assert.equal(dedicated.cluster, "a");
    assert.equal(dedicated.pool, undefined);
    assert.equal(dedicated.shape, "aws|r1|p4|spot");
    assert.equal(dedicated.maxNodes, Number.POSITIVE_INFINITY);
    const sl = byKey.get("gcp|r1|nvidia-l4|2")!;
    assert.equal(sl.cluster, "g");
    assert.equal(sl.shape, undefined);
    assert.equal(sl.serverlessProduct, "cloud-run");
  });

  it("a pool with a declared price on a cloud cluster: labelled declared, its own or a <cluster>/<pool> instance type", () => {
    const s = scopeOf(footprint(), catalog());
    const byKey = new Map(s.candidates.map((c) => [c.key, c]));
    const d = byKey.get("aws|r1|nope2|on-demand|pool:a/declared")!;
    assert.equal(d.instanceType, "nope2");
    assert.equal(d.onDemandUnit, null);
    assert.equal(d.shape, "aws|r1|nope2|on-demand");
    assert.equal(d.brought, undefined);
    assert.equal(d.pricing!.basis, "declared");
    assert.doesNotMatch(d.pricing!.note, /brought/);
    const n = byKey.get("aws|r1|a/noinst-declared|spot|pool:a/noinst-declared")!;
    assert.equal(n.instanceType, "a/noinst-declared");
    assert.equal(n.onDemandUnit, null, "no catalog offer: no on-demand price beside the spot one");
    assert.equal(n.pricing!.basis, "declared");
  });

  it("a brought pool with a declared price: no shape, labelled declared with storage and moves unpriced", () => {
    const cat = catalog();
    const s = scopeOf(footprint(), cat);
    const b = s.candidates.find((c) => c.cluster === "lab")!;
    assert.deepEqual(b, {
      cloud: "kubernetes",
      region: "onprem",
      instanceType: "lab/priced",
      gpuType: "H100",
      gpuCount: 1,
      gpuMemoryGiB: 80,
      holdsGiB: 80,
      capacity: "on-demand",
      unit: 1.5,
      onDemandUnit: null,
      key: "kubernetes|onprem|lab/priced|on-demand|pool:lab/priced",
      where: "kubernetes|onprem",
      whereIndex: placeIndex(cat, "kubernetes|onprem"),
      cluster: "lab",
      pool: "priced",
      maxNodes: 2,
      brought: true,
      pricing: {
        basis: "declared",
        note: "the pool's declared chargeback price, $1.5/node-hour (nodeHourlyUsd of lab/priced), not a market price; artifact storage and moving the weights to a brought cluster are unpriced",
      },
    });
  });

  it("lists what it cannot price as pool options, with the reason; skips a GPU the table does not know", () => {
    const s = scopeOf(footprint(), catalog());
    const seed = (pool: string, note: string, extra = {}) => ({
      cluster: "a",
      pool,
      cloud: "aws",
      region: "r1",
      gpuType: "H100",
      gpuCount: 1,
      capacity: "spot",
      nodeHourlyUsd: null,
      note,
      holdsGiB: 80,
      maxNodes: 3,
      ...extra,
    });
    assert.deepEqual(s.pools, [
      seed("nospot", "unpriced: the catalog has no trusted spot price for od-only in r1"),
      seed("missing", "unpriced: the catalog has no nope in aws r1"),
      seed("noinst", "unpriced: the pool names no instance type and declares no nodeHourlyUsd"),
      {
        cluster: "g",
        pool: "cloud-run/missing-sku",
        cloud: "gcp",
        region: "r1",
        gpuType: "unknown",
        gpuCount: 0,
        capacity: "serverless",
        nodeHourlyUsd: null,
        note: "unpriced: the catalog has no cloud-run SKU missing-sku in gcp r1",
        holdsGiB: 0,
        maxNodes: 0,
      },
      {
        cluster: "lab",
        pool: "free",
        cloud: "kubernetes",
        region: "onprem",
        gpuType: "L4",
        gpuCount: 1,
        capacity: "on-demand",
        nodeHourlyUsd: null,
        note: "brought cluster: unpriced (the pool declares no nodeHourlyUsd)",
        holdsGiB: 24,
        maxNodes: 3,
      },
    ]);
    assert.ok(!s.candidates.some((c) => c.pool === "unknown-gpu"));
  });

  it("a serverless SKU only with the product listed; a SKU whose GPU the table does not know is unpriced", () => {
    const cat = tiny([], { serverless: [run("nvidia-l4", "L4", 0.00025), run("z", "Z9000", 0.0001)] });
    const fp = parseFootprint({
      source: { kind: "config", file: "t.yaml" },
      clusters: [
        {
          cloud: "gcp",
          region: "r1",
          name: "g",
          pools: [],
          serverless: [
            { product: "other", sku: "nvidia-l4" },
            { product: "cloud-run", sku: "z" },
          ],
        },
      ],
    });
    const s = scopeOf(fp, cat);
    assert.ok(!s.candidates.some((c) => c.instanceType === "nvidia-l4"), "listed under another product");
    assert.deepEqual(
      s.pools.map((p) => [p.pool, p.note]),
      [["cloud-run/z", "unpriced: the catalog has no cloud-run SKU z in gcp r1"]],
    );
  });

  it("builds once per footprint and catalog object", () => {
    const fp = footprint();
    const cat = catalog();
    const s = scopeOf(fp, cat);
    assert.equal(scopeOf(fp, cat), s);
    const other = catalog();
    other.gpuOffers[0]!.spotHourlyUsd = 0.75;
    const t = scopeOf(fp, other);
    assert.notEqual(t, s);
    assert.equal(t.candidates.find((c) => c.key === "aws|r1|p4|spot|pool:a/spot")!.unit, 0.75);
    assert.equal(scopeOf(fp, cat), s);
    assert.notEqual(scopeOf(footprint(), cat), s);
  });
});

describe("optimizer: scope helpers (exact)", () => {
  const fp = footprint();
  const [aws, , lab] = fp.clusters;
  const priced = lab!.pools[0]!;

  it("poolInstanceType: the declared instance type, else <cluster>/<pool>", () => {
    assert.equal(poolInstanceType(aws!, aws!.pools[0]!), "p4");
    assert.equal(poolInstanceType(lab!, priced), "lab/priced");
  });

  it("declared: the basis and what is unpriced (storage and the weights move only on a brought cluster)", () => {
    assert.deepEqual(declared(aws!, aws!.pools[4]!, 2.5, false), {
      basis: "declared",
      note: "the pool's declared chargeback price, $2.5/node-hour (nodeHourlyUsd of a/declared), not a market price",
    });
    assert.deepEqual(declared(lab!, lab!.pools[1]!, undefined, true), {
      basis: "unpriced",
      note: "pool free of lab declares no nodeHourlyUsd: its cost is unknown (every USD figure is 0 and means unpriced); artifact storage and moving the weights to a brought cluster are unpriced",
    });
    assert.deepEqual(declared(aws!, aws!.pools[5]!, undefined, false), {
      basis: "unpriced",
      note: "pool noinst of a declares no nodeHourlyUsd: its cost is unknown (every USD figure is 0 and means unpriced)",
    });
  });

  it("broughtCandidate: an unpriced pool stands at 0 and is labelled unpriced (for an explicit placement)", () => {
    const cat = catalog();
    const c = broughtCandidate(cat, lab!, lab!.pools[1]!, undefined, 24);
    assert.equal(c.unit, 0);
    assert.equal(c.holdsGiB, 24);
    assert.equal(c.gpuMemoryGiB, 24);
    assert.equal(c.gpuType, "L4");
    assert.equal(c.maxNodes, 3);
    assert.equal(c.brought, true);
    assert.equal(c.pricing!.basis, "unpriced");
    assert.equal(c.key, "kubernetes|onprem|lab/free|on-demand|pool:lab/free");
  });
});

describe("optimizer: dropShadowed (exact)", () => {
  const c = (key: string, over: Partial<ScopedCandidate>): ScopedCandidate =>
    ({ ...scopeOf(footprint(), catalog()).candidates[0]!, key, ...over }) as ScopedCandidate;

  it("drops a dedicated pool whose shape an existing pool offers, keeping the order and the figures beside each", () => {
    const f: Feasible = {
      cands: [
        c("d1", { pool: undefined, shape: "s1" }),
        c("p1", { pool: "p", shape: "s1" }),
        c("d2", { pool: undefined, shape: "s2" }),
        c("sl", { pool: undefined, shape: undefined }),
        c("p3", { pool: "q", shape: "s3" }),
      ],
      monthly: [10, 20, 30, 40, 50],
      hourly: [1, 2, 3, 4, 5],
    };
    const out = dropShadowed(f);
    assert.deepEqual(
      out.cands.map((x) => x.key),
      ["p1", "d2", "sl", "p3"],
    );
    assert.deepEqual(out.monthly, [20, 30, 40, 50]);
    assert.deepEqual(out.hourly, [2, 3, 4, 5]);
  });

  it("returns the list itself when no existing pool has a shape", () => {
    const f: Feasible = {
      cands: [c("d1", { pool: undefined, shape: "s1" }), c("b", { pool: "lab", shape: undefined })],
      monthly: [1, 2],
      hourly: [1, 2],
    };
    assert.equal(dropShadowed(f), f);
  });
});
