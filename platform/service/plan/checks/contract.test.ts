import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../../core/pricing/catalog";
import { checkContract } from "./contract";
import { addonsByCloud } from "./stack";
import { recorded } from "./testing";
import type { RecordedResource } from "../record";

const catalog = defaultCatalog();

/** An EKS cluster, a Kubernetes provider derived from it, and objects on that provider. */
function awsCluster(prefix: string) {
  const cluster = recorded("aws:eks/cluster:Cluster", `${prefix}-eks`, { name: `${prefix}-eks`, roleArn: "arn" });
  const provider = recorded(
    "pulumi:providers:kubernetes",
    `${prefix}-k8s`,
    { kubeconfig: "[secret]" },
    { dependsOn: [cluster.urn] },
  );
  const on = (r: RecordedResource): RecordedResource => ({ ...r, provider: `${provider.urn}::${provider.id}` });
  return { cluster, provider, on };
}

const scaledObject = (name: string) =>
  recorded("kubernetes:keda.sh/v1alpha1:ScaledObject", name, {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name },
    spec: { scaleTargetRef: { name: "d" }, triggers: [] },
  });
const release = (chart: string) => recorded("kubernetes:helm.sh/v3:Release", `rel-${chart}`, { chart, name: chart });

describe("plan checks: add-on contract", () => {
  it("a ScaledObject on a cluster without KEDA is an error naming the kind and the add-on that installs it", () => {
    const a = awsCluster("a");
    const resources = [a.cluster, a.provider, a.on(release("nvidia-device-plugin")), a.on(scaledObject("so"))];
    const findings = checkContract({ resources, catalog });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.level, "error");
    assert.match(
      findings[0]?.message ?? "",
      /uses keda\.sh\/v1alpha1 ScaledObject, which cluster a-eks does not have: add-on keda \(chart keda 2\.21\.1/,
    );
    assert.match(findings[0]?.message ?? "", /installed add-ons: nvidia-device-plugin/);
  });

  it("passes once the KEDA chart is released on the same cluster, and not when it is on another", () => {
    const a = awsCluster("a");
    const b = awsCluster("b");
    const ok = [a.cluster, a.provider, a.on(release("keda")), a.on(scaledObject("so"))];
    assert.deepEqual(checkContract({ resources: ok, catalog }), []);
    const elsewhere = [a.cluster, a.provider, b.cluster, b.provider, b.on(release("keda")), a.on(scaledObject("so"))];
    assert.equal(checkContract({ resources: elsewhere, catalog }).filter((f) => f.level === "error").length, 1);
  });

  it("AKS's managed KEDA add-on installs ScaledObject on its cluster", () => {
    const aks = recorded("azure-native:containerservice:ManagedCluster", "aks", {
      resourceGroupName: "rg",
      sku: { name: "Base", tier: "Free" },
      workloadAutoScalerProfile: { keda: { enabled: true } },
    });
    const provider = recorded("pulumi:providers:kubernetes", "k8s", {}, { dependsOn: [aks.urn] });
    const so = { ...scaledObject("so"), provider: `${provider.urn}::${provider.id}` };
    assert.deepEqual(checkContract({ resources: [aks, provider, so], catalog }), []);
    assert.deepEqual(addonsByCloud([aks, provider, so]), { azure: ["keda"] });
  });

  it("a deployment is checked against the target cluster's add-ons; unknown add-ons are a warning", () => {
    const so = scaledObject("so");
    const missing = checkContract({
      resources: [so],
      catalog,
      target: { cloud: "gcp", addons: ["kube-prometheus-stack"], from: "Pulumi.dev.yaml" },
    });
    assert.equal(missing[0]?.level, "error");
    assert.match(missing[0]?.message ?? "", /the gcp platform cluster does not have: add-on keda/);
    assert.deepEqual(checkContract({ resources: [so], catalog, target: { cloud: "gcp", addons: ["keda"] } }), []);
    const unknown = checkContract({ resources: [so], catalog, target: { cloud: "gcp" } });
    assert.equal(unknown[0]?.level, "warning");
    assert.match(unknown[0]?.message ?? "", /add-ons of the gcp platform cluster are unknown/);
  });

  it("a custom kind no pinned add-on installs is an error unless the stack defines its CRD; built-in kinds need nothing", () => {
    const widget = recorded("kubernetes:example.com/v1:Widget", "w", { metadata: { name: "w" } });
    const target = { cloud: "aws" as const, addons: [] };
    assert.match(checkContract({ resources: [widget], catalog, target })[0]?.message ?? "", /no pinned add-on/);
    const crd = recorded("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "crd", {
      spec: { group: "example.com", names: { kind: "Widget" }, versions: [{ name: "v1" }] },
    });
    assert.deepEqual(checkContract({ resources: [crd, widget], catalog, target }), []);
    const deployment = recorded("kubernetes:apps/v1:Deployment", "d", { metadata: { name: "d" } });
    assert.deepEqual(checkContract({ resources: [deployment], catalog, target }), []);
  });
});
