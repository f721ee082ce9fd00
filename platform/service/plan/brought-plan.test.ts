/**
 * The offline plan of a deployment on a brought cluster (`cloud: kubernetes`): only Kubernetes
 * objects on the cluster (no cloud node pool, no store, nothing invented in the placement's
 * "region"), the workload priced at the pool's declared chargeback price, or shown as unpriced
 * with the reason when the pool declares none.
 */
import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../core/pricing/catalog";
import { basePlacement, parseQuoteRequest, type QuoteRequest } from "../../core/optimizer";
import { poolPlacement } from "../../core/optimizer/pool-placement";
import { parseFootprint } from "../../core/footprint";
import { ValidationError } from "../../core/validation";
import { planDeployment } from "./index";
import { specFromPlacement } from "./quote";

// No closePlanWorker() after the tests: the plan worker (one per process, unreferenced when idle)
// stays warm for the next test file's plans, as in a server; a cold start costs ~2.5 s of CPU.

const footprint = parseFootprint({
  source: { kind: "config", file: "brought.yaml" },
  clusters: [
    {
      cloud: "aws",
      region: "us-east-1",
      name: "aws-us-east-1",
      pools: [],
    },
    {
      cloud: "kubernetes",
      region: "on-prem-fra",
      name: "lab",
      dedicatedPools: false,
      pools: [
        {
          name: "a100",
          gpu: "A100-80GB",
          gpusPerNode: 8,
          capacity: "on-demand",
          minNodes: 2,
          maxNodes: 2,
          nodeHourlyUsd: 12.5,
        },
        { name: "l4", gpu: "L4", gpusPerNode: 1, capacity: "on-demand", minNodes: 4, maxNodes: 4 },
      ],
    },
  ],
  stores: [{ cloud: "aws", region: "us-east-1" }],
});

describe("planDeployment on a brought cluster", function () {
  this.timeout(120_000);
  const catalog = defaultCatalog();
  const request: QuoteRequest = parseQuoteRequest({
    model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
    replicas: 2,
  });
  const specOn = (pool: string, extra: Record<string, unknown> = {}) => {
    const placement = basePlacement(
      poolPlacement(request, catalog, footprint, { cloud: "kubernetes", region: "on-prem-fra", pool }),
    );
    const spec = specFromPlacement(request, { ...placement, ...extra }, { owner: "a", costCenter: "c" });
    return { ...spec, model: { ...spec.model, source: "hf://meta-llama/Llama-3.1-8B-Instruct" } };
  };
  const cloudTypes = (types: string[]) => types.filter((t) => /^(aws|gcp|azure|azure-native):/.test(t));

  it("an explicit placement on an unpriced pool plans with no cloud resources and its compute shown as unpriced", async () => {
    const spec = specOn("l4");
    assert.equal(spec.placement.pricing?.basis, "unpriced");
    const report = await planDeployment(spec, { catalog, footprint });
    const types = report.resources.map((r) => r.type);
    assert.ok(types.includes("kubernetes:apps/v1:Deployment"));
    assert.deepEqual(cloudTypes(types), [], "no cloud resource on a brought cluster");
    const d = report.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
    assert.equal(d.priced, false);
    assert.match(d.note, /pool l4 of the brought cluster lab, which declares no nodeHourlyUsd: its cost is unknown/);
    assert.ok(report.unpriced.some((u) => u.type === "kubernetes:apps/v1:Deployment"));
    assert.deepEqual(
      report.clusters.map((c) => c.cloud),
      ["kubernetes"],
    );
  });

  it("a priced pool plans at its declared price, the quote's figure", async () => {
    const spec = specOn("a100");
    const report = await planDeployment(spec, { catalog, footprint });
    assert.deepEqual(cloudTypes(report.resources.map((r) => r.type)), []);
    const d = report.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
    assert.equal(d.priced, true);
    // A replica of the 8B model takes 1 of a node's 8 A100s (as quoted): both share 1 node at the declared $12.5/node-hour.
    assert.equal(spec.placement.gpuCount, 1);
    assert.equal(spec.placement.replicasPerNode, 8);
    assert.equal(d.hourlyUsd, 12.5);
    assert.equal(d.hourlyUsd, spec.placement.hourlyUsd, "the plan's compute is the quote's");
    assert.match(d.note, /declared chargeback price \$12\.50\/node-hour .*not a market price/);
  });

  it("a placement naming a brought cluster the platform lacks is refused naming placement.cluster and the footprint", async () => {
    await assert.rejects(
      planDeployment(specOn("l4", { cluster: "lab9" }), { catalog, footprint }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "placement.cluster" &&
        /no cluster "lab9" in kubernetes on-prem-fra/.test(e.message) &&
        /aws-us-east-1 \(aws us-east-1\), lab \(kubernetes on-prem-fra\)/.test(e.message),
    );
  });
});
