/** The azure cloud module: its component implementations, its pricing (catalog import and refresh) its resource cost readers and its offline plan checks. */
import type { CloudModule, CloudProvider } from "../types";
import { azurePricing } from "./pricing";
import { azureCost } from "./cost";
import { azurePlanChecks } from "./plan-checks";
import { azureCluster } from "./cluster";
import { azurePool } from "./pool";
import { azureStore } from "./store";
import { azureServerless } from "./serverless";
import { azureControlPlane } from "./control-plane";
import { azureDns } from "./dns";

export const azureProvider: CloudProvider = {
  cloud: "azure",
  cluster: azureCluster,
  pool: azurePool,
  store: azureStore,
  serverless: azureServerless,
  controlPlane: azureControlPlane,
  dns: azureDns,
};

/** Everything modelplane knows of azure, for the one registry (`providers/registry.ts`). */
export const azureModule: CloudModule = {
  cloud: "azure",
  infra: azureProvider,
  pricing: azurePricing,
  cost: azureCost,
  planChecks: azurePlanChecks,
};
