import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../../core/pricing/catalog";
import { checkGpu } from "./gpu";
import { gpuDeployment, recorded } from "./testing";
import { VLLM_IMAGE } from "../../../../providers/limits/images";

const catalog = defaultCatalog();
const offer = catalog.gpuOffers.find((o) => o.cloud === "azure" && o.gpuCount === 1);
if (!offer) throw new Error("catalog has no 1-GPU azure offer");

/** An AKS agent pool of `maxCount` nodes of a 1-GPU VM size, labelled `modelplane.dev/pool: gpu-pool`. */
const pool = (maxCount: number, osDiskSizeGB = 200) =>
  recorded("azure-native:containerservice:AgentPool", "gpu-pool", {
    agentPoolName: "gpupool",
    vmSize: offer.instanceType,
    count: 0,
    minCount: 0,
    maxCount,
    enableAutoScaling: true,
    osDiskSizeGB,
    nodeLabels: { "modelplane.dev/pool": "gpu-pool" },
    scaleSetPriority: "Regular",
  });
const hpa = (target: string, maxReplicas: number) =>
  recorded("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", {
    spec: { maxReplicas, scaleTargetRef: { kind: "Deployment", name: target } },
  });
const surge1 = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };

describe("plan checks: GPU arithmetic", () => {
  it("a rollout with maxSurge 1 on a pool that is full at max replicas is an error; one more node fixes it", () => {
    const d = gpuDeployment("srv", { strategy: surge1, ephemeral: "23Gi" });
    const [f] = checkGpu({ resources: [pool(1), d, hpa("srv", 1)], catalog });
    assert.equal(f?.level, "error");
    assert.equal(f?.field, "spec.strategy.rollingUpdate.maxSurge");
    assert.match(
      f?.message ?? "",
      /maxSurge 1 adds 1 pod\(s\) of 1 GPU\(s\) to 1 replica\(s\) \(hpa spec\.maxReplicas\), 2 GPUs, but pool gpu-pool \(max 1 node\(s\) × 1 GPU\(s\)\) holds 1/,
    );
    assert.deepEqual(checkGpu({ resources: [pool(2), d, hpa("srv", 1)], catalog }), []);
  });

  it("maxSurge 0 or Recreate needs no spare GPU; the default 25% surge rounds up to a pod", () => {
    const zero = gpuDeployment("srv", {
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      ephemeral: "23Gi",
    });
    const recreate = gpuDeployment("srv", { strategy: { type: "Recreate" }, ephemeral: "23Gi" });
    assert.deepEqual(checkGpu({ resources: [pool(1), zero, hpa("srv", 1)], catalog }), []);
    assert.deepEqual(checkGpu({ resources: [pool(1), recreate, hpa("srv", 1)], catalog }), []);
    const defaults = gpuDeployment("srv", { ephemeral: "23Gi" });
    assert.match(
      checkGpu({ resources: [pool(1), defaults, hpa("srv", 1)], catalog })[0]?.message ?? "",
      /maxSurge 25% \(the default\) adds 1 pod/,
    );
  });

  it("the weight cache needs an ephemeral-storage request at least its size", () => {
    const none = gpuDeployment("srv", { strategy: { type: "Recreate" } });
    const [f] = checkGpu({ resources: [pool(1), none], catalog });
    assert.match(f?.message ?? "", /request 0 GiB of ephemeral-storage but keep 23 GiB in on-disk emptyDir volumes/);
    const small = gpuDeployment("srv", { strategy: { type: "Recreate" }, ephemeral: "10Gi" });
    assert.equal(checkGpu({ resources: [pool(1), small], catalog }).length, 1);
  });

  it("node disk must hold replicas per node × cache + the serving image", () => {
    const d = gpuDeployment("srv", { strategy: { type: "Recreate" }, ephemeral: "23Gi" });
    const tight = 23 + VLLM_IMAGE.diskGiB;
    assert.deepEqual(checkGpu({ resources: [pool(1, tight), d], catalog }), []);
    const [f] = checkGpu({ resources: [pool(1, tight - 1), d], catalog });
    assert.match(
      f?.message ?? "",
      new RegExp(
        `nodes have ${tight - 1} GiB of disk \\(osDiskSizeGB\\) but run up to 1 replica\\(s\\) × 23 GiB of cache \\+ ${VLLM_IMAGE.diskGiB} GiB of image`,
      ),
    );
  });

  it("a workload no pool matches is a warning for its rollout headroom; CPU workloads are not checked", () => {
    const d = gpuDeployment("srv", {
      strategy: surge1,
      ephemeral: "23Gi",
      nodeSelector: { "modelplane.dev/pool": "other" },
    });
    const [f] = checkGpu({ resources: [pool(1), d], catalog });
    assert.equal(f?.level, "warning");
    assert.match(f?.message ?? "", /no GPU pool in the plan matches its nodeSelector/);
    const external = checkGpu({
      resources: [d],
      catalog,
      externalPools: [
        { name: "shared", nodeSelector: { "modelplane.dev/pool": "other" }, maxNodes: 1, gpusPerNode: 1 },
      ],
    });
    assert.match(external[0]?.message ?? "", /pool shared \(platform\) \(max 1 node/);
    const cpu = gpuDeployment("cpu", { gpus: 0, strategy: surge1 });
    assert.deepEqual(checkGpu({ resources: [pool(1), cpu], catalog }), []);
  });
});
