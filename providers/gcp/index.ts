/** The gcp cloud module: its component implementations, its pricing (catalog import and refresh) its resource cost readers and its offline plan checks. */
import type { CloudModule, CloudProvider } from "../types";
import { gcpPricing } from "./pricing";
import { gcpCost } from "./cost";
import { gcpPlanChecks } from "./plan-checks";
import { gcpCluster } from "./cluster";
import { gcpPool } from "./pool";
import { gcpStore } from "./store";
import { gcpServerless } from "./serverless";
import { gcpControlPlane } from "./control-plane";
import { gcpDns } from "./dns";

export const gcpProvider: CloudProvider = {
  cloud: "gcp",
  cluster: gcpCluster,
  pool: gcpPool,
  store: gcpStore,
  serverless: gcpServerless,
  controlPlane: gcpControlPlane,
  dns: gcpDns,
};

/** Everything modelplane knows of gcp, for the one registry (`providers/registry.ts`). */
export const gcpModule: CloudModule = {
  cloud: "gcp",
  infra: gcpProvider,
  pricing: gcpPricing,
  cost: gcpCost,
  planChecks: gcpPlanChecks,
};
