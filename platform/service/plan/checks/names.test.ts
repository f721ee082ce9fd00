import * as assert from "node:assert/strict";
import { AUTO_NAME_SUFFIX, checkNames } from "./names";
import { checkServerlessRegions } from "./serverless";
import { recorded } from "./testing";

describe("plan checks: cloud name limits", () => {
  it("a GKE node pool left to auto-naming is checked as <logical>-<suffix> against GKE's 40 characters, with the source", () => {
    const long = "modelplane-gcp-llama-3-1-70b-pool-spot"; // 38 + 9 > 40
    const [f] = checkNames(recorded("gcp:container/nodePool:NodePool", long, { cluster: "c" }));
    assert.equal(f?.level, "error");
    assert.equal(f?.field, "name (auto-named)");
    assert.match(f?.message ?? "", new RegExp(`"${long}${AUTO_NAME_SUFFIX}" is 47 characters; GKE allows at most 40`));
    assert.match(f?.source ?? "", /github\.com\/GoogleCloudPlatform\/magic-modules/);
    assert.deepEqual(checkNames(recorded("gcp:container/nodePool:NodePool", "short-pool", { cluster: "c" })), []);
    assert.deepEqual(checkNames(recorded("gcp:container/nodePool:NodePool", long, { name: "gpu-l4" })), []);
  });

  it("AKS Linux agent pools: at most 12 lowercase letters and digits; Windows pools are not held to the Linux rule", () => {
    const [f] = checkNames(
      recorded("azure-native:containerservice:AgentPool", "p", { agentPoolName: "gpu-pool-a100", osType: "Linux" }),
    );
    assert.match(f?.message ?? "", /aks-linux-node-pool name "gpu-pool-a100" is 13 characters; AKS allows at most 12/);
    assert.deepEqual(
      checkNames(
        recorded("azure-native:containerservice:AgentPool", "p", { agentPoolName: "gpua100", osType: "Linux" }),
      ),
      [],
    );
    assert.deepEqual(
      checkNames(
        recorded("azure-native:containerservice:AgentPool", "p", { agentPoolName: "gpu-pool-a100", osType: "Windows" }),
      ),
      [],
    );
    const inline = checkNames(
      recorded("azure-native:containerservice:ManagedCluster", "aks", {
        resourceName: "aks",
        agentPoolProfiles: [{ name: "System_Pool" }],
      }),
    );
    assert.equal(inline[0]?.field, "agentPoolProfiles[0].name");
  });

  it("storage accounts 3–24 lowercase alphanumerics, IAM roles ≤ 64, federated credentials, service accounts", () => {
    assert.match(
      checkNames(recorded("azure-native:storage:StorageAccount", "s", { accountName: "Models-Store" }))[0]?.message ??
        "",
      /lowercase letters and digits only/,
    );
    assert.match(
      checkNames(recorded("aws:iam/role:Role", "r", { name: "r".repeat(65) }))[0]?.message ?? "",
      /is 65 characters; AWS IAM allows at most 64/,
    );
    assert.match(
      checkNames(recorded("aws:iam/role:Role", "x".repeat(60), {}))[0]?.message ?? "",
      /AWS IAM allows at most 64/,
    );
    assert.equal(
      checkNames(
        recorded("azure-native:managedidentity:FederatedIdentityCredential", "f", {
          federatedIdentityCredentialResourceName: "-bad",
        }),
      )[0]?.field,
      "federatedIdentityCredentialResourceName",
    );
    assert.match(
      checkNames(recorded("gcp:serviceaccount/account:Account", "sa", { accountId: "abc" }))[0]?.message ?? "",
      /at least 6/,
    );
  });

  it("Kubernetes names and label values follow DNS-1123 and the label rules", () => {
    const d = recorded("kubernetes:apps/v1:Deployment", "d", {
      metadata: { name: "Llama_Server", labels: { model: "llama-3.1-8b", bad: "ends-with-" } },
    });
    const fields = checkNames(d)
      .map((f) => f.field)
      .sort();
    assert.deepEqual(fields, ["metadata.labels.bad", "metadata.name"]);
    const svc = recorded("kubernetes:core/v1:Service", "s", { metadata: { name: "1abc" } });
    assert.match(checkNames(svc)[0]?.message ?? "", /k8s-service name "1abc"/);
  });

  it("a name left to azure-native's auto-naming is a warning: not checked, never passed silently", () => {
    const [f] = checkNames(recorded("azure-native:storage:StorageAccount", "models", {}));
    assert.equal(f?.level, "warning");
    assert.match(f?.message ?? "", /accountName is not set/);
  });
});

describe("plan checks: serverless-GPU regions", () => {
  const env = (location: string, type: string) =>
    recorded("azure-native:app:ManagedEnvironment", "env", {
      location,
      workloadProfiles: [
        { name: "Consumption", workloadProfileType: "Consumption" },
        { name: "gpu", workloadProfileType: type },
      ],
    });

  it("an Azure Consumption-GPU profile in a region Microsoft does not list is an error with the source", () => {
    const [f] = checkServerlessRegions(env("eastus", "Consumption-GPU-NC8as-T4"));
    assert.equal(f?.level, "error");
    assert.equal(f?.field, "workloadProfiles[1].workloadProfileType");
    assert.match(
      f?.message ?? "",
      /in eastus, which the provider does not list for it \(listed: australiaeast, swedencentral, westeurope, westus3; eastus is only reported by third parties\)/,
    );
    assert.match(f?.source ?? "", /learn\.microsoft\.com\/en-us\/azure\/container-apps\/gpu-serverless-overview/);
    assert.deepEqual(checkServerlessRegions(env("westus3", "Consumption-GPU-NC8as-T4")), []);
    assert.deepEqual(checkServerlessRegions(env("eastus", "D4")), []);
  });

  it("a Cloud Run GPU service is checked in its location", () => {
    const run = (location: string) =>
      recorded("gcp:cloudrunv2/service:Service", "run", {
        location,
        template: { nodeSelector: { accelerator: "nvidia-l4" } },
      });
    assert.deepEqual(checkServerlessRegions(run("us-central1")), []);
    assert.match(
      checkServerlessRegions(run("europe-north1"))[0]?.message ?? "",
      /Cloud Run services, one GPU per instance GPU nvidia-l4 in europe-north1/,
    );
  });
});
