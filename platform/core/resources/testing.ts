/**
 * Test support (not a test file): a small catalog with every kind of price the resource pricing
 * reads, and resource builders per cloud. Fixture prices only — not for quoting.
 */
import type { Catalog, GpuOffer, ServerlessOffer } from "../pricing/types";
import type { Cloud, GpuType } from "../types";
import type { ResourceInput } from "./types";

function gpu(
  cloud: Cloud,
  region: string,
  instanceType: string,
  gpuType: GpuType,
  gpuCount: number,
  onDemand: number,
  spot: number | null,
): GpuOffer {
  return {
    cloud,
    region,
    instanceType,
    gpuType,
    gpuCount,
    gpuMemoryGiB: 24,
    vcpus: 8,
    memoryGiB: 32,
    onDemandHourlyUsd: onDemand,
    spotHourlyUsd: spot,
    source: "fixture",
    asOf: "2026-11-01",
  };
}

function serverless(
  cloud: Cloud,
  region: string,
  product: string,
  sku: string,
  gpuType: GpuType,
  perSecondUsd: number,
): ServerlessOffer {
  return {
    cloud,
    region,
    product,
    sku,
    gpuType,
    gpuCount: 1,
    gpuMemoryGiB: 24,
    vcpus: 8,
    memoryGiB: 32,
    perSecondUsd,
    source: "fixture",
    asOf: "2026-11-01",
  };
}

export function costCatalog(): Catalog {
  return {
    version: "fixture.cost.1",
    asOf: "2026-11-01",
    gpuOffers: [
      gpu("aws", "us-east-1", "g6.xlarge", "L4", 1, 0.8048, 0.349),
      gpu("aws", "us-east-1", "g5.12xlarge", "A10G", 4, 5.672, 2.1),
      gpu("aws", "us-west-2", "g6.xlarge", "L4", 1, 0.9, 0.4),
      gpu("aws", "us-east-1", "p5.48xlarge", "H100", 8, 55.04, null),
      gpu("gcp", "us-central1", "g2-standard-8", "L4", 1, 0.85, 0.3),
      gpu("gcp", "us-central1", "a2-ultragpu-2g", "A100-80GB", 2, 10.14, 4.0),
      gpu("azure", "eastus", "Standard_NC4as_T4_v3", "T4", 1, 0.526, 0.0627),
      gpu("azure", "eastus", "Standard_NC24ads_A100_v4", "A100-80GB", 1, 3.673, 0.4444),
    ],
    serverless: [
      serverless("gcp", "us-central1", "cloud-run", "nvidia-l4", "L4", 0.0002907),
      serverless("azure", "eastus", "container-apps", "Consumption-GPU-NC8as-T4", "T4", 0.000252),
      serverless("aws", "us-east-1", "sagemaker-async", "ml.g5.xlarge", "A10G", 0.000393),
    ],
    storage: [
      {
        cloud: "aws",
        tier: "STANDARD",
        perGbMonthUsd: 0.023,
        region: "us-east-1",
        source: "fixture",
        asOf: "2026-11-01",
      },
      {
        cloud: "gcp",
        tier: "STANDARD",
        perGbMonthUsd: 0.02,
        region: "us-central1",
        source: "fixture",
        asOf: "2026-11-01",
      },
      { cloud: "azure", tier: "Hot", perGbMonthUsd: 0.0184, region: "eastus", source: "fixture", asOf: "2026-11-01" },
    ],
    controlPlanes: [
      { cloud: "aws", product: "eks", hourlyUsd: 0.1, source: "fixture", asOf: "2026-11-01" },
      { cloud: "gcp", product: "gke", hourlyUsd: 0.1, source: "fixture", asOf: "2026-11-01" },
      { cloud: "azure", product: "aks-standard", hourlyUsd: 0.1, source: "fixture", asOf: "2026-11-01" },
    ],
  };
}

const TAGS = { model: "llama", owner: "alice", "cost-center": "cc-1" };

