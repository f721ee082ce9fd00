import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "./GpuCluster";
import { testCatalog } from "./testing/catalog";
import { arr, installMocks, named, obj, ofType, settle, valueOf, type Registered } from "./testing/pulumiMocks";

const catalog = testCatalog();

describe("SpotPool (mocks)", () => {
  let registered: Registered[];
  let clusterMod: typeof import("./GpuCluster");
  let mod: typeof import("./SpotPool");

  before(async () => {
    registered = await installMocks();
    clusterMod = await import("./GpuCluster");
    mod = await import("./SpotPool");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function done(pool: InstanceType<typeof mod.SpotPool>): Promise<void> {
    for (const r of pool.nodePools) await valueOf(r.urn);
    await settle(registered);
  }

  const awsRef: ClusterRef = {
    cloud: "aws",
    region: "us-east-1",
    clusterName: "plat-eks",
    nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
    subnetIds: ["subnet-a", "subnet-b"],
  };

  it("aws: a SPOT NVIDIA node group from zero, tainted, with autoscaler template tags, plus an ON_DEMAND fallback", async () => {
    const cluster = new clusterMod.GpuCluster("plat", { cloud: "aws", region: "us-east-1", costCenter: "cc-1" });
    const pool = new mod.SpotPool("l4", {
      cluster,
      gpu: "L4",
      maxNodes: 3,
      fallback: { maxNodes: 1 },
      model: "llama-3-8b",
      catalog,
    });
    await done(pool);
    const groups = ofType(registered, "aws:eks/nodeGroup:NodeGroup").filter((r) => r.name.startsWith("l4-"));
    assert.deepEqual(groups.map((g) => g.name).sort(), ["l4-fallback", "l4-spot"]);

    const spot = named(registered, "l4-spot").inputs;
    assert.equal(spot["capacityType"], "SPOT");
    assert.deepEqual(spot["instanceTypes"], ["g6.xlarge"]);
    assert.equal(spot["amiType"], "AL2023_x86_64_NVIDIA");
    assert.equal(spot["nodeGroupName"], pool.poolName);
    assert.match(pool.poolName, /-spot-[0-9a-f]{6}$/, "the autoscaler's priority expander ranks these first");
    assert.equal(spot["diskSize"], undefined, "disk size lives in the launch template");
    const lt = named(registered, "l4-spot-lt").inputs;
    assert.deepEqual(arr(lt["blockDeviceMappings"]).map(obj)[0], {
      deviceName: "/dev/xvda",
      ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
    });
    const instanceTags = obj(obj(arr(lt["tagSpecifications"])[0])["tags"]);
    assert.deepEqual(
      instanceTags,
      { "cost-center": "cc-1", "managed-by": "modelplane", model: "llama-3-8b" },
      "GPU instances carry the cost tags",
    );
    assert.deepEqual(obj(spot["launchTemplate"]), { id: "l4-spot-lt-id", version: "1" });
    assert.deepEqual(spot["scalingConfig"], { minSize: 0, desiredSize: 0, maxSize: 3 });
    assert.deepEqual(spot["taints"], [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
    assert.equal(spot["clusterName"], "plat-eks-0a1b2c");
    assert.equal(spot["nodeRoleArn"], "arn:aws:iam::123456789012:role/plat-node-role-0a1b2c");
    assert.deepEqual(spot["subnetIds"], ["subnet-a", "subnet-b", "subnet-c"]);
    const labels = obj(spot["labels"]);
    assert.equal(labels["modelplane.dev/pool"], pool.poolName);
    assert.equal(labels["modelplane.dev/gpu"], "L4");
    assert.equal(labels["modelplane.dev/capacity"], "spot");
    const tags = obj(spot["tags"]);
    assert.equal(tags["managed-by"], "modelplane");
    assert.equal(tags["model"], "llama-3-8b");
    assert.equal(tags["cost-center"], "cc-1", "the cluster's cost tags flow to its pools");
    assert.equal(tags["k8s.io/cluster-autoscaler/enabled"], "true");
    assert.equal(tags["k8s.io/cluster-autoscaler/plat-eks-0a1b2c"], "owned");
    assert.equal(tags["k8s.io/cluster-autoscaler/node-template/label/modelplane.dev/pool"], pool.poolName);
    assert.equal(tags["k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"], "present:NoSchedule");
    assert.equal(tags["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"], "1");
    // #12: the autoscaler's GPU label, on the nodes and as a node-template tag for a group at zero.
    assert.equal(labels["k8s.amazonaws.com/accelerator"], "nvidia-l4");
    assert.equal(tags["k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator"], "nvidia-l4");
    assert.equal(labels["modelplane.dev/nvidia-device-plugin"], undefined, "AL2023 needs our device plugin");

    const fb = named(registered, "l4-fallback").inputs;
    assert.equal(fb["capacityType"], "ON_DEMAND");
    assert.deepEqual(fb["instanceTypes"], ["g6.xlarge"]);
    assert.deepEqual(fb["scalingConfig"], { minSize: 0, desiredSize: 0, maxSize: 1 });

    assert.equal(pool.gpuType, "L4");
    assert.equal(pool.gpuCount, 1);
    assert.equal(pool.instanceType, "g6.xlarge");
    assert.equal(pool.capacity, "spot");
    // #11: the primary selects the pool group, so pods reach the on-demand fallback when spot is gone.
    assert.deepEqual(pool.nodeSelector, { "modelplane.dev/pool-group": "l4" });
    for (const ng of [spot, fb]) {
      for (const [k, v] of Object.entries(pool.nodeSelector)) assert.equal(obj(ng["labels"])[k], v, k);
    }
    assert.deepEqual(pool.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    assert.ok(pool.fallback);
    assert.equal(pool.fallback.capacity, "on-demand");
    assert.deepEqual(pool.fallback.nodeSelector, {
      "modelplane.dev/pool-group": "l4",
      "modelplane.dev/capacity": "on-demand",
    });
    assert.equal(obj(spot["labels"])["modelplane.dev/capacity"], "spot", "the floor never lands on spot");
    const firstPool = pool.nodePools[0];
    assert.ok(firstPool);
    assert.match(await valueOf(firstPool.urn), /modelplane:compute:SpotPool\$aws:eks\/nodeGroup:NodeGroup::l4-spot$/);
  });

  it("aws: from a plain ClusterRef (as rebuilt from a StackReference), Bottlerocket, no fallback", async () => {
    const ref: ClusterRef = { ...awsRef, region: pulumi.output("us-east-1"), clusterName: pulumi.output("from-stack") };
    const pool = new mod.SpotPool("t4", {
      cluster: ref,
      region: "us-east-1",
      gpu: "T4",
      gpuCount: 4,
      amiType: "BOTTLEROCKET_x86_64_NVIDIA",
      catalog,
    });
    await done(pool);
    assert.equal(ofType(registered, "aws:eks/nodeGroup:NodeGroup").length, 1);
    const ng = named(registered, "t4-spot").inputs;
    assert.equal(ng["amiType"], "BOTTLEROCKET_x86_64_NVIDIA");
    assert.equal(
      obj(arr(named(registered, "t4-spot-lt").inputs["blockDeviceMappings"])[0])["deviceName"],
      "/dev/xvdb",
      "Bottlerocket's data volume",
    );
    assert.deepEqual(ng["instanceTypes"], ["g4dn.12xlarge"]);
    assert.equal(ng["clusterName"], "from-stack");
    assert.equal(obj(ng["tags"])["k8s.io/cluster-autoscaler/from-stack"], "owned");
    assert.equal(obj(ng["tags"])["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"], "4");
    // #16: Bottlerocket runs its own device plugin; this label keeps ours (NotIn builtin) off the node.
    assert.equal(obj(ng["labels"])["modelplane.dev/nvidia-device-plugin"], "builtin");
    assert.equal(pool.fallback, undefined);
    const children = registered.filter((r) => !r.type.startsWith("modelplane:"));
    assert.deepEqual(
      children.map((r) => r.name).sort(),
      ["t4-spot", "t4-spot-lt"],
      "children are named `${name}-<role>`",
    );
  });

  it("gcp: a spot node pool with the accelerator, GKE-managed LATEST driver, spot taint, autoscaling from 0", async () => {
    const ref: ClusterRef = {
      cloud: "gcp",
      region: "us-central1",
      clusterName: "plat-gke",
      project: "proj",
      location: "us-central1",
    };
    const pool = new mod.SpotPool("l4", {
      cluster: ref,
      gpu: "L4",
      maxNodes: 2,
      fallback: true,
      owner: "ML Team",
      catalog,
    });
    await done(pool);
    assert.deepEqual(
      ofType(registered, "gcp:container/nodePool:NodePool")
        .map((r) => r.name)
        .sort(),
      ["l4-fallback", "l4-spot"],
    );
    const np = named(registered, "l4-spot").inputs;
    const nc = obj(np["nodeConfig"]);
    assert.equal(nc["spot"], true);
    assert.equal(nc["machineType"], "g2-standard-4");
    assert.deepEqual(nc["guestAccelerators"], [
      { type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } },
    ]);
    assert.deepEqual(nc["taints"], [{ key: "cloud.google.com/gke-spot", value: "true", effect: "NO_SCHEDULE" }]);
    assert.deepEqual(obj(nc["resourceLabels"]), { "managed-by": "modelplane", owner: "ml_team" });
    assert.equal(obj(nc["labels"])["modelplane.dev/pool"], pool.poolName);
    assert.deepEqual(np["autoscaling"], { minNodeCount: 0, maxNodeCount: 2, locationPolicy: "ANY" });
    assert.equal(np["cluster"], "plat-gke");
    assert.equal(np["project"], "proj");
    assert.equal(np["location"], "us-central1");
    assert.deepEqual(pool.tolerations, [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      { key: "cloud.google.com/gke-spot", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    const fb = obj(named(registered, "l4-fallback").inputs["nodeConfig"]);
    assert.equal(fb["spot"], false);
    assert.deepEqual(fb["taints"], []);
    assert.deepEqual(pool.fallback?.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("gcp: on a GpuCluster, a spot pool with a fallback is ordered by a ComputeClass (spot first), pools labelled and tainted for it, pods select it", async () => {
    const cluster = new clusterMod.GpuCluster("g", { cloud: "gcp", region: "us-central1", project: "proj" });
    const pool = new mod.SpotPool("l4g", { cluster, gpu: "L4", maxNodes: 2, fallback: true, catalog });
    await done(pool);
    await settle(registered);
    const classes = ofType(registered, "kubernetes:cloud.google.com/v1:ComputeClass");
    assert.equal(classes.length, 1);
    const cc = classes[0]?.inputs ?? {};
    const name = obj(cc["metadata"])["name"];
    assert.equal(name, "l4g");
    const od = pool.fallback?.poolName;
    assert.ok(od);
    assert.deepEqual(obj(cc["spec"]), {
      priorities: [{ nodepools: [pool.poolName] }, { nodepools: [od] }],
      nodePoolAutoCreation: { enabled: false },
      whenUnsatisfiable: "DoNotScaleUp",
    });
    assert.ok(classes[0]?.provider?.includes("g-k8s"), "through the cluster's Kubernetes provider");
    // GKE schedules class pods only on pools with the class's label and NoSchedule taint.
    for (const role of ["l4g-spot", "l4g-fallback"]) {
      const nc = obj(named(registered, role).inputs["nodeConfig"]);
      assert.equal(obj(nc["labels"])["cloud.google.com/compute-class"], name, role);
      assert.deepEqual(
        arr(nc["taints"])
          .map(obj)
          .find((t) => t["key"] === "cloud.google.com/compute-class"),
        { key: "cloud.google.com/compute-class", value: name, effect: "NO_SCHEDULE" },
        role,
      );
    }
    const toleration = { key: "cloud.google.com/compute-class", operator: "Equal", value: name, effect: "NoSchedule" };
    assert.deepEqual(pool.nodeSelector, { "modelplane.dev/pool-group": "l4g", "cloud.google.com/compute-class": name });
    assert.ok(pool.tolerations.some((t) => JSON.stringify(t) === JSON.stringify(toleration)));
    assert.deepEqual(pool.fallback?.nodeSelector, {
      "modelplane.dev/pool-group": "l4g",
      "modelplane.dev/capacity": "on-demand",
      "cloud.google.com/compute-class": name,
    });
    assert.ok(pool.fallback?.tolerations.some((t) => JSON.stringify(t) === JSON.stringify(toleration)));
    // Without a fallback there is no order to keep: no class, no class label.
    registered.length = 0;
    const single = new mod.SpotPool("a100g", { cluster, gpu: "A100", instanceType: "a2-highgpu-1g", catalog });
    await done(single);
    assert.equal(ofType(registered, "kubernetes:cloud.google.com/v1:ComputeClass").length, 0);
    assert.equal(single.nodeSelector["cloud.google.com/compute-class"], undefined);
  });

  it("azure: a User Spot agent pool (max price -1, Delete eviction, explicit spot taint), autoscaling from 0, Regular fallback", async () => {
    const cluster = new clusterMod.GpuCluster("plat", { cloud: "azure", region: "eastus" });
    const pool = new mod.SpotPool("t4", { cluster, gpu: "T4", maxNodes: 2, fallback: true, catalog });
    await done(pool);
    const ap = named(registered, "t4-spot").inputs;
    assert.equal(ap["mode"], "User");
    assert.equal(ap["scaleSetPriority"], "Spot");
    assert.equal(ap["spotMaxPrice"], -1);
    assert.equal(ap["scaleSetEvictionPolicy"], "Delete");
    assert.equal(ap["enableAutoScaling"], true);
    assert.equal(ap["minCount"], 0);
    assert.equal(ap["maxCount"], 2);
    assert.equal(ap["vmSize"], "Standard_NC4as_T4_v3");
    assert.deepEqual(ap["nodeTaints"], [
      "nvidia.com/gpu=present:NoSchedule",
      "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ]);
    assert.equal(ap["resourceGroupName"], "plat-rg0a1b2c");
    assert.equal(ap["resourceName"], "plat-aks0a1b2c");
    // In the cluster's node subnet (its own network, providers/azure/cluster.ts), both pools.
    assert.equal(ap["vnetSubnetID"], "plat-nodes-id");
    assert.match(String(ap["agentPoolName"]), /^sp[a-z0-9]{10}$/);
    assert.equal(obj(ap["tags"])["managed-by"], "modelplane");
    const fb = named(registered, "t4-fallback").inputs;
    assert.equal(fb["scaleSetPriority"], "Regular");
    assert.equal(fb["vnetSubnetID"], "plat-nodes-id");
    assert.equal(fb["spotMaxPrice"], undefined);
    assert.deepEqual(fb["nodeTaints"], ["nvidia.com/gpu=present:NoSchedule"]);
    assert.notEqual(fb["agentPoolName"], ap["agentPoolName"]);
    assert.ok(pool.tolerations.some((t) => t.key === "kubernetes.azure.com/scalesetpriority" && t.value === "spot"));
    assert.equal(arr(pool.fallback?.tolerations).length, 1);
  });

  it("azure: every AgentPool of one cluster waits for the previous one, across SpotPools (#4)", async () => {
    const { azurePool } = await import("../providers/azure/pool");
    const original = azurePool.create.bind(azurePool);
    const seen: Array<{ name: string; after: pulumi.Resource[]; made: pulumi.Resource }> = [];
    azurePool.create = (args, parent) => {
      const made = original(args, parent);
      seen.push({ name: args.name, after: args.dependsOn ?? [], made: made.resource });
      return made;
    };
    try {
      const cluster = new clusterMod.GpuCluster("chain", { cloud: "azure", region: "eastus" });
      new mod.SpotPool("t4", { cluster, gpu: "T4", maxNodes: 2, fallback: true, catalog });
      new mod.SpotPool("h100", { cluster, gpu: "H100", maxNodes: 1, catalog });
      await settle(registered);
    } finally {
      azurePool.create = original;
    }
    assert.deepEqual(
      seen.map((s) => s.name),
      ["t4-spot", "t4-fallback", "h100-spot"],
    );
    assert.ok(!seen[0]?.after.some((r) => seen.some((s) => s.made === r)), "the first pool waits for no pool");
    for (let i = 1; i < seen.length; i++) {
      assert.ok(
        seen[i]?.after.includes(seen[i - 1]?.made as pulumi.Resource),
        `${seen[i]?.name} after ${seen[i - 1]?.name}`,
      );
    }
  });

  it("gcp: the node pool's name is the exported poolName, within GKE's 40 characters, even for a long component name (#5)", async () => {
    const ref: ClusterRef = {
      cloud: "gcp",
      region: "us-central1",
      clusterName: "c",
      project: "proj",
      location: "us-central1",
    };
    const longName = "a-very-long-component-name-for-a-model-deployment-pool";
    const pool = new mod.SpotPool(longName, { cluster: ref, gpu: "L4", catalog });
    await done(pool);
    const np = named(registered, `${longName}-spot`).inputs;
    assert.equal(np["name"], pool.poolName);
    assert.ok(pool.poolName.length <= 40, pool.poolName);
  });

  it("bad args throw naming the argument", () => {
    assert.throws(
      () => new mod.SpotPool("b1", { cluster: awsRef, gpu: "T4", minNodes: 3, maxNodes: 2, catalog }),
      /minNodes: 3 is greater than maxNodes \(2\)/,
    );
    assert.throws(
      () =>
        new mod.SpotPool("b2", {
          cluster: { ...awsRef, cloud: "gcp", location: "us-central1" },
          region: "us-central1",
          gpu: "A10G",
          catalog,
        }),
      /gpu: "A10G" is not a GPU type offered on gcp; offered: T4, L4, A100, A100-80GB, H100/,
    );
    assert.throws(
      () => new mod.SpotPool("b3", { cluster: { ...awsRef, region: "eu-west-1" }, gpu: "L4", fallback: true, catalog }),
      /fallback: no on-demand offer/,
    );
    assert.throws(
      () => new mod.SpotPool("b4", { cluster: { ...awsRef, region: pulumi.output("us-east-1") }, gpu: "T4", catalog }),
      /region: is required/,
    );
    assert.throws(
      () => new mod.SpotPool("b5", { cluster: { ...awsRef, cloud: "oracle" as "aws" }, gpu: "T4", catalog }),
      /cluster\.cloud: "oracle" is not a supported cloud/,
    );
    assert.throws(
      () => new mod.SpotPool("b6", { cluster: { ...awsRef, nodeRoleArn: undefined }, gpu: "T4", catalog }),
      /cluster\.nodeRoleArn: is required/,
    );
    assert.throws(
      () =>
        new mod.SpotPool("b7", { cluster: { cloud: "azure", region: "eastus", clusterName: "x" }, gpu: "T4", catalog }),
      /cluster\.resourceGroupName: is required/,
    );
  });
});
