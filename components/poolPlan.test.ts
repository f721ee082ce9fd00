import * as assert from "node:assert/strict";
import { awsPool } from "../providers/aws/pool";
import { azurePool } from "../providers/azure/pool";
import { gcpPool } from "../providers/gcp/pool";
import { AWS_EXPANDER_PRIORITIES } from "../providers/aws/autoscaler";
import { AKS_EXPANDER_PRIORITIES } from "../providers/azure/cluster";
import { prioritiesYaml } from "../providers/kubernetes/priority-expander";
import { ALLOW_ON_DEMAND_TAG, layoutPools, placementsFor, planSpotPool, poolGroupLabel } from "./poolPlan";
import { testCatalog } from "./testing/catalog";
import { throwsField } from "./testing/validation";

const catalog = testCatalog();

describe("planSpotPool (pure)", () => {
  it("derives the smallest, cheapest instance for the GPU in the region", () => {
    const plan = planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4" }, catalog);
    assert.equal(plan.instanceType, "g4dn.xlarge");
    assert.equal(plan.gpuCount, 1);
    assert.deepEqual(plan.primary, { capacity: "spot", minNodes: 0, maxNodes: 1 });
    assert.equal(plan.fallback, undefined);
    assert.equal(plan.tags["managed-by"], "modelplane");
  });

  it("honours gpuCount when deriving, and a region without the GPU falls back to the cloud's offers", () => {
    assert.equal(
      planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", gpuCount: 4 }, catalog).instanceType,
      "g4dn.12xlarge",
    );
    assert.equal(planSpotPool({ cloud: "aws", region: "eu-west-1", gpu: "L4" }, catalog).instanceType, "g6.xlarge");
  });

  it("refuses a GPU type not offered on the cloud and lists the offered ones", () => {
    throwsField(
      () => planSpotPool({ cloud: "gcp", region: "us-central1", gpu: "A200" }, catalog),
      "gpu",
      '"A200" is not a GPU type offered on gcp; offered: T4, L4, A100, A100-80GB, H100',
    );
    throwsField(
      () => planSpotPool({ cloud: "gcp", region: "us-central1", gpu: "A10G" }, catalog),
      "gpu",
      "offered on gcp",
    );
  });

  it("prefixes the field for stack config", () => {
    throwsField(
      () =>
        planSpotPool({ cloud: "gcp", region: "us-central1", gpu: "A200" }, catalog, "modelplane:clouds[1].gpuPools[0]"),
      "modelplane:clouds[1].gpuPools[0].gpu",
    );
  });

  it("refuses min > max nodes, naming minNodes", () => {
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", minNodes: 3, maxNodes: 2 }, catalog),
      "minNodes",
      "greater than maxNodes (2)",
    );
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", minNodes: -1 }, catalog),
      "minNodes",
    );
    throwsField(() => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", maxNodes: 0 }, catalog), "maxNodes");
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", maxNodes: 1.5 }, catalog),
      "maxNodes",
    );
  });

  it("refuses an instance type that carries another GPU, or a gpuCount that does not match", () => {
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", instanceType: "g5.xlarge" }, catalog),
      "instanceType",
      "carries A10G",
    );
    throwsField(
      () =>
        planSpotPool(
          { cloud: "aws", region: "us-east-1", gpu: "T4", instanceType: "g4dn.xlarge", gpuCount: 2 },
          catalog,
        ),
      "gpuCount",
      "has 1 × T4",
    );
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", gpuCount: 3 }, catalog),
      "gpuCount",
      "available GPUs per node: 1, 4",
    );
  });

  it("accepts an instance type outside the catalog only with gpuCount", () => {
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", instanceType: "g4dn.2xlarge" }, catalog),
      "instanceType",
      "set gpuCount",
    );
    const plan = planSpotPool(
      { cloud: "aws", region: "us-east-1", gpu: "T4", instanceType: "g4dn.2xlarge", gpuCount: 1 },
      catalog,
    );
    assert.equal(plan.instanceType, "g4dn.2xlarge");
    assert.equal(plan.offer, undefined);
  });

  it("plans an on-demand fallback with its own counts", () => {
    const plan = planSpotPool(
      { cloud: "gcp", region: "us-central1", gpu: "L4", maxNodes: 4, fallback: { maxNodes: 2 } },
      catalog,
    );
    assert.deepEqual(plan.fallback, { capacity: "on-demand", minNodes: 0, maxNodes: 2 });
    const same = planSpotPool(
      { cloud: "gcp", region: "us-central1", gpu: "L4", minNodes: 1, maxNodes: 3, fallback: true },
      catalog,
    );
    assert.deepEqual(same.fallback, { capacity: "on-demand", minNodes: 0, maxNodes: 3 });
  });

  it("refuses a fallback with no on-demand offer in the region, or on an on-demand pool", () => {
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "eu-west-1", gpu: "L4", fallback: true }, catalog),
      "fallback",
      "no on-demand offer of g6.xlarge (L4) on aws in eu-west-1; on-demand in: us-east-1",
    );
    throwsField(
      () =>
        planSpotPool(
          { cloud: "aws", region: "us-east-1", gpu: "T4", instanceType: "g4dn.2xlarge", gpuCount: 1, fallback: true },
          catalog,
        ),
      "fallback",
      "drop the fallback",
    );
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", spot: false, fallback: true }, catalog),
      "fallback",
      "only applies to a spot pool",
    );
    throwsField(
      () =>
        planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", maxNodes: 2, fallback: { minNodes: 3 } }, catalog),
      "fallback.minNodes",
    );
  });

  it("refuses odd disk sizes", () => {
    throwsField(
      () => planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "T4", diskSizeGiB: 5 }, catalog),
      "diskSizeGiB",
    );
  });
});

