import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../platform/core/validation";
import { installMocks, settle, valueOf, type Registered } from "../../components/testing/pulumiMocks";
import { parsePlatformConfig, type PlatformConfig } from "./config";
import { rawConfigFromStackYaml } from "./stackConfig";
import type { PlatformClusterOutput } from "./outputs";
import { PlatformClusterSchema } from "./output-schema";

const shippedRaw = (): Record<string, unknown> =>
  rawConfigFromStackYaml(readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8"), "Pulumi.dev.yaml");

function countByType(rs: Registered[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}

describe("platform program (mocks, shipped Pulumi.dev.yaml)", () => {
  let registered: Registered[];
  let mod: typeof import("./program");

  before(async () => {
    registered = await installMocks();
    mod = await import("./program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function run(
    config: PlatformConfig,
  ): Promise<{ res: ReturnType<typeof mod.platformProgram>; out: Partial<Record<string, PlatformClusterOutput>> }> {
    const res = mod.platformProgram(config);
    // Keyed by cloud here: these configs run one cluster per cloud.
    const out: Partial<Record<string, PlatformClusterOutput>> = {};
    for (const value of Object.values(res.outputs.clusters)) {
      const resolved = await valueOf(pulumi.output(value) as pulumi.Output<PlatformClusterOutput>);
      out[resolved.cloud] = resolved;
    }
    await settle(registered);
    return { res, out };
  }

  it("registers the expected inventory, by type", async () => {
    await run(parsePlatformConfig(shippedRaw()));
    const storeChildren = registered.filter(
      (r) => /^modelplane-(aws|gcp|azure)-models/.test(r.name) && !r.type.startsWith("modelplane:"),
    );
    // The gateways (ClusterGateway and its children) are asserted in ./gateway.test.ts.
    const gatewayParts = registered.filter((r) => /-gateway(-|$)/.test(r.name));
    assert.equal(gatewayParts.filter((r) => r.type === "modelplane:network:ClusterGateway").length, 3);
    const compute = registered.filter((r) => !storeChildren.includes(r) && !gatewayParts.includes(r));
    assert.deepEqual(countByType(compute), {
      "modelplane:compute:GpuCluster": 3,
      "modelplane:compute:SpotPool": 6,
      "modelplane:storage:ModelStore": 3,
      // aws: cluster, node and autoscaler roles; cluster policy + 3 worker policies; system group +
      // l4 spot/fallback + a10g, each with its launch template; cluster autoscaler via Pod Identity
      "aws:iam/role:Role": 3,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 4,
      "aws:eks/cluster:Cluster": 1,
      "aws:eks/nodeGroup:NodeGroup": 4,
      "aws:ec2/launchTemplate:LaunchTemplate": 4,
      "aws:eks/addon:Addon": 1,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation": 1,
      // gcp: system pool + l4 spot/fallback + a100
      "gcp:container/cluster:Cluster": 1,
      "gcp:container/nodePool:NodePool": 4,
      // azure: t4 spot/fallback + a100 (the System pool is inside the managed cluster); the
      // cluster's own network and node subnet, where the cluster identity is Network Contributor
      "azure-native:resources:ResourceGroup": 1,
      "azure-native:network:VirtualNetwork": 1,
      "azure-native:network:Subnet": 1,
      "azure-native:authorization:RoleAssignment": 1,
      "azure-native:containerservice:ManagedCluster": 1,
      "azure-native:containerservice:AgentPool": 3,
      // one Kubernetes provider per cluster; the NVIDIA device plugin on EKS and AKS, the cluster
      // autoscaler on EKS; the priority-expander ConfigMap on EKS and AKS; and on every cluster the
      // platform add-ons (issue 12): KEDA, the KEDA HTTP add-on, kube-prometheus-stack and
      // prometheus-adapter, 4 × 3 = 12 more Releases
      "pulumi:providers:kubernetes": 3,
      "kubernetes:helm.sh/v3:Release": 15,
      "kubernetes:core/v1:ConfigMap": 2,
      // GKE's spot → on-demand order of the l4 group (the one with a fallback): a ComputeClass
      "kubernetes:cloud.google.com/v1:ComputeClass": 1,
      // one shared serverless environment per cloud: a Container Apps environment on Azure (in the
      // cluster's resource group), nothing on Cloud Run or SageMaker
      "modelplane:serverless:ServerlessEnvironment": 3,
      "azure-native:app:ManagedEnvironment": 1,
    });
    for (const cloud of ["aws", "gcp", "azure"]) {
      assert.ok(
        storeChildren.some((r) => r.name.startsWith(`modelplane-${cloud}-models-`)),
        `the ${cloud} store registers its resources`,
      );
    }
    // The autoscaler's priority ConfigMaps carry the clusters' cost labels.
    for (const cm of registered.filter((r) => r.type === "kubernetes:core/v1:ConfigMap")) {
      const labels = (cm.inputs["metadata"] as { labels?: Record<string, string> }).labels ?? {};
      assert.deepEqual(
        [labels["owner"], labels["cost-center"], labels["managed-by"]],
        ["platform-team", "ml-platform", "modelplane"],
        cm.name,
      );
    }
  });

  it("exports one entry per cluster, by name: cluster, secret kubeconfig, clusterRef, pools with selectors, store", async () => {
    const { res, out } = await run(parsePlatformConfig(shippedRaw()));
    assert.deepEqual(Object.keys(res.outputs.clusters).sort(), ["aws-us-east-1", "azure-westus3", "gcp-us-central1"]);
    assert.deepEqual(Object.keys(res.outputs.kubeconfigs).sort(), [
      "aws-us-east-1",
      "azure-westus3",
      "gcp-us-central1",
    ]);
    assert.deepEqual(Object.keys(out).sort(), ["aws", "azure", "gcp"]);
    const aws = out["aws"];
    assert.ok(aws);
    assert.equal(aws.region, "us-east-1");
    assert.equal(aws.clusterName, "modelplane-aws-eks-0a1b2c");
    assert.equal(aws.name, "aws-us-east-1");
    assert.equal(aws.clusterRef?.cloud, "aws");
    assert.equal(aws.clusterRef?.clusterName, aws.clusterName);
    assert.match(String(aws.clusterRef?.nodeRoleArn), /^arn:aws:iam::\d+:role\/modelplane-aws-node-role/);
    assert.deepEqual(
      aws.pools.map((p) => [p.name, p.gpuType, p.instanceType, p.capacity, p.maxNodes]),
      [
        ["l4", "L4", "g6.xlarge", "spot", 3],
        ["l4-fallback", "L4", "g6.xlarge", "on-demand", 1],
        ["a10g", "A10G", "g5.xlarge", "spot", 1],
      ],
    );
    assert.equal(aws.pools[0]?.fallback, "l4-fallback");
    assert.deepEqual(aws.pools[0]?.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    assert.equal(Object.keys(aws.pools[0]?.nodeSelector ?? {}).length, 1);
    assert.match(String(aws.store?.uri), /^s3:\/\//);
    assert.equal(aws.serverless?.product, "sagemaker-async");
    assert.match(String(out["gcp"]?.store?.uri), /^gs:\/\//);
    assert.equal(out["gcp"]?.clusterRef?.location, "us-central1-a");
    assert.match(String(out["azure"]?.store?.uri), /^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\//);
    assert.equal(out["azure"]?.clusterRef?.resourceGroupName, "modelplane-azure-rg0a1b2c");
    assert.ok(
      out["azure"]?.pools.every(
        (p) =>
          p.capacity === "on-demand" || p.tolerations.some((t) => t.key === "kubernetes.azure.com/scalesetpriority"),
      ),
    );

    const awsOut = res.outputs.clusters["aws-us-east-1"];
    assert.ok(awsOut);
    assert.equal(
      await pulumi.isSecret(pulumi.output(res.outputs.kubeconfigs["aws-us-east-1"])),
      true,
      "kubeconfig is a secret",
    );
    assert.equal(await pulumi.isSecret(pulumi.output(awsOut)), false, "the cluster entry stays readable");
    assert.equal(await pulumi.isSecret(pulumi.output(awsOut.clusterName)), false, "the rest stays readable");
    assert.equal(await pulumi.isSecret(pulumi.output(awsOut.clusterRef)), false);
  });

  it("exports what a per-model stack reads: the store's read grant and the shared serverless environment", async () => {
    const { out } = await run(parsePlatformConfig(shippedRaw()));
    // The per-model stack's reader (programs/deployment/platform-ref.ts) accepts every cloud's output.
    for (const cloud of ["aws", "gcp", "azure"]) {
      const parsed = PlatformClusterSchema.safeParse(out[cloud]);
      assert.ok(parsed.success, `${cloud}: ${parsed.success ? "" : parsed.error.message}`);
    }
    const env = registered.find((r) => r.type === "azure-native:app:ManagedEnvironment");
    assert.ok(env);
    const azure = out["azure"];
    assert.ok(azure);
    assert.equal(azure.store?.readerGrant, "modelplane-azure-models-reader-grant-id", "the ModelStore's access.grant");
    assert.equal(out["gcp"]?.store?.readerGrant, "modelplane-gcp-models-reader-grant-id");
    assert.deepEqual(azure.serverless, {
      product: "container-apps",
      skus: ["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"],
      environmentId: `${env.name}-id`,
      // the environment lives in the cluster's resource group, with one GPU profile per SKU
      resourceGroupName: azure.clusterRef?.resourceGroupName,
      workloadProfileNames: { "Consumption-GPU-NC8as-T4": "gpu-t4", "Consumption-GPU-NC24-A100": "gpu-a100" },
    });
    assert.equal(env.inputs["resourceGroupName"], azure.clusterRef?.resourceGroupName);
    const profiles = (env.inputs["workloadProfiles"] as Array<{ name: string; workloadProfileType: string }>).map(
      (p) => [p.name, p.workloadProfileType],
    );
    assert.deepEqual(profiles, [
      ["Consumption", "Consumption"],
      ["gpu-t4", "Consumption-GPU-NC8as-T4"],
      ["gpu-a100", "Consumption-GPU-NC24-A100"],
    ]);
    assert.deepEqual(
      { ...(env.inputs["tags"] as Record<string, string>) },
      { env: "dev", owner: "platform-team", "cost-center": "ml-platform", "managed-by": "modelplane" },
    );
    // Cloud Run and SageMaker need no shared environment: no id, no profiles.
    for (const cloud of ["aws", "gcp"]) {
      const sv = out[cloud]?.serverless;
      assert.ok(sv);
      assert.deepEqual([sv.environmentId, sv.workloadProfileNames], [undefined, undefined], cloud);
      assert.ok((sv.skus ?? []).length > 0, cloud);
    }
  });

  it("a broken config fails with the key named, before anything is registered", async () => {
    const raw = structuredClone(shippedRaw()) as { clouds: Array<{ gpuPools: Array<Record<string, unknown>> }> };
    const pool = raw.clouds[1]?.gpuPools[0];
    assert.ok(pool);
    pool["gpu"] = "A200";
    assert.throws(
      () => mod.platformProgram(parsePlatformConfig(raw)),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.field === "modelplane:clouds[1].gpuPools[0].gpu" &&
        err.message.includes("offered: T4, L4, A100, A100-80GB, H100"),
    );
    await settle(registered);
    assert.equal(registered.length, 0);
  });

  it("serverless: false creates no shared environment; the output still lists the product", async () => {
    const raw = structuredClone(shippedRaw()) as { clouds: Array<Record<string, unknown>> };
    const azure = raw.clouds[2];
    assert.ok(azure);
    azure["serverless"] = false;
    const { out, res } = await run(parsePlatformConfig(raw));
    assert.equal(registered.filter((r) => r.type === "azure-native:app:ManagedEnvironment").length, 0);
    assert.equal(res.environments.length, 2);
    assert.deepEqual(out["azure"]?.serverless, {
      product: "container-apps",
      skus: ["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"],
    });
  });

  it("a cloud without pools or store registers only its cluster", async () => {
    const config = parsePlatformConfig({
      clouds: [{ cloud: "gcp", region: "us-east4", store: false, serverless: false }],
      gateway: { enabled: false },
    });
    const { out } = await run(config);
    assert.deepEqual(countByType(registered), {
      "modelplane:compute:GpuCluster": 1,
      "gcp:container/cluster:Cluster": 1,
      "gcp:container/nodePool:NodePool": 1,
      "pulumi:providers:kubernetes": 1,
      // the cluster's platform add-ons (issue 12): KEDA, KEDA HTTP add-on, kube-prometheus-stack, prometheus-adapter
      "kubernetes:helm.sh/v3:Release": 4,
    });
    assert.deepEqual(out["gcp"]?.pools, []);
    assert.equal(out["gcp"]?.store, undefined);
  });

  it("two clusters of each cloud: unique child names, each within its cloud's name limit (providers/limits/names.ts)", async () => {
    const { checkName } = await import("../../providers/limits/names");
    // A short pool, no fallback: GKE GPU node pools are auto-named `<base>-<pool>[-fallback]-<7>` by
    // providers/gcp/pool.ts (not the hashed poolName), so a long pool name or a fallback can pass 40
    // characters on any GKE cluster; that is the pool provider's to fix, not the cluster base's.
    const pools = [{ name: "t4", gpu: "T4", maxNodes: 1 }];
    const config = parsePlatformConfig({
      name: "a-14-char-pref", // the longest prefix a second cluster of every cloud allows (azure: 14)
      clouds: [
        { cloud: "aws", region: "us-east-1", gpuPools: pools },
        { cloud: "aws", region: "eu-west-1", gpuPools: pools },
        { cloud: "gcp", region: "us-central1", gpuPools: pools },
        { cloud: "gcp", region: "europe-west1", gpuPools: pools },
        { cloud: "azure", region: "eastus", gpuPools: pools },
        { cloud: "azure", region: "westus2", gpuPools: pools },
      ],
    });
    const { res } = await run(config);
    assert.equal(Object.keys(res.outputs.clusters).length, 6);
    const urns = registered.map((r) => `${r.type}::${r.name}`);
    assert.equal(new Set(urns).size, urns.length, "no two resources share a type and name");
    // Pulumi auto-names a resource `<name>-<7 random chars>` unless the program sets the name.
    const AUTO = "-abcdefg";
    const kinds: Record<string, { kind: Parameters<typeof checkName>[0]; field?: string }> = {
      "gcp:container/cluster:Cluster": { kind: "gke-cluster", field: "name" },
      "gcp:container/nodePool:NodePool": { kind: "gke-node-pool", field: "name" },
      "aws:eks/cluster:Cluster": { kind: "eks-cluster", field: "name" },
      "aws:iam/role:Role": { kind: "aws-iam-role", field: "name" },
      "aws:eks/nodeGroup:NodeGroup": { kind: "eks-node-group", field: "nodeGroupName" },
      "azure-native:containerservice:ManagedCluster": { kind: "aks-cluster", field: "resourceName" },
      "azure-native:containerservice:AgentPool": { kind: "aks-linux-node-pool", field: "agentPoolName" },
      "azure-native:resources:ResourceGroup": { kind: "azure-resource-group", field: "resourceGroupName" },
    };
    let checked = 0;
    for (const r of registered) {
      const k = kinds[r.type];
      if (!k) continue;
      const given = k.field ? r.inputs[k.field] : undefined;
      const physical = typeof given === "string" ? given : `${r.name}${AUTO}`;
      const violation = checkName(k.kind, physical);
      assert.equal(violation, undefined, `${r.type} ${physical}: ${violation?.message ?? ""}`);
      checked++;
    }
    assert.ok(checked >= 20, `checked ${checked} names`);
  });
});
