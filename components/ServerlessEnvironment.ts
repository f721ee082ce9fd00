/**
 * ServerlessEnvironment: the shared home of a cloud's serverless endpoints, created once by the
 * platform program. On Azure, a Container Apps environment with one serverless GPU workload
 * profile per GPU type (per-model stacks then add only a Container App, passing `environmentId`,
 * `resourceGroupName` and `workloadProfileNames[sku]` to ServerlessEndpoint). Cloud Run and
 * SageMaker need no shared environment: there the component creates nothing and `environmentId`
 * is `undefined`.
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
   * GPU types endpoints will ask for. Default: every GPU the cloud's serverless product sells
   * (Azure: T4, A100-80GB). A GPU it does not sell is an error naming what is offered.
   */
  gpus?: GpuType[];
  /** Azure only: resource group for the environment. Default: the component creates `${name}-rg`. */
  resourceGroupName?: pulumi.Input<string>;
}

/** Validate and resolve the arguments. Pure. */
export function planServerlessEnvironment(
  name: string,
  args: ServerlessEnvironmentArgs,
  provider: Pick<ServerlessProvider, "product" | "skus">,
  namespace = "",
): EnvironmentPlan {
  const cloud = assertCloud(args.cloud);
  if (typeof args.region !== "string" || args.region.trim() === "") throw new ValidationError("region", "is required");
  const offered = [...new Set(provider.skus.map((s) => s.gpuType))];
  const gpus = args.gpus ?? offered;
  gpus.forEach((gpu, i) => {
    if (!offered.includes(gpu)) {
      throw new ValidationError(
        `gpus[${i}]`,
        `"${gpu}" is not offered serverless on ${cloud} (${provider.product}); offered: ${offered.join(", ")}`,
      );
    }
  });
  const plan: EnvironmentPlan = {
    name,
    namespace,
    region: args.region,
    skus: provider.skus.filter((s) => gpus.includes(s.gpuType)),
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
    const result = provider.createEnvironment?.(plan, this);
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
