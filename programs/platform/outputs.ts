/**
 * The platform stack's outputs, as later stacks read them through a `StackReference`: two
 * outputs, each keyed by cluster name (`modelplane:clouds[].name`, default `<cloud>-<region>`):
 *
 *   clusters     plain: `{ "aws-us-east-1": PlatformClusterOutput, "aws-eu-west-1": …, "onprem": … }`
 *   kubeconfigs  SECRET: `{ "aws-us-east-1": "<kubeconfig>", … }`
 *
 *   const platform = new pulumi.StackReference("org/modelplane-platform/dev");
 *   const clusters = platform.getOutput("clusters") as pulumi.Output<Record<string, PlatformClusterOutput>>;
 *
 * A deployment picks the cluster whose cloud and region match its placement. Kubeconfigs live in
 * their own output so that `clusters` stays plain (Pulumi makes a whole output secret when any
 * part of it is).
 */
import type { Cloud, GpuType } from "../../platform/core/types";
import type { FootprintCloud } from "../../platform/core/footprint";
import type { PoolCapacity, Toleration } from "../../providers/types/pool";

/** `ClusterRef` with every Input resolved: assignable to `ClusterRef` as is. */
export interface ClusterRefOutput {
  cloud: Cloud;
  region: string;
  clusterName: string;
  /** AWS */
  nodeRoleArn?: string;
  /** AWS */
  subnetIds?: string[];
  /** AWS */
  kubernetesVersion?: string;
  /** GCP */
  project?: string;
  /** GCP */
  location?: string;
  /** Azure */
  resourceGroupName?: string;
}

/** One GPU node pool (a SpotPool's primary pool or its on-demand fallback). */
export interface PoolOutput {
  /** The configured pool name (`gpuPools[].name`); a fallback is `<name>-fallback`. */
  name: string;
  /** The node pool's name on the cloud (the `modelplane.dev/pool` label value). */
  poolName: string;
  gpuType: GpuType;
  /** Instance type of one node; absent for an existing cluster's pool that does not declare it. */
  instanceType?: string;
  /** GPUs per node. */
  gpuCount: number;
  capacity: PoolCapacity;
  minNodes: number;
  maxNodes: number;
  /** Labels a pod selects to land on this pool. */
  nodeSelector: Record<string, string>;
  /** Tolerations a pod needs for this pool's taints. */
  tolerations: Toleration[];
  /** For a spot pool with a fallback: the fallback's `name`; absent otherwise. */
  fallback?: string;
  /** An existing cluster's pool: the declared price of one node, USD/hour (chargeback); absent if unpriced. */
  nodeHourlyUsd?: number;
}

/** The cloud's model store (absent when `store: false`). */
export interface StoreOutput {
  /** `s3://…`, `gs://…` or `https://<acct>.blob.core.windows.net/<container>`. */
  uri: string;
  /** Bucket / storage-account name. */
  storageName: string;
  /** The read-only identity: AWS role ARN, GCP service-account email, Azure identity resource id. */
  readerIdentity: string;
  /** What a Kubernetes service-account annotation names (AWS role ARN, GCP SA email, Azure client id). */
  readerClientId: string;
  /**
   * The read grant (`ModelStore.access.grant`): AWS read-only policy ARN, GCP IAM member id, Azure
   * role-assignment id. Serverless endpoints need it (with the two above) as `modelAccess`.
   */
  readerGrant: string;
}

/** The cloud's serverless GPU product, for per-model ServerlessEndpoints. */
export interface ServerlessOutput {
  /** Product id: `sagemaker-async`, `cloud-run`, `container-apps`. */
  product: string;
  /** SKUs offered (`nvidia-l4`, `Consumption-GPU-NC8as-T4`, `ml.g5.xlarge`, …). */
  skus: string[];
  /**
   * The shared environment endpoints join (`ServerlessEnvironment.environmentId`): on Azure the
   * Container Apps environment id; absent on clouds whose product needs none (Cloud Run, SageMaker).
   */
  environmentId?: string;
  /** Azure: the resource group holding the environment (endpoints' apps go there too). */
  resourceGroupName?: string;
  /**
   * Azure: the environment's GPU workload-profile NAME per SKU (`Consumption-GPU-NC24-A100` →
   * `gpu-a100`); a per-model stack picks the one of its placement's SKU. Absent elsewhere.
   */
  workloadProfileNames?: Record<string, string>;
}

/**
 * The cluster's inference gateway (issue 14): one Gateway API `Gateway` per cluster, installed by
 * the platform program (`ClusterGateway`). Model stacks attach an `HTTPRoute` to it.
 *
 * Routing is by path: a cluster model is served at `${url}/<namespace>/<service>/v1`, so the
 * OpenAI SDK works unchanged with that `base_url`; the route strips `/<namespace>/<service>`.
 * The gateway authenticates every request against the control plane (ext auth on
 * `/v1/inference-keys/check/<namespace>/<service>/…`) and rate-limits per key on the header
 * `x-modelplane-inference-key` the check returns. A path no route claims gets a 404 in OpenAI's
 * error shape.
 */
export interface GatewayOutput {
  /** The `Gateway` object's name (an HTTPRoute's `parentRefs[].name`). */
  name: string;
  /** The `Gateway` object's namespace (an HTTPRoute's `parentRefs[].namespace`). */
  namespace: string;
  /** The HTTPS listener (`parentRefs[].sectionName`). */
  listener: string;
  /** The hostname clients call: the DNS record when a zone is configured, else the LB address. */
  hostname: string;
  /** The load balancer's public address (IP or DNS name); in an offline plan, a placeholder that says so. */
  address: string;
  /** `https://<hostname>`, without a trailing slash. */
  url: string;
}

/** One cluster of the platform: a managed cluster on a cloud, or an existing cluster. */
export interface PlatformClusterOutput {
  /** The entry's name (the key of this output). */
  name: string;
  /** The cloud, or `kubernetes` for an existing cluster. */
  cloud: FootprintCloud;
  region: string;
  clusterName: string;
  /** API server URL (managed clusters). */
  endpoint?: string;
  /** What a node pool needs; absent for an existing cluster (model stacks add no pools there). */
  clusterRef?: ClusterRefOutput;
  /** Whether a model stack may add a dedicated node pool here. */
  dedicatedPools: boolean;
  pools: PoolOutput[];
  store?: StoreOutput;
  serverless?: ServerlessOutput;
  /** The cluster's inference gateway; absent when the platform installs none (`modelplane:gateway`). */
  gateway?: GatewayOutput;
  /**
   * The permissions boundary every role a model stack creates here must carry (AWS: the IAM policy
   * ARN `arn:aws:iam::<account>:policy/<control plane>-stack-role-boundary`). Set on the clusters of
   * the control plane's cloud when its workers may create roles only with it; absent otherwise.
   */
  stackRoleBoundaryArn?: string;
}

/** All of the platform stack's outputs. */
export interface PlatformOutputs {
  clusters: Record<string, PlatformClusterOutput>;
  /** Secret. */
  kubeconfigs: Record<string, string>;
}

/** The names of the platform stack's outputs. */
export const CLUSTERS_OUTPUT = "clusters";
export const KUBECONFIGS_OUTPUT = "kubeconfigs";
