/**
 * The platform stack's outputs, as later stacks read them through a `StackReference`:
 * one output per enabled cloud, named by the cloud (`aws`, `gcp`, `azure`).
 *
 *   const platform = new pulumi.StackReference("org/modelplane-platform/dev");
 *   const aws = platform.getOutput("aws") as pulumi.Output<PlatformCloudOutput>;
 *   const ref = aws.apply((o) => o.clusterRef);   // a ClusterRef for SpotPool / the k8s provider
 *
 * Only `kubeconfig` is secret; everything else is plain.
 */
import type { Cloud, GpuType } from "../../platform/core/types";
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
  instanceType: string;
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

export interface PlatformCloudOutput {
  region: string;
  clusterName: string;
  /** API server URL. */
  endpoint: string;
  /** Secret. */
  kubeconfig: string;
  clusterRef: ClusterRefOutput;
  pools: PoolOutput[];
  store?: StoreOutput;
  serverless: ServerlessOutput;
}

/** All of the platform stack's outputs. */
export type PlatformOutputs = Partial<Record<Cloud, PlatformCloudOutput>>;
