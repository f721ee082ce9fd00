/**
 * GpuCluster: managed Kubernetes with a small on-demand system pool and the GPU plumbing, on
 * AWS (EKS), GCP (GKE) or Azure (AKS). GPU capacity itself comes from `SpotPool`s attached to it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Cloud } from "../platform/core/types";
import { providerFor } from "../providers/registry";
import type { ClusterRef } from "../providers/types/cluster";
import { installPlatformAddons, type GpuSoftware } from "../providers/kubernetes/platform-addons";
import type { AddonName } from "../providers/limits/addons";
import { assertCloud, planGpuCluster } from "./clusterPlan";
import type { CostTagInput } from "../platform/core/tags";
import { defined } from "./defined";

export type { ClusterRef };

/** Label of the system pool's nodes on every cloud (`modelplane.dev/role: system`); add-on controllers run there. */
export const SYSTEM_ROLE_LABEL = "modelplane.dev/role";

/** Arguments of a GpuCluster; the cost-tag arguments (`model`, `owner`, `costCenter`, `tags`) are `CostTagInput`'s. */
export interface GpuClusterArgs extends CostTagInput {
  /** Cloud to create the cluster on: `aws`, `gcp` or `azure`. */
  cloud: Cloud;
  /** Region code (`us-east-1`, `us-central1`, `eastus`). */
  region: string;
  /** Kubernetes minor version, e.g. `"1.33"`. Default: the cloud's default (GKE: the release channel's). */
  kubernetesVersion?: string;
  /** Machine type of the on-demand system pool. Default: t3.large (AWS), e2-standard-4 (GCP), Standard_D4s_v5 (Azure). */
  systemInstanceType?: string;
  /** Nodes in the system pool, 1–10. Default 1 (GKE regional clusters: per zone). */
  systemNodeCount?: number;
  /** Protect the cluster from deletion where the cloud supports it (GKE). Default true. */
  deletionProtection?: boolean;
  /**
   * Install the NVIDIA device plugin where the cloud needs it (EKS with AL2023 NVIDIA AMIs, AKS).
   * Default true; set false when every GPU pool uses Bottlerocket NVIDIA AMIs (plugin built in).
   */
  nvidiaDevicePlugin?: boolean;
  /** AWS only: subnets (≥ 2 AZs) for the control plane and nodes. Default: the default VPC's subnets. */
  subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** GCP only: project id. Default: the provider's project. */
  project?: string;
  /** GCP only: a zone for a zonal cluster (one free zonal control plane per billing account). Default: regional. */
  zone?: string;
  /** Azure only: an existing resource group. Default: a new one named after the component. */
  resourceGroupName?: string;
  /**
   * AWS only: IAM role/user ARNs made cluster-admin through EKS access entries (e.g. the role the
   * control plane's worker runs `pulumi up` with). Default none: only the identity that created the
   * cluster is admin, and any other one gets Unauthorized.
   */
  adminPrincipalArns?: string[];
  /** AWS only: role the exported kubeconfig assumes (`aws eks get-token --role-arn`). Default: the caller's identity. */
  kubeconfigRoleArn?: string;
  /** AWS only: named AWS CLI profile the exported kubeconfig uses (`AWS_PROFILE`). Default: the caller's environment. */
  kubeconfigProfile?: string;
}

export class GpuCluster extends pulumi.ComponentResource {
  readonly cloud: Cloud;
  readonly region: string;
  /** The cluster's name on the cloud. */
  readonly clusterName: pulumi.Output<string>;
  /** The API server URL. */
  readonly endpoint: pulumi.Output<string>;
  /** A kubeconfig for the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** A ready Kubernetes provider for the cluster (child `${name}-k8s`). */
  readonly provider: k8s.Provider;
  /** Everything a node pool needs, serializable for later stacks. */
  readonly ref: ClusterRef;
  /** Cost tags applied to every taggable child. */
  readonly tags: Record<string, string>;
  /** The add-ons installed on the cluster (rows of `providers/limits/addons.ts`). */
  readonly addons: AddonName[];
  /**
   * The last node pool a `SpotPool` created on this cluster, on clouds that reject parallel pool
   * writes (`PoolProvider.serialCreates`): the next pool waits for it. Maintained by `SpotPool`.
   */
  lastNodePool?: pulumi.Resource;

  constructor(name: string, args: GpuClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:compute:GpuCluster", name, {}, opts);
    const impl = providerFor(assertCloud(args.cloud)).cluster;
    const plan = planGpuCluster(
      {
        ...args,
        given: {
          subnetIds: args.subnetIds !== undefined,
          project: args.project !== undefined,
          zone: args.zone !== undefined,
          resourceGroupName: args.resourceGroupName !== undefined,
          adminPrincipalArns: args.adminPrincipalArns !== undefined,
          kubeconfigRoleArn: args.kubeconfigRoleArn !== undefined,
          kubeconfigProfile: args.kubeconfigProfile !== undefined,
        },
      },
      impl,
    );

    const created = impl.create(
      {
        name,
        region: plan.region,
        ...(plan.kubernetesVersion !== undefined ? { kubernetesVersion: plan.kubernetesVersion } : {}),
        systemInstanceType: plan.systemInstanceType,
        systemNodeCount: plan.systemNodeCount,
        deletionProtection: plan.deletionProtection,
        tags: plan.tags,
        ...defined({
          subnetIds: args.subnetIds,
          project: args.project,
          zone: args.zone,
          resourceGroupName: args.resourceGroupName,
          adminPrincipalArns: args.adminPrincipalArns,
          kubeconfigRoleArn: args.kubeconfigRoleArn,
          kubeconfigProfile: args.kubeconfigProfile,
        }),
      },
      this,
    );

    this.cloud = plan.cloud;
    this.region = plan.region;
    this.tags = plan.tags;
    this.clusterName = created.clusterName;
    this.endpoint = created.endpoint;
    this.kubeconfig = pulumi.secret(created.kubeconfig);
    this.ref = created.ref;
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig },
      { parent: this, dependsOn: created.ready },
    );

    created.installAddons?.(this.provider);
    // KEDA + its HTTP add-on, Prometheus + the adapter, and the GPU software the cloud leaves to us.
    const gpu: GpuSoftware = plan.installDevicePlugin ? "nvidia-device-plugin" : "none";
    const addons = installPlatformAddons(name, {
      gpu,
      systemNodeSelector: { [SYSTEM_ROLE_LABEL]: "system" },
      provider: this.provider,
      parent: this,
      dependsOn: created.ready,
    });
    this.addons = Object.keys(addons) as AddonName[];

    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      addons: this.addons,
    });
  }
}
