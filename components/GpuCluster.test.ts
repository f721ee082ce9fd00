import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { GpuClusterArgs } from "./GpuCluster";
import {
  AKS_KUBECONFIG,
  arr,
  installMocks,
  lastSubnetFilters,
  named,
  obj,
  ofType,
  settle,
  valueOf,
  type Registered,
} from "./testing/pulumiMocks";

const TAGGABLE: Record<string, string> = {
  "aws:iam/role:Role": "tags",
  "aws:ec2/launchTemplate:LaunchTemplate": "tags",
  "aws:eks/addon:Addon": "tags",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": "tags",
  "aws:eks/cluster:Cluster": "tags",
  "aws:eks/nodeGroup:NodeGroup": "tags",
  "azure-native:resources:ResourceGroup": "tags",
  "azure-native:containerservice:ManagedCluster": "tags",
  "azure-native:network:VirtualNetwork": "tags",
  "gcp:container/cluster:Cluster": "resourceLabels",
};

/** The platform add-ons every cluster gets (chart, version, namespace), pinned in providers/limits/addons.ts. */
const COMMON_ADDONS: Array<[string, string, string, string]> = [
  ["keda", "keda", "2.21.1", "keda"],
  ["keda-http-add-on", "keda-add-ons-http", "0.16.0", "keda"],
  ["kube-prometheus-stack", "kube-prometheus-stack", "89.1.0", "monitoring"],
  ["prometheus-adapter", "prometheus-adapter", "5.3.0", "monitoring"],
];
const DEVICE_PLUGIN: [string, string, string, string] = [
  "nvidia-device-plugin",
  "nvidia-device-plugin",
  "0.20.0",
  "nvidia-device-plugin",
];

/** `[addon, chart, version, namespace]` of every add-on Release named `${prefix}-<addon>`, sorted. */
function addonReleases(registered: Registered[], prefix: string): Array<[string, string, string, string]> {
  const known = [...COMMON_ADDONS, DEVICE_PLUGIN, ["gpu-operator"]].map((a) => `${prefix}-${a[0]}`);
  return ofType(registered, "kubernetes:helm.sh/v3:Release")
    .filter((r) => known.includes(r.name))
    .map((r): [string, string, string, string] => [
      r.name.slice(prefix.length + 1),
      String(r.inputs["chart"]),
      String(r.inputs["version"]),
      String(r.inputs["namespace"]),
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));
}
const sortAddons = (rows: Array<[string, string, string, string]>) =>
  [...rows].sort((a, b) => a[0].localeCompare(b[0]));

