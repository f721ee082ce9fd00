/**
 * GCP GpuCluster: a GKE Standard cluster without its default node pool, with Workload Identity,
 * a release channel, and a small on-demand system node pool. GPU drivers and the device plugin
 * are managed by GKE (`gpuDriverInstallationConfig` on the GPU pools).
 */
import { gcp } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterCreateArgs, ClusterCreated, ClusterProvider } from "../types/cluster";
import { execKubeconfig } from "../kubernetes/kubeconfig";
import { toGcpLabels } from "../../platform/core/tags";

/** Release channel of every modelplane GKE cluster (REGULAR: the GKE default, GPUs well supported). */
export const GKE_RELEASE_CHANNEL = "REGULAR";

export const gcpCluster: ClusterProvider = {
  options: ["project", "zone"],
  defaultSystemInstanceType: "e2-standard-4",
  needsNvidiaDevicePlugin: false,

  create(args: ClusterCreateArgs, parent: pulumi.Resource): ClusterCreated {
    const { name, region } = args;
    const labels = toGcpLabels(args.tags);
    const location = args.zone ?? region;
    const project: pulumi.Output<string> =
      args.project !== undefined
        ? pulumi.output(args.project)
        : gcp.organizations.getProjectOutput({}, { parent }).apply((p) => p.projectId ?? p.name);

    const cluster = new gcp.container.Cluster(
      `${name}-gke`,
      {
        project,
        location,
        // A cluster must be created with a node pool; drop it and manage pools separately.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: args.deletionProtection,
        releaseChannel: { channel: GKE_RELEASE_CHANNEL },
        minMasterVersion: args.kubernetesVersion,
        workloadIdentityConfig: { workloadPool: pulumi.interpolate`${project}.svc.id.goog` },
        resourceLabels: labels,
      },
      { parent },
    );

    const system = new gcp.container.NodePool(
      `${name}-system`,
      {
        project,
        location,
        cluster: cluster.name,
        nodeCount: args.systemNodeCount,
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: args.systemInstanceType,
          spot: false,
          labels: { "modelplane.dev/role": "system" },
          resourceLabels: labels,
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
          workloadMetadataConfig: { mode: "GKE_METADATA" },
        },
      },
      { parent },
    );

    const kubeconfig = pulumi
      .all([cluster.name, cluster.endpoint, cluster.masterAuth])
      .apply(([clusterName, endpoint, auth]) =>
        execKubeconfig({
          name: clusterName,
          endpoint,
          caData: auth.clusterCaCertificate,
          command: "gke-gcloud-auth-plugin",
          args: [],
          installHint:
            "Install gke-gcloud-auth-plugin: https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
        }),
      );

    return {
      clusterName: cluster.name,
      endpoint: cluster.endpoint,
      kubeconfig,
      ref: { cloud: "gcp", region, clusterName: cluster.name, project, location },
      ready: [cluster, system],
    };
  },
};
