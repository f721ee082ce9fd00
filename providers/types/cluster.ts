/**
 * What a cloud implements for `GpuCluster`: a managed Kubernetes control plane, a small on-demand
 * system pool, and what a GPU pool needs later (`ClusterRef`).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type { Cloud } from "../../platform/core/types";

/**
 * Everything a node pool needs to attach to a cluster, as plain serializable inputs, so a later
 * stack can rebuild it from a `StackReference` to the platform stack. Each cloud reads the fields
 * it needs and says which one is missing.
 */
export interface ClusterRef {
  /** The cloud the cluster runs on. Plain (not an Input): it picks the implementation. */
  cloud: Cloud;
  /** Cloud region code, e.g. `us-east-1`, `us-central1`, `eastus`. */
  region: pulumi.Input<string>;
  /** The cluster's name as the cloud knows it (EKS cluster name, GKE cluster name, AKS resource name). */
  clusterName: pulumi.Input<string>;
  /** AWS: ARN of the IAM role GPU nodes assume (has the three EKS worker policies). */
  nodeRoleArn?: pulumi.Input<string>;
  /** AWS: subnet ids the node groups launch into. Azure: the cluster's node subnet, which its agent pools join. */
  subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** AWS: Kubernetes version of the control plane (node groups follow it). */
  kubernetesVersion?: pulumi.Input<string>;
  /** GCP: project id; absent → the provider's configured project. */
  project?: pulumi.Input<string>;
  /** GCP: the cluster's location (region for a regional cluster, zone for a zonal one). */
  location?: pulumi.Input<string>;
  /** Azure: resource group holding the managed cluster. */
  resourceGroupName?: pulumi.Input<string>;
}

/** What `GpuCluster` hands a cloud, already validated and with cost tags merged. */
export interface ClusterCreateArgs {
  /** The component's name; children are named `${name}-<role>`. */
  name: string;
  /** Cloud region code. */
  region: string;
  /** Kubernetes version (`1.33`); absent → the cloud's default / release channel's. */
  kubernetesVersion?: string;
  /** Machine type of the on-demand system pool. */
  systemInstanceType: string;
  /** Nodes in the system pool (min = desired; max = this + 1). */
  systemNodeCount: number;
  /** Refuse deletion of the cluster where the cloud supports it (GKE `deletionProtection`). */
  deletionProtection: boolean;
  /** Cost tags (AWS/Azure tags; GCP labels are derived with `toGcpLabels`). */
  tags: Record<string, string>;
  /** AWS: subnets for control plane ENIs and nodes; absent → the region's default VPC subnets. */
  subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** GCP: project id; absent → the provider's configured project. */
  project?: string;
  /** GCP: zone for a zonal cluster; absent → regional cluster in `region`. */
  zone?: string;
  /** Azure: an existing resource group; absent → one is created (`${name}-rg`). */
  resourceGroupName?: string;
  /** AWS: IAM principals (role/user ARNs) given cluster-admin through EKS access entries. */
  adminPrincipalArns?: string[];
  /** AWS: role the kubeconfig's `aws eks get-token` assumes (`--role-arn`). */
  kubeconfigRoleArn?: string;
  /** AWS: named profile the kubeconfig's `aws eks get-token` runs with (`AWS_PROFILE`). */
  kubeconfigProfile?: string;
}

/** What a cloud returns to `GpuCluster`. */
export interface ClusterCreated {
  clusterName: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  /** A kubeconfig for the cluster. `GpuCluster` marks it secret. */
  kubeconfig: pulumi.Output<string>;
  ref: ClusterRef;
  /** Resources workloads must wait for (the control plane and the system pool). */
  ready: pulumi.Resource[];
  /**
   * In-cluster add-ons this cloud needs (EKS: the cluster autoscaler; AKS: the priority-expander
   * ConfigMap), installed through the cluster's Kubernetes provider once `GpuCluster` has made it.
   */
  installAddons?: (provider: k8s.Provider) => pulumi.Resource[];
}

/** Cloud-specific `GpuCluster` options; each cloud lists the ones it honours. */
export type ClusterOption =
  | "subnetIds"
  | "project"
  | "zone"
  | "resourceGroupName"
  | "adminPrincipalArns"
  | "kubeconfigRoleArn"
  | "kubeconfigProfile";

export interface ClusterProvider {
  /** The cloud-specific options this cloud honours; any other one given is an error. */
  readonly options: ReadonlyArray<ClusterOption>;
  /** Default machine type of the on-demand system pool. */
  readonly defaultSystemInstanceType: string;
  /**
   * Whether GPU nodes on this cloud need the NVIDIA device plugin installed by us (EKS AL2023
   * NVIDIA AMIs and AKS do; GKE installs drivers and the plugin itself).
   */
  readonly needsNvidiaDevicePlugin: boolean;
  create(args: ClusterCreateArgs, parent: pulumi.Resource): ClusterCreated;
}
