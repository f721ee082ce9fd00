/**
 * Replicas share an existing pool's multi-GPU node (#10), and the quote prices what the deployment
 * program builds: a replica's pod requests `placement.gpuCount` GPUs of the pool's node, the pool
 * is reused (no dedicated pool), and the plan prices the nodes the replicas need, as the quote did.
 */
import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../core/pricing/catalog";
import { findGpuOffer } from "../../core/pricing/lookup";
import { basePlacement, parseQuoteRequest, quote } from "../../core/optimizer";
import { parseFootprint } from "../../core/footprint";
import { planDeployment } from "./index";
import { specFromPlacement } from "./quote";

// No closePlanWorker() after the tests: the plan worker (one per process, unreferenced when idle)
// stays warm for the next test file's plans, as in a server; a cold start costs ~2.5 s of CPU.

/** One aws cluster whose only GPU pool is one spot node of 4 × L4 (g6.12xlarge); no dedicated pools. */
const footprint = parseFootprint({
  source: { kind: "config", file: "packed.yaml" },
  clusters: [
    {
      cloud: "aws",
      region: "us-east-1",
      name: "aws-us-east-1",
      dedicatedPools: false,
      pools: [
        {
          name: "l4x4",
          gpu: "L4",
          gpusPerNode: 4,
          instanceType: "g6.12xlarge",
          capacity: "spot",
          minNodes: 0,
          maxNodes: 1,
        },
      ],
    },
  ],
  stores: [{ cloud: "aws", region: "us-east-1" }],
});

describe("a pool whose node carries several replicas: quote = program = plan", function () {
  this.timeout(120_000);
  const catalog = defaultCatalog();
  const now = new Date(Date.parse(catalog.asOf) + 86_400_000);
  const ask = (replicas: number) =>
    parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      replicas,
    });

  it("3 replicas of 1 L4 share the pool's one 4-GPU node: quoted, built and planned at one node", async () => {
    const request = ask(3);
    const placed = quote(request, catalog, { now, footprint }).placements[0];
    assert.ok(placed, "the pool holds 3 replicas of 1 GPU on its one node");
    const node = findGpuOffer(catalog, { cloud: "aws", region: "us-east-1", instanceType: "g6.12xlarge" })!;
    assert.equal(placed.pool, "l4x4");
    assert.equal(placed.gpuCount, 1, "a replica takes 1 of the node's 4 GPUs");
    assert.equal(placed.replicasPerNode, 4);
    assert.equal(placed.unitHourlyUsd, node.spotHourlyUsd);
    assert.equal(placed.hourlyUsd, node.spotHourlyUsd, "one node, not one per replica");
    const spec = {
      ...specFromPlacement(request, basePlacement(placed)),
      model: { ...specFromPlacement(request, basePlacement(placed)).model, source: "hf://meta-llama/Llama-3.1-8B" },
    };
    const report = await planDeployment(spec, { catalog, footprint });
    assert.equal(
      report.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup").length,
      0,
      "the platform's pool is used: no dedicated pool",
    );
    const server = report.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
    const pod = (server.inputs?.["spec"] as { template: { spec: { containers: Array<Record<string, unknown>> } } })
      .template.spec;
    const limits = (pod.containers[0]!["resources"] as { limits: Record<string, string> }).limits;
    assert.equal(limits["nvidia.com/gpu"], "1", "the pod requests the replica's GPUs, as quoted");
    assert.equal(server.priced, true, server.note);
    assert.ok(
      Math.abs((server.hourlyUsd ?? NaN) - placed.hourlyUsd) < 1e-9,
      `${server.hourlyUsd} vs ${placed.hourlyUsd}`,
    );
  });

  it("5 replicas do not fit the pool's 4: no placement (the program would not fit them either)", () => {
    const r = quote(ask(5), catalog, { now, footprint });
    assert.equal(r.placements.length, 0);
    assert.ok(r.infeasible);
  });
});
