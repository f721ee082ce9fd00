/**
 * The contract a cloud implements for `components/ServerlessEndpoint.ts`: a GPU inference endpoint
 * that scales to zero, built on the cloud's serverless (or scale-to-zero) GPU product.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GpuType } from "../../platform/core/types";

/** One shape the cloud's serverless product sells. Facts, cited in each provider's table. */
export interface ServerlessSku {
  /** Product id, e.g. `cloud-run`, `container-apps`, `sagemaker-async` (same ids as the pricing catalog). */
  product: string;
  /** What the deployment must request: a Cloud Run accelerator, a workload-profile type, an instance type. */
  sku: string;
  gpuType: GpuType;
  /** GPUs per instance. */
  gpuCount: number;
  /** vCPUs given to the container (the product's minimum for this GPU, or the instance's vCPUs). */
  vcpus: number;
  /** Memory given to the container, GiB. */
  memoryGiB: number;
  /** Where the facts come from and when they were read. */
  source: string;
}

/** Access to the model store, as `ModelStore.access` outputs it (see providers/types/store.ts). */
export interface ModelAccessInput {
  /** AWS reader role ARN / GCP service-account email / Azure user-assigned identity resource id. */
  identity: pulumi.Input<string>;
  /** AWS role ARN / GCP service-account email / Azure identity client id. */
  clientId: pulumi.Input<string>;
  /** AWS read-only IAM policy ARN / GCP IAM member id / Azure role-assignment id. */
  grant: pulumi.Input<string>;
}

/** Everything a cloud needs to build the endpoint, already validated by the component. */
export interface ServerlessPlan {
  /** Component name; children are `${name}-<role>`. */
  name: string;
  /**
   * `<organization>/<project>/<stack>`: mixed into the hash of every cloud-side name, so the same
   * component name in two stacks of one account/project/resource group does not collide.
   */
  namespace: string;
  region: string;
  /** The chosen shape (validated against the provider's `skus`). */
  sku: ServerlessSku;
  /** Container image of the model server. */
  image: pulumi.Input<string>;
  /** Server arguments (already defaulted to the vLLM OpenAI server's). */
  args: pulumi.Input<string>[];
  /** Extra environment variables (`MODEL_URI`, `MODEL_DIR` and `SERVED_MODEL_NAME` are added by the provider). */
  env: Record<string, pulumi.Input<string>>;
  /** Where the weights are (`s3://`, `gs://`, `https://<acct>.blob.core.windows.net/<container>/...`). */
  modelUri: pulumi.Input<string>;
  /**
   * `true` when `modelUri` is `hf://<org>/<repo>`: the server downloads from the Hugging Face Hub
   * itself and the provider mounts nothing; `modelDir` is then the repo id.
   */
  fromHub: boolean;
  /** What the server's `--model` names: the directory the provider mounts/downloads into, or the Hub repo id. */
  modelDir: string;
  /** Name the server announces (`--served-model-name`). */
  servedModelName: string;
  /** Port the server listens on. */
  port: number;
  /** Upper bound of concurrently running instances. */
  maxInstances: number;
  /** Concurrent requests one instance takes before the platform adds another. */
  concurrency: number;
  /** Size of the weights, GiB, when known (picks the weights volume where a provider downloads them). */
  weightsGiB?: number;
  /** Cost tags, merged with `managed-by: modelplane`. */
  tags: Record<string, string>;
  /** Read access to the model store; absent = the provider creates none (public or pre-granted weights). */
  modelAccess?: ModelAccessInput;
  /** Allow unauthenticated callers (GCP: `allUsers` invoker; Azure: external ingress). */
  allowUnauthenticated: boolean;
  /** GCP project. */
  project?: string;
  /** Azure resource group. Absent = the endpoint creates `${name}-rg`. */
  resourceGroupName?: pulumi.Input<string>;
  /** Azure: an existing Container Apps environment to add the app to; absent = create one. */
  environmentId?: pulumi.Input<string>;
  /** Azure: the GPU workload-profile name inside `environmentId` (default: the provider's name for the SKU). */
  workloadProfileName?: string;
  /** AWS: where asynchronous results are written (`s3://...`); absent = `<model bucket>/async-output/<name>/`. */
  asyncOutputUri?: pulumi.Input<string>;
  /** The permissions boundary every role the provider creates carries (AWS: IAM policy ARN); absent = none. */
  roleBoundary?: pulumi.Input<string>;
}

export interface ServerlessResult {
  /** The HTTPS URL callers use. */
  url: pulumi.Output<string>;
  /** The Azure Container Apps environment id (created or passed in); `undefined` elsewhere. */
  environmentId: pulumi.Output<string | undefined>;
  /** The cloud's name of the deployed service/app/endpoint. */
  serviceName: pulumi.Output<string>;
}

/** A shared serverless environment (Azure Container Apps); other clouds need none. */
export interface EnvironmentPlan {
  /** Component name; children are `${name}-<role>`. */
  name: string;
  /** `<organization>/<project>/<stack>`, mixed into the environment's name hash. */
  namespace: string;
  region: string;
  /** The SKUs the environment must be able to run (one workload profile each on Azure). */
  skus: readonly ServerlessSku[];
  tags: Record<string, string>;
  /** Azure resource group; absent = create `${name}-rg`. */
  resourceGroupName?: pulumi.Input<string>;
}

export interface EnvironmentResult {
  /** Environment id to pass as `ServerlessEndpointArgs.environmentId`. */
  environmentId: pulumi.Output<string>;
  /** Resource group holding the environment (pass as `ServerlessEndpointArgs.resourceGroupName`). */
  resourceGroupName: pulumi.Output<string>;
  /** Workload-profile NAME per SKU (`Consumption-GPU-NC8as-T4` → `gpu-t4`). */
  workloadProfileNames: Record<string, string>;
}

export interface ServerlessProvider {
  /** Product id, e.g. `cloud-run`. */
  readonly product: string;
  /** Every shape this cloud's serverless product offers. */
  readonly skus: readonly ServerlessSku[];
  /**
   * The shapes offered in `region`, where the product is sold in some regions only (Azure Container
   * Apps serverless GPUs); absent = every region. Pure.
   */
  skusIn?(region: string): readonly ServerlessSku[];
  /** Regions that offer `sku`, for error messages; absent = every region. Pure. */
  regionsFor?(sku: ServerlessSku): readonly string[];
  /** Default model-server image on this cloud. */
  readonly defaultImage: string;
  /** Port the platform requires (SageMaker: 8080); `undefined` = any. */
  readonly requiredPort?: number;
  /** Directory the provider mounts/downloads the weights into. */
  readonly modelDir: string;
  /** Largest weights, GiB, an instance can hold when the weights are downloaded (its disk, or a share it mounts); absent = no known limit. */
  readonly maxDownloadedWeightsGiB?: number;
  /** Whether `create` makes identities that take `roleBoundary` (AWS: the SageMaker execution role). */
  readonly createsRoles?: boolean;
  /** Cloud-specific checks on the plan (e.g. SageMaker pulls only from ECR). Throws ValidationError. Pure. */
  validate(plan: ServerlessPlan): void;
  create(plan: ServerlessPlan, parent: pulumi.ComponentResource): ServerlessResult;
  /** Create the shared environment endpoints join; absent when the cloud's product needs none. */
  createEnvironment?(plan: EnvironmentPlan, parent: pulumi.ComponentResource): EnvironmentResult;
}
