/** The aws cloud module: its component implementations, its pricing (catalog import and refresh) its resource cost readers and its offline plan checks. */
import type { CloudModule, CloudProvider } from "../types";
import { awsPricing } from "./pricing";
import { awsCost } from "./cost";
import { awsPlanChecks } from "./plan-checks";
import { awsCluster } from "./cluster";
import { awsPool } from "./pool";
import { awsStore } from "./store";
import { awsServerless } from "./serverless";
import { awsControlPlane } from "./control-plane";
import { awsDns } from "./dns";

export const awsProvider: CloudProvider = {
  cloud: "aws",
  cluster: awsCluster,
  pool: awsPool,
  store: awsStore,
  serverless: awsServerless,
  controlPlane: awsControlPlane,
  dns: awsDns,
};

/** Everything modelplane knows of aws, for the one registry (`providers/registry.ts`). */
export const awsModule: CloudModule = {
  cloud: "aws",
  infra: awsProvider,
  pricing: awsPricing,
  cost: awsCost,
  planChecks: awsPlanChecks,
};
