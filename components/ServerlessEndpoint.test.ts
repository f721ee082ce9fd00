import * as assert from "node:assert/strict";
import { ValidationError } from "../platform/core/validation";
import type { ServerlessEndpointArgs } from "./ServerlessEndpoint";
import { awsServerless } from "../providers/aws/serverless";
import { azureServerless } from "../providers/azure/serverless";
import { gcpServerless } from "../providers/gcp/serverless";
import {
  arr,
  childRecorder,
  installMocks,
  obj,
  one as oneOf,
  settle,
  valueOf,
  type Obj,
  type Registered,
} from "./testing/pulumiMocks";

const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm-sagemaker:0.11.0";
const SUB = "00000000-1111-2222-3333-444444444444";

function computed(type: string, name: string, inputs: Obj): Obj {
  if (type.startsWith("azure-native:")) {
    const id = `/subscriptions/${SUB}/resourceGroups/rg-mock/providers/${type}/${name}`;
    if (type === "azure-native:app:ContainerApp") {
      return {
        id,
        name: inputs["containerAppName"],
        configuration: {
          ...obj(inputs["configuration"]),
          ingress: {
            ...obj(obj(inputs["configuration"])["ingress"]),
            fqdn: `${String(inputs["containerAppName"])}.blue-sky.eastus.azurecontainerapps.io`,
          },
        },
      };
    }
    return { id, name: `${name}1a2b` };
  }
  switch (type) {
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::123456789012:role/${String(inputs["name"])}`, name: inputs["name"] };
    case "aws:sagemaker/model:Model":
      return { name: `${name}-7f3a9c1` };
    case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
      return { name: `${name}-5b2e8d0` };
    case "aws:appautoscaling/policy:Policy":
      return { arn: `arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:${name}` };
    case "gcp:cloudrunv2/service:Service":
      return { uri: `https://${String(inputs["name"])}-abcdefghij-uc.a.run.app` };
    default:
      return {};
  }
}

const isValidation =
  (field: string, message?: RegExp) =>
  (e: unknown): boolean =>
    e instanceof ValidationError && e.field === field && (!message || message.test(e.message));

