/**
 * An explicit placement on a named pool (pool-placement.ts), exactly: the declared or unpriced
 * price of a brought pool, the quote's price of a cloud pool, and every refusal with its field.
 */
import assert from "node:assert/strict";
import { InfeasibleError } from "../errors";
import { HOURS_PER_MONTH } from "../types";
import { ValidationError } from "../validation";
import { parseQuoteRequest, quote } from "./index";
import { poolPlacement } from "./pool-placement";
import { parseFootprint } from "../footprint";
import { broughtFootprint } from "./test-fixtures";
import { now, shipped } from "./testing";

const footprint = broughtFootprint();
const ask = (over: { parametersBillions?: number; precision?: "bf16" | "fp8"; replicas?: number } = {}) =>
  parseQuoteRequest({
    model: {
      name: "m",
      parametersBillions: over.parametersBillions ?? 8,
      precision: over.precision ?? "bf16",
      contextTokens: 4096,
    },
    replicas: over.replicas ?? 1,
  });

function refusal(run: () => unknown): { kind: string; field?: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return { kind: "validation", field: err.field, message: err.message };
    if (err instanceof InfeasibleError) return { kind: "infeasible", message: err.message };
    throw err;
  }
  assert.fail("expected a refusal");
}

describe("optimizer: a placement on a named pool", () => {
  it("prices a brought pool at its declared price per node, with no storage, for the replicas asked", () => {
    const warnings: string[] = [];
    const p = poolPlacement(
      ask({ replicas: 2 }),
      shipped,
      footprint,
      {
        cloud: "kubernetes",
        region: "onprem-fra",
        cluster: "lab",
        pool: "a100",
      },
      warnings,
    );
    assert.equal(p.cloud, "kubernetes");
    assert.equal(p.region, "onprem-fra");
    assert.equal(p.cluster, "lab");
    assert.equal(p.pool, "a100");
    assert.equal(p.gpuType, "A100-80GB");
    assert.equal(p.replicas, 2);
    assert.equal(p.unitHourlyUsd, 1.5);
    assert.equal(p.hourlyUsd, 3);
    assert.ok(Math.abs(p.monthlyUsd - 3 * HOURS_PER_MONTH) < 1e-9, String(p.monthlyUsd));
    assert.equal(p.storageMonthlyUsd, 0);
    assert.equal(p.pricing?.basis, "declared");
    assert.deepEqual(warnings, []);
  });

  it("carries an unpriced brought pool at $0 with the reason, and warns", () => {
    const warnings: string[] = [];
    const p = poolPlacement(
      ask(),
      shipped,
      footprint,
      { cloud: "kubernetes", region: "onprem-fra", pool: "l4" },
      warnings,
    );
    assert.equal(p.pool, "l4");
    assert.equal(p.pricing?.basis, "unpriced");
    assert.equal(p.hourlyUsd, 0);
    assert.equal(p.monthlyUsd, 0);
    assert.deepEqual(warnings, [p.pricing?.note]);
    assert.ok((p.pricing?.note ?? "").length > 0);
  });

  it("prices a cloud pool exactly as a footprint quote ranks it", () => {
    const req = ask();
    const p = poolPlacement(req, shipped, footprint, { cloud: "gcp", region: "us-central1", pool: "l4" });
    const ranked = quote(req, shipped, { now, footprint, limit: 1000 }).placements.find(
      (x) => x.cloud === "gcp" && x.pool === "l4",
    );
    assert.ok(ranked, "premise: the footprint quote ranks the gcp l4 pool");
    for (const k of [
      "instanceType",
      "capacity",
      "unitHourlyUsd",
      "hourlyUsd",
      "monthlyUsd",
      "storageMonthlyUsd",
    ] as const) {
      assert.equal(p[k], ranked[k], k);
    }
  });

  /**
   * Two cloud clusters with a pool of one name, `l4`; each also has unpriced pools (instance types
   * no catalog sells), one of which shares the name `odd`.
   */
  const spotPool = (name: string, instanceType: string) => ({
    name,
    gpu: "L4",
    gpusPerNode: 1,
    instanceType,
    capacity: "spot",
    minNodes: 0,
    maxNodes: 2,
  });
  const twoClouds = parseFootprint({
    source: { kind: "config", file: "two-clouds.yaml" },
    clusters: [
      {
        cloud: "aws",
        region: "us-east-1",
        name: "aws",
        dedicatedPools: false,
        pools: [spotPool("l4", "g6.xlarge"), spotPool("odd", "g6.custom-1")],
      },
      {
        cloud: "gcp",
        region: "us-central1",
        name: "gcp",
        dedicatedPools: false,
        pools: [spotPool("l4", "g2-standard-4"), spotPool("aaa", "g2-custom-2"), spotPool("odd", "g2-custom-4")],
      },
    ],
  });

  it("refuses a brought pool of a GPU the GPU table does not know: its fit cannot be checked", () => {
    const unknown = parseFootprint({
      source: { kind: "config", file: "unknown-gpu.yaml" },
      clusters: [
        {
          cloud: "kubernetes",
          region: "onprem-fra",
          name: "lab",
          dedicatedPools: false,
          pools: [{ name: "x", gpu: "MI999", gpusPerNode: 1, capacity: "on-demand", minNodes: 0, maxNodes: 1 }],
        },
      ],
    });
    const r = refusal(() =>
      poolPlacement(ask(), shipped, unknown, { cloud: "kubernetes", region: "onprem-fra", pool: "x" }),
    );
    assert.equal(r.field, "placement.pool");
    assert.match(
      r.message,
      /pool x of lab \(1×MI999 on-demand\): the GPU table does not know MI999, so its fit cannot be checked$/,
    );
  });

  it("takes the named pool of the named cluster, when another cluster has a pool of that name", () => {
    const aws = poolPlacement(ask(), shipped, twoClouds, { cloud: "aws", region: "us-east-1", pool: "l4" });
    assert.deepEqual([aws.cloud, aws.region, aws.instanceType], ["aws", "us-east-1", "g6.xlarge"]);
    const gcp = poolPlacement(ask(), shipped, twoClouds, { cloud: "gcp", region: "us-central1", pool: "l4" });
    assert.deepEqual([gcp.cloud, gcp.region, gcp.instanceType], ["gcp", "us-central1", "g2-standard-4"]);
  });

  it("refuses a cloud pool the catalog cannot price, naming placement.pool and why", () => {
    const r = refusal(() =>
      poolPlacement(ask(), shipped, twoClouds, { cloud: "gcp", region: "us-central1", pool: "odd" }),
    );
    assert.equal(r.kind, "validation");
    assert.equal(r.field, "placement.pool");
    assert.match(
      r.message,
      /pool odd of gcp \(1×L4 spot\) cannot be priced: unpriced: the catalog has no g2-custom-4 in gcp us-central1$/,
    );
  });

  it("refuses what it cannot place, naming the field or the limit", () => {
    const at = { cloud: "kubernetes" as const, region: "onprem-fra", pool: "a100" };
    const region = refusal(() => poolPlacement(ask(), shipped, footprint, { ...at, region: "onprem-par" }));
    assert.equal(region.field, "placement.region");
    assert.match(region.message, /no cluster in kubernetes onprem-par/);
    const cluster = refusal(() => poolPlacement(ask(), shipped, footprint, { ...at, cluster: "lab2" }));
    assert.equal(cluster.field, "placement.cluster");
    assert.match(
      cluster.message,
      /no cluster "lab2" in kubernetes onprem-fra; its footprint is: lab \(kubernetes onprem-fra\), gcp \(gcp us-central1\)$/,
    );
    const pool = refusal(() => poolPlacement(ask(), shipped, footprint, { ...at, pool: "h100" }));
    assert.equal(pool.field, "placement.pool");
    assert.match(pool.message, /cluster lab \(kubernetes onprem-fra\) has no pool "h100"; its pools: a100, l4$/);
    // 2 nodes: two replicas fit, three do not.
    assert.equal(poolPlacement(ask({ replicas: 2 }), shipped, footprint, at).replicas, 2);
    assert.deepEqual(
      refusal(() => poolPlacement(ask({ replicas: 3 }), shipped, footprint, at)),
      {
        kind: "infeasible",
        message:
          "pool a100 of lab (1×A100-80GB on-demand) holds at most 2 replica(s) (2 node(s), one replica each); 3 replicas asked",
      },
    );
    const big = refusal(() => poolPlacement(ask({ parametersBillions: 70 }), shipped, footprint, at));
    assert.equal(big.kind, "infeasible");
    assert.match(
      big.message,
      /^pool a100 of lab \(1×A100-80GB on-demand\) holds 80 GiB per node; the model needs \d+\.\d GiB per replica$/,
    );
  });

  it("refuses a pool whose GPU cannot serve the precision, with the rule", () => {
    const fp8OnL4 = poolPlacement(ask({ precision: "fp8" }), shipped, footprint, {
      cloud: "kubernetes",
      region: "onprem-fra",
      pool: "l4",
    });
    assert.equal(fp8OnL4.gpuType, "L4", "premise: L4 (Ada) serves fp8");
    const fp = broughtFootprint();
    const t4 = { ...fp.clusters[0]!.pools[1]!, name: "t4", gpu: "T4" };
    const withT4 = {
      ...fp,
      clusters: [{ ...fp.clusters[0]!, pools: [...fp.clusters[0]!.pools, t4] }, ...fp.clusters.slice(1)],
    };
    const r = refusal(() =>
      poolPlacement(ask({ precision: "fp8" }), shipped, withT4, {
        cloud: "kubernetes",
        region: "onprem-fra",
        pool: "t4",
      }),
    );
    assert.equal(r.kind, "infeasible");
    assert.match(r.message, /^pool t4 of lab \(1×T4 on-demand\): FP8 W8A8 needs compute capability ≥ 8\.9/);
  });

  it("refuses a pool that cannot hold scaling.maxReplicas, naming it, the capacity and the fix", () => {
    const brought = { cloud: "kubernetes" as const, region: "onprem-fra", pool: "a100" };
    assert.equal(poolPlacement(ask(), shipped, footprint, { ...brought, maxReplicas: 2 }).pool, "a100");
    const over = (() => {
      try {
        poolPlacement(ask(), shipped, footprint, { ...brought, maxReplicas: 3 });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.ok(over instanceof InfeasibleError, String(over));
    assert.equal(over.field, "scaling.maxReplicas");
    assert.deepEqual(over.details, { field: "scaling.maxReplicas", poolCapacity: 2, maxReplicas: 3 });
    assert.match(over.message, /^scaling\.maxReplicas: pool a100 of lab .* holds at most 2 replica/);
    assert.match(over.message, /raise the pool's maxNodes \(a brought cluster has no dedicated pools\)$/);
    const cloud = refusal(() =>
      poolPlacement(ask(), shipped, footprint, { cloud: "gcp", region: "us-central1", pool: "l4", maxReplicas: 3 }),
    );
    assert.equal(cloud.kind, "infeasible");
    assert.match(cloud.message, /lower scaling\.maxReplicas to 2, or drop placement\.pool to get a dedicated pool/);
  });
});
