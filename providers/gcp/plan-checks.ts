/**
 * What the offline plan checks on Google Cloud resources: name inputs and their limits, the
 * Cloud Run GPU a service asks for (and where), and a GKE node pool's disk size. Property names
 * follow @pulumi/gcp 9.x. Names the program leaves out are auto-named by Pulumi.
 */
import { num, str } from "../../platform/core/resources/read";
import type { PlanCheckModule, ServerlessGpuUse } from "../types/plan-checks";

export const gcpPlanChecks: PlanCheckModule = {
  platform: "gcp",
  nameChecks: [
    { type: "gcp:container/cluster:Cluster", field: "name", kind: "gke-cluster", autoName: "pulumi-suffix" },
    { type: "gcp:container/nodePool:NodePool", field: "name", kind: "gke-node-pool", autoName: "pulumi-suffix" },
    { type: "gcp:storage/bucket:Bucket", field: "name", kind: "gcs-bucket", autoName: "pulumi-suffix" },
    { type: "gcp:serviceaccount/account:Account", field: "accountId", kind: "gcp-service-account-id" },
    { type: "gcp:cloudrunv2/service:Service", field: "name", kind: "cloud-run-service", autoName: "pulumi-suffix" },
  ],
  serverlessGpus(r): readonly ServerlessGpuUse[] {
    if (r.type !== "gcp:cloudrunv2/service:Service") return [];
    const gpu = str(r.inputs, "template.nodeSelector.accelerator");
    const region = str(r.inputs, "location") ?? r.providerRegion;
    if (!gpu || !region) return [];
    return [{ cloud: "gcp", region, gpu, field: "template.nodeSelector.accelerator" }];
  },
  nodeDiskGiB(r) {
    if (r.type !== "gcp:container/nodePool:NodePool") return undefined;
    const gib = num(r.inputs, "nodeConfig.diskSizeGb");
    return gib === undefined ? undefined : { gib, field: "nodeConfig.diskSizeGb" };
  },
};
