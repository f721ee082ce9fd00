/**
 * The platform program `pulumi up` runs (Pulumi.yaml `main`). The edge: it reads every
 * `modelplane:*` stack config key, validates them in one place (programs/platform/config.ts), and
 * hands explicit values to the program. Outputs: `clusters` (plain) and `kubeconfigs` (secret),
 * each keyed by cluster name (`modelplane:clouds[].name`, default `<cloud>-<region>`), shaped as
 * `PlatformOutputs` (programs/platform/outputs.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig } from "./programs/platform/config";
import { rawConfigFromEngine } from "./programs/platform/stackConfig";
import { platformProgram } from "./programs/platform/program";

// Every `modelplane:*` key, not only the ones `new pulumi.Config("modelplane").get(...)` would
// ask for, so a misspelled key fails with the allowed keys named instead of being ignored.
const config = parsePlatformConfig(rawConfigFromEngine(pulumi.runtime.allConfig()));
const platform = platformProgram(config);

export const clusters = platform.outputs.clusters;
export const kubeconfigs = pulumi.secret(platform.outputs.kubeconfigs);
/** modelplane's API through the gateway, and what its workers run the per-model stacks with (`modelplane:controlPlane`). */
export const controlPlane = platform.controlPlane
  ? {
      url: platform.controlPlane.url,
      internalUrl: platform.controlPlane.internalUrl,
      backendUrl: platform.controlPlane.backendUrl,
      secretsProvider: platform.controlPlane.secretsProvider,
    }
  : undefined;
