/**
 * ServerlessEnvironment: the shared home of a cloud's serverless endpoints, created once by the
 * platform program. On Azure, a Container Apps environment with one serverless GPU workload
 * profile per GPU type (per-model stacks then add only a Container App, passing `environmentId`,
 * `resourceGroupName` and `workloadProfileNames[sku]` to ServerlessEndpoint). Cloud Run and
 * SageMaker need no shared environment: there the component creates nothing and `environmentId`
 * is `undefined`; the same holds on Azure in a region that sells no serverless GPU (the region
 * table is providers/limits/serverless-regions.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud, GpuType } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { providerFor } from "../providers/registry";
import type { EnvironmentPlan, ServerlessProvider } from "../providers/types/serverless";
import { assertCloud } from "./clusterPlan";
import { defaultNamespace } from "./ModelStore";
import { costTags, type CostTagInput } from "../platform/core/tags";

/** Arguments of a ServerlessEnvironment; `owner`, `costCenter` and `tags` are `CostTagInput`'s (no `model`: it is shared). */
export interface ServerlessEnvironmentArgs extends Omit<CostTagInput, "model"> {
  /** Cloud. Required. Only `azure` creates resources. */
  cloud: Cloud;
  /** Region / location code. Required. */
  region: string;
  /**
   * GPU types endpoints will ask for. Default: every GPU the cloud's serverless product sells in
   * `region` (Azure: T4 and A100-80GB, each in a few regions only; none in a region Microsoft does
   * not list, and then nothing is created). A GPU it does not sell there is an error naming where it is.
   */
  gpus?: GpuType[];
  /** Azure only: resource group for the environment. Default: the component creates `${name}-rg`. */
  resourceGroupName?: pulumi.Input<string>;
}

/** Validate and resolve the arguments. Pure. */
export function planServerlessEnvironment(
  name: string,
  args: ServerlessEnvironmentArgs,
  provider: Pick<ServerlessProvider, "product" | "skus" | "skusIn" | "regionsFor">,
  namespace = "",
): EnvironmentPlan {
  const cloud = assertCloud(args.cloud);
  if (typeof args.region !== "string" || args.region.trim() === "") throw new ValidationError("region", "is required");
  const offered = [...new Set(provider.skus.map((s) => s.gpuType))];
  const inRegion = provider.skusIn ? provider.skusIn(args.region) : provider.skus;
  // Default: what the region sells (possibly nothing: the environment is then off).
  const gpus = args.gpus ?? [...new Set(inRegion.map((s) => s.gpuType))];
  gpus.forEach((gpu, i) => {
    if (!offered.includes(gpu)) {
      throw new ValidationError(
        `gpus[${i}]`,
        `"${gpu}" is not offered serverless on ${cloud} (${provider.product}); offered: ${offered.join(", ")}`,
      );
    }
    if (!inRegion.some((s) => s.gpuType === gpu)) {
      const where = provider.skus.filter((s) => s.gpuType === gpu).flatMap((s) => provider.regionsFor?.(s) ?? []);
      throw new ValidationError(
        `gpus[${i}]`,
        `"${gpu}" is not offered serverless in ${args.region} on ${cloud} (${provider.product}); regions that offer it: ${[...new Set(where)].join(", ") || "none known"}`,
      );
    }
  });
  const plan: EnvironmentPlan = {
    name,
    namespace,
    region: args.region,
    skus: inRegion.filter((s) => gpus.includes(s.gpuType)),
    tags: costTags({ owner: args.owner, costCenter: args.costCenter, tags: args.tags }),
  };
  if (args.resourceGroupName !== undefined) plan.resourceGroupName = args.resourceGroupName;
  return plan;
}

export class ServerlessEnvironment extends pulumi.ComponentResource {
  /** Pass to `ServerlessEndpointArgs.environmentId`; `undefined` where the cloud needs no environment. */
  readonly environmentId: pulumi.Output<string | undefined>;
  /** Pass to `ServerlessEndpointArgs.resourceGroupName` (Azure); `undefined` elsewhere. */
  readonly resourceGroupName: pulumi.Output<string | undefined>;
  /** Workload-profile name per SKU (`Consumption-GPU-NC8as-T4` → `gpu-t4`); empty elsewhere. */
  readonly workloadProfileNames: Record<string, string>;

  constructor(name: string, args: ServerlessEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:serverless:ServerlessEnvironment", name, {}, opts);
    const provider = providerFor(assertCloud(args.cloud)).serverless;
    const plan = planServerlessEnvironment(name, args, provider, defaultNamespace());
    // No SKU sold in the region: nothing to share, so nothing is created (as on clouds that need none).
    const result = plan.skus.length > 0 ? provider.createEnvironment?.(plan, this) : undefined;
    this.environmentId = result ? result.environmentId : pulumi.output(undefined);
    this.resourceGroupName = result ? result.resourceGroupName : pulumi.output(undefined);
    this.workloadProfileNames = result ? result.workloadProfileNames : {};
    this.registerOutputs({
      environmentId: this.environmentId,
      resourceGroupName: this.resourceGroupName,
      workloadProfileNames: this.workloadProfileNames,
    });
  }
}
