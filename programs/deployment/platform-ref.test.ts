import { strict as assert } from "node:assert";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import type { Placement } from "../../platform/core/placement";
import { choosePools, clusterRefOf, nodesFor, PlatformCloudSchema, type PlatformPool } from "./platform-ref";
import { platformOutput } from "./testing";

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

  it("validates the platform output and names the missing key", () => {
    const good = platformOutput("aws", { withPools: true });
    const parsed = parseOrThrow(PlatformCloudSchema, good, "aws");
    assert.equal(parsed.pools.length, 2);
    assert.deepEqual(clusterRefOf(parsed).subnetIds, ["subnet-a", "subnet-b"]);
    const { kubeconfig: _k, ...noKubeconfig } = good;
    void _k;
    assert.throws(
      () => parseOrThrow(PlatformCloudSchema, noKubeconfig, "aws"),
      (e: unknown) => e instanceof ValidationError && e.field === "aws.kubeconfig",
    );
    const badPool = { ...good, pools: [{ ...pool({}), capacity: "preemptible" }] };
    assert.throws(
      () => parseOrThrow(PlatformCloudSchema, badPool, "aws"),
      (e: unknown) => e instanceof ValidationError && e.field === "aws.pools[0].capacity",
    );
  });
});
