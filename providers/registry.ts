/**
 * The one registry: each cloud is one `CloudModule` (components, pricing, resource cost readers).
 * Components, programs, the catalog importer and the resource pricing look a cloud up here;
 * nothing outside `providers/` branches on a cloud's name.
 */
import { CLOUDS, type Cloud } from "../platform/core/types";
import type { CloudPricing } from "../platform/core/pricing/provider";
import type { CloudModule, CloudProvider } from "./types";
import { awsModule } from "./aws";
import { gcpModule } from "./gcp";
import { azureModule } from "./azure";

const REGISTRY: Readonly<Record<Cloud, CloudModule>> = {
  aws: awsModule,
  gcp: gcpModule,
  azure: azureModule,
};

/** Every cloud module, in `CLOUDS` order. */
export const CLOUD_MODULES: readonly CloudModule[] = CLOUDS.map((c) => REGISTRY[c]);

/**
 * The module of `cloud`, or an Error `cloud: "<cloud>" is not supported; use one of aws, gcp, azure`
 * when a cloud name reached here unchecked (e.g. from JavaScript).
 */
export function cloudModule(cloud: Cloud): CloudModule {
  const entry: CloudModule | undefined = REGISTRY[cloud];
  if (entry === undefined)
    throw new Error(`cloud: "${String(cloud)}" is not supported; use one of ${CLOUDS.join(", ")}`);
  return entry;
}

/** The component implementations of `cloud`. */
export function providerFor(cloud: Cloud): CloudProvider {
  return cloudModule(cloud).infra;
}

/** The pricing module of `cloud` (catalog facts, SkyPilot import, refresh). */
export function pricingFor(cloud: Cloud): CloudPricing {
  return cloudModule(cloud).pricing;
}

/** Every cloud's pricing module. */
export function allPricing(): CloudPricing[] {
  return CLOUD_MODULES.map((m) => m.pricing);
}
