/**
 * Pure validation and planning for `GpuCluster`: turns the args into the exact, checked values a
 * cloud implementation receives. No Pulumi resources here; tested without mocks.
 */
import { CloudSchema } from "../platform/core/schemas";
import type { Cloud } from "../platform/core/types";
import { parseOrThrow, ValidationError } from "../platform/core/validation";
import type { ClusterOption, ClusterProvider } from "../providers/types/cluster";
import type { GpuClusterArgs } from "./GpuCluster";
import { costTags } from "../platform/core/tags";

/** `value` as a Cloud, or a ValidationError naming `field` and the allowed values. */
export function assertCloud(value: unknown, field = "cloud"): Cloud {
  return parseOrThrow(CloudSchema, value, field);
}

/**
 * The plain part of `GpuClusterArgs` that planning checks (see there for each field's default):
 * the cloud-specific options are only flagged in `given`, and `cloud` is any string (checked).
 */
export interface ClusterPlanInput extends Omit<GpuClusterArgs, "cloud" | ClusterOption> {
  cloud: string;
  /** Which cloud-specific options were given (their values are checked by the cloud). */
  given?: Partial<Record<ClusterOption, boolean>>;
}

export interface ClusterPlan {
  cloud: Cloud;
  region: string;
  kubernetesVersion?: string;
  systemInstanceType: string;
  systemNodeCount: number;
  deletionProtection: boolean;
  /** True when the cloud needs the NVIDIA device plugin and the args did not turn it off. */
  installDevicePlugin: boolean;
  tags: Record<string, string>;
}

/** Facts a cloud contributes to planning. */
export type ClusterFacts = Pick<ClusterProvider, "options" | "defaultSystemInstanceType" | "needsNvidiaDevicePlugin">;

export const DEFAULT_SYSTEM_NODE_COUNT = 1;
export const MAX_SYSTEM_NODE_COUNT = 10;

/** Region codes of all three clouds: lowercase letters, digits and dashes (`us-east-1`, `eastus`). */
const REGION_RE = /^[a-z][a-z0-9-]{1,40}$/;
const K8S_VERSION_RE = /^1\.\d{1,2}$/;

/**
 * Validate `GpuCluster` args against the cloud's facts. Throws a ValidationError naming the first
 * bad argument; returns the plan otherwise.
 */
export function planGpuCluster(input: ClusterPlanInput, facts: ClusterFacts): ClusterPlan {
  const cloud = assertCloud(input.cloud);
  if (typeof input.region !== "string" || !REGION_RE.test(input.region)) {
    throw new ValidationError(
      "region",
      `${JSON.stringify(input.region)} is not a region code (e.g. us-east-1, us-central1, eastus)`,
    );
  }
  if (input.kubernetesVersion !== undefined && !K8S_VERSION_RE.test(input.kubernetesVersion)) {
    throw new ValidationError(
      "kubernetesVersion",
      `${JSON.stringify(input.kubernetesVersion)} is not a minor version such as "1.33"`,
    );
  }
  const systemNodeCount = input.systemNodeCount ?? DEFAULT_SYSTEM_NODE_COUNT;
  if (!Number.isInteger(systemNodeCount) || systemNodeCount < 1 || systemNodeCount > MAX_SYSTEM_NODE_COUNT) {
    throw new ValidationError(
      "systemNodeCount",
      `${systemNodeCount} must be a whole number from 1 to ${MAX_SYSTEM_NODE_COUNT}`,
    );
  }
  if (input.systemInstanceType !== undefined && input.systemInstanceType.trim() === "") {
    throw new ValidationError("systemInstanceType", "must not be empty; omit it for the cloud's default");
  }
  for (const [option, given] of Object.entries(input.given ?? {})) {
    if (given && !facts.options.includes(option as ClusterOption)) {
      const honoured = facts.options.length > 0 ? facts.options.join(", ") : "none";
      throw new ValidationError(option, `does not apply to ${cloud}; options for ${cloud}: ${honoured}`);
    }
  }
  return {
    cloud,
    region: input.region,
    ...(input.kubernetesVersion !== undefined ? { kubernetesVersion: input.kubernetesVersion } : {}),
    systemInstanceType: input.systemInstanceType ?? facts.defaultSystemInstanceType,
    systemNodeCount,
    deletionProtection: input.deletionProtection ?? true,
    installDevicePlugin: facts.needsNvidiaDevicePlugin && (input.nvidiaDevicePlugin ?? true),
    tags: costTags(input),
  };
}
