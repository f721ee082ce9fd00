/**
 * The worker's kubeconfig: each cloud-CLI exec the platform writes becomes `<command> kube-token`,
 * everything else (AKS's static credential, brought clusters' own kubeconfigs) passes unchanged.
 */
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { getTokenArgs } from "./aws/cluster";
import { execKubeconfig, type KubeExec } from "./kubernetes/kubeconfig";
import { KUBE_TOKEN_SOURCES, kubeTokenSource, workerKubeconfig } from "./kube-token";

const execOf = (kubeconfig: string): KubeExec =>
  (parseYaml(kubeconfig) as { users: Array<{ user: { exec: KubeExec } }> }).users[0]!.user.exec;

const base = { name: "mp", endpoint: "https://k8s.example", caData: "Q0E=", installHint: "install it" };

describe("kube-token sources and the worker kubeconfig (providers/kube-token)", () => {
  it("EKS: `aws eks get-token` → `modelplane kube-token eks`, the cluster and CA untouched", () => {
    const dev = execKubeconfig({ ...base, command: "aws", args: getTokenArgs("mp-aws-0a1b2c", "us-east-1") });
    const worker = workerKubeconfig(dev, "modelplane");
    const exec = execOf(worker);
    assert.equal(exec.command, "modelplane");
    assert.deepEqual(exec.args, ["kube-token", "eks", "--cluster-name", "mp-aws-0a1b2c", "--region", "us-east-1"]);
    const before = JSON.parse(dev) as { clusters: unknown; contexts: unknown; "current-context": string };
    const after = JSON.parse(worker) as typeof before;
    assert.deepEqual(after.clusters, before.clusters);
    assert.deepEqual(after.contexts, before.contexts);
    assert.equal(after["current-context"], "mp");
  });

  it("GKE: `gke-gcloud-auth-plugin` → `modelplane kube-token gke`", () => {
    const dev = execKubeconfig({ ...base, command: "gke-gcloud-auth-plugin", args: [] });
    const exec = execOf(workerKubeconfig(dev, "/app/bin/modelplane.js"));
    assert.equal(exec.command, "/app/bin/modelplane.js");
    assert.deepEqual(exec.args, ["kube-token", "gke"]);
  });

  it("AKS's static credential, a brought cluster's YAML, another exec plugin and non-kubeconfig text are returned as they were", () => {
    const aks = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: mp-azure",
      "  cluster: {server: 'https://mp-azure.hcp.westus3.azmk8s.io:443', certificate-authority-data: Q0E=}",
      "users:",
      "- name: clusterUser_mp-rg_mp-azure",
      "  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ, token: abc}",
      "",
    ].join("\n");
    assert.equal(workerKubeconfig(aks, "modelplane"), aks);
    const kubelogin = execKubeconfig({ ...base, command: "kubelogin", args: ["get-token"] });
    assert.equal(workerKubeconfig(kubelogin, "modelplane"), kubelogin);
    for (const text of ["", "apiVersion: v1\nkind: Config\n# lab\n", "{not yaml: [", "just text"]) {
      assert.equal(workerKubeconfig(text, "modelplane"), text);
    }
  });

  it("every source is reachable by its name, and only by its name", () => {
    for (const [name, s] of Object.entries(KUBE_TOKEN_SOURCES)) {
      assert.equal(s.name, name);
      assert.equal(kubeTokenSource(name), s);
    }
    assert.deepEqual(Object.keys(KUBE_TOKEN_SOURCES).sort(), ["eks", "gke"]);
    assert.equal(kubeTokenSource("toString"), undefined);
  });
});
