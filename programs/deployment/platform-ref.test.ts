import { strict as assert } from "node:assert";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import type { Placement } from "../../platform/core/placement";
import {
  choosePools,
  clusterRefOf,
  nodesFor,
  pickCluster,
  PlatformClusterSchema,
  type PlatformPool,
} from "./platform-ref";
import { platformOutput, platformStackOutputs } from "./testing";

const pool = (over: Partial<PlatformPool>): PlatformPool => ({
  name: "p",
  gpuType: "A100-80GB",
  instanceType: "a2-ultragpu-2g",
  gpuCount: 2,
  capacity: "spot",
  nodeSelector: { "modelplane.dev/pool": "p" },
  tolerations: [],
  ...over,
});

const placement: Placement = {
  cloud: "gcp",
  region: "us-central1",
  instanceType: "a2-ultragpu-2g",
  gpuType: "A100-80GB",
  gpuCount: 2,
  gpuMemoryGiB: 80,
  capacity: "spot",
  replicas: 2,
  unitHourlyUsd: 4,
  hourlyUsd: 8,
  monthlyUsd: 5840,
  storageMonthlyUsd: 3,
  onDemandUnitHourlyUsd: 10,
};

describe("platform stack reference (pure)", () => {
  it("chooses the platform pool of the same shape and capacity", () => {
    const pools = [
      pool({ name: "l4", gpuType: "L4", instanceType: "g2-standard-8" }),
      pool({ name: "a-spot" }),
      pool({ name: "a-od", capacity: "on-demand" }),
    ];
    const c = choosePools(pools, placement, 1);
    assert.deepEqual(c.primary.kind === "existing" ? c.primary.pool.name : c.primary, "a-spot");
    assert.deepEqual(c.onDemand?.kind === "existing" ? c.onDemand.pool.name : c.onDemand, "a-od");
    assert.equal(choosePools(pools, placement, 0).onDemand, undefined);
  });

  it("asks for a dedicated pool when only another shape or capacity exists", () => {
    const c = choosePools(
      [
        pool({ name: "a-od", capacity: "on-demand" }),
        pool({ name: "small", gpuCount: 1, instanceType: "a2-ultragpu-2g" }),
      ],
      placement,
      1,
    );
    assert.deepEqual(c.primary, { kind: "create", capacity: "spot" });
    assert.equal(c.onDemand?.kind, "existing");
    assert.deepEqual(choosePools([], { ...placement, capacity: "on-demand" }, 0), {
      primary: { kind: "create", capacity: "on-demand" },
    });
  });

  it("an existing pool too small for the replicas is not chosen: a dedicated pool is asked for", () => {
    const small = pool({ name: "small", maxNodes: 2 });
    assert.deepEqual(choosePools([small], placement, 0, 2), { primary: { kind: "existing", pool: small } });
    assert.deepEqual(choosePools([small], placement, 0, 3), { primary: { kind: "create", capacity: "spot" } });
    assert.deepEqual(choosePools([pool({ name: "unbounded" })], placement, 0, 40).primary.kind, "existing");
  });

  it("a placement naming a cloud pool too small for maxReplicas gets a dedicated pool; a brought pool stays", () => {
    const small = pool({ name: "small", maxNodes: 2 });
    const named = { ...placement, pool: "small" };
    assert.deepEqual(choosePools([small], named, 0, 2), { primary: { kind: "existing", pool: small } });
    assert.deepEqual(choosePools([small], named, 0, 40), { primary: { kind: "create", capacity: "spot" } });
    const brought = { ...named, cloud: "kubernetes" as const, region: "onprem-fra" };
    assert.deepEqual(choosePools([small], brought, 0, 40), { primary: { kind: "existing", pool: small } });
  });

  it("sizes dedicated pools by replicas per node", () => {
    assert.equal(nodesFor(4, 2, 8), 1);
    assert.equal(nodesFor(5, 2, 8), 2);
    assert.equal(nodesFor(3, 2, 2), 3);
    assert.equal(nodesFor(0, 1, 1), 1);
    assert.throws(
      () => nodesFor(1, 4, 2),
      (e: unknown) => e instanceof ValidationError && e.field === "placement.gpuCount",
    );
  });

  it("validates a cluster output and names the bad key", () => {
    const good = platformOutput("aws", { withPools: true });
    const parsed = parseOrThrow(PlatformClusterSchema, good, "aws");
    assert.equal(parsed.pools.length, 2);
    assert.deepEqual(clusterRefOf(parsed).subnetIds, ["subnet-a", "subnet-b"]);
    const badPool = { ...good, pools: [{ ...pool({}), capacity: "preemptible" }] };
    assert.throws(
      () => parseOrThrow(PlatformClusterSchema, badPool, "aws"),
      (e: unknown) => e instanceof ValidationError && e.field === "aws.pools[0].capacity",
    );
    assert.match(parsed.stackRoleBoundaryArn ?? "", /^arn:aws:iam::\d{12}:policy\//);
    assert.throws(
      () => parseOrThrow(PlatformClusterSchema, { ...good, stackRoleBoundaryArn: "" }, "aws"),
      (e: unknown) => e instanceof ValidationError && e.field === "aws.stackRoleBoundaryArn",
    );
  });

  it("picks the cluster in the placement's cloud and region among two of one cloud", () => {
    const east = platformOutput("aws", { withPools: true });
    const west = { ...platformOutput("aws", { withPools: false, region: "eu-west-1" }), clusterName: "mp-aws-euw1" };
    const { clusters } = platformStackOutputs(east, west);
    assert.equal(pickCluster(clusters, "dev", "aws", "eu-west-1").clusterName, "mp-aws-euw1");
    assert.equal(pickCluster(clusters, "dev", "aws", "us-east-1").clusterName, "mp-aws");
    assert.throws(
      () => pickCluster(clusters, "dev", "aws", "eu-south-2"),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "placement.region" &&
        /aws eu-west-1/.test(e.message) &&
        /aws us-east-1/.test(e.message),
    );
  });

  it("an existing cluster takes no dedicated pool: clusterRefOf refuses, naming its pools", () => {
    const existing = parseOrThrow(
      PlatformClusterSchema,
      {
        name: "onprem",
        cloud: "kubernetes",
        region: "fra",
        clusterName: "onprem",
        dedicatedPools: false,
        pools: [pool({ name: "a100" })],
      },
      "onprem",
    );
    assert.throws(
      () => clusterRefOf(existing),
      (e: unknown) => e instanceof ValidationError && /existing cluster/.test(e.message) && /a100/.test(e.message),
    );
  });
});
