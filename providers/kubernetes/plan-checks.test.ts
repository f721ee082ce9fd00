import * as assert from "node:assert/strict";
import { addonOfChart, kubernetesKindOf, kubernetesPlanChecks } from "./plan-checks";
import { nameChecksFor } from "../plan-checks";
import { awsPlanChecks } from "../aws/plan-checks";

describe("kubernetes plan checks", () => {
  it("maps Pulumi type tokens to apiVersion and kind; Helm, YAML and providers are not objects", () => {
    assert.deepEqual(kubernetesKindOf("kubernetes:apps/v1:Deployment"), { apiVersion: "apps/v1", kind: "Deployment" });
    assert.deepEqual(kubernetesKindOf("kubernetes:core/v1:Service"), { apiVersion: "v1", kind: "Service" });
    assert.deepEqual(kubernetesKindOf("kubernetes:keda.sh/v1alpha1:ScaledObject"), {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
    });
    for (const t of [
      "kubernetes:helm.sh/v3:Release",
      "kubernetes:helm.sh/v4:Chart",
      "kubernetes:yaml/v2:ConfigGroup",
      "kubernetes:kustomize/v2:Directory",
      "pulumi:providers:kubernetes",
      "aws:eks/cluster:Cluster",
    ]) {
      assert.equal(kubernetesKindOf(t), undefined, t);
    }
  });

  it("a Helm release installs the pinned add-on of its chart (by name or OCI reference)", () => {
    const release = (chart: string) => ({ type: "kubernetes:helm.sh/v3:Release", name: "r", inputs: { chart } });
    assert.deepEqual(kubernetesPlanChecks.installedAddons?.(release("keda")), ["keda"]);
    assert.deepEqual(kubernetesPlanChecks.installedAddons?.(release("kube-prometheus-stack")), [
      "kube-prometheus-stack",
    ]);
    assert.deepEqual(kubernetesPlanChecks.installedAddons?.(release("cluster-autoscaler")), []);
    assert.equal(addonOfChart("oci://docker.io/envoyproxy/gateway-helm"), "envoy-gateway");
    assert.equal(addonOfChart("keda-add-ons-http"), "keda-http-add-on");
  });

  it("every Kubernetes object gets the object-name and label checks; Namespaces and Services their stricter ones", () => {
    const kinds = (type: string) => nameChecksFor(type).map((c) => `${c.field}:${c.kind}`);
    assert.ok(kinds("kubernetes:apps/v1:Deployment").includes("metadata.name:k8s-object-name"));
    assert.ok(kinds("kubernetes:core/v1:Service").includes("metadata.name:k8s-service"));
    assert.ok(kinds("kubernetes:core/v1:Namespace").includes("metadata.name:k8s-namespace"));
    assert.ok(!kinds("kubernetes:helm.sh/v3:Release").includes("metadata.name:k8s-object-name"));
    assert.deepEqual(kinds("gcp:container/nodePool:NodePool"), ["name:gke-node-pool"]);
  });

  it("an EKS node group's disk is its launch template's root volume", () => {
    const template = {
      type: "aws:ec2/launchTemplate:LaunchTemplate",
      name: "lt",
      id: "lt-1",
      inputs: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 200 } }] },
    };
    const group = {
      type: "aws:eks/nodeGroup:NodeGroup",
      name: "ng",
      inputs: { launchTemplate: { id: "lt-1", version: "1" } },
    };
    assert.equal(awsPlanChecks.nodeDiskGiB?.(group, [template])?.gib, 200);
    assert.equal(awsPlanChecks.nodeDiskGiB?.(group, []), undefined);
    assert.equal(awsPlanChecks.nodeDiskGiB?.({ ...group, inputs: { diskSize: 80 } }, [])?.gib, 80);
  });
});
