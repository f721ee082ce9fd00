/**
 * ServerlessEndpoint: a GPU inference endpoint that scales to zero, for bursty or small models.
 * GCP: Cloud Run with an L4. Azure: Container Apps on a serverless GPU workload profile.
 * AWS: a SageMaker asynchronous-inference endpoint whose instance count autoscales to 0.
 * The cloud specifics live in `providers/<cloud>/serverless.ts`; the shapes each cloud sells are
 * its provider's `skus` table.
 */
import * as pulumi from "@pulumi/pulumi";
import { GPU_TYPES, type Cloud, type GpuType } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { HUB_REPO_RE } from "../providers/kubernetes/model-fetch";
import { providerFor } from "../providers/registry";
import type {
  ModelAccessInput,
  ServerlessPlan,
  ServerlessProvider,
  ServerlessSku,
} from "../providers/types/serverless";
import { assertCloud } from "./clusterPlan";
import { defaultNamespace } from "./ModelStore";
import { costTags, type CostTagInput } from "../platform/core/tags";

export type { ModelAccessInput } from "../providers/types/serverless";

/**
 * Arguments of a ServerlessEndpoint. Fields that decide the shape or which resources exist are
 * plain values (validated when the component is constructed); the rest accept `pulumi.Input`.
 * The cost-tag arguments (`model`, `owner`, `costCenter`, `tags`) are `CostTagInput`'s.
 */
