/**
 * #14: in the control plane image (`kubeTokenCommand`), the per-model stack's Kubernetes providers
 * exec `modelplane kube-token` instead of the AWS CLI / gke-gcloud-auth-plugin, which the image
 * lacks; without it, the platform's kubeconfig reaches them unchanged (developers). Under mocks,
 * the platform stack exports the kubeconfigs the cluster providers write (execKubeconfig).
 */
import { strict as assert } from "node:assert";
import { parse as parseYaml } from "yaml";
import type { Cloud } from "../../platform/core/types";
import { obj, settle, type Obj, type Registered } from "../../components/testing/pulumiMocks";
import { getTokenArgs } from "../../providers/aws/cluster";
import { execKubeconfig, type KubeExec } from "../../providers/kubernetes/kubeconfig";
import { fixtureCatalog, installDeploymentMocks, platformOutput, resolveOutputs, specFor } from "./testing";

/** Pulumi's wire marker of a secret value (as program.test.ts reads it). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

const BASE = { endpoint: "https://k8s.example", caData: "Q0E=", installHint: "install" };

/** The developer kubeconfig each cloud's GpuCluster exports (providers/<cloud>/cluster.ts). */
const PLATFORM_KUBECONFIG: Record<Cloud, string> = {
  aws: execKubeconfig({
    ...BASE,
    name: "mp-aws",
    command: "aws",
    args: getTokenArgs("mp-aws", "us-east-1", "arn:aws:iam::123456789012:role/admin"),
    env: { AWS_PROFILE: "dev" },
  }),
  gcp: execKubeconfig({ ...BASE, name: "mp-gcp", command: "gke-gcloud-auth-plugin", args: [] }),
  // AKS: the user kubeconfig with its static credential (no exec plugin).
  azure: "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: {token: abc}\n",
};

describe("deployment program: the providers' kubeconfig in the control plane image (#14)", () => {
  let registered: Registered[];
  let platform: Obj = {};
  let mod: typeof import("./program");

  before(async () => {
    registered = await installDeploymentMocks(() => platform);
    mod = await import("./program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  /** The kubeconfig text each Kubernetes provider of the stack got (it stays secret). */
  async function providerKubeconfigs(cloud: Cloud, kubeTokenCommand: string | undefined): Promise<string[]> {
    const cluster = platformOutput(cloud, { withPools: true });
    const name = String(cluster["name"]);
    platform = { clusters: { [name]: cluster }, kubeconfigs: { [name]: PLATFORM_KUBECONFIG[cloud] } };
    const program = mod.deploymentProgram(specFor(cloud, "on-demand"), {
      catalog: fixtureCatalog(),
      ...(kubeTokenCommand !== undefined ? { kubeTokenCommand } : {}),
    });
    await resolveOutputs(await program());
    await settle(registered);
    const providers = registered.filter((r) => r.type === "pulumi:providers:kubernetes");
    assert.equal(providers.length, 2);
    return providers.map((p) => {
      const kc = obj(p.inputs["kubeconfig"]);
      assert.equal(kc[SECRET_SIG], SECRET_VALUE_SIG, "the kubeconfig stays secret");
      return String(kc["value"]);
    });
  }
  const execOf = (kubeconfig: string): KubeExec | undefined =>
    (parseYaml(kubeconfig) as { users: Array<{ user: { exec?: KubeExec } }> }).users[0]?.user.exec;

  it("EKS: the providers exec `modelplane kube-token eks` for the platform's cluster, never `aws`", async () => {
    for (const kc of await providerKubeconfigs("aws", "modelplane")) {
      const exec = execOf(kc);
      assert.equal(exec?.command, "modelplane");
      assert.deepEqual(exec?.args, ["kube-token", "eks", "--cluster-name", "mp-aws", "--region", "us-east-1"]);
      assert.doesNotMatch(kc, /"aws"|get-token|AWS_PROFILE/);
    }
  });

  it("GKE: the providers exec `modelplane kube-token gke`, never gke-gcloud-auth-plugin", async () => {
    for (const kc of await providerKubeconfigs("gcp", "modelplane")) {
      assert.equal(execOf(kc)?.command, "modelplane");
      assert.deepEqual(execOf(kc)?.args, ["kube-token", "gke"]);
      assert.doesNotMatch(kc, /"command":"gke-gcloud-auth-plugin"/);
    }
  });

  it("AKS: its static credential passes unchanged", async () => {
    for (const kc of await providerKubeconfigs("azure", "modelplane")) assert.equal(kc, PLATFORM_KUBECONFIG.azure);
  });

  it("without kubeTokenCommand (a developer's run): the platform's kubeconfig, `aws eks get-token` and all", async () => {
    for (const kc of await providerKubeconfigs("aws", undefined)) {
      assert.equal(kc, PLATFORM_KUBECONFIG.aws);
      assert.equal(execOf(kc)?.command, "aws");
    }
  });
});
