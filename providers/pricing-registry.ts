/**
 * The one place a cloud name becomes a pricing module (catalog facts, SkyPilot import, refresh).
 * The importer, the refresher and the CLI call `pricingFor(cloud)`; nothing else branches on a cloud.
 * No module behind it imports a cloud SDK.
 */
import type { Cloud } from "../platform/core/types";
import { CLOUDS } from "../platform/core/types";
import type { CloudPricing } from "../platform/core/pricing/provider";
import { forCloud } from "./shared/by-cloud";
import { awsPricing } from "./aws/pricing";
import { gcpPricing } from "./gcp/pricing";
import { azurePricing } from "./azure/pricing";

const REGISTRY: Readonly<Record<Cloud, CloudPricing>> = {
  aws: awsPricing,
  gcp: gcpPricing,
  azure: azurePricing,
};

export function pricingFor(cloud: Cloud): CloudPricing {
  return forCloud(REGISTRY, cloud, "has no pricing module");
}

export function allPricing(): CloudPricing[] {
  return CLOUDS.map((c) => REGISTRY[c]);
}
