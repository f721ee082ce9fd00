import { strict as assert } from "node:assert";
import type { ModelServiceArgs } from "./ModelService";
import { arr, installMocks, obj, settle, valueOf, type Registered } from "./testing/pulumiMocks";

const spotPool = {
  nodeSelector: { "modelplane.dev/pool": "a100-spot" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" as const, effect: "NoSchedule" as const }],
};
const onDemandPool = {
  nodeSelector: { "modelplane.dev/pool": "a100-ondemand" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" as const, effect: "NoSchedule" as const }],
};

const base: ModelServiceArgs = {
  tenant: "Research Team",
  deploymentId: "dep-1",
  modelName: "Llama-3.1-70B",
  modelUri: "s3://store/models/llama/v1",
  parametersBillions: 70,
  precision: "fp16",
  contextTokens: 8192,
  gpuCount: 2,
  capacity: "spot",
  pool: spotPool,
  minReplicas: 2,
  maxReplicas: 4,
  onDemandFloorReplicas: 1,
  onDemandPool,
  tags: { model: "Llama-3.1-70B", owner: "alice@example.com", "cost-center": "cc-1" },
};

describe("ModelService", () => {
  let registered: Registered[];
  let mod: typeof import("./ModelService");
  before(async () => {
    registered = await installMocks();
    mod = await import("./ModelService");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function build(args: ModelServiceArgs): Promise<{ endpoint: string }> {
    const svc = new mod.ModelService("llama", args);
    const endpoint = await valueOf(svc.endpoint);
    await settle(registered);
    return { endpoint };
  }
  const byType = (type: string) => registered.filter((r) => r.type === type);

  it("spot with an on-demand floor: two deployments on their pools, HPA on the spot one, PDB, Service", async () => {
    const { endpoint } = await build(base);
    const types = registered.map((r) => r.type).sort();
    assert.deepEqual(types, [
      "kubernetes:apps/v1:Deployment",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:monitoring.coreos.com/v1:PodMonitor",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "modelplane:serving:ModelService",
    ]);
    const deployments = byType("kubernetes:apps/v1:Deployment");
    const spot = deployments.find((d) => d.name === "llama-server");
    const floor = deployments.find((d) => d.name === "llama-ondemand");
    assert.ok(spot && floor);
    const podSpec = (d: Registered) => obj(obj(obj(obj(d.inputs["spec"])["template"])["spec"]));
    assert.deepEqual(podSpec(spot)["nodeSelector"], spotPool.nodeSelector);
    assert.deepEqual(podSpec(spot)["tolerations"], spotPool.tolerations);
    assert.deepEqual(podSpec(floor)["nodeSelector"], onDemandPool.nodeSelector);
    assert.equal(obj(floor.inputs["spec"])["replicas"], 1);
    const container = obj(arr(podSpec(spot)["containers"])[0]);
    assert.equal(obj(obj(container["resources"])["limits"])["nvidia.com/gpu"], "2");
    const args = arr(container["args"]);
    assert.equal(args[args.indexOf("--tensor-parallel-size") + 1], "2");
    assert.ok(obj(container["startupProbe"])["failureThreshold"]);
    assert.equal(obj(arr(podSpec(spot)["initContainers"])[0])["image"], "amazon/aws-cli:2.31.0");

    const hpa = obj(byType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0]?.inputs["spec"]);
    assert.equal(hpa["minReplicas"], 1);
    assert.equal(hpa["maxReplicas"], 3);
    assert.equal(obj(hpa["scaleTargetRef"])["name"], obj(spot.inputs["metadata"])["name"]);

    const pdbSelector = obj(
      obj(obj(byType("kubernetes:policy/v1:PodDisruptionBudget")[0]?.inputs["spec"])["selector"])["matchLabels"],
    );
    const svcSelector = obj(obj(byType("kubernetes:core/v1:Service")[0]?.inputs["spec"])["selector"]);
    assert.deepEqual(pdbSelector, svcSelector);
    // The Service and PDB span both deployments' pods: their selector is a subset of each pod's labels.
    for (const d of [spot, floor]) {
      const podLabels = obj(obj(obj(obj(d.inputs["spec"])["template"])["metadata"])["labels"]);
      for (const [k, v] of Object.entries(svcSelector)) assert.equal(podLabels[k], v);
    }
    assert.match(endpoint, /^http:\/\/llama-3-1-70b-[0-9a-f]{6}\.mp-research-team\.svc\.cluster\.local\/v1$/);
  });

  it("labels every Kubernetes object with valid cost labels and the deployment id", async () => {
    await build(base);
    for (const r of registered.filter((x) => x.type.startsWith("kubernetes:") && !x.type.endsWith("Namespace"))) {
      const labels = obj(obj(r.inputs["metadata"])["labels"]);
      assert.equal(labels["managed-by"], "modelplane", r.type);
      assert.equal(labels["modelplane/deployment-id"], "dep-1", r.type);
      assert.equal(labels["owner"], "alice_example.com", r.type);
      assert.equal(labels["cost-center"], "cc-1", r.type);
      assert.equal(labels["model"], "Llama-3.1-70B", r.type);
    }
  });

  it("scale-to-zero wakes on the first request: an HTTPScaledObject and a wake Service through the KEDA interceptor (#8)", async () => {
    const { endpoint } = await build({
      ...base,
      minReplicas: 0,
      maxReplicas: 3,
      scaleToZero: true,
      onDemandFloorReplicas: 0,
    });
    assert.equal(byType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length, 0);
    assert.equal(byType("kubernetes:keda.sh/v1alpha1:ScaledObject").length, 0, "no Prometheus trigger: it never wakes");
    const so = byType("kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject");
    assert.equal(so.length, 1);
    const spec = obj(so[0]?.inputs["spec"]);
    assert.deepEqual(spec["replicas"], { min: 0, max: 3 });
    const services = byType("kubernetes:core/v1:Service");
    const backend = services.find((s) => obj(obj(s.inputs["spec"]))["type"] === "ClusterIP");
    const wake = services.find((s) => obj(obj(s.inputs["spec"]))["type"] === "ExternalName");
    assert.ok(backend && wake);
    assert.equal(
      obj(wake.inputs["spec"])["externalName"],
      "keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local",
    );
    const ref = obj(spec["scaleTargetRef"]);
    assert.equal(ref["service"], obj(backend.inputs["metadata"])["name"]);
    assert.equal(ref["port"], 80);
    // The endpoint is the wake Service on the interceptor's port, and its host is routed.
    const host = new URL(endpoint).host;
    assert.equal(new URL(endpoint).port, "8080");
    assert.ok(arr(spec["hosts"]).includes(host), `${host} routed`);
    assert.ok(host.startsWith(`${String(obj(wake.inputs["metadata"])["name"])}.mp-research-team.svc.cluster.local`));
    const deployments = byType("kubernetes:apps/v1:Deployment");
    assert.equal(deployments.length, 1);
    assert.equal(obj(deployments[0]?.inputs["spec"])["replicas"], 0);
    // Nothing to wait for at 0 replicas, and a Service without endpoints would time out (#1).
    assert.equal(obj(obj(deployments[0]?.inputs["metadata"])["annotations"])["pulumi.com/skipAwait"], "true");
    for (const s of services)
      assert.equal(obj(obj(s.inputs["metadata"])["annotations"])["pulumi.com/skipAwait"], "true");
  });

  it("a rollout is allowed as long as the weights take, needs no spare GPU node, and vLLM is scraped (#1, #7, #8)", async () => {
    await build({ ...base, onDemandFloorReplicas: 0 });
    const d = byType("kubernetes:apps/v1:Deployment")[0];
    const seconds = Number(obj(obj(d?.inputs["metadata"])["annotations"])["pulumi.com/timeoutSeconds"]);
    // 70B fp16: well past pulumi-kubernetes' 600 s default, and growing with the weights.
    assert.ok(seconds > 600, String(seconds));
    assert.ok(
      seconds >
        mod.planModelService({ ...base, parametersBillions: 8, onDemandFloorReplicas: 0 }).rolloutTimeoutSeconds,
    );
    assert.deepEqual(obj(obj(d?.inputs["spec"])["strategy"])["rollingUpdate"], { maxSurge: 0, maxUnavailable: 1 });
    const pm = byType("kubernetes:monitoring.coreos.com/v1:PodMonitor");
    assert.equal(pm.length, 1);
    const pmSpec = obj(pm[0]?.inputs["spec"]);
    const svcSelector = obj(obj(byType("kubernetes:core/v1:Service")[0]?.inputs["spec"])["selector"]);
    assert.deepEqual(obj(pmSpec["selector"])["matchLabels"], svcSelector);
    assert.deepEqual(
      arr(pmSpec["podMetricsEndpoints"]).map((e) => obj(e)["port"]),
      ["http"],
    );
    const podAnnotations = obj(obj(obj(d?.inputs["spec"])["template"])["metadata"])["annotations"];
    assert.equal(
      obj(podAnnotations)["prometheus.io/scrape"],
      undefined,
      "the operator ignores prometheus.io annotations",
    );
  });

  it("gated hf:// models: HF_TOKEN from the secret, Hub cache on the sized volume (#16, #10)", async () => {
    await build({
      ...base,
      modelUri: "hf://meta-llama/Llama-3.1-70B-Instruct",
      hfTokenSecretName: "hf-token",
      onDemandFloorReplicas: 0,
    });
    const d = byType("kubernetes:apps/v1:Deployment")[0];
    const c = obj(arr(obj(obj(obj(d?.inputs["spec"])["template"])["spec"])["containers"])[0]);
    const env = arr(c["env"]).map(obj);
    assert.equal(
      obj(obj(env.find((e) => e["name"] === "HF_TOKEN")?.["valueFrom"])["secretKeyRef"])["name"],
      "hf-token",
    );
    assert.equal(env.find((e) => e["name"] === "HF_HOME")?.["value"], "/models/hf");
    assert.equal(obj(obj(c["resources"])["requests"])["ephemeral-storage"], "162Gi");
  });

  it("Triton: same GPU limits, tensor parallelism in model.json, Triton health path", async () => {
    await build({ ...base, serverKind: "triton", onDemandFloorReplicas: 0 });
    const d = byType("kubernetes:apps/v1:Deployment")[0];
    const c = obj(arr(obj(obj(obj(d?.inputs["spec"])["template"])["spec"])["containers"])[0]);
    assert.equal(obj(obj(c["resources"])["limits"])["nvidia.com/gpu"], "2");
    assert.match(String(arr(c["args"])[0]), /"tensor_parallel_size":2/);
    assert.equal(obj(obj(c["readinessProbe"])["httpGet"])["path"], "/health/ready");
  });

  it("hf:// weights: no init container, the server loads the repo; extra pod labels land on the pods", async () => {
    await build({
      ...base,
      modelUri: "hf://meta-llama/Llama-3.1-70B-Instruct",
      podLabels: { "azure.workload.identity/use": "true" },
      onDemandFloorReplicas: 0,
    });
    const d = byType("kubernetes:apps/v1:Deployment")[0];
    const spec = obj(obj(obj(d?.inputs["spec"])["template"])["spec"]);
    assert.deepEqual(arr(spec["initContainers"]), []);
    const args = arr(obj(arr(spec["containers"])[0])["args"]);
    assert.equal(args[args.indexOf("--model") + 1], "meta-llama/Llama-3.1-70B-Instruct");
    const labels = obj(obj(obj(d?.inputs["spec"])["template"])["metadata"])["labels"];
    assert.equal(obj(labels)["azure.workload.identity/use"], "true");
  });

  it("rejects bad args with the argument named, before registering anything", async () => {
    const cases: Array<[Partial<ModelServiceArgs>, string]> = [
      [{ gpuCount: 0 }, "gpuCount"],
      [{ minReplicas: 5, maxReplicas: 2 }, "minReplicas"],
      [{ scaleToZero: true, minReplicas: 0 }, "onDemandFloorReplicas"],
      [{ capacity: "on-demand" }, "onDemandFloorReplicas"],
      [{ onDemandPool: undefined }, "onDemandPool"],
      [{ modelUri: "ftp://nope" }, "modelUri"],
    ];
    for (const [patch, field] of cases) {
      assert.throws(
        () => new mod.ModelService("bad", { ...base, ...patch }),
        (err: unknown) => {
          return err instanceof Error && "field" in err && (err as { field: unknown }).field === field;
        },
        field,
      );
    }
    await settle(registered);
    assert.equal(registered.length, 0);
  });

  it("every object validates against its upstream schema, and every custom kind is installed by the platform add-ons", async () => {
    const { addonForKind } = await import("../providers/limits/addons");
    const { planPlatformAddons } = await import("../providers/kubernetes/platform-addons");
    const installed = new Set(planPlatformAddons({ gpu: "none" }).map((r) => r.addon));
    type Validating = new (data: never) => { validate(): void };
    const models: Record<string, () => Promise<Validating>> = {
      "kubernetes:apps/v1:Deployment": async () => (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
      "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
      "kubernetes:core/v1:ServiceAccount": async () =>
        (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount,
      "kubernetes:core/v1:Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
      "kubernetes:policy/v1:PodDisruptionBudget": async () =>
        (await import("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": async () =>
        (await import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler")).HorizontalPodAutoscaler,
      "kubernetes:monitoring.coreos.com/v1:PodMonitor": async () =>
        (await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor")).PodMonitor,
    };
    for (const args of [
      base,
      { ...base, minReplicas: 0, maxReplicas: 3, scaleToZero: true, onDemandFloorReplicas: 0 },
    ]) {
      registered.length = 0;
      await build(args);
      for (const r of registered.filter((x) => x.type.startsWith("kubernetes:"))) {
        const [, group, kind] = r.type.split(":") as [string, string, string];
        const apiVersion = group.startsWith("core/") ? group.slice("core/".length) : group;
        const builtin =
          !apiVersion.includes(".") ||
          apiVersion.includes(".k8s.io") ||
          /^(apps|policy|autoscaling)\//.test(apiVersion);
        if (!builtin) {
          const addon = addonForKind(apiVersion, kind);
          assert.ok(addon && installed.has(addon), `${apiVersion}/${kind} is installed by a platform add-on`);
        }
        const load = models[r.type];
        // HTTPScaledObject has no published model package; its shape is checked in autoscaling.test.ts.
        if (!load) continue;
        const Model = await load();
        const { apiVersion: _a, kind: _k, ...rest } = r.inputs;
        assert.doesNotThrow(() => new Model(rest as never).validate(), `${r.type} ${r.name}`);
      }
    }
  });
});
