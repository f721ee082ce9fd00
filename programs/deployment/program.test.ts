import { strict as assert } from "node:assert";
import type { Cloud } from "../../platform/core/types";
import { ValidationError } from "../../platform/core/validation";
import type { DeploymentSpecInput } from "./spec";
import { arr, obj, settle, type Obj, type Registered } from "../../components/testing/pulumiMocks";
import { federatedCredentialName } from "../../providers/kubernetes/workload-identity";
import { ownReaderName } from "../../providers/azure/reader-identity";
import { ASSUMED_SERVER_IMAGE_GIB, cacheGiB, weightsGiB } from "../../providers/kubernetes/model-server";
import { providerFor } from "../../providers/registry";
import { slug } from "../../platform/core/naming";
import {
  countByType,
  fixtureCatalog,
  installDeploymentMocks,
  platformOutput,
  platformStackOutputs,
  resolveOutputs,
  specFor,
} from "./testing";

const CLOUDS: Cloud[] = ["aws", "gcp", "azure"];
/** Pulumi's wire marker of a secret value (`rpc.specialSigKey` / `specialSecretSig`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What an on-demand cluster placement registers besides its pools. */
const ON_DEMAND_INVENTORY = {
  "kubernetes:apps/v1:Deployment": 1,
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
  "kubernetes:core/v1:Namespace": 1,
  "kubernetes:core/v1:Service": 1,
  "kubernetes:core/v1:ServiceAccount": 1,
  // issue 12 (#8): kube-prometheus-stack scrapes vLLM through this PodMonitor
  "kubernetes:monitoring.coreos.com/v1:PodMonitor": 1,
  "kubernetes:policy/v1:PodDisruptionBudget": 1,
  "modelplane:serving:ModelService": 1,
  "pulumi:providers:kubernetes": 2,
  "pulumi:pulumi:StackReference": 1,
};
/** What every cluster placement registers besides its pools, by kind (spot adds the on-demand floor's Deployment). */
const CLUSTER_INVENTORY = {
  "on-demand": ON_DEMAND_INVENTORY,
  "spot-floor": { ...ON_DEMAND_INVENTORY, "kubernetes:apps/v1:Deployment": 2 },
} as const;

/** The serverless product's resources per cloud (see the ServerlessEndpoint providers). */
const SERVERLESS_TYPES: Record<Cloud, string[]> = {
  aws: [
    "aws:sagemaker/model:Model",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    "aws:sagemaker/endpoint:Endpoint",
    "aws:appautoscaling/target:Target",
  ],
  gcp: ["gcp:cloudrunv2/service:Service"],
  azure: ["azure-native:app:ManagedEnvironment", "azure-native:app:ContainerApp"],
};

/** The per-deployment workload-identity binding of each cloud. */
const BINDING_TYPE: Record<Cloud, string> = {
  aws: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  gcp: "gcp:serviceaccount/iAMMember:IAMMember",
  azure: "azure-native:managedidentity:FederatedIdentityCredential",
};

/** Azure: the stack's own reader identity and its read grant on the weights (providers/azure/reader-identity.ts). */
const OWN_READER: Record<Cloud, Record<string, number>> = {
  aws: {},
  gcp: {},
  azure: { "azure-native:managedidentity:UserAssignedIdentity": 1, "azure-native:authorization:RoleAssignment": 1 },
};

/** Expected inventory of a cluster placement on `cloud` (platform pools). */
const clusterInventory = (cloud: Cloud, kind: keyof typeof CLUSTER_INVENTORY): Record<string, number> =>
  Object.fromEntries(
    Object.entries({ ...CLUSTER_INVENTORY[kind], ...OWN_READER[cloud], [BINDING_TYPE[cloud]]: 1 }).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
  );

/** The node-pool resource each cloud's SpotPool registers. */
const NODE_POOL_TYPE: Record<Cloud, string> = {
  aws: "aws:eks/nodeGroup:NodeGroup",
  gcp: "gcp:container/nodePool:NodePool",
  azure: "azure-native:containerservice:AgentPool",
};

