/**
 * What a cloud implements for `ControlPlane` (components/ControlPlane.ts): the control plane's
 * managed Postgres (RDS, Cloud SQL, Azure Database for PostgreSQL flexible server), the object-store
 * bucket holding the per-model stacks' Pulumi state, and the KMS key of their secrets provider.
 * Kubernetes objects (Deployments, Service, HTTPRoute, Secret) are cloud-neutral and live in
 * providers/kubernetes/control-plane.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RbacSubject } from "../kubernetes/worker-rbac";

/**
 * The environment variable the control plane's pods carry (`required`) when the cloud made a
 * permissions boundary for the stacks' roles (`ControlPlaneCloud.stackRoleBoundary`): the per-model
 * program then refuses to create a role without one (programs/deployment/serverless.ts).
 */
export const STACK_ROLE_BOUNDARY_ENV = "MODELPLANE_STACK_ROLE_BOUNDARY";

/** What `ControlPlane` hands a cloud, validated by `planControlPlane`. */
export interface ControlPlaneCloudArgs {
  /** The component's name; cloud resources are named `${name}-<role>`. */
  name: string;
  /** Region of the cluster the control plane runs on; everything here goes there too. */
  region: string;
  /** Cost tags (AWS/Azure tags; GCP labels derived). */
  tags: Record<string, string>;
  /** Create a managed Postgres (false when a URL is given). */
  database?: {
    /** Instance size (`db.t4g.medium`, `db-custom-2-7680`, `Standard_B2s`). */
    instanceClass: string;
    /** Storage, GiB. */
    storageGiB: number;
    /** Postgres major version (`16`). */
    version: string;
    /** The admin password (a secret config value). */
    password: pulumi.Input<string>;
    /** Refuse deletion where the cloud supports it. */
    deletionProtection: boolean;
  };
  /** Create the state bucket (false when the backend is Pulumi Cloud). */
  stateBucket: boolean;
  /** Create the KMS key of the secrets provider (false on Pulumi Cloud, which keeps secrets itself). */
  kmsKey: boolean;
  /** GCP: project. */
  project?: string;
  /** Azure: the cluster's resource group. */
  resourceGroupName?: pulumi.Input<string>;
  /**
   * The API and worker pods' Kubernetes ServiceAccount and the cluster they run on: the cloud gives
   * them an identity that may read and write the state bucket and use the KMS key, bound to that
   * one ServiceAccount. Absent: no identity is created.
   */
  workload?: { clusterName: pulumi.Input<string>; namespace: string; serviceAccount: string };
  /**
   * The identities the per-model stacks hand to the cloud that the platform created (AWS: the
   * cluster's node role and the store's reader role, ARNs; GCP: the store's reader service account,
   * email; Azure: unused, the grants cover the resource group). The pods' identity may pass these
   * and no other (providers/<cloud>/worker-rights.ts). Absent or empty: no pass/act-as grant.
   */
  stackIdentities?: pulumi.Input<string>[];
  /**
   * The subnets of the cluster's nodes, where the cloud places its database by subnet (AWS: the
   * RDS subnet group; its VPC's address range may reach port 5432; Azure: a delegated subnet in the
   * network of the first one, required for a managed database). Absent: the cloud's default.
   */
  clusterSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** What a cloud returns. Absent fields: not created (see the args). */
export interface ControlPlaneCloud {
  /** `postgres://user:password@host:5432/modelplane?sslmode=require`, secret. */
  databaseUrl?: pulumi.Output<string>;
  /** `s3://…?region=…`, `gs://…`, `azblob://…?storage_account=…`. */
  backendUrl?: pulumi.Output<string>;
  /** `awskms://…`, `gcpkms://…`, `azurekeyvault://…` (Pulumi secrets-provider URL). */
  secretsProvider?: pulumi.Output<string>;
  /** The pods' cloud identity (IAM role ARN, service-account email), when `workload` was given and the cloud binds one. */
  podIdentity?: pulumi.Output<string>;
  /** Annotations the pods' ServiceAccount needs to act as `podIdentity` (none on EKS Pod Identity). */
  serviceAccountAnnotations?: pulumi.Output<Record<string, string>>;
  /** Labels the API and worker pods need to act as `podIdentity` (Azure: `azure.workload.identity/use`). */
  podLabels?: Record<string, string>;
  /**
   * Who the stacks' kubeconfig authenticates as on the control plane's cluster (AWS: the group the
   * pods' role's access entry maps to; GCP: the pods' service account's email): the subjects of the
   * stack workers' ClusterRoleBinding (providers/kubernetes/worker-rbac.ts). Absent: no binding
   * (Azure: the kubeconfig is the cluster's local user).
   */
  kubernetesSubjects?: pulumi.Output<RbacSubject[]>;
  /**
   * The permissions boundary every role a per-model stack creates must carry (AWS: the IAM policy
   * ARN, providers/aws/role-boundary.ts; the workers may create and write such roles only with it).
   * Absent: the cloud enforces none (no workload identity, or a cloud without one).
   */
  stackRoleBoundary?: pulumi.Output<string>;
}

export interface ControlPlaneProvider {
  /** Default managed-database instance size on this cloud. */
  readonly defaultInstanceClass: string;
  create(args: ControlPlaneCloudArgs, parent: pulumi.Resource): ControlPlaneCloud;
}
