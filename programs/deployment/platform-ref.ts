/**
 * Reading the platform stack: one output per cloud (`aws`, `gcp`, `azure`) written by the platform
 * program. The per-model stack validates what it reads with zod, so a platform stack that lacks a
 * cloud, a kubeconfig or a store fails here with the missing key named, not deep inside a
 * provider. Pool selection is a pure function of those outputs and the placement.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CloudSchema } from "../../platform/core/schemas";
import { GPU_TYPES, type Cloud } from "../../platform/core/types";
import type { Placement } from "../../platform/core/placement";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import type { ClusterRef } from "../../providers/types/cluster";
import type { PlatformCloudOutput } from "../platform/outputs";
import { defined } from "../../components/defined";

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
  instanceType: z.string().min(1),
  /** GPUs per node. */
  gpuCount: z.number().int().min(1),
  capacity: z.enum(["spot", "on-demand"]),
  nodeSelector: z.record(z.string(), z.string()),
  tolerations: z.array(TolerationSchema),
});
export type PlatformPool = z.output<typeof PlatformPoolSchema>;

const ClusterRefSchema = z.object({
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

/** The per-cloud output of the platform stack (extra keys are ignored). */
export const PlatformCloudSchema = z.object({
  region: z.string().min(1),
  clusterName: z.string().min(1),
  endpoint: z.string().optional(),
  /** Read separately as a secret; only its presence is checked here. */
  kubeconfig: z
    .unknown()
    .refine((v) => v !== undefined && v !== null && v !== "", "the platform exports no kubeconfig for this cloud"),
  clusterRef: ClusterRefSchema,
  pools: z.array(PlatformPoolSchema).default([]),
  /** Absent when the platform runs no model store on this cloud (then `model.source` must be a URI). */
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
});
export type PlatformCloud = z.output<typeof PlatformCloudSchema>;

// Compile-time guard: what the platform program declares it exports must satisfy this schema's input.
const platformOutputFits: PlatformCloudOutput extends z.input<typeof PlatformCloudSchema> ? true : false = true;
void platformOutputFits;

/** The ClusterRef a SpotPool takes, rebuilt from the plain output. */
export function clusterRefOf(out: PlatformCloud): ClusterRef {
  const r = out.clusterRef;
  return {
    cloud: r.cloud,
    region: r.region,
    clusterName: r.clusterName,
    ...defined({
      nodeRoleArn: r.nodeRoleArn,
      subnetIds: r.subnetIds,
      kubernetesVersion: r.kubernetesVersion,
      project: r.project,
      location: r.location,
      resourceGroupName: r.resourceGroupName,
    }),
  };
}

/**
 * Read and validate the `cloud` output of the platform stack (plain values, for decisions such as
 * which pool to use). The kubeconfig is read separately with `kubeconfigOf`, which keeps it secret.
 */
export async function readPlatformCloud(
  ref: pulumi.StackReference,
  stackName: string,
  cloud: Cloud,
): Promise<PlatformCloud> {
  const details = await ref.getOutputDetails(cloud);
  const value: unknown = details.value ?? details.secretValue;
  if (value === undefined || value === null) {
    throw new ValidationError(
      "platformStack",
      `stack "${stackName}" has no "${cloud}" output; enable ${cloud} in that platform stack's config (or pick a placement on a cloud it runs)`,
    );
  }
  const out = parseOrThrow(PlatformCloudSchema, value, `platformStack(${stackName}).${cloud}`);
  if (out.clusterRef.cloud !== cloud) {
    throw new ValidationError(
      `platformStack(${stackName}).${cloud}.clusterRef.cloud`,
      `is "${out.clusterRef.cloud}", expected "${cloud}"`,
    );
  }
  return out;
}

/** The cluster's kubeconfig as a secret Output. */
export function kubeconfigOf(ref: pulumi.StackReference, cloud: Cloud): pulumi.Output<string> {
  return pulumi.secret(
    ref.requireOutput(cloud).apply((o: unknown) => {
      const k = typeof o === "object" && o !== null ? (o as Record<string, unknown>)["kubeconfig"] : undefined;
      return typeof k === "string" ? k : JSON.stringify(k);
    }),
  );
}

/** A pool to use: an existing platform pool, or one to create for this deployment. */
export type PoolChoice = { kind: "existing"; pool: PlatformPool } | { kind: "create"; capacity: "spot" | "on-demand" };

export interface PoolChoices {
  /** Where the autoscaled replicas run (the placement's capacity). */
  primary: PoolChoice;
  /** Where the on-demand floor runs (spot with a floor only). */
  onDemand?: PoolChoice;
}

/**
 * Pick the platform pools for a cluster placement: same instance type, same capacity, enough GPUs
 * per node for one replica. When none exists, ask for a dedicated pool (scaled from zero). Pure.
 */
export function choosePools(pools: readonly PlatformPool[], placement: Placement, onDemandFloor: number): PoolChoices {
  if (placement.capacity === "serverless") throw new Error("choosePools: serverless placements use no pool");
  const find = (capacity: "spot" | "on-demand"): PoolChoice => {
    const match = pools.find(
      (p) =>
        p.capacity === capacity &&
        p.instanceType === placement.instanceType &&
        p.gpuType === placement.gpuType &&
        p.gpuCount >= placement.gpuCount,
    );
    return match ? { kind: "existing", pool: match } : { kind: "create", capacity };
  };
  const primary = find(placement.capacity);
  return onDemandFloor > 0 && placement.capacity === "spot" ? { primary, onDemand: find("on-demand") } : { primary };
}

/**
 * Nodes a dedicated pool needs for `replicas` replicas of `gpusPerReplica` GPUs on nodes with
 * `gpusPerNode` GPUs (a node carries floor(gpusPerNode / gpusPerReplica) replicas).
 */
export function nodesFor(replicas: number, gpusPerReplica: number, gpusPerNode: number): number {
  const perNode = Math.floor(gpusPerNode / gpusPerReplica);
  if (perNode < 1) {
    throw new ValidationError(
      "placement.gpuCount",
      `${gpusPerReplica} GPUs per replica do not fit a node with ${gpusPerNode} GPUs`,
    );
  }
  return Math.max(1, Math.ceil(replicas / perNode));
}
