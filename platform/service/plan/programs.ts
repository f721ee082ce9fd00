/**
 * Program factories the plan worker runs (loaded only inside the worker: they pull in the Pulumi
 * SDKs). Each takes plain data and returns a Pulumi program.
 */
import type { Catalog } from "../../core/pricing/types";
import { deploymentProgram } from "../../../programs/deployment/program";
import { parsePlatformConfig } from "../../../programs/platform/config";
import { platformProgram } from "../../../programs/platform/program";

export interface DeploymentPlanArg {
  spec: unknown;
}

/** The per-model program of `arg.spec`, priced with `catalog` (the job's; default the shipped one). */
export function deploymentPlanProgram(
  arg: DeploymentPlanArg,
  catalog?: Catalog,
): () => Promise<Record<string, unknown>> {
  return deploymentProgram(arg.spec as Parameters<typeof deploymentProgram>[0], catalog ? { catalog } : {});
}

export interface PlatformPlanArg {
  /** Raw `modelplane:*` config (keys without the namespace). */
  config: unknown;
}

export function platformPlanProgram(arg: PlatformPlanArg, catalog?: Catalog): () => Promise<Record<string, unknown>> {
  return async () => {
    const config = parsePlatformConfig(arg.config);
    const platform = platformProgram(config, catalog ? { catalog } : {});
    return { ...platform.outputs };
  };
}
