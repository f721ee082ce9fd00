/**
 * The platform stack's `clusters` output, as later readers validate it (zod): the per-model stack
 * program (programs/deployment/platform-ref.ts) and the footprint reader (./footprint.ts). A
 * platform stack that lacks a cluster, a store or a pool field fails here with the key named, not
 * deep inside a provider. Extra keys are ignored (older or newer platform stacks).
 */
import { z } from "zod";
import { GPU_TYPES } from "../../platform/core/types";
import { CloudSchema } from "../../platform/core/schemas";
import { FOOTPRINT_CLOUDS } from "../../platform/core/footprint";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import type { PlatformClusterOutput } from "./outputs";

const TolerationSchema = z.object({
  key: z.string(),
  operator: z.enum(["Equal", "Exists"]),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

/** One GPU pool of the platform, as the platform program exports it. */
export const PlatformPoolSchema = z.object({
  name: z.string().min(1),
  gpuType: z.enum(GPU_TYPES),
  /** Absent for an existing cluster's pool that does not declare it. */
  instanceType: z.string().min(1).optional(),
  /** GPUs per node. */
  gpuCount: z.number().int().min(1),
  capacity: z.enum(["spot", "on-demand"]),
  minNodes: z.number().int().min(0).optional(),
  maxNodes: z.number().int().min(0).optional(),
  nodeSelector: z.record(z.string(), z.string()),
  tolerations: z.array(TolerationSchema),
  /** For a spot pool with an on-demand fallback: the fallback pool's `name`. */
  fallback: z.string().optional(),
  /** Existing clusters: declared USD/hour of one node. */
  nodeHourlyUsd: z.number().positive().optional(),
});
export type PlatformPool = z.output<typeof PlatformPoolSchema>;

export const ClusterRefSchema = z.object({
  cloud: CloudSchema,
  region: z.string().min(1),
  clusterName: z.string().min(1),
  nodeRoleArn: z.string().optional(),
  subnetIds: z.array(z.string()).optional(),
  kubernetesVersion: z.string().optional(),
  project: z.string().optional(),
  location: z.string().optional(),
  resourceGroupName: z.string().optional(),
});

/** One entry of the `clusters` output. */
export const PlatformClusterSchema = z.object({
  name: z.string().min(1),
  cloud: z.enum(FOOTPRINT_CLOUDS),
  region: z.string().min(1),
  clusterName: z.string().min(1),
  endpoint: z.string().optional(),
  /** Absent for an existing cluster: a model stack adds no node pool there. */
  clusterRef: ClusterRefSchema.optional(),
  dedicatedPools: z.boolean().default(true),
  pools: z.array(PlatformPoolSchema).default([]),
  /** Absent when the platform runs no model store with this cluster (then `model.source` must be a URI). */
  store: z
    .object({
      /** Base URI of the model store (`s3://…`, `gs://…`, `https://…blob…`). */
      uri: z.string().min(1),
      /** The reader identity (AWS role ARN / GCP SA email / Azure identity resource id). */
      readerIdentity: z.string().optional(),
      /** What a service-account annotation names (AWS role ARN / GCP SA email / Azure client id). */
      readerClientId: z.string().optional(),
      /** The read grant (AWS policy ARN / GCP IAM member / Azure role assignment). */
      readerGrant: z.string().optional(),
    })
    .optional(),
  serverless: z
    .object({
      /** Product id (`sagemaker-async`, `cloud-run`, `container-apps`). */
      product: z.string().optional(),
      /** SKUs the platform offers. */
      skus: z.array(z.string()).optional(),
      /** Azure: the platform's Container Apps environment (`ServerlessEnvironment.environmentId`). */
      environmentId: z.string().optional(),
      /** Azure: the resource group holding that environment. */
      resourceGroupName: z.string().optional(),
      /** Azure: the environment's workload-profile name per SKU; a deployment uses its placement SKU's. */
      workloadProfileNames: z.record(z.string(), z.string()).optional(),
      /** AWS: the vLLM image in ECR (SageMaker pulls only from ECR). */
      image: z.string().optional(),
      project: z.string().optional(),
    })
    .optional(),
  /** Prometheus the KEDA triggers query. */
  prometheusUrl: z.string().optional(),
  /** The cluster's inference gateway (`GatewayOutput`); absent when the platform installs none. */
  gateway: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      listener: z.string().min(1),
      hostname: z.string().min(1),
      address: z.string().min(1),
      url: z.string().startsWith("https://"),
    })
    .optional(),
  /** The permissions boundary of the roles a model stack creates (AWS: an IAM policy ARN); absent when none is enforced. */
  stackRoleBoundaryArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:policy\/.+$/,
      "must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)",
    )
    .optional(),
});
export type PlatformCluster = z.output<typeof PlatformClusterSchema>;

// Compile-time guard: what the platform program declares it exports must satisfy this schema's input.
const platformOutputFits: PlatformClusterOutput extends z.input<typeof PlatformClusterSchema> ? true : false = true;
void platformOutputFits;

/**
 * Validate the `clusters` output (`{ <name>: PlatformClusterOutput }`); errors name
 * `<label>.clusters.<name>.<field>`. A missing or empty output is an error naming the stack.
 */
export function parsePlatformClusters(value: unknown, label: string): PlatformCluster[] {
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    throw new ValidationError(
      `${label}.clusters`,
      "the platform stack exports no clusters; run `pulumi up` on a platform with at least one entry in modelplane:clouds",
    );
  }
  return Object.entries(value as Record<string, unknown>).map(([name, entry]) => {
    const c = parseOrThrow(PlatformClusterSchema, entry, `${label}.clusters.${name}`);
    if (c.clusterRef && c.clusterRef.cloud !== c.cloud) {
      throw new ValidationError(
        `${label}.clusters.${name}.clusterRef.cloud`,
        `is "${c.clusterRef.cloud}", expected "${c.cloud}"`,
      );
    }
    return c;
  });
}