const podSpec = (d: Registered | undefined): Obj => obj(obj(obj(obj(d?.inputs["spec"])["template"])["spec"]));
const serverContainer = (d: Registered | undefined): Obj => obj(arr(podSpec(d)["containers"])[0]);
const flag = (args: unknown[], name: string): unknown => args[args.indexOf(name) + 1];

describe("deployment program (mocks)", () => {
  let registered: Registered[];
  let platform: Obj = {};
  let mod: typeof import("./program");
  let specs: typeof import("./spec");

  before(async () => {
    registered = await installDeploymentMocks(() => platform);
    mod = await import("./program");
    specs = await import("./spec");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  /** Run the program for `specFor(cloud, kind)` against a platform stack whose `<cloud>` output is `output`. */
  async function runOn(cloud: Cloud, kind: Parameters<typeof specFor>[1], output: Obj): Promise<Obj> {
    platform = platformStackOutputs(output);
    const program = mod.deploymentProgram(specs.parseDeploymentSpec(specFor(cloud, kind)), {
      catalog: fixtureCatalog(),
    });
    const out = await resolveOutputs(await program());
    await settle(registered);
    return out;
  }
  const run = (cloud: Cloud, kind: Parameters<typeof specFor>[1], withPools = true): Promise<Obj> =>
    runOn(cloud, kind, platformOutput(cloud, { withPools }));
  const ofType = (type: string) => registered.filter((r) => r.type === type);
  const deployment = (suffix: "server" | "ondemand") =>
    registered.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.endsWith(`-${suffix}`));
  const pool = (cloud: Cloud, capacity: "spot" | "on-demand") =>
    obj(arr(platformOutput(cloud, { withPools: true })["pools"]).find((p) => obj(p)["capacity"] === capacity));

  for (const cloud of CLOUDS) {
    describe(cloud, () => {
      it("on-demand: one Deployment on the on-demand pool, 2 GPUs, TP 2, HPA 1..3, PDB, labelled", async () => {
        const out = await run(cloud, "on-demand");
        assert.deepEqual(countByType(registered), clusterInventory(cloud, "on-demand"));
        const d = deployment("server");
        assert.deepEqual(podSpec(d)["nodeSelector"], pool(cloud, "on-demand")["nodeSelector"]);
        assert.deepEqual(podSpec(d)["tolerations"], pool(cloud, "on-demand")["tolerations"]);
        const c = serverContainer(d);
        assert.equal(obj(obj(c["resources"])["limits"])["nvidia.com/gpu"], "2");
        assert.equal(flag(arr(c["args"]), "--tensor-parallel-size"), "2");
        // #13: the startup probe gives 130 GiB of weights long enough; readiness follows with no delay.
        const startup = obj(c["startupProbe"]);
        assert.ok(
          (startup["periodSeconds"] as number) * (startup["failureThreshold"] as number) >= 600,
          "a long startup budget for 130 GiB of weights",
        );
        assert.equal(obj(c["readinessProbe"])["initialDelaySeconds"], 0);
        const hpa = obj(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0]?.inputs["spec"]);
        assert.deepEqual([hpa["minReplicas"], hpa["maxReplicas"]], [1, 3]);
        assert.deepEqual(out["replicas"], {
          minReplicas: 1,
          maxReplicas: 3,
          onDemandFloorReplicas: 0,
          autoscaler: "hpa",
        });
        for (const r of registered.filter((x) => x.type.startsWith("kubernetes:") && !x.type.endsWith(":Namespace"))) {
          const labels = obj(obj(r.inputs["metadata"])["labels"]);
          assert.equal(labels["modelplane/deployment-id"], `dep-${cloud}-on-demand`, r.type);
          assert.equal(labels["managed-by"], "modelplane", r.type);
          assert.equal(labels["cost-center"], "cc-1042", r.type);
          assert.equal(labels["owner"], "alice_example.com", r.type);
          assert.equal(labels["model"], "Llama-3.1-70B-Instruct", r.type);
        }
        // The shared tenant namespace goes through the adopting provider; the rest through the plain one.
        const providers = ofType("pulumi:providers:kubernetes");
        const adopting = providers.find(
          (x) => x.inputs["upsertExistingObjects"] === true || x.inputs["upsertExistingObjects"] === "true",
        );
        assert.ok(adopting, "a provider with upsertExistingObjects");
        assert.match(String(ofType("kubernetes:core/v1:Namespace")[0]?.provider), new RegExp(`::${adopting.name}::`));
        assert.doesNotMatch(String(deployment("server")?.provider), new RegExp(`::${adopting.name}::`));
        // The kubeconfig reaches the providers as a secret (the engine's secret wrapper under mocks).
        for (const pr of providers) {
          const kc = obj(pr.inputs["kubeconfig"]);
          assert.equal(kc[SECRET_SIG], SECRET_VALUE_SIG, "kubeconfig is secret");
          assert.match(String(kc["value"]), new RegExp(`# ${cloud}`));
        }
        // This platform has no gateway: no external endpoint (never an invented one), the reason, the in-cluster URL.
        assert.equal(out["endpoint"], undefined);
        assert.match(String(out["endpointReason"]), /installs no gateway on cluster/);
        assert.match(
          String(out["inClusterEndpoint"]),
          /^http:\/\/llama-3-1-70b-instruct-[0-9a-f]{6}\.mp-research\.svc\.cluster\.local\/v1$/,
        );
        const tags = obj(out["costTags"]);
        assert.equal(tags["modelplane/deployment-id"], `dep-${cloud}-on-demand`);
        assert.equal(tags["owner"], "alice@example.com");
        assert.deepEqual(out["placement"], specs.parseDeploymentSpec(specFor(cloud, "on-demand")).placement);
      });

      it("spot with an on-demand floor: spot Deployment (HPA 1..3) + 1 replica pinned on-demand", async () => {
        const out = await run(cloud, "spot-floor");
        assert.deepEqual(countByType(registered), clusterInventory(cloud, "spot-floor"));
        const spot = deployment("server");
        const floor = deployment("ondemand");
        assert.deepEqual(podSpec(spot)["nodeSelector"], pool(cloud, "spot")["nodeSelector"]);
        assert.deepEqual(podSpec(spot)["tolerations"], pool(cloud, "spot")["tolerations"]);
        assert.deepEqual(podSpec(floor)["nodeSelector"], pool(cloud, "on-demand")["nodeSelector"]);
        assert.equal(obj(floor?.inputs["spec"])["replicas"], 1);
        for (const d of [spot, floor]) {
          assert.equal(obj(obj(serverContainer(d)["resources"])["limits"])["nvidia.com/gpu"], "2");
          assert.equal(flag(arr(serverContainer(d)["args"]), "--tensor-parallel-size"), "2");
        }
        const hpa = obj(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0]?.inputs["spec"]);
        assert.equal(obj(hpa["scaleTargetRef"])["name"], obj(spot?.inputs["metadata"])["name"]);
        assert.deepEqual([hpa["minReplicas"], hpa["maxReplicas"]], [1, 3]);
        assert.equal(ofType("kubernetes:policy/v1:PodDisruptionBudget").length, 1);
        assert.deepEqual(out["replicas"], {
          minReplicas: 2,
          maxReplicas: 4,
          onDemandFloorReplicas: 1,
          autoscaler: "hpa",
        });
        assert.deepEqual(out["pools"], { primary: "gpu-spot", onDemand: "gpu-on-demand", created: [] });
      });

      it("serverless: the cloud's serverless endpoint, no cluster objects, min 0, cost tags", async () => {
        const out = await run(cloud, "serverless");
        const types = registered.map((r) => r.type);
        for (const t of SERVERLESS_TYPES[cloud]) assert.ok(types.includes(t), `${t} registered`);
        assert.ok(types.includes("modelplane:serverless:ServerlessEndpoint"));
        assert.equal(types.filter((t) => t.startsWith("kubernetes:")).length, 0);
        assert.deepEqual(out["replicas"], {
          minReplicas: 0,
          maxReplicas: 3,
          onDemandFloorReplicas: 0,
          autoscaler: "serverless",
        });
        assert.match(String(out["endpoint"]), /^https:\/\/.+/);
        assert.equal(out["kind"], "serverless");
        // Every taggable cloud resource carries the deployment id (each cloud's own key rules).
        const tagged = registered.filter(
          (r) =>
            !r.type.startsWith("modelplane:") &&
            !r.type.startsWith("pulumi:") &&
            (r.inputs["tags"] || r.inputs["labels"]),
        );
        assert.ok(tagged.length > 0);
        for (const r of tagged) {
          const t = obj(r.inputs["tags"] ?? r.inputs["labels"]);
          const id = Object.entries(t).find(([k]) => k.includes("deployment-id") || k.includes("deployment_id"))?.[1];
          assert.ok(
            id === `dep-${cloud}-serverless` || id === `dep-${cloud}-serverless`.replace(/-/g, "_"),
            `${r.type} tags ${JSON.stringify(t)}`,
          );
          assert.ok(Object.values(t).includes("modelplane"), `${r.type} managed-by`);
        }
      });

      it("no pool of that shape on the platform: a dedicated spot pool + on-demand fallback, scaled from zero, selected by the pods", async () => {
        const out = await run(cloud, "spot-floor", false);
        const nodePools = ofType(NODE_POOL_TYPE[cloud]);
        assert.equal(nodePools.length, 2);
        assert.equal(ofType("modelplane:compute:SpotPool").length, 1);
        const created = arr(obj(out["pools"])["created"]).map(String);
        assert.equal(created.length, 2);
        // #11: the spot pods select the pool group (spot + its on-demand fallback), the floor only its on-demand pool.
        const labelsOf = (poolName: string | undefined) => {
          const np = nodePools.find((p) => JSON.stringify(p.inputs).includes(`"${String(poolName)}"`));
          return obj(np?.inputs["labels"] ?? np?.inputs["nodeLabels"] ?? obj(np?.inputs["nodeConfig"])["labels"]);
        };
        const serverSel = obj(podSpec(deployment("server"))["nodeSelector"]);
        const floorSel = obj(podSpec(deployment("ondemand"))["nodeSelector"]);
        const matches = (sel: Obj, labels: Obj) => Object.entries(sel).every(([k, v]) => labels[k] === v);
        assert.ok(
          matches(serverSel, labelsOf(created[0])) && matches(serverSel, labelsOf(created[1])),
          "spot pods reach both",
        );
        assert.ok(
          matches(floorSel, labelsOf(created[1])) && !matches(floorSel, labelsOf(created[0])),
          "floor on-demand only",
        );
        const tolerationKeys = arr(podSpec(deployment("server"))["tolerations"]).map((t) => obj(t)["key"]);
        assert.ok(tolerationKeys.includes("nvidia.com/gpu"), JSON.stringify(tolerationKeys));
      });

      it("scale-to-zero: a KEDA HTTPScaledObject from 0 (wakes on the first request), no HPA, no floor", async () => {
        const out = await run(cloud, "scale-to-zero");
        assert.equal(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length, 0);
        const so = obj(ofType("kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject")[0]?.inputs["spec"]);
        assert.deepEqual(so["replicas"], { min: 0, max: 3 });
        assert.ok(
          arr(so["hosts"]).includes(new URL(String(out["inClusterEndpoint"])).host),
          "the endpoint's host is routed",
        );
        assert.equal(ofType("kubernetes:apps/v1:Deployment").length, 1);
        assert.deepEqual(out["replicas"], {
          minReplicas: 0,
          maxReplicas: 3,
          onDemandFloorReplicas: 0,
          autoscaler: "keda",
        });
      });
    });
  }

  it("min replicas 0 only when allowed: no HPA or Deployment starts at 0 without scale-to-zero", async () => {
    for (const kind of ["on-demand", "spot-floor"] as const) {
      registered.length = 0;
      await run("gcp", kind);
      for (const d of ofType("kubernetes:apps/v1:Deployment"))
        assert.ok((obj(d.inputs["spec"])["replicas"] as number) >= 1);
      for (const h of ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"))
        assert.ok((obj(h.inputs["spec"])["minReplicas"] as number) >= 1);
    }
  });

  it("70B fp16 on 2 × A100-80GB: 2 GPUs per pod, --tensor-parallel-size 2, on the workload identity of the store", async () => {
    await run("gcp", "on-demand");
    const c = serverContainer(deployment("server"));
    assert.equal(obj(obj(c["resources"])["limits"])["nvidia.com/gpu"], "2");
    assert.equal(flag(arr(c["args"]), "--tensor-parallel-size"), "2");
    assert.equal(flag(arr(c["args"]), "--dtype"), "float16");
    const init = obj(arr(podSpec(deployment("server"))["initContainers"])[0]);
    assert.match(String(arr(init["command"])[2]), /gs:\/\/mp-models-1a2b\/models\/Llama-3.1-70B-Instruct\/v1/);
    const sa = ofType("kubernetes:core/v1:ServiceAccount")[0];
    assert.equal(
      obj(obj(sa?.inputs["metadata"])["annotations"])["iam.gke.io/gcp-service-account"],
      "mp-reader@proj.iam.gserviceaccount.com",
    );
  });

  it("gcp: a dedicated spot pool with its on-demand fallback is ordered by a ComputeClass (spot first) through the stack's cluster provider; both Deployments select the class and tolerate its taint (#11)", async () => {
    await run("gcp", "spot-floor", false);
    const classes = ofType("kubernetes:cloud.google.com/v1:ComputeClass");
    assert.equal(classes.length, 1);
    const cc = classes[0];
    const name = String(obj(cc?.inputs["metadata"])["name"]);
    const nodePools = ofType("gcp:container/nodePool:NodePool");
    const byCapacity = (spot: boolean) => nodePools.find((p) => obj(p.inputs["nodeConfig"])["spot"] === spot);
    const spotName = byCapacity(true)?.inputs["name"];
    const odName = byCapacity(false)?.inputs["name"];
    assert.ok(typeof spotName === "string" && typeof odName === "string");
    assert.deepEqual(obj(cc?.inputs["spec"]), {
      priorities: [{ nodepools: [spotName] }, { nodepools: [odName] }],
      nodePoolAutoCreation: { enabled: false },
      whenUnsatisfiable: "DoNotScaleUp",
    });
    // Through the Kubernetes provider of the platform's cluster (the stack's `<base>-k8s`).
    assert.match(String(cc?.provider), /::[^:]+-k8s::/);
    for (const np of nodePools) {
      const nc = obj(np.inputs["nodeConfig"]);
      assert.equal(obj(nc["labels"])["cloud.google.com/compute-class"], name);
      const taint = arr(nc["taints"])
        .map(obj)
        .find((t) => t["key"] === "cloud.google.com/compute-class");
      assert.deepEqual(taint, { key: "cloud.google.com/compute-class", value: name, effect: "NO_SCHEDULE" });
    }
    const toleration = { key: "cloud.google.com/compute-class", operator: "Equal", value: name, effect: "NoSchedule" };
    for (const d of [deployment("server"), deployment("ondemand")]) {
      assert.equal(obj(podSpec(d)["nodeSelector"])["cloud.google.com/compute-class"], name, d?.name);
      const tol = arr(podSpec(d)["tolerations"])
        .map(obj)
        .find((t) => t["key"] === "cloud.google.com/compute-class");
      assert.deepEqual(tol, toleration, d?.name);
    }
    // A platform pool is the platform's to order: a deployment on one creates no class.
    registered.length = 0;
    await run("gcp", "spot-floor");
    assert.equal(ofType("kubernetes:cloud.google.com/v1:ComputeClass").length, 0);
  });

  it("dedicated pools are named per stack: two stacks of one model on one cluster never ask the cloud for one pool name", async () => {
    for (const cloud of CLOUDS) {
      registered.length = 0;
      const out = await run(cloud, "spot-floor", false);
      const created = arr(obj(out["pools"])["created"]).map(String);
      const base = slug(specFor(cloud, "spot-floor").model.name).slice(0, 40);
      const pools = providerFor(cloud).pool;
      // The mocks run stack `dev`: the names the cloud gets are those of the `dev` stack's base.
      const named = (stack: string) => [
        pools.poolName(`${mod.dedicatedPoolBase(base, stack)}-pool`, "spot"),
        pools.poolName(`${mod.dedicatedPoolBase(base, stack)}-pool-fallback`, "on-demand"),
      ];
      assert.deepEqual(created, named("dev"), cloud);
      // Another stack of the same model (another tenant or environment, a migration's new stack).
      for (const [a, b] of named("dev").map((n, i) => [n, named("team-b-llama-prod-1a2b3c4d")[i]]))
        assert.notEqual(a, b, `${cloud}: ${String(a)}`);
    }
  });

  it("a dedicated pool's disk holds the weight cache and the image; a gated hf:// model gets the token Secret (#10, #16)", async () => {
    platform = platformStackOutputs(platformOutput("gcp", { withPools: false }));
    const input = specFor("gcp", "on-demand");
    const spec = { ...input, model: { ...input.model, source: "hf://meta-llama/Llama-3.1-70B-Instruct" } };
    const program = mod.deploymentProgram(specs.parseDeploymentSpec(spec), { catalog: fixtureCatalog() });
    await resolveOutputs(await program());
    await settle(registered);
    const np = ofType("gcp:container/nodePool:NodePool")[0];
    const disk = Number(obj(np?.inputs["nodeConfig"])["diskSizeGb"]);
    // 70B fp16: a 162 GiB cache per replica, plus the image; the old fixed 200 GiB held one cache and no image.
    assert.ok(disk >= cacheGiB(weightsGiB(70, "fp16")) + ASSUMED_SERVER_IMAGE_GIB, String(disk));
    const c = serverContainer(deployment("server"));
    const token = arr(c["env"])
      .map(obj)
      .find((e) => e["name"] === "HF_TOKEN");
    assert.equal(obj(obj(token?.["valueFrom"])["secretKeyRef"])["name"], mod.HF_TOKEN_SECRET);
  });

  it("binds exactly the deployment's ServiceAccount to the store reader identity, per cloud", async () => {
    for (const cloud of CLOUDS) {
      registered.length = 0;
      await run(cloud, "on-demand");
      const sa = obj(ofType("kubernetes:core/v1:ServiceAccount")[0]?.inputs["metadata"]);
      const ns = String(obj(ofType("kubernetes:core/v1:Namespace")[0]?.inputs["metadata"])["name"]);
      const b = ofType(BINDING_TYPE[cloud])[0]?.inputs ?? {};
      const subject = `${ns}/${String(sa["name"])}`;
      const store = obj(platformOutput(cloud, { withPools: true })["store"]);
      if (cloud === "aws") {
        assert.equal(`${String(b["namespace"])}/${String(b["serviceAccount"])}`, subject);
        assert.equal(b["roleArn"], store["readerIdentity"]);
        assert.equal(b["clusterName"], "mp-aws");
      } else if (cloud === "gcp") {
        assert.equal(b["member"], `serviceAccount:proj.svc.id.goog[${subject}]`);
        assert.equal(b["role"], "roles/iam.workloadIdentityUser");
        assert.equal(b["serviceAccountId"], `projects/proj/serviceAccounts/${String(store["readerIdentity"])}`);
      } else {
        assert.equal(b["subject"], `system:serviceaccount:${subject.replace("/", ":")}`);
        assert.equal(b["issuer"], "https://eastus.oic.prod-aks.azure.com/tenant-id/issuer-id/");
        // #6 / "one identity per tenant": the credential is on this stack's own identity, not the
        // store's shared `mp-reader` (20 credentials at most, no concurrent writes).
        const own = ofType("azure-native:managedidentity:UserAssignedIdentity")[0]?.inputs ?? {};
        assert.deepEqual([own["resourceGroupName"], own["resourceName"]], ["rg", ownReaderName("dep-azure-on-demand")]);
        assert.deepEqual([b["resourceGroupName"], b["resourceName"]], ["rg", ownReaderName("dep-azure-on-demand")]);
        assert.notEqual(b["resourceName"], "mp-reader");
        assert.equal(
          obj(sa["annotations"])["azure.workload.identity/client-id"],
          `${String(own["resourceName"])}-client-id`,
          "the ServiceAccount names the stack's identity",
        );
        const grant = ofType("azure-native:authorization:RoleAssignment")[0]?.inputs ?? {};
        assert.equal(
          grant["scope"],
          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mpmodels1a2b/blobServices/default/containers/models",
        );
        assert.equal(grant["conditionVersion"], "2.0");
        assert.match(String(grant["condition"]), /blobs:path\] StringStartsWith 'Llama-3\.1-70B-Instruct\/v1\/'\)\)$/);
        assert.equal(grant["principalId"], `${String(own["resourceName"])}-principal`);
        // #6: named from the deployment id, not `<model>-identity` (two deployments of one model collide).
        assert.equal(b["federatedIdentityCredentialResourceName"], federatedCredentialName("dep-azure-on-demand"));
        assert.ok(!String(b["federatedIdentityCredentialResourceName"]).includes("llama"));
        const pod = obj(
          obj(obj(obj(ofType("kubernetes:apps/v1:Deployment")[0]?.inputs["spec"])["template"])["metadata"])["labels"],
        );
        assert.equal(pod["azure.workload.identity/use"], "true");
      }
    }
  });

  describe("invalid specs fail before any resource is registered, naming the field", () => {
    const cases: Array<[string, (s: Obj) => void, string]> = [
      [
        "0 GPUs",
        (s) => {
          obj(s["placement"])["gpuCount"] = 0;
        },
        "placement.gpuCount",
      ],
      [
        "min > max replicas",
        (s) => {
          s["scaling"] = { minReplicas: 5, maxReplicas: 2, scaleToZero: false };
        },
        "scaling.minReplicas",
      ],
      [
        "scale-to-zero with an on-demand floor",
        (s) => {
          s["scaling"] = { maxReplicas: 4, scaleToZero: true };
          s["onDemandFloorReplicas"] = 1;
        },
        "onDemandFloorReplicas",
      ],
      [
        "unknown cloud",
        (s) => {
          obj(s["placement"])["cloud"] = "oracle";
        },
        "placement.cloud",
      ],
      [
        "serverless capacity without a serverless product",
        (s) => {
          delete obj(s["placement"])["serverlessProduct"];
        },
        "placement.serverlessProduct",
      ],
    ];
    for (const [label, mutate, field] of cases) {
      it(label, async () => {
        const input: Obj = structuredClone(
          specFor("aws", label.startsWith("serverless") ? "serverless" : "spot-floor"),
        ) as Obj;
        mutate(input);
        assert.throws(
          () => mod.deploymentProgram(input as unknown as DeploymentSpecInput),
          (err: unknown) => err instanceof ValidationError && err.field === field,
          field,
        );
        await settle(registered);
        assert.equal(registered.length, 0);
      });
    }
  });

  describe("azure serverless on the platform's shared Container Apps environment", () => {
    const ENV_ID = "/subscriptions/s/resourceGroups/mp-rg/providers/Microsoft.App/managedEnvironments/mp-serverless";
    /** The azure output as the platform program exports it with its ServerlessEnvironment. */
    const withEnvironment = (over: Obj = {}): Obj => {
      const base = platformOutput("azure", { withPools: true });
      return {
        ...base,
        serverless: {
          product: "container-apps",
          skus: ["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"],
          environmentId: ENV_ID,
          resourceGroupName: "mp-rg",
          workloadProfileNames: { "Consumption-GPU-NC8as-T4": "gpu-t4", "Consumption-GPU-NC24-A100": "gpu-a100" },
        },
        ...over,
      };
    };
    const runAzure = (output: Obj): Promise<Obj> => runOn("azure", "serverless", output);

    it("adds only a Container App: no environment or resource group of its own, the SKU's profile, the store's reader identity", async () => {
      const out = await runAzure(withEnvironment());
      assert.equal(ofType("azure-native:app:ManagedEnvironment").length, 0, "reuses the platform's environment");
      assert.equal(ofType("azure-native:resources:ResourceGroup").length, 0);
      const apps = ofType("azure-native:app:ContainerApp");
      assert.equal(apps.length, 1);
      const a = apps[0]?.inputs ?? {};
      assert.equal(a["managedEnvironmentId"], ENV_ID);
      assert.equal(a["resourceGroupName"], "mp-rg");
      assert.equal(
        a["workloadProfileName"],
        "gpu-a100",
        "the profile of the placement's SKU (Consumption-GPU-NC24-A100)",
      );
      // modelAccess from the platform's store: the app runs as the reader identity and downloads with it.
      const store = obj(platformOutput("azure", { withPools: true })["store"]);
      const identity = obj(a["identity"]);
      assert.deepEqual(arr(identity["userAssignedIdentities"]), [store["readerIdentity"]]);
      const server = obj(arr(obj(a["template"])["containers"])[0]);
      assert.ok(
        arr(server["env"]).some(
          (e) => obj(e)["name"] === "AZURE_CLIENT_ID" && obj(e)["value"] === store["readerClientId"],
        ),
      );
      assert.equal(out["kind"], "serverless");
      assert.match(String(out["endpoint"]), /^https:\/\/.+azurecontainerapps\.io$/);
    });

    it("without the store's read grant there is no modelAccess: a blob model fails naming platformStack", async () => {
      const store = { ...obj(platformOutput("azure", { withPools: true })["store"]) };
      delete store["readerGrant"];
      await assert.rejects(
        runAzure(withEnvironment({ store })),
        (err: unknown) =>
          err instanceof ValidationError && err.field === "platformStack" && /modelAccess|identity/.test(err.message),
      );
      assert.equal(ofType("azure-native:app:ContainerApp").length, 0);
    });

    it("an environment without a profile for the placement's SKU fails naming placement.instanceType", async () => {
      const output = withEnvironment();
      obj(output["serverless"])["workloadProfileNames"] = { "Consumption-GPU-NC8as-T4": "gpu-t4" };
      await assert.rejects(
        runAzure(output),
        (err: unknown) =>
          err instanceof ValidationError &&
          err.field === "placement.instanceType" &&
          /no workload profile for "Consumption-GPU-NC24-A100"; it has: Consumption-GPU-NC8as-T4/.test(err.message),
      );
    });
  });

  it("weights larger than a Container Apps replica's 8 GiB go on an Azure Files share; past the share's 5 TiB the placement is refused, naming placement.capacity (#9)", async () => {
    platform = platformStackOutputs(platformOutput("azure", { withPools: true }));
    const input = specFor("azure", "serverless");
    const spec = { ...input, model: { ...input.model, name: "Llama-3.1-8B-Instruct", parametersBillions: 8 } };
    const program = mod.deploymentProgram(specs.parseDeploymentSpec(spec), { catalog: fixtureCatalog() });
    await program();
    await settle(registered);
    const share = registered.find((r) => r.type === "azure-native:storage:FileShare");
    assert.ok(share, "an 8B fp16 model (14.9 GiB) gets a weights share");
    assert.equal(share.inputs["shareQuota"], 18);
    registered.length = 0;
    const huge = { ...input, model: { ...input.model, name: "huge", parametersBillions: 2500 } };
    await assert.rejects(
      mod.deploymentProgram(specs.parseDeploymentSpec(huge), { catalog: fixtureCatalog() })(),
      (e: unknown) =>
        e instanceof ValidationError && e.field === "placement.capacity" && /at most 4266 GiB/.test(e.message),
    );
  });

  it("a platform stack without a cluster in the placement's cloud and region fails naming placement.region", async () => {
    platform = platformStackOutputs(platformOutput("gcp", { withPools: true }));
    const program = mod.deploymentProgram(specs.parseDeploymentSpec(specFor("aws", "on-demand")));
    await assert.rejects(
      program(),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.field === "placement.region" &&
        /no cluster in aws us-east-1; its footprint is: gcp us-central1/.test(err.message),
    );
    assert.equal(registered.filter((r) => r.type !== "pulumi:pulumi:StackReference").length, 0);
  });

  it("a platform stack without a `clusters` output fails naming platformStack", async () => {
    platform = { aws: platformOutput("aws", { withPools: true }) };
    const program = mod.deploymentProgram(specs.parseDeploymentSpec(specFor("aws", "on-demand")));
    await assert.rejects(
      program(),
      (err: unknown) =>
        err instanceof ValidationError && err.field === "platformStack" && /no "clusters"/.test(err.message),
    );
  });
});
