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

/**
 * The VPC network every modelplane GKE cluster runs in: the project's `default` network, the one
 * GKE uses when none is given (GKE API `Cluster.network`: "If left unspecified, the default network
 * will be used", https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters,
 * read 2026-12-01). Named explicitly so the control plane's Cloud SQL instance is put on a private
 * IP in the same network (providers/gcp/control-plane.ts). ASSUMPTION: the provider compares the
 * name with the self link it reads back, so existing clusters see no change.
 */
export const GKE_NETWORK = "default";

/** `projects/<project>/global/networks/<GKE_NETWORK>`: the network's id as Cloud SQL and Service Networking take it. Pure. */
export function gkeNetworkId(project: string): string {
  return `projects/${project}/global/networks/${GKE_NETWORK}`;
}

/** The project a resource goes to: the given one, or the provider's configured project. */
export function projectOf(project: string | undefined, parent: pulumi.Resource): pulumi.Output<string> {
  return project !== undefined
    ? pulumi.output(project)
    : gcp.organizations.getProjectOutput({}, { parent }).apply((p) => p.projectId ?? p.name);
}

export const gcpCluster: ClusterProvider = {
  options: ["project", "zone"],
  defaultSystemInstanceType: "e2-standard-4",
  needsNvidiaDevicePlugin: false,

  create(args: ClusterCreateArgs, parent: pulumi.Resource): ClusterCreated {
    const { name, region } = args;
    const labels = toGcpLabels(args.tags);
    const location = args.zone ?? region;
    const project = projectOf(args.project, parent);

    const cluster = new gcp.container.Cluster(
      `${name}-gke`,
      {
        project,
        location,
        // A cluster must be created with a node pool; drop it and manage pools separately.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        network: GKE_NETWORK,
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