/** Happy-path resources, one builder per type; tests change one field. */
export const build = {
  eksNodeGroup: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "aws:eks/nodeGroup:NodeGroup",
    name: "gpu-spot",
    inputs: {
      region: "us-east-1",
      clusterName: "c",
      instanceTypes: ["g6.xlarge"],
      capacityType: "SPOT",
      nodeGroupName: "gpu-spot",
      scalingConfig: { desiredSize: 2, minSize: 0, maxSize: 4 },
      labels: { "modelplane.dev/pool": "gpu-spot" },
      tags: TAGS,
      ...over,
    },
  }),
  eksCluster: (): ResourceInput => ({
    type: "aws:eks/cluster:Cluster",
    name: "eks",
    inputs: { region: "us-east-1", tags: TAGS },
  }),
  s3Bucket: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "aws:s3/bucket:Bucket",
    name: "models",
    inputs: { bucket: "mp-models", tags: TAGS, ...over },
  }),
  s3Lifecycle: (bucket: string): ResourceInput => ({
    type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    name: "models-lifecycle",
    inputs: {
      bucket,
      rules: [{ id: "tier", status: "Enabled", transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }] }],
    },
  }),
  sagemakerConfig: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    name: "ep-config",
    inputs: {
      region: "us-east-1",
      productionVariants: [{ instanceType: "ml.g5.xlarge", initialInstanceCount: 1, variantName: "main" }],
      asyncInferenceConfig: { outputConfig: { s3OutputPath: "s3://x/" } },
      tags: TAGS,
      ...over,
    },
  }),
  gkeNodePool: (over: Record<string, unknown> = {}, nodeConfig: Record<string, unknown> = {}): ResourceInput => ({
    type: "gcp:container/nodePool:NodePool",
    name: "gpu-l4",
    inputs: {
      location: "us-central1-a",
      name: "gpu-l4",
      initialNodeCount: 1,
      autoscaling: { minNodeCount: 0, maxNodeCount: 3 },
      nodeConfig: {
        machineType: "g2-standard-8",
        spot: true,
        guestAccelerators: [{ type: "nvidia-l4", count: 1 }],
        labels: { "modelplane.dev/pool": "gpu-l4" },
        resourceLabels: TAGS,
        ...nodeConfig,
      },
      ...over,
    },
  }),
  gkeCluster: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "gcp:container/cluster:Cluster",
    name: "gke",
    inputs: {
      location: "us-central1",
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      resourceLabels: TAGS,
      ...over,
    },
  }),
  gcsBucket: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "gcp:storage/bucket:Bucket",
    name: "models-gcs",
    inputs: {
      location: "US-CENTRAL1",
      labels: TAGS,
      lifecycleRules: [{ action: { type: "SetStorageClass", storageClass: "NEARLINE" }, condition: { age: 30 } }],
      ...over,
    },
  }),
  cloudRun: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "gcp:cloudrunv2/service:Service",
    name: "run",
    inputs: {
      location: "us-central1",
      labels: TAGS,
      template: { nodeSelector: { accelerator: "nvidia-l4" }, scaling: { minInstanceCount: 0, maxInstanceCount: 3 } },
      ...over,
    },
  }),
  aksCluster: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "azure-native:containerservice:ManagedCluster",
    name: "aks",
    inputs: {
      location: "eastus",
      resourceName: "aks-1",
      sku: { name: "Base", tier: "Standard" },
      tags: TAGS,
      agentPoolProfiles: [{ name: "system", mode: "System", vmSize: "Standard_D4s_v5", count: 2 }],
      ...over,
    },
  }),
  aksAgentPool: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "azure-native:containerservice:AgentPool",
    name: "gpu-t4",
    inputs: {
      resourceName: "aks-1",
      agentPoolName: "gput4",
      vmSize: "Standard_NC4as_T4_v3",
      count: 1,
      minCount: 1,
      maxCount: 3,
      enableAutoScaling: true,
      scaleSetPriority: "Spot",
      mode: "User",
      nodeLabels: { "modelplane.dev/pool": "gpu-t4" },
      tags: TAGS,
      ...over,
    },
  }),
  storageAccount: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "azure-native:storage:StorageAccount",
    name: "models-sa",
    inputs: { location: "eastus", accountName: "mpmodels", accessTier: "Hot", tags: TAGS, ...over },
  }),
  managementPolicy: (account: string): ResourceInput => ({
    type: "azure-native:storage:ManagementPolicy",
    name: "models-policy",
    inputs: {
      accountName: account,
      policy: {
        rules: [
          {
            name: "tier",
            enabled: true,
            type: "Lifecycle",
            definition: { actions: { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 } } } },
          },
        ],
      },
    },
  }),
  containerApp: (over: Record<string, unknown> = {}): ResourceInput => ({
    type: "azure-native:app:ContainerApp",
    name: "app",
    inputs: {
      location: "eastus",
      workloadProfileName: "gpu-t4",
      template: { scale: { minReplicas: 0, maxReplicas: 2 } },
      tags: TAGS,
      ...over,
    },
  }),
  deployment: (
    opts: { replicas?: number; gpus?: number; nodeSelector?: Record<string, string> } = {},
  ): ResourceInput => ({
    type: "kubernetes:apps/v1:Deployment",
    name: "server",
    inputs: {
      metadata: { name: "server", labels: TAGS },
      spec: {
        replicas: opts.replicas ?? 1,
        template: {
          spec: {
            nodeSelector: opts.nodeSelector ?? { "modelplane.dev/pool": "gpu-spot" },
            containers: [{ name: "vllm", resources: { limits: { "nvidia.com/gpu": String(opts.gpus ?? 1) } } }],
          },
        },
      },
    },
  }),
};
