/** The gcp implementation of every component, assembled for the registry. */
import type { CloudProvider } from "../types";
import { gcpCluster } from "./cluster";
import { gcpPool } from "./pool";
import { gcpStore } from "./store";
import { gcpServerless } from "./serverless";

export const gcpProvider: CloudProvider = {
  cloud: "gcp",
  cluster: gcpCluster,
  pool: gcpPool,
  store: gcpStore,
  serverless: gcpServerless,
};