describe("pool layout and names (pure)", () => {
  it("lays out primary and fallback pools with distinct names and shared group label", () => {
    const plan = planSpotPool({ cloud: "aws", region: "us-east-1", gpu: "L4", fallback: true }, catalog);
    const [spot, fb] = layoutPools("llama-l4", plan, awsPool);
    assert.ok(spot && fb);
    assert.equal(spot.role, "spot");
    assert.equal(fb.role, "fallback");
    assert.notEqual(spot.poolName, fb.poolName);
    assert.equal(spot.labels["modelplane.dev/pool"], spot.poolName);
    assert.equal(spot.labels["modelplane.dev/pool-group"], fb.labels["modelplane.dev/pool-group"]);
    assert.equal(spot.labels["modelplane.dev/capacity"], "spot");
    assert.equal(fb.labels["modelplane.dev/capacity"], "on-demand");
    assert.equal(spot.labels["modelplane.dev/gpu"], "L4");
  });

  it("tags only the on-demand fallback as explicitly requested on-demand capacity", () => {
    const plan = planSpotPool({ cloud: "gcp", region: "us-central1", gpu: "L4", fallback: true, owner: "ml" }, catalog);
    const [spot, fb] = layoutPools("llama-l4", plan, gcpPool);
    assert.ok(spot && fb);
    assert.deepEqual(fb.tags, { ...plan.tags, [ALLOW_ON_DEMAND_TAG]: "true" });
    assert.deepEqual(spot.tags, plan.tags);
    const [od] = layoutPools(
      "llama-l4",
      planSpotPool({ cloud: "gcp", region: "us-central1", gpu: "L4", spot: false }, catalog),
      gcpPool,
    );
    assert.equal(od?.role, "ondemand");
    assert.equal(od?.tags[ALLOW_ON_DEMAND_TAG], undefined);
    const [tagged] = layoutPools(
      "x",
      planSpotPool(
        { cloud: "gcp", region: "us-central1", gpu: "L4", spot: false, tags: { [ALLOW_ON_DEMAND_TAG]: "true" } },
        catalog,
      ),
      gcpPool,
    );
    assert.equal(tagged?.tags[ALLOW_ON_DEMAND_TAG], "true", "a user's own opt-out passes through");
  });

  it("names pools within each cloud's rules for long and odd inputs, deterministically", () => {
    const odd = "Llama_3.1-70B-Instruct_" + "X".repeat(40);
    for (const cap of ["spot", "on-demand"] as const) {
      const aks = azurePool.poolName(odd, cap);
      assert.match(aks, /^[a-z][a-z0-9]{0,11}$/, aks);
      assert.equal(aks, azurePool.poolName(odd, cap));
      assert.match(gcpPool.poolName(odd, cap), /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/);
      assert.match(awsPool.poolName(odd, cap), /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/);
    }
    assert.notEqual(azurePool.poolName("model-a", "spot"), azurePool.poolName("model-b", "spot"));
    assert.notEqual(azurePool.poolName("model-a", "spot"), azurePool.poolName("model-a", "on-demand"));
    assert.match(azurePool.poolName("42-model", "spot"), /^sp[a-z0-9]{10}$/);
    assert.match(azurePool.poolName("system", "on-demand"), /^od[a-z0-9]{10}$/);
    const group = poolGroupLabel(odd);
    assert.ok(group.length <= 63);
    assert.match(group, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    assert.equal(poolGroupLabel("simple-name"), "simple-name");
  });

  it("the autoscaler priority expander ranks spot groups above their fallbacks and the system pool", () => {
    const rank = (priorities: Readonly<Record<number, readonly string[]>>, group: string): number =>
      Math.max(
        ...Object.entries(priorities)
          .filter(([, res]) => res.some((re) => new RegExp(`^(?:${re})$`).test(group)))
          .map(([p]) => Number(p)),
      );
    const uuid = "a2c6e0f1-1234-5678-9abc-def012345678";
    for (const base of ["llama-l4", "spot-model", "a-very-long-model-name-with-spot-in-it-and-more"]) {
      // EKS managed node groups run in ASGs named `eks-<nodegroup>-<uuid>`.
      assert.equal(rank(AWS_EXPANDER_PRIORITIES, `eks-${awsPool.poolName(base, "spot")}-${uuid}`), 50, base);
      assert.equal(
        rank(AWS_EXPANDER_PRIORITIES, `eks-${awsPool.poolName(`${base}-fallback`, "on-demand")}-${uuid}`),
        10,
        base,
      );
      // AKS agent pools run in VMSS named `aks-<pool>-<n>-vmss`.
      assert.equal(rank(AKS_EXPANDER_PRIORITIES, `aks-${azurePool.poolName(base, "spot")}-12345678-vmss`), 50, base);
      assert.equal(
        rank(AKS_EXPANDER_PRIORITIES, `aks-${azurePool.poolName(`${base}-fallback`, "on-demand")}-12345678-vmss`),
        10,
        base,
      );
    }
    assert.equal(rank(AWS_EXPANDER_PRIORITIES, `eks-modelplane-aws-system-20261122-${uuid}`), 10);
    assert.equal(rank(AKS_EXPANDER_PRIORITIES, "aks-system-12345678-vmss"), 10);
    assert.equal(prioritiesYaml({ 10: [".*"], 50: ["a", "b"] }), '50:\n  - "a"\n  - "b"\n10:\n  - ".*"');
  });

  it("cloud validators refuse options of other clouds and unknown AMIs", () => {
    throwsField(() => awsPool.validate({ gpu: "T4", amiType: "AL2_x86_64" }), "amiType", "AL2023_x86_64_NVIDIA");
    awsPool.validate({ gpu: "T4", amiType: "BOTTLEROCKET_x86_64_NVIDIA" });
    throwsField(() => gcpPool.validate({ gpu: "T4", amiType: "AL2023_x86_64_NVIDIA" }), "amiType", "aws only");
    throwsField(() => gcpPool.validate({ gpu: "A10G" }), "gpu", "no GKE accelerator");
    throwsField(() => azurePool.validate({ gpu: "T4", amiType: "x" }), "amiType");
  });

  it("placements: the primary selects the pool group and tolerates every pool's taints; the fallback stays on-demand (#11)", () => {
    const mk = (role: "spot" | "fallback", capacity: "spot" | "on-demand") => ({
      role,
      poolName: `p-${role}`,
      capacity,
      minNodes: 0,
      maxNodes: 1,
      labels: {
        "modelplane.dev/pool": `p-${role}`,
        "modelplane.dev/pool-group": "g",
        "modelplane.dev/capacity": capacity,
      },
      tags: {},
    });
    const gpu = { key: "nvidia.com/gpu", effect: "NoSchedule" };
    const spotTaint = { key: "spot", effect: "NoSchedule" };
    const [primary, fallback] = placementsFor(
      [mk("spot", "spot"), mk("fallback", "on-demand")],
      [{ tolerations: [gpu, spotTaint] }, { tolerations: [gpu] }],
    );
    assert.deepEqual(primary, { nodeSelector: { "modelplane.dev/pool-group": "g" }, tolerations: [gpu, spotTaint] });
    assert.deepEqual(fallback, {
      nodeSelector: { "modelplane.dev/pool-group": "g", "modelplane.dev/capacity": "on-demand" },
      tolerations: [gpu],
    });
  });
});
