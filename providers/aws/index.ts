/** The aws implementation of every component, assembled for the registry. */
import type { CloudProvider } from "../types";
import { awsCluster } from "./cluster";
import { awsPool } from "./pool";
import { awsStore } from "./store";
import { awsServerless } from "./serverless";

export const awsProvider: CloudProvider = {
  cloud: "aws",
  cluster: awsCluster,
  pool: awsPool,
  store: awsStore,
  serverless: awsServerless,
};