export interface ServerlessEndpointArgs extends CostTagInput {
  /** Cloud: `aws` (SageMaker async), `gcp` (Cloud Run) or `azure` (Container Apps). Required. */
  cloud: Cloud;
  /** Region / location code. Required. The product must offer GPUs there (not checked offline). */
  region: string;
  /**
   * GPU type per instance. Required. Offered: GCP `L4`; Azure `T4`, `A100-80GB`; AWS `T4`, `A10G`,
   * `L4`, `L40S`, `A100`, `A100-80GB`, `H100`. Anything else is an error naming what is offered.
   */
  gpu: GpuType;
  /** GPUs per instance. Default 1. Must be a count the product sells for `gpu` (Cloud Run and Container Apps: 1). */
  gpuCount?: number;
  /**
   * The exact SKU to request (Cloud Run accelerator, Container Apps workload-profile type, SageMaker
   * instance type), e.g. a Placement's `instanceType`. Default: the smallest SKU with `gpu` × `gpuCount`.
   * Must match `gpu` and `gpuCount`.
   */
  sku?: string;
  /**
   * Model-server image. Default: the vLLM OpenAI-compatible server (`vllm/vllm-openai`) on GCP and
   * Azure. Required on AWS, where SageMaker pulls only from Amazon ECR: push the vLLM image to ECR.
   */
  image?: pulumi.Input<string>;
  /**
   * Server arguments. Default: the vLLM OpenAI server's `--model <modelDir> --served-model-name
   * <servedModelName> --host 0.0.0.0 --port <port> --tensor-parallel-size <gpuCount>`.
   * Replaces the defaults entirely; `extraArgs` appends to them instead.
   */
  args?: pulumi.Input<string>[];
  /** Arguments appended to the default (or given) `args`, e.g. `["--max-model-len", "8192"]`. Default none. */
  extraArgs?: pulumi.Input<string>[];
  /** Extra environment variables for the server. `MODEL_URI`, `MODEL_DIR`, `SERVED_MODEL_NAME` are set for you. */
  env?: Record<string, pulumi.Input<string>>;
  /**
   * Where the weights are: `s3://bucket/prefix` (AWS), `gs://bucket/prefix` (GCP),
   * `https://<acct>.blob.core.windows.net/<container>/<prefix>` (Azure) — e.g. `ModelStore.uri` plus
   * the model's folder — or `hf://<org>/<repo>` on any cloud (the server downloads from the Hub;
   * pass `HF_TOKEN` in `env` for gated models). Required. Plain strings are checked against the cloud's scheme.
   */
  modelUri: pulumi.Input<string>;
  /** Name the server announces to OpenAI clients (`model` in requests). Default: the component name. */
  servedModelName?: string;
  /** Port the server listens on. Default 8000 (AWS: must be 8080, SageMaker's contract; the default there). */
  port?: number;
  /** Most instances running at once. Default 3; 1–100. Minimum is always 0 (scale to zero). */
  maxInstances?: number;
  /**
   * Concurrent requests per instance before another is added (Cloud Run `maxInstanceRequestConcurrency`,
   * Container Apps HTTP rule, SageMaker `maxConcurrentInvocationsPerInstance`). Default 16; 1–1000.
   */
  concurrency?: number;
  /**
   * Size of the weights, GiB, when known: a provider whose instances download them picks the
   * volume from it (Azure: an Azure Files share past the replica's ephemeral storage).
   */
  weightsGiB?: number;
  /** Read access to the model store: pass `ModelStore.access`. Default none (weights public or already granted). */
  modelAccess?: ModelAccessInput;
  /**
   * Let callers in without cloud credentials (GCP: `roles/run.invoker` for `allUsers`; Azure:
   * external ingress). Default false. AWS endpoints always require SigV4-signed calls.
   */
  allowUnauthenticated?: boolean;
  /** GCP only: project id. Default: the provider's project. */
  project?: string;
  /** Azure only: resource group. Default: the endpoint creates `${name}-rg` (or uses `environmentId`'s, if you pass this too). */
  resourceGroupName?: pulumi.Input<string>;
  /**
   * Azure only: an existing Container Apps environment (with a GPU workload profile) to add the
   * app to, e.g. `ServerlessEnvironment.environmentId` exported by the platform stack. Default:
   * the endpoint creates its own environment. Set `resourceGroupName` too when you pass this.
   */
  environmentId?: pulumi.Input<string>;
  /**
   * Azure only: the GPU workload-profile NAME inside `environmentId`. Default: the name modelplane
   * gives the SKU's profile (`gpu-t4`, `gpu-a100`). Conflicts with not passing `environmentId`.
   */
  workloadProfileName?: string;
  /**
   * AWS only: prefix for asynchronous I/O (`s3://…`): results go to `<prefix>/output`, failures to
   * `<prefix>/failures`, and the execution role may read inputs under it. Default
   * `s3://<model bucket>/async/<endpoint name>`. Required with an `hf://` modelUri.
   */
  asyncOutputUri?: pulumi.Input<string>;
  /**
   * The permissions boundary the roles the endpoint creates carry (AWS: an IAM policy ARN, the
   * platform's `stackRoleBoundaryArn`); ignored on clouds whose endpoints create no role.
   */
  roleBoundary?: pulumi.Input<string>;
}

const MODEL_URI_SCHEMES: Readonly<Record<Cloud, RegExp>> = {
  aws: /^s3:\/\/[^/]+/,
  gcp: /^gs:\/\/[^/]+/,
  azure: /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/[^/]+/,
};

const MODEL_URI_EXAMPLES: Readonly<Record<Cloud, string>> = {
  aws: "s3://<bucket>/<prefix>",
  gcp: "gs://<bucket>/<prefix>",
  azure: "https://<account>.blob.core.windows.net/<container>/<prefix>",
};

/** `hf://org/repo` → `org/repo`; `undefined` for any other URI. Throws for a malformed `hf://` URI. Pure. */
export function hubRepoOf(uri: string): string | undefined {
  if (!uri.startsWith("hf://")) return undefined;
  const repo = uri.slice("hf://".length).replace(/\/+$/, "");
  if (!HUB_REPO_RE.test(repo)) {
    throw new ValidationError("modelUri", `"${uri}" is not a Hugging Face repo URI; use hf://<org>/<repo>`);
  }
  return repo;
}

