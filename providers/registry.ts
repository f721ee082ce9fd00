/**
 * The typed registry: the one place a cloud name becomes an implementation.
 * Components and programs call `providerFor(cloud)`; nothing outside `providers/` branches on a cloud.
 */
import type { Cloud } from "../platform/core/types";
import type { CloudProvider } from "./types";
import { forCloud } from "./shared/by-cloud";
import { awsProvider } from "./aws";
import { gcpProvider } from "./gcp";
import { azureProvider } from "./azure";

const REGISTRY: Readonly<Record<Cloud, CloudProvider>> = {
  aws: awsProvider,
  gcp: gcpProvider,
  azure: azureProvider,
};

export function providerFor(cloud: Cloud): CloudProvider {
  return forCloud(REGISTRY, cloud, "is not supported");
}
