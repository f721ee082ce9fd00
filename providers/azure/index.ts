/** The azure implementation of every component, assembled for the registry. */
import type { CloudProvider } from "../types";
import { azureCluster } from "./cluster";
import { azurePool } from "./pool";
import { azureStore } from "./store";
import { azureServerless } from "./serverless";

export const azureProvider: CloudProvider = {
  cloud: "azure",
  cluster: azureCluster,
  pool: azurePool,
  store: azureStore,
  serverless: azureServerless,
};