function integer(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `${JSON.stringify(value)} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function describe(skus: readonly ServerlessSku[]): string {
  return skus.map((s) => `${s.gpuType}×${s.gpuCount} (${s.sku})`).join(", ");
}

/** Pick the SKU for the requested GPU, count and optional exact SKU; errors name the argument and what is offered. Pure. */
export function pickSku(
  cloud: Cloud,
  provider: Pick<ServerlessProvider, "product" | "skus">,
  gpu: unknown,
  gpuCount: number,
  sku: string | undefined,
): ServerlessSku {
  const known: readonly string[] = GPU_TYPES;
  if (typeof gpu !== "string" || !known.includes(gpu)) {
    throw new ValidationError("gpu", `${JSON.stringify(gpu)} is not a GPU type; use one of ${GPU_TYPES.join(", ")}`);
  }
  const forGpu = provider.skus.filter((s) => s.gpuType === gpu);
  if (forGpu.length === 0) {
    const offered = [...new Set(provider.skus.map((s) => s.gpuType))].join(", ");
    throw new ValidationError(
      "gpu",
      `"${gpu}" is not offered serverless on ${cloud} (${provider.product}); offered: ${offered}. Use a GPU cluster placement for ${gpu}`,
    );
  }
  const matching = forGpu.filter((s) => s.gpuCount === gpuCount);
  if (matching.length === 0) {
    throw new ValidationError(
      "gpuCount",
      `${gpuCount} × ${gpu} is not offered serverless on ${cloud} (${provider.product}); offered: ${describe(forGpu)}`,
    );
  }
  if (sku === undefined) {
    const first = matching[0];
    if (!first) throw new ValidationError("gpu", `no SKU for ${gpu}`);
    return first;
  }
  const exact = matching.find((s) => s.sku === sku);
  if (!exact) {
    throw new ValidationError(
      "sku",
      `"${sku}" does not sell ${gpuCount} × ${gpu} on ${cloud} (${provider.product}); use one of: ${describe(matching)}`,
    );
  }
  return exact;
}

/** The vLLM OpenAI server's arguments for a plan. Pure. */
export function defaultServerArgs(modelDir: string, servedModelName: string, port: number, gpuCount: number): string[] {
  return [
    "--model",
    modelDir,
    "--served-model-name",
    servedModelName,
    "--host",
    "0.0.0.0",
    "--port",
    String(port),
    "--tensor-parallel-size",
    String(gpuCount),
  ];
}

/**
 * Validate the arguments and resolve every default into a ServerlessPlan. Pure: `provider` is the
 * cloud's serverless facts and checks, `namespace` the org/project/stack mixed into cloud-side names.
 */
export function planServerlessEndpoint(
  name: string,
  args: ServerlessEndpointArgs,
  provider: Pick<ServerlessProvider, "product" | "skus" | "defaultImage" | "requiredPort" | "modelDir" | "validate">,
  namespace = "",
): ServerlessPlan {
  const cloud = assertCloud(args.cloud);
  if (typeof args.region !== "string" || args.region.trim() === "") {
    throw new ValidationError("region", "is required (e.g. us-east-1, us-central1, eastus)");
  }
  const gpuCount = integer("gpuCount", args.gpuCount ?? 1, 1, 16);
  const sku = pickSku(cloud, provider, args.gpu, gpuCount, args.sku);
  const port = integer("port", args.port ?? provider.requiredPort ?? 8000, 1, 65535);
  if (provider.requiredPort !== undefined && port !== provider.requiredPort) {
    throw new ValidationError(
      "port",
      `${port} is not allowed on ${cloud} (${provider.product}); the server must listen on ${provider.requiredPort}`,
    );
  }
  const maxInstances = integer("maxInstances", args.maxInstances ?? 3, 1, 100);
  const concurrency = integer("concurrency", args.concurrency ?? 16, 1, 1000);
  if (args.modelUri === undefined)
    throw new ValidationError("modelUri", "is required (e.g. ModelStore.uri plus the model's folder)");
  const hubRepo = typeof args.modelUri === "string" ? hubRepoOf(args.modelUri) : undefined;
  if (typeof args.modelUri === "string" && hubRepo === undefined && !MODEL_URI_SCHEMES[cloud].test(args.modelUri)) {
    throw new ValidationError(
      "modelUri",
      `"${args.modelUri}" is not readable on ${cloud}; use ${MODEL_URI_EXAMPLES[cloud]} (the cloud's store) or hf://<org>/<repo>`,
    );
  }
  const modelDir = hubRepo ?? provider.modelDir;
  const servedModelName = args.servedModelName ?? name;
  if (servedModelName.trim() === "") throw new ValidationError("servedModelName", "must not be empty");
  if (args.workloadProfileName !== undefined && args.environmentId === undefined) {
    throw new ValidationError(
      "workloadProfileName",
      "only applies with environmentId (an existing environment); omit it or pass environmentId",
    );
  }
  const baseArgs = args.args ?? defaultServerArgs(modelDir, servedModelName, port, gpuCount);
  const plan: ServerlessPlan = {
    name,
    namespace,
    region: args.region,
    sku,
    image: args.image ?? provider.defaultImage,
    args: [...baseArgs, ...(args.extraArgs ?? [])],
    env: { ...(args.env ?? {}) },
    modelUri: args.modelUri,
    fromHub: hubRepo !== undefined,
    modelDir,
    servedModelName,
    port,
    maxInstances,
    concurrency,
    tags: costTags(args),
    allowUnauthenticated: args.allowUnauthenticated ?? false,
  };
  if (args.modelAccess !== undefined) plan.modelAccess = args.modelAccess;
  if (args.project !== undefined) plan.project = args.project;
  if (args.resourceGroupName !== undefined) plan.resourceGroupName = args.resourceGroupName;
  if (args.environmentId !== undefined) plan.environmentId = args.environmentId;
  if (args.workloadProfileName !== undefined) plan.workloadProfileName = args.workloadProfileName;
  if (args.asyncOutputUri !== undefined) plan.asyncOutputUri = args.asyncOutputUri;
  if (args.roleBoundary !== undefined) plan.roleBoundary = args.roleBoundary;
  if (args.weightsGiB !== undefined) {
    if (!(Number.isFinite(args.weightsGiB) && args.weightsGiB > 0)) {
      throw new ValidationError("weightsGiB", `must be a positive number of GiB (got ${args.weightsGiB})`);
    }
    plan.weightsGiB = args.weightsGiB;
  }
  provider.validate(plan);
  return plan;
}

export class ServerlessEndpoint extends pulumi.ComponentResource {
  /** The HTTPS URL callers use (SageMaker: the async-invocations URL, SigV4-signed). */
  readonly url: pulumi.Output<string>;
  /** Azure: the Container Apps environment id (created or passed in). `undefined` on AWS and GCP. */
  readonly environmentId: pulumi.Output<string | undefined>;
  /** The cloud's name of the service / container app / SageMaker endpoint. */
  readonly serviceName: pulumi.Output<string>;
  /** The resolved plan (SKU, args, limits), for reports and tests. */
  readonly plan: ServerlessPlan;

  constructor(name: string, args: ServerlessEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:serverless:ServerlessEndpoint", name, {}, opts);
    const provider = providerFor(assertCloud(args.cloud)).serverless;
    this.plan = planServerlessEndpoint(name, args, provider, defaultNamespace());
    const result = provider.create(this.plan, this);
    this.url = result.url;
    this.environmentId = result.environmentId;
    this.serviceName = result.serviceName;
    this.registerOutputs({ url: this.url, environmentId: this.environmentId, serviceName: this.serviceName });
  }
}