describe("ServerlessEndpoint planning (pure)", () => {
  let mod: typeof import("./ServerlessEndpoint");
  before(async () => {
    mod = await import("./ServerlessEndpoint");
  });

  it("refuses a GPU the cloud's serverless product does not sell, naming the argument and what is offered", () => {
    assert.throws(
      () => mod.pickSku("gcp", gcpServerless, "H100", 1, undefined),
      isValidation("gpu", /^gpu: "H100" is not offered serverless on gcp \(cloud-run\); offered: L4\./),
    );
    assert.throws(
      () => mod.pickSku("azure", azureServerless, "L4", 1, undefined),
      isValidation("gpu", /offered: T4, A100-80GB/),
    );
    assert.throws(() => mod.pickSku("aws", awsServerless, "A200", 1, undefined), isValidation("gpu", /not a GPU type/));
    assert.throws(
      () => mod.pickSku("aws", awsServerless, "L4", 2, undefined),
      isValidation(
        "gpuCount",
        /2 × L4 is not offered serverless on aws \(sagemaker-async\); offered: L4×1 \(ml\.g6\.xlarge\), L4×4 \(ml\.g6\.12xlarge\), L4×8/,
      ),
    );
    assert.throws(
      () => mod.pickSku("gcp", gcpServerless, "L4", 1, "nvidia-l4-x"),
      isValidation("sku", /use one of: L4×1 \(nvidia-l4\)/),
    );
  });

  it("picks the smallest SKU by default and honours an exact one", () => {
    assert.equal(mod.pickSku("aws", awsServerless, "A10G", 1, undefined).sku, "ml.g5.xlarge");
    assert.equal(mod.pickSku("aws", awsServerless, "A10G", 4, undefined).sku, "ml.g5.12xlarge");
    assert.equal(mod.pickSku("azure", azureServerless, "A100-80GB", 1, "Consumption-GPU-NC24-A100").vcpus, 24);
  });

  it("defaults to the vLLM OpenAI server, port 8000, 3 instances, 16 concurrent requests", () => {
    const plan = mod.planServerlessEndpoint(
      "chat",
      { cloud: "gcp", region: "us-central1", gpu: "L4", modelUri: "gs://b/m/llama" },
      gcpServerless,
    );
    assert.deepEqual(plan.args, [
      "--model",
      "/mnt/models",
      "--served-model-name",
      "chat",
      "--host",
      "0.0.0.0",
      "--port",
      "8000",
      "--tensor-parallel-size",
      "1",
    ]);
    assert.equal(plan.image, "vllm/vllm-openai:v0.11.0");
    assert.deepEqual([plan.port, plan.maxInstances, plan.concurrency, plan.fromHub], [8000, 3, 16, false]);
    assert.deepEqual(plan.tags, { "managed-by": "modelplane" });
  });

  it("serves hf:// models from the Hub and appends extraArgs", () => {
    const plan = mod.planServerlessEndpoint(
      "chat",
      {
        cloud: "azure",
        region: "westus3",
        gpu: "T4",
        modelUri: "hf://Qwen/Qwen2.5-0.5B-Instruct",
        extraArgs: ["--max-model-len", "4096"],
      },
      azureServerless,
    );
    assert.equal(plan.fromHub, true);
    assert.equal(plan.args[1], "Qwen/Qwen2.5-0.5B-Instruct");
    assert.deepEqual(plan.args.slice(-2), ["--max-model-len", "4096"]);
  });

  it("rejects bad arguments, naming each", () => {
    const gcp: ServerlessEndpointArgs = { cloud: "gcp", region: "us-central1", gpu: "L4", modelUri: "gs://b/m" };
    const aws: ServerlessEndpointArgs = {
      cloud: "aws",
      region: "us-east-1",
      gpu: "L4",
      modelUri: "s3://b/m",
      image: ECR,
    };
    const cases: Array<[ServerlessEndpointArgs, ServerlessEndpointArgs["cloud"], string, RegExp]> = [
      [{ ...gcp, cloud: "ibm" as unknown as ServerlessEndpointArgs["cloud"] }, "gcp", "cloud", /not a supported cloud/],
      [{ ...gcp, maxInstances: 0 }, "gcp", "maxInstances", /1 to 100/],
      [{ ...gcp, concurrency: 2.5 }, "gcp", "concurrency", /whole number/],
      [{ ...gcp, gpuCount: 0 }, "gcp", "gpuCount", /whole number/],
      [{ ...gcp, modelUri: "s3://b/m" }, "gcp", "modelUri", /not readable on gcp; use gs:\/\//],
      [{ ...gcp, modelUri: "hf://not-a-repo" }, "gcp", "modelUri", /hf:\/\/<org>\/<repo>/],
      [{ ...gcp, workloadProfileName: "gpu-t4" }, "gcp", "workloadProfileName", /environmentId/],
      [{ ...aws, port: 8000 }, "aws", "port", /must listen on 8080/],
      [{ ...aws, image: undefined }, "aws", "image", /required on aws: SageMaker pulls only from Amazon ECR/],
      [{ ...aws, image: "vllm/vllm-openai:v0.11.0" }, "aws", "image", /not an Amazon ECR image/],
      [{ ...aws, args: ["serve", "--model", "/opt/ml/model"] }, "aws", "args[0]", /not a --flag/],
      [
        { ...aws, modelUri: "hf://Qwen/Qwen2.5-0.5B-Instruct" },
        "aws",
        "asyncOutputUri",
        /required on aws when modelUri is hf/,
      ],
      [
        { cloud: "azure", region: "westus3", gpu: "T4", modelUri: "https://acct1.blob.core.windows.net/models/llama" },
        "azure",
        "modelAccess",
        /user-assigned identity/,
      ],
      // #3: Microsoft does not list eastus for the Container Apps serverless T4.
      [
        { cloud: "azure", region: "eastus", gpu: "T4", modelUri: "hf://Qwen/Qwen2.5-0.5B-Instruct" },
        "azure",
        "region",
        /eastus does not offer the Container Apps serverless GPU Consumption-GPU-NC8as-T4; regions that do: .*westus3/,
      ],
    ];
    const providers = { aws: awsServerless, gcp: gcpServerless, azure: azureServerless };
    for (const [args, cloud, field, message] of cases) {
      assert.throws(
        () => mod.planServerlessEndpoint("ep", args, providers[cloud]),
        isValidation(field, message),
        `${field}: ${JSON.stringify(args)}`,
      );
    }
  });
});

describe("ServerlessEndpoint (mocks)", () => {
  let registered: Registered[];
  let mod: typeof import("./ServerlessEndpoint");
  let recorder: ReturnType<typeof childRecorder>;

  before(async () => {
    registered = await installMocks({ state: computed });
    recorder = childRecorder(registered);
    mod = await import("./ServerlessEndpoint");
  });
  beforeEach(() => {
    registered.length = 0;
    recorder.clear();
  });

  const COST = { model: "llama-3-8b", owner: "ML", costCenter: "cc-42" };

  async function build(name: string, args: ServerlessEndpointArgs) {
    const endpoint = new mod.ServerlessEndpoint(name, args, recorder.opts);
    const [url, environmentId, serviceName] = await Promise.all([
      valueOf(endpoint.url),
      valueOf(endpoint.environmentId),
      valueOf(endpoint.serviceName),
    ]);
    await settle(registered);
    return { endpoint, url, environmentId, serviceName, children: recorder.children(name, endpoint) };
  }
  const one = (type: string): Registered => oneOf(registered, type);

  it("gcp: Cloud Run v2 with one L4, 4 vCPU / 16 GiB, min 0 instances, the store's service account and a GCS volume", async () => {
    const { url, environmentId, children } = await build("llama", {
      cloud: "gcp",
      region: "us-central1",
      gpu: "L4",
      project: "proj-1",
      modelUri: "gs://mp-models-1a2b3c4d/models/llama/v1",
      maxInstances: 4,
      concurrency: 8,
      ...COST,
      modelAccess: {
        identity: "mp-rd@proj-1.iam.gserviceaccount.com",
        clientId: "mp-rd@proj-1.iam.gserviceaccount.com",
        grant: "g",
      },
      allowUnauthenticated: true,
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "gcp:cloudrunv2/service:Service",
      "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    ]);
    const svc = one("gcp:cloudrunv2/service:Service");
    const template = obj(svc.inputs["template"]);
    assert.deepEqual(template["nodeSelector"], { accelerator: "nvidia-l4" });
    assert.deepEqual(template["scaling"], { minInstanceCount: 0, maxInstanceCount: 4 });
    assert.equal(template["gpuZonalRedundancyDisabled"], true);
    assert.equal(template["maxInstanceRequestConcurrency"], 8);
    assert.equal(template["serviceAccount"], "mp-rd@proj-1.iam.gserviceaccount.com");
    assert.deepEqual(template["volumes"], [
      {
        name: "model",
        gcs: { bucket: "mp-models-1a2b3c4d", readOnly: true, mountOptions: ["only-dir=models/llama/v1"] },
      },
    ]);
    const container = obj(arr(template["containers"])[0]);
    const resources = obj(container["resources"]);
    assert.deepEqual(resources["limits"], { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" });
    assert.equal(resources["cpuIdle"], false);
    assert.equal(container["image"], "vllm/vllm-openai:v0.11.0");
    assert.deepEqual(container["volumeMounts"], [{ name: "model", mountPath: "/mnt/models" }]);
    assert.ok(
      arr(container["envs"]).some(
        (e) => obj(e)["name"] === "MODEL_URI" && obj(e)["value"] === "gs://mp-models-1a2b3c4d/models/llama/v1",
      ),
    );
    assert.equal(svc.inputs["deletionProtection"], false);
    const labels = { "cost-center": "cc-42", "managed-by": "modelplane", model: "llama-3-8b", owner: "ml" };
    assert.deepEqual(svc.inputs["labels"], labels);
    assert.deepEqual(template["labels"], labels);
    const invoker = one("gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
    assert.deepEqual([invoker.inputs["role"], invoker.inputs["member"]], ["roles/run.invoker", "allUsers"]);
    assert.match(url, /^https:\/\/llama-[0-9a-f]{8}-abcdefghij-uc\.a\.run\.app$/);
    assert.equal(environmentId, undefined);
  });

  it("azure: creates a GPU environment (T4 profile) and a Container App scaling 0→N that downloads the weights as the store identity", async () => {
    const { url, environmentId, children } = await build("phi", {
      cloud: "azure",
      region: "westus3",
      gpu: "T4",
      modelUri: "https://mpmodels1a2b3c4d.blob.core.windows.net/models/phi/v2",
      maxInstances: 2,
      ...COST,
      modelAccess: {
        identity: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader",
        clientId: "client-123",
        grant: "g",
      },
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "azure-native:app:ContainerApp",
      "azure-native:app:ManagedEnvironment",
      "azure-native:resources:ResourceGroup",
    ]);
    const env = one("azure-native:app:ManagedEnvironment");
    assert.deepEqual(env.inputs["workloadProfiles"], [
      { name: "Consumption", workloadProfileType: "Consumption" },
      { name: "gpu-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
    ]);
    const app = one("azure-native:app:ContainerApp");
    assert.equal(app.inputs["workloadProfileName"], "gpu-t4");
    assert.equal(app.inputs["managedEnvironmentId"], environmentId);
    assert.match(String(environmentId), /app:ManagedEnvironment\/phi-env$/);
    const template = obj(app.inputs["template"]);
    const scale = obj(template["scale"]);
    assert.deepEqual([scale["minReplicas"], scale["maxReplicas"]], [0, 2]);
    assert.deepEqual(arr(scale["rules"]), [
      { name: "http-concurrency", http: { metadata: { concurrentRequests: "16" } } },
    ]);
    const main = obj(arr(template["containers"])[0]);
    assert.equal(obj(main["resources"])["gpu"], 1);
    assert.deepEqual(arr(main["args"]).slice(0, 2), ["--model", "/models/weights"]);
    assert.ok(arr(main["env"]).some((e) => obj(e)["name"] === "AZURE_CLIENT_ID" && obj(e)["value"] === "client-123"));
    // #9: no init container (it gets no managed identity); the server container downloads, then serves.
    assert.equal(template["initContainers"], undefined);
    const script = String(arr(main["command"])[2]);
    assert.doesNotMatch(script, /az login/);
    assert.match(script, /IDENTITY_ENDPOINT/);
    assert.match(script, /account, container, prefix = 'mpmodels1a2b3c4d', 'models', 'phi\/v2\/'/);
    assert.match(script, /exec python3 -m vllm\.entrypoints\.openai\.api_server "\$@"$/);
    assert.deepEqual(template["volumes"], [{ name: "model", storageType: "EmptyDir" }]);
    assert.deepEqual(obj(app.inputs["identity"]), {
      type: "UserAssigned",
      userAssignedIdentities: [
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader",
      ],
    });
    assert.equal(obj(obj(app.inputs["configuration"])["ingress"])["external"], false);
    const tags = { "cost-center": "cc-42", "managed-by": "modelplane", model: "llama-3-8b", owner: "ML" };
    for (const c of children) assert.deepEqual(c.inputs["tags"], tags, c.type);
    assert.match(url, /^https:\/\/phi-[0-9a-f]{6}\.blue-sky\.eastus\.azurecontainerapps\.io$/);
  });

  it("azure: weights past the replica's 8 GiB go on an Azure Files share mounted as the weights volume, its key kept secret (#9)", async () => {
    const envId = "/subscriptions/s/resourceGroups/rg-platform/providers/Microsoft.App/managedEnvironments/mp-gpu";
    const { children } = await build("big", {
      cloud: "azure",
      region: "westus3",
      gpu: "A100-80GB",
      modelUri: "https://mpmodels1a2b3c4d.blob.core.windows.net/models/llama/70b",
      environmentId: envId,
      resourceGroupName: "rg-platform",
      workloadProfileName: "gpu-a100",
      weightsGiB: 140,
      ...COST,
      modelAccess: {
        identity: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader",
        clientId: "client-123",
        grant: "g",
      },
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "azure-native:app:ContainerApp",
      "azure-native:app:ManagedEnvironmentsStorage",
      "azure-native:storage:FileShare",
      "azure-native:storage:StorageAccount",
    ]);
    const share = one("azure-native:storage:FileShare");
    assert.equal(share.inputs["shareQuota"], 168);
    const envStorage = one("azure-native:app:ManagedEnvironmentsStorage");
    assert.deepEqual(
      [envStorage.inputs["environmentName"], envStorage.inputs["resourceGroupName"]],
      ["mp-gpu", "rg-platform"],
    );
    // The properties carry the account key, so the whole input is a secret.
    const secret = obj(envStorage.inputs["properties"]);
    assert.equal(secret["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
    const azureFile = obj(obj(secret["value"])["azureFile"]);
    assert.equal(azureFile["accessMode"], "ReadWrite");
    assert.equal(azureFile["accountKey"], "mock-account-key");
    const template = obj(one("azure-native:app:ContainerApp").inputs["template"]);
    const [volume] = arr(template["volumes"]).map(obj);
    assert.equal(volume?.["storageType"], "AzureFile");
    assert.match(String(volume?.["storageName"]), /^big-weights-storage/);
    const script = String(arr(obj(arr(template["containers"])[0])["command"])[2]);
    assert.match(script, /if \[ ! -f '\/models\/weights\/\.modelplane-complete' \]; then/);
  });

  it("azure: with an existing environment adds only the Container App, on the named A100 profile", async () => {
    const envId = "/subscriptions/s/resourceGroups/rg-platform/providers/Microsoft.App/managedEnvironments/mp-gpu";
    const { environmentId, children } = await build("big", {
      cloud: "azure",
      region: "westus3",
      gpu: "A100-80GB",
      modelUri: "hf://Qwen/Qwen2.5-7B-Instruct",
      environmentId: envId,
      resourceGroupName: "rg-platform",
      workloadProfileName: "gpu-a100",
    });
    assert.deepEqual(
      children.map((c) => c.type),
      ["azure-native:app:ContainerApp"],
    );
    const app = one("azure-native:app:ContainerApp");
    assert.equal(app.inputs["managedEnvironmentId"], envId);
    assert.equal(app.inputs["resourceGroupName"], "rg-platform");
    assert.equal(app.inputs["workloadProfileName"], "gpu-a100");
    assert.equal(environmentId, envId);
    const template = obj(app.inputs["template"]);
    assert.equal(template["initContainers"], undefined);
    assert.equal(obj(arr(template["containers"])[0])["command"], undefined, "hf:// needs no download step");
    assert.deepEqual(obj(arr(template["containers"])[0])["resources"], { cpu: 23.5, memory: "219Gi", gpu: 1 });
  });

  it("aws: a SageMaker async endpoint on ml.g6.xlarge that autoscales between 0 and max on the backlog", async () => {
    const { url, serviceName, children } = await build("mistral", {
      cloud: "aws",
      region: "us-east-1",
      gpu: "L4",
      image: ECR,
      modelUri: "s3://mp-models-1a2b3c4d/models/mistral/v1",
      maxInstances: 5,
      concurrency: 4,
      extraArgs: ["--max-model-len", "8192", "--enforce-eager"],
      ...COST,
      modelAccess: {
        identity: "arn:aws:iam::123456789012:role/reader",
        clientId: "arn:aws:iam::123456789012:role/reader",
        grant: "arn:aws:iam::123456789012:policy/reader",
      },
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "aws:appautoscaling/policy:Policy",
      "aws:appautoscaling/policy:Policy",
      "aws:appautoscaling/target:Target",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:sagemaker/endpoint:Endpoint",
      "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
      "aws:sagemaker/model:Model",
    ]);
    const model = one("aws:sagemaker/model:Model");
    const container = obj(model.inputs["primaryContainer"]);
    assert.equal(container["image"], ECR);
    assert.deepEqual(container["environment"], {
      SM_VLLM_MODEL: "/opt/ml/model",
      SM_VLLM_SERVED_MODEL_NAME: "mistral",
      SM_VLLM_TENSOR_PARALLEL_SIZE: "1",
      SM_VLLM_MAX_MODEL_LEN: "8192",
      SM_VLLM_ENFORCE_EAGER: "",
      MODEL_URI: "s3://mp-models-1a2b3c4d/models/mistral/v1",
      MODEL_DIR: "/opt/ml/model",
      SERVED_MODEL_NAME: "mistral",
    });
    assert.deepEqual(obj(container["modelDataSource"]), {
      s3DataSources: [
        { s3Uri: "s3://mp-models-1a2b3c4d/models/mistral/v1/", s3DataType: "S3Prefix", compressionType: "None" },
      ],
    });
    const config = one("aws:sagemaker/endpointConfiguration:EndpointConfiguration");
    const variant = obj(arr(config.inputs["productionVariants"])[0]);
    assert.deepEqual(
      [variant["instanceType"], variant["initialInstanceCount"], variant["modelName"]],
      ["ml.g6.xlarge", 1, "mistral-model-7f3a9c1"],
    );
    const asyncConfig = obj(config.inputs["asyncInferenceConfig"]);
    assert.match(
      String(obj(asyncConfig["outputConfig"])["s3OutputPath"]),
      /^s3:\/\/mp-models-1a2b3c4d\/async\/mp-mistral-[0-9a-f]{8}\/output$/,
    );
    assert.deepEqual(asyncConfig["clientConfig"], { maxConcurrentInvocationsPerInstance: 4 });
    const target = one("aws:appautoscaling/target:Target");
    assert.deepEqual(
      [
        target.inputs["minCapacity"],
        target.inputs["maxCapacity"],
        target.inputs["scalableDimension"],
        target.inputs["serviceNamespace"],
      ],
      [0, 5, "sagemaker:variant:DesiredInstanceCount", "sagemaker"],
    );
    assert.equal(target.inputs["resourceId"], `endpoint/${serviceName}/variant/AllTraffic`);
    const policies = registered.filter((r) => r.type === "aws:appautoscaling/policy:Policy");
    const tracking = obj(
      policies.find((p) => p.inputs["policyType"] === "TargetTrackingScaling")?.inputs[
        "targetTrackingScalingPolicyConfiguration"
      ],
    );
    assert.equal(tracking["targetValue"], 4);
    assert.equal(obj(tracking["customizedMetricSpecification"])["metricName"], "ApproximateBacklogSizePerInstance");
    const step = policies.find((p) => p.inputs["policyType"] === "StepScaling");
    assert.deepEqual(arr(obj(step?.inputs["stepScalingPolicyConfiguration"])["stepAdjustments"]), [
      { metricIntervalLowerBound: "0", scalingAdjustment: 1 },
    ]);
    const alarm = one("aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.deepEqual(
      [alarm.inputs["metricName"], alarm.inputs["threshold"], alarm.inputs["comparisonOperator"]],
      ["HasBacklogWithoutCapacity", 1, "GreaterThanOrEqualToThreshold"],
    );
    assert.deepEqual(alarm.inputs["alarmActions"], [
      `arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:${step?.name ?? ""}`,
    ]);
    assert.equal(
      one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs["policyArn"],
      "arn:aws:iam::123456789012:policy/reader",
    );
    const inline = JSON.parse(String(one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])) as {
      Statement: Array<{ Sid: string }>;
    };
    assert.deepEqual(
      inline.Statement.map((s) => s.Sid),
      ["PullImage", "Logs", "Metrics", "AsyncIO"],
      "model read comes from the store's policy",
    );
    const tags = { "cost-center": "cc-42", "managed-by": "modelplane", model: "llama-3-8b", owner: "ML" };
    // Every child whose AWS type takes tags (inline policies, attachments and scaling policies take none).
    const untaggable = new Set([
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:appautoscaling/policy:Policy",
    ]);
    const taggable = children.filter((r) => !untaggable.has(r.type));
    assert.equal(taggable.length, 6);
    for (const c of taggable) assert.deepEqual(c.inputs["tags"], tags, c.type);
    assert.equal(url, `https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/${serviceName}/async-invocations`);
    assert.match(serviceName, /^mp-mistral-[0-9a-f]{8}$/);
  });

  it("throws for a GPU the cloud does not sell serverless before registering anything", () => {
    assert.throws(
      () => new mod.ServerlessEndpoint("x", { cloud: "gcp", region: "us-central1", gpu: "A100", modelUri: "gs://b/m" }),
      /^ValidationError: gpu: "A100" is not offered serverless on gcp \(cloud-run\); offered: L4/,
    );
  });
});
