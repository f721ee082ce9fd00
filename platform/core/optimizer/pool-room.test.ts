/**
 * An existing pool's room (#10): its multi-GPU nodes carry several replicas each (a replica takes
 * the GPUs it needs, as the program schedules it), and a deployment that scales to `maxReplicas` is placed on a pool only
 * when the pool holds them all (the program replaces a pool without room by a dedicated pool, so a
 * quote that kept it would price a pool the deployment does not use).
 */
import assert from "node:assert/strict";
import { InfeasibleError } from "../errors";
import { findGpuOffer } from "../pricing/lookup";
import { onDemandFloorPremiumUsd, placementCost } from "../pricing/cost-model";
import { replicaPacking } from "../sizing";
import { parseQuoteRequest, quote } from "./index";
import { poolPlacement } from "./pool-placement";
import { devFootprint, packedFootprint } from "./test-fixtures";
import { now, shipped } from "./testing";

const llama = parseQuoteRequest({
  model: { name: "llama", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
  constraints: { clouds: ["aws"], capacity: "spot", gpuTypes: ["L4"] },
});

describe("optimizer: an existing pool must hold maxReplicas", () => {
  it("ranks the pool while it holds them, and the dedicated pool of its shape once it does not", () => {
    const fp = devFootprint();
    const within = quote(llama, shipped, { now, footprint: fp, maxReplicas: 3 }).placements[0]!;
    assert.equal(within.pool, "l4", "3 replicas fit the l4 pool's 3 nodes");
    const beyond = quote(llama, shipped, { now, footprint: fp, maxReplicas: 4 });
    const top = beyond.placements[0]!;
    assert.equal(top.pool, undefined, "4 do not: a dedicated pool");
    assert.equal(top.instanceType, within.instanceType);
    assert.equal(top.monthlyUsd, within.monthlyUsd, "same node, same price, for the replicas priced");
    assert.ok(!beyond.placements.some((p) => p.pool === "l4"));
  });
});

describe("replicas share a pool's multi-GPU node", () => {
  it("replicaPacking: the fewest tensor-parallel GPUs that hold a replica, and floor(node / them) a node", () => {
    const cases: Array<[number, number, number, ReturnType<typeof replicaPacking>]> = [
      [19.6, 24, 4, { gpusPerReplica: 1, replicasPerNode: 4 }],
      [19.6, 24, 1, { gpusPerReplica: 1, replicasPerNode: 1 }],
      [150, 40, 8, { gpusPerReplica: 4, replicasPerNode: 2 }],
      [10, 16, 3, { gpusPerReplica: 1, replicasPerNode: 3 }],
      [40, 16, 3, { gpusPerReplica: 3, replicasPerNode: 1 }], // 2 GPUs hold 32 < 40: the whole node
      [100, 16, 16, { gpusPerReplica: 8, replicasPerNode: 2 }],
      [130, 16, 16, { gpusPerReplica: 16, replicasPerNode: 1 }], // past 8 GPUs: the whole node
      [200, 24, 8, null],
    ];
    for (const [need, mem, gpus, want] of cases) {
      assert.deepEqual(replicaPacking({ totalGiB: need }, mem, gpus), want, `${need} GiB on ${gpus}×${mem}`);
    }
  });

  it("placementCost bills the nodes the replicas need when they share a node", () => {
    const at = { unitHourlyUsd: 2, capacity: "spot" as const, activeHoursPerDay: 24, storageMonthlyUsd: 0 };
    assert.equal(placementCost({ ...at, replicas: 5, replicasPerNode: 4 }).hourlyUsd, 4);
    assert.equal(placementCost({ ...at, replicas: 4, replicasPerNode: 4 }).hourlyUsd, 2);
    assert.equal(placementCost({ ...at, replicas: 5 }).hourlyUsd, 10);
  });

  it("an explicit pool placement: a replica's GPUs, the nodes billed, and room for maxNodes × replicas per node", () => {
    const fp = packedFootprint();
    const node = findGpuOffer(shipped, { cloud: "aws", region: "us-east-1", instanceType: "g6.12xlarge" })!;
    const at = { cloud: "aws" as const, region: "us-east-1", pool: "l4x4" };
    const p = poolPlacement(llama, shipped, fp, { ...at, maxReplicas: 4 });
    assert.equal(p.gpuCount, 1);
    assert.equal(p.replicasPerNode, 4);
    assert.equal(p.hourlyUsd, node.spotHourlyUsd);
    const five = parseQuoteRequest({ ...llama, replicas: 5 });
    assert.throws(
      () => poolPlacement(five, shipped, fp, at),
      (e: unknown) =>
        e instanceof InfeasibleError &&
        /holds at most 4 replica\(s\) \(1 node\(s\) × 4 replicas each\); 5 replicas asked$/.test(e.message),
    );
    assert.throws(
      () => poolPlacement(llama, shipped, fp, { ...at, maxReplicas: 5 }),
      (e: unknown) =>
        e instanceof InfeasibleError &&
        e.field === "scaling.maxReplicas" &&
        /lower scaling\.maxReplicas to 4, or drop placement\.pool/.test(e.message),
    );
  });

  it("a footprint quote ranks a shared node at the nodes it bills, and sizes it for maxReplicas", () => {
    const fp = packedFootprint();
    const three = parseQuoteRequest({ ...llama, replicas: 3, constraints: { clouds: ["gcp"], capacity: "spot" } });
    const node = findGpuOffer(shipped, { cloud: "gcp", region: "us-central1", instanceType: "g2-standard-24" })!;
    const top = quote(three, shipped, { now, footprint: fp }).placements[0]!;
    assert.equal(top.pool, "l4x2");
    assert.deepEqual([top.gpuCount, top.replicasPerNode, top.replicas], [1, 2, 3]);
    assert.ok(Math.abs(top.hourlyUsd - 2 * node.spotHourlyUsd!) < 1e-12, "2 nodes for 3 replicas");
    assert.match(top.why ?? "", /2 replicas share a g2-standard-24 node \(2 node\(s\) for 3\)/);
    // The pool's 2 nodes hold 4 replicas: a 5th at max leaves it (gcp here has no dedicated pools).
    assert.equal(quote(three, shipped, { now, footprint: fp, maxReplicas: 4 }).placements[0]?.pool, "l4x2");
    assert.equal(quote(three, shipped, { now, footprint: fp, maxReplicas: 5 }).placements.length, 0);
  });

  it("the price cap admits a shared node whose one-node-per-replica price is above it", () => {
    const fp = packedFootprint();
    const node = findGpuOffer(shipped, { cloud: "gcp", region: "us-central1", instanceType: "g2-standard-24" })!;
    const req = parseQuoteRequest({
      ...llama,
      replicas: 2,
      constraints: { clouds: ["gcp"], capacity: "spot", maxHourlyUsd: node.spotHourlyUsd! * 1.5 },
    });
    const top = quote(req, shipped, { now, footprint: fp }).placements[0];
    assert.equal(top?.pool, "l4x2", "2 replicas on one node, under the cap; 2 nodes would not be");
  });
});

describe("an on-demand floor on a pool whose node carries several replicas", () => {
  it("counts the nodes: the floor's on-demand nodes and the rest's spot nodes, less the spot nodes priced", () => {
    const p = {
      capacity: "spot" as const,
      replicas: 3,
      unitHourlyUsd: 1,
      onDemandUnitHourlyUsd: 3,
      replicasPerNode: 4,
    };
    // 3 replicas: 1 spot node priced; with 1 on-demand: 1 spot node (2 replicas) + 1 on-demand node = +$3/h.
    assert.equal(onDemandFloorPremiumUsd(p, 1), 3 * 730);
    // One node per replica: the floor's replicas each pay the difference, as before.
    assert.equal(onDemandFloorPremiumUsd({ ...p, replicasPerNode: undefined }, 1), 2 * 730);
    assert.equal(onDemandFloorPremiumUsd({ ...p, capacity: "on-demand" }, 1), 0);
  });
});