describe("GpuCluster (mocks)", () => {
  let registered: Registered[];
  let mod: typeof import("./GpuCluster");

  before(async () => {
    registered = await installMocks();
    mod = await import("./GpuCluster");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function build(
    name: string,
    args: GpuClusterArgs,
  ): Promise<{ cluster: InstanceType<typeof mod.GpuCluster>; kubeconfig: string }> {
    const cluster = new mod.GpuCluster(name, args);
    const kubeconfig = await valueOf(cluster.kubeconfig);
    await valueOf(cluster.provider.urn);
    await settle(registered);
    return { cluster, kubeconfig };
  }

  function assertChildrenNamedAndTagged(name: string, expectTags: Record<string, string>): void {
    for (const r of registered) {
      if (r.type.startsWith("modelplane:")) continue;
      assert.ok(r.name.startsWith(`${name}-`), `${r.type} ${r.name} should be named ${name}-<role>`);
      const field = TAGGABLE[r.type];
      if (field) {
        const tags = obj(r.inputs[field]);
        for (const [k, v] of Object.entries(expectTags)) assert.equal(tags[k], v, `${r.type} ${r.name} ${field}.${k}`);
      }
    }
  }

  it("aws: EKS with its roles, the three worker policies, API access, an on-demand system group and the device plugin", async () => {
    const { cluster, kubeconfig } = await build("plat-aws", {
      cloud: "aws",
      region: "us-east-1",
      owner: "platform",
      costCenter: "cc-7",
      kubernetesVersion: "1.33",
    });
    const types = registered.map((r) => r.type).sort();
    assert.deepEqual(types, [
      "aws:ec2/launchTemplate:LaunchTemplate",
      "aws:eks/addon:Addon",
      "aws:eks/cluster:Cluster",
      "aws:eks/nodeGroup:NodeGroup",
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "aws:iam/role:Role",
      "aws:iam/role:Role",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "kubernetes:core/v1:ConfigMap",
      // cluster autoscaler + device plugin + KEDA, KEDA HTTP add-on, kube-prometheus-stack, prometheus-adapter
      ...Array<string>(6).fill("kubernetes:helm.sh/v3:Release"),
      "modelplane:compute:GpuCluster",
      "pulumi:providers:kubernetes",
    ]);
    const nodeRole = named(registered, "plat-aws-node-role");
    assert.equal(
      JSON.parse(String(nodeRole.inputs["assumeRolePolicy"])).Statement[0].Principal.Service,
      "ec2.amazonaws.com",
    );
    const nodePolicies = ofType(registered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((r) => r.name.startsWith("plat-aws-node-"))
      .map((r) => r.inputs["policyArn"])
      .sort();
    assert.deepEqual(nodePolicies, [
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
    assert.equal(
      named(registered, "plat-aws-cluster-policy").inputs["policyArn"],
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    );

    const eks = named(registered, "plat-aws-eks").inputs;
    assert.deepEqual(eks["accessConfig"], { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
    assert.equal(eks["version"], "1.33");
    assert.equal(eks["region"], "us-east-1");
    assert.equal(eks["roleArn"], "arn:aws:iam::123456789012:role/plat-aws-cluster-role-0a1b2c");
    assert.deepEqual(
      obj(eks["vpcConfig"])["subnetIds"],
      ["subnet-a", "subnet-b", "subnet-c"],
      "default VPC subnets when none given",
    );
    assert.deepEqual(
      lastSubnetFilters.map(obj).map((f) => f["name"]),
      ["vpc-id", "default-for-az", "availability-zone"],
    );
    assert.deepEqual(
      obj(lastSubnetFilters[2])["values"],
      ["us-east-1a", "us-east-1b", "us-east-1c"],
      "only zones EKS supports",
    );

    const system = named(registered, "plat-aws-system").inputs;
    assert.equal(system["capacityType"], "ON_DEMAND");
    assert.equal(system["amiType"], "AL2023_x86_64_STANDARD");
    assert.deepEqual(system["instanceTypes"], ["t3.large"]);
    assert.deepEqual(system["scalingConfig"], { minSize: 1, desiredSize: 1, maxSize: 2 });
    assert.equal(system["nodeRoleArn"], "arn:aws:iam::123456789012:role/plat-aws-node-role-0a1b2c");

    const lt = named(registered, "plat-aws-system-lt").inputs;
    assert.deepEqual(
      lt["tagSpecifications"],
      [
        { resourceType: "instance", tags: { "cost-center": "cc-7", "managed-by": "modelplane", owner: "platform" } },
        { resourceType: "volume", tags: { "cost-center": "cc-7", "managed-by": "modelplane", owner: "platform" } },
      ],
      "EKS does not copy node-group tags to instances: the launch template does",
    );
    assert.deepEqual(lt["metadataOptions"], {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 2,
    });

    // Scale from zero on EKS: cluster autoscaler with Pod Identity and the priority expander.
    assert.equal(named(registered, "plat-aws-pod-identity-agent").inputs["addonName"], "eks-pod-identity-agent");
    const caRole = named(registered, "plat-aws-autoscaler-role").inputs;
    assert.equal(
      JSON.parse(String(caRole["assumeRolePolicy"])).Statement[0].Principal.Service,
      "pods.eks.amazonaws.com",
    );
    const caPolicy = JSON.parse(String(named(registered, "plat-aws-autoscaler-policy").inputs["policy"])) as {
      Statement: Array<{ Action: string[]; Condition?: unknown }>;
    };
    assert.ok(caPolicy.Statement[0]?.Action.includes("eks:DescribeNodegroup"));
    assert.deepEqual(caPolicy.Statement[1]?.Condition, {
      StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/plat-aws-eks-0a1b2c": "owned" },
    });
    const assoc = named(registered, "plat-aws-autoscaler-identity").inputs;
    assert.deepEqual(
      [assoc["namespace"], assoc["serviceAccount"], assoc["clusterName"]],
      ["kube-system", "cluster-autoscaler", "plat-aws-eks-0a1b2c"],
    );
    const ca = named(registered, "plat-aws-cluster-autoscaler").inputs;
    assert.equal(ca["chart"], "cluster-autoscaler");
    assert.equal(ca["version"], "9.51.0");
    assert.deepEqual(obj(obj(ca["values"])["autoDiscovery"]), { clusterName: "plat-aws-eks-0a1b2c" });
    assert.equal(obj(obj(ca["values"])["extraArgs"])["expander"], "priority,least-waste");
    // #11: a spot group without capacity is given up on, so the expander can try the fallback.
    assert.equal(obj(obj(ca["values"])["extraArgs"])["max-node-provision-time"], "10m");
    const prio = named(registered, "plat-aws-autoscaler-priorities").inputs;
    assert.equal(obj(prio["metadata"])["name"], "cluster-autoscaler-priority-expander");
    assert.equal(obj(prio["data"])["priorities"], '50:\n  - ".*-spot-[0-9a-f]{6}-.*"\n10:\n  - ".*"');

    assert.deepEqual(addonReleases(registered, "plat-aws"), sortAddons([...COMMON_ADDONS, DEVICE_PLUGIN]));
    const plugin = named(registered, "plat-aws-nvidia-device-plugin");
    assert.deepEqual(plugin.inputs["repositoryOpts"], { repo: "https://nvidia.github.io/k8s-device-plugin" });
    assert.equal(plugin.inputs["skipAwait"], true, "no GPU node exists yet: the DaemonSet has no pods to wait for");
    assert.ok(arr(obj(plugin.inputs["values"])["tolerations"]).some((t) => obj(t)["key"] === "nvidia.com/gpu"));
    const terms = JSON.stringify(obj(plugin.inputs["values"])["affinity"]);
    assert.match(terms, /"key":"modelplane.dev\/nvidia-device-plugin","operator":"NotIn","values":\["builtin"\]/);
    // The controllers run on the system pool.
    assert.deepEqual(obj(named(registered, "plat-aws-keda").inputs["values"])["nodeSelector"], {
      "modelplane.dev/role": "system",
    });
    assert.deepEqual(cluster.addons.slice().sort(), [...COMMON_ADDONS, DEVICE_PLUGIN].map((a) => a[0]).sort());

    assertChildrenNamedAndTagged("plat-aws", { "managed-by": "modelplane", owner: "platform", "cost-center": "cc-7" });

    assert.equal(await pulumi.isSecret(cluster.kubeconfig), true, "kubeconfig must be a secret");
    const kc = JSON.parse(kubeconfig) as {
      clusters: Array<{ cluster: { server: string } }>;
      users: Array<{ user: { exec: { command: string; args: string[] } } }>;
    };
    assert.equal(kc.clusters[0]?.cluster.server, "https://plat-aws-eks.gr7.us-east-1.eks.amazonaws.com");
    assert.equal(kc.users[0]?.user.exec.command, "aws");
    assert.deepEqual(kc.users[0]?.user.exec.args.slice(0, 4), [
      "eks",
      "get-token",
      "--cluster-name",
      "plat-aws-eks-0a1b2c",
    ]);
    assert.equal(await valueOf(cluster.clusterName), "plat-aws-eks-0a1b2c");
    assert.equal(await valueOf(cluster.endpoint), "https://plat-aws-eks.gr7.us-east-1.eks.amazonaws.com");
    assert.match(
      await valueOf(cluster.provider.urn),
      /modelplane:compute:GpuCluster\$pulumi:providers:kubernetes::plat-aws-k8s$/,
    );
    assert.equal(cluster.ref.cloud, "aws");
    assert.equal(
      await valueOf(pulumi.output(cluster.ref.nodeRoleArn)),
      "arn:aws:iam::123456789012:role/plat-aws-node-role-0a1b2c",
    );
  });

  it("aws: explicit subnets are used and the device plugin can be turned off (Bottlerocket)", async () => {
    await build("br", {
      cloud: "aws",
      region: "us-west-2",
      subnetIds: ["subnet-1", "subnet-2"],
      nvidiaDevicePlugin: false,
      systemNodeCount: 2,
    });
    assert.deepEqual(obj(named(registered, "br-eks").inputs["vpcConfig"])["subnetIds"], ["subnet-1", "subnet-2"]);
    assert.deepEqual(named(registered, "br-system").inputs["subnetIds"], ["subnet-1", "subnet-2"]);
    assert.deepEqual(named(registered, "br-system").inputs["scalingConfig"], {
      minSize: 2,
      desiredSize: 2,
      maxSize: 3,
    });
    assert.deepEqual(
      ofType(registered, "kubernetes:helm.sh/v3:Release")
        .map((r) => r.name)
        .filter((n) => !COMMON_ADDONS.some((a) => n === `br-${a[0]}`)),
      ["br-cluster-autoscaler"],
    );
    assert.deepEqual(addonReleases(registered, "br"), sortAddons(COMMON_ADDONS), "KEDA and Prometheus still installed");
  });

  it("aws: configured principals get cluster-admin through access entries; the kubeconfig assumes a role / profile (#15)", async () => {
    const worker = "arn:aws:iam::123456789012:role/modelplane-worker";
    const { kubeconfig } = await build("acc", {
      cloud: "aws",
      region: "us-east-1",
      adminPrincipalArns: [worker],
      kubeconfigRoleArn: worker,
      kubeconfigProfile: "platform",
    });
    const entry = named(registered, "acc-access-0").inputs;
    assert.deepEqual(
      [entry["principalArn"], entry["type"], entry["clusterName"]],
      [worker, "STANDARD", "acc-eks-0a1b2c"],
    );
    const policy = named(registered, "acc-access-0-admin").inputs;
    assert.equal(policy["policyArn"], "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    assert.deepEqual(policy["accessScope"], { type: "cluster" });
    const exec = (JSON.parse(kubeconfig) as { users: Array<{ user: { exec: { args: string[]; env: unknown[] } } }> })
      .users[0]?.user.exec;
    assert.equal(exec?.args[exec.args.indexOf("--role-arn") + 1], worker);
    assert.deepEqual(exec?.env, [{ name: "AWS_PROFILE", value: "platform" }]);
    // Options of another cloud are refused by name.
    assert.throws(
      () => new mod.GpuCluster("bad-acc", { cloud: "gcp", region: "us-central1", adminPrincipalArns: [worker] }),
      /adminPrincipalArns: does not apply to gcp/,
    );
  });

  it("gcp: GKE without the default pool, workload identity, release channel, deletion protection from args, system pool", async () => {
    const { cluster, kubeconfig } = await build("plat-gcp", {
      cloud: "gcp",
      region: "us-central1",
      deletionProtection: false,
      owner: "Platform Team",
      tags: { Env: "Dev" },
    });
    const types = registered.map((r) => r.type).sort();
    assert.deepEqual(types, [
      "gcp:container/cluster:Cluster",
      "gcp:container/nodePool:NodePool",
      // KEDA, KEDA HTTP add-on, kube-prometheus-stack, prometheus-adapter; no device plugin (GKE runs it)
      ...Array<string>(4).fill("kubernetes:helm.sh/v3:Release"),
      "modelplane:compute:GpuCluster",
      "pulumi:providers:kubernetes",
    ]);
    assert.deepEqual(addonReleases(registered, "plat-gcp"), sortAddons(COMMON_ADDONS));
    const gke = named(registered, "plat-gcp-gke").inputs;
    assert.equal(gke["removeDefaultNodePool"], true);
    assert.equal(gke["deletionProtection"], false);
    assert.deepEqual(gke["releaseChannel"], { channel: "REGULAR" });
    assert.deepEqual(gke["workloadIdentityConfig"], { workloadPool: "mock-project.svc.id.goog" });
    assert.equal(gke["location"], "us-central1");
    assert.deepEqual(gke["resourceLabels"], { env: "dev", "managed-by": "modelplane", owner: "platform_team" });

    const system = named(registered, "plat-gcp-system").inputs;
    assert.equal(system["nodeCount"], 1);
    assert.equal(obj(system["nodeConfig"])["machineType"], "e2-standard-4");
    assert.equal(obj(system["nodeConfig"])["spot"], false);
    assert.deepEqual(obj(system["nodeConfig"])["workloadMetadataConfig"], { mode: "GKE_METADATA" });
    assert.deepEqual(obj(obj(system["nodeConfig"])["resourceLabels"]), {
      env: "dev",
      "managed-by": "modelplane",
      owner: "platform_team",
    });

    assertChildrenNamedAndTagged("plat-gcp", { "managed-by": "modelplane" });
    assert.equal(await pulumi.isSecret(cluster.kubeconfig), true);
    assert.equal(JSON.parse(kubeconfig).users[0].user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(JSON.parse(kubeconfig).clusters[0].cluster.server, "https://34.1.2.3", "GKE endpoints are bare IPs");
    assert.equal(JSON.parse(kubeconfig).clusters[0].cluster["certificate-authority-data"], "Q0EtREFUQQ==");
    assert.equal(await valueOf(cluster.endpoint), "34.1.2.3");
  });

  it("gcp: a zonal cluster in a given project, deletion protection on by default", async () => {
    const { cluster } = await build("z", {
      cloud: "gcp",
      region: "us-central1",
      zone: "us-central1-a",
      project: "my-proj",
    });
    const gke = named(registered, "z-gke").inputs;
    assert.equal(gke["location"], "us-central1-a");
    assert.equal(gke["project"], "my-proj");
    assert.equal(gke["deletionProtection"], true);
    assert.deepEqual(gke["workloadIdentityConfig"], { workloadPool: "my-proj.svc.id.goog" });
    assert.equal(await valueOf(pulumi.output(cluster.ref.location)), "us-central1-a");
  });

  it("azure: resource group + AKS with a System pool, managed identity, OIDC issuer, pinned KEDA (not the managed add-on), device plugin", async () => {
    const { cluster, kubeconfig } = await build("plat-az", { cloud: "azure", region: "eastus", owner: "platform" });
    const types = registered.map((r) => r.type).sort();
    assert.deepEqual(types, [
      // the Network Contributor grant of the cluster identity on its node subnet
      "azure-native:authorization:RoleAssignment",
      "azure-native:containerservice:ManagedCluster",
      "azure-native:network:Subnet",
      "azure-native:network:VirtualNetwork",
      "azure-native:resources:ResourceGroup",
      "kubernetes:core/v1:ConfigMap",
      // device plugin + KEDA, KEDA HTTP add-on, kube-prometheus-stack, prometheus-adapter
      ...Array<string>(5).fill("kubernetes:helm.sh/v3:Release"),
      "modelplane:compute:GpuCluster",
      "pulumi:providers:kubernetes",
    ]);
    assert.deepEqual(addonReleases(registered, "plat-az"), sortAddons([...COMMON_ADDONS, DEVICE_PLUGIN]));
    const aks = named(registered, "plat-az-aks").inputs;
    assert.equal(aks["resourceGroupName"], "plat-az-rg0a1b2c");
    assert.equal(aks["location"], "eastus");
    assert.deepEqual(aks["identity"], { type: "SystemAssigned" });
    assert.deepEqual(aks["oidcIssuerProfile"], { enabled: true });
    // The managed add-on's KEDA cannot be pinned and would be a second external-metrics server.
    assert.deepEqual(aks["workloadAutoScalerProfile"], { keda: { enabled: false } });
    assert.deepEqual(obj(aks["securityProfile"])["workloadIdentity"], { enabled: true });
    assert.deepEqual(aks["autoScalerProfile"], { expander: "priority", maxNodeProvisionTime: "10m" });
    assert.match(
      String(obj(named(registered, "plat-az-autoscaler-priorities").inputs["data"])["priorities"]),
      /^50:\n {2}- "\^aks-sp\.\*"/,
    );
    const pools = arr(aks["agentPoolProfiles"]).map(obj);
    assert.equal(pools.length, 1);
    assert.equal(pools[0]?.["mode"], "System");
    assert.equal(pools[0]?.["vmSize"], "Standard_D4s_v5");
    assert.equal(pools[0]?.["count"], 1);
    // Its own network, so the control plane's database can sit beside the nodes (ControlPlane.azure.test.ts).
    const vnet = named(registered, "plat-az-vnet").inputs;
    const nodes = named(registered, "plat-az-nodes");
    assert.deepEqual(vnet["addressSpace"], { addressPrefixes: ["10.224.0.0/12"] });
    assert.equal(nodes.inputs["addressPrefix"], "10.224.0.0/16");
    assert.equal(pools[0]?.["vnetSubnetID"], "plat-az-nodes-id", "the system pool is in the node subnet");
    assert.deepEqual(aks["networkProfile"], {
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.0.0.0/16",
      dnsServiceIP: "10.0.0.10",
      outboundType: "loadBalancer", // the SDK's default, filled in
    });
    const grant = named(registered, "plat-az-nodes-network").inputs;
    assert.equal(grant["scope"], "plat-az-nodes-id");
    assert.match(String(grant["roleDefinitionId"]), /\/roleDefinitions\/4d97b98b-1d4f-4787-a291-c67834d212e7$/);
    assert.deepEqual(await valueOf(pulumi.output(cluster.ref.subnetIds)), ["plat-az-nodes-id"]);
    assertChildrenNamedAndTagged("plat-az", { "managed-by": "modelplane", owner: "platform" });
    assert.equal(await pulumi.isSecret(cluster.kubeconfig), true);
    assert.equal(kubeconfig, AKS_KUBECONFIG, "the AKS user kubeconfig, base64-decoded");
    assert.equal(await valueOf(cluster.endpoint), "https://plat-az-aks-dns.hcp.eastus.azmk8s.io");
    assert.equal(await valueOf(pulumi.output(cluster.ref.resourceGroupName)), "plat-az-rg0a1b2c");
  });

  it("azure: an existing resource group is used, none created", async () => {
    await build("rg", { cloud: "azure", region: "westeurope", resourceGroupName: "shared-rg" });
    assert.equal(ofType(registered, "azure-native:resources:ResourceGroup").length, 0);
    assert.equal(named(registered, "rg-aks").inputs["resourceGroupName"], "shared-rg");
  });

  it("bad args throw naming the argument, before any child is registered", async () => {
    assert.throws(
      () => new mod.GpuCluster("bad1", { cloud: "oracle" as "aws", region: "us-east-1" }),
      /^ValidationError: cloud: "oracle" is not a supported cloud/,
    );
    assert.throws(
      () => new mod.GpuCluster("bad2", { cloud: "aws", region: "us-east-1", zone: "us-east-1a" }),
      /zone: does not apply to aws/,
    );
    assert.throws(
      () => new mod.GpuCluster("bad3", { cloud: "gcp", region: "us-central1", systemNodeCount: 0 }),
      /systemNodeCount/,
    );
    await settle(registered);
    assert.deepEqual(
      registered.filter((r) => !r.type.startsWith("modelplane:")),
      [],
    );
  });
});
