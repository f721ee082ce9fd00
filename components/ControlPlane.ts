/**
 * ControlPlane: modelplane's own API and workers, run on one of the platform's clusters (issue 14
 * item 7). Turned on by the platform config `modelplane:controlPlane`. It creates:
 * - the API and the worker Deployments, separate (`serve --role api` / `--role worker`, one image);
 * - a managed Postgres on the cluster's cloud (RDS / Cloud SQL / Azure Database for PostgreSQL
 *   flexible server), or uses a given URL; either way the URL is in a Secret;
 * - the bootstrap admin key in the same Secret (MODELPLANE_ADMIN_KEY);
 * - the per-model stacks' Pulumi state backend (an object-store bucket, or Pulumi Cloud) and a KMS
 *   key as their secrets provider (MODELPLANE_BACKEND_URL, MODELPLANE_SECRETS_PROVIDER);
 * - the API's Service and an HTTPRoute on the cluster's gateway (TLS at its HTTPS listener), with
 *   a SecurityPolicy that exempts that route from the gateway's inference-key check (the API
 *   checks its own API keys).
 * Cloud pieces: providers/<cloud>/control-plane.ts; Kubernetes objects: providers/kubernetes/control-plane.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../platform/core/types";
import { costTags, type CostTagInput } from "../platform/core/tags";
import { ValidationError } from "../platform/core/validation";
import { providerFor } from "../providers/registry";
import {
  apiServiceRef,
  CONTROL_PLANE_NAME,
  controlPlaneManifests,
  controlPlaneUrl,
  type GatewayParent,
  type Manifest,
} from "../providers/kubernetes/control-plane";
import { toK8sLabels } from "../providers/kubernetes/labels";
import { STACK_ROLE_BOUNDARY_ENV } from "../providers/types/control-plane";
import { STACK_WORKER_ROLE, stackWorkerClusterRole } from "../providers/kubernetes/worker-rbac";
import { planControlPlane, type ControlPlanePlan, type WorkloadArgs } from "./controlPlanePlan";

/** The cluster gateway the API attaches to (the platform's `GatewayOutput` fits). */
export interface ControlPlaneGateway extends GatewayParent {
  /** `https://<hostname>` of the gateway, without a trailing slash. */
  url: string;
}

/** Arguments of a ControlPlane; `owner`, `costCenter` and `tags` are `CostTagInput`'s. */
export interface ControlPlaneArgs extends Omit<CostTagInput, "model"> {
  /** Cloud of the cluster it runs on (its database, bucket and key go there too). Required. */
  cloud: Cloud;
  /** Region of that cluster. Required. */
  region: string;
  /** The Kubernetes provider of that cluster (`GpuCluster.provider`). Required. */
  kubernetes: k8s.Provider;
  /**
   * That cluster's name as its cloud knows it (`GpuCluster.ref.clusterName`): the pods' cloud
   * identity (state bucket, KMS key) is bound to their ServiceAccount there. Absent: no identity.
   */
  clusterName?: pulumi.Input<string>;
  /** That cluster's node subnets (`GpuCluster.ref.subnetIds`), where a cloud that places its database by subnet puts it. */
  clusterSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** The control plane image built from the repo's Dockerfile, pinned (tag or digest). Required. */
  image: string;
  /** Namespace of its objects (default `modelplane-system`). */
  namespace?: string;
  /** The API Deployment (default 2 replicas, 500m CPU, 1Gi). */
  api?: WorkloadArgs;
  /** The worker Deployment (default 2 replicas, 1 CPU, 2Gi, 2 operations at once per pod). */
  worker?: WorkloadArgs & { concurrency?: number };
  /**
   * The database: a managed Postgres created on the cloud (`password` a secret; instance size,
   * storage and version defaulted per cloud), or a given `postgres://` URL (a secret).
   */
  database:
    | {
        kind: "managed";
        password: pulumi.Input<string>;
        instanceClass?: string;
        storageGiB?: number;
        version?: string;
      }
    | { kind: "url"; url: pulumi.Input<string> };
  /** Per-model stacks' state: the cloud's object store (+ a KMS secrets provider), or Pulumi Cloud. */
  stateBackend: { kind: "object-store" } | { kind: "pulumi-cloud"; url?: string; accessToken: pulumi.Input<string> };
  /** The bootstrap platform-admin key (16+ characters), a secret. */
  adminKey: pulumi.Input<string>;
  /** The cluster's gateway; absent: no HTTPRoute, the API is reachable in-cluster only. */
  gateway?: pulumi.Input<ControlPlaneGateway>;
  /** The API's hostname on the gateway (its certificate must cover it); absent: `<gateway url>/_modelplane`. */
  hostname?: string;
  /** The platform stack the per-model stacks reference (MODELPLANE_PLATFORM_STACK), `org/project/stack`. */
  platformStack?: string;
  /** Protect the managed database from deletion (default true). */
  deletionProtection?: boolean;
  /** GCP: project. */
  project?: string;
  /** Azure: the cluster's resource group. */
  resourceGroupName?: pulumi.Input<string>;
  /**
   * Identities the per-model stacks hand to the cloud that the platform created (AWS: the
   * cluster's node role and the store's reader role; GCP: the store's reader service account): the
   * pods may pass these and no other (providers/<cloud>/worker-rights.ts).
   */
  stackIdentities?: pulumi.Input<string>[];
}

export class ControlPlane extends pulumi.ComponentResource {
  /** The API's external URL through the gateway; undefined when no gateway was given. */
  readonly url: pulumi.Output<string | undefined>;
  /** The API inside the cluster: `http://<name>-api.<namespace>.svc.cluster.local`. */
  readonly internalUrl: string;
  /** MODELPLANE_BACKEND_URL the workers run the per-model stacks with. */
  readonly backendUrl: pulumi.Output<string>;
  /** MODELPLANE_SECRETS_PROVIDER (`awskms://…`, `gcpkms://…`, `azurekeyvault://…`; `service` on Pulumi Cloud). */
  readonly secretsProvider: pulumi.Output<string>;
  /** The cloud identity the API and worker pods act as (IAM role ARN, service-account email); undefined when none. */
  readonly podIdentity: pulumi.Output<string | undefined>;
  /**
   * The permissions boundary the roles the per-model stacks create must carry (AWS: IAM policy ARN),
   * when the cloud made one; undefined otherwise. The platform program exports it on its clusters
   * (`stackRoleBoundaryArn`) and the workers run with MODELPLANE_STACK_ROLE_BOUNDARY=required.
   */
  readonly stackRoleBoundary: pulumi.Output<string> | undefined;
  readonly plan: ControlPlanePlan;

  constructor(name: string, args: ControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:platform:ControlPlane", name, {}, opts);
    const cloudProvider = providerFor(args.cloud).controlPlane;
    const plan = planControlPlane(
      {
        cloud: args.cloud,
        region: args.region,
        image: args.image,
        ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
        ...(args.api !== undefined ? { api: args.api } : {}),
        ...(args.worker !== undefined ? { worker: args.worker } : {}),
        database: args.database,
        stateBackend: args.stateBackend,
        ...(args.hostname !== undefined ? { hostname: args.hostname } : {}),
        gateway: args.gateway !== undefined,
      },
      cloudProvider.defaultInstanceClass,
    );
    this.plan = plan;
    if (args.kubernetes === undefined) throw new ValidationError("kubernetes", "is required: the cluster's provider");
    const tags = costTags({ owner: args.owner, costCenter: args.costCenter, tags: args.tags });
    const db = plan.database;
    const cloud = cloudProvider.create(
      {
        name,
        region: plan.region,
        tags,
        ...(db.kind === "managed" && args.database.kind === "managed"
          ? {
              database: {
                instanceClass: db.instanceClass,
                storageGiB: db.storageGiB,
                version: db.version,
                password: args.database.password,
                deletionProtection: args.deletionProtection ?? true,
              },
            }
          : {}),
        stateBucket: plan.stateBackend.kind === "object-store",
        kmsKey: plan.kmsKey,
        ...(args.project !== undefined ? { project: args.project } : {}),
        ...(args.resourceGroupName !== undefined ? { resourceGroupName: args.resourceGroupName } : {}),
        ...(args.clusterSubnetIds !== undefined ? { clusterSubnetIds: args.clusterSubnetIds } : {}),
        ...(args.stackIdentities !== undefined ? { stackIdentities: args.stackIdentities } : {}),
        ...(args.clusterName !== undefined
          ? {
              workload: {
                clusterName: args.clusterName,
                namespace: plan.namespace,
                serviceAccount: CONTROL_PLANE_NAME,
              },
            }
          : {}),
      },
      this,
    );
    this.podIdentity = cloud.podIdentity ?? pulumi.output(undefined);
    this.stackRoleBoundary = cloud.stackRoleBoundary;
    const databaseUrl = args.database.kind === "url" ? pulumi.secret(args.database.url) : cloud.databaseUrl;
    if (!databaseUrl) throw new Error(`${args.cloud}: the control plane's database was not created`);
    const backend = plan.stateBackend;
    this.backendUrl =
      backend.kind === "pulumi-cloud" ? pulumi.output(backend.url) : required(cloud.backendUrl, "state bucket");
    this.secretsProvider = plan.kmsKey ? required(cloud.secretsProvider, "KMS key") : pulumi.output("service");

    // The objects, built once with placeholders for values known only after apply; those go in
    // through the ConfigMap's data and the Secret's stringData below.
    const secretKeys = [
      "DATABASE_URL",
      "MODELPLANE_ADMIN_KEY",
      ...(backend.kind === "pulumi-cloud" ? ["PULUMI_ACCESS_TOKEN"] : []),
    ];
    const gateway = args.gateway !== undefined ? pulumi.output(args.gateway) : undefined;
    const manifests = controlPlaneManifests({
      name: CONTROL_PLANE_NAME,
      namespace: plan.namespace,
      image: plan.image,
      api: plan.api,
      worker: plan.worker,
      env: {
        MODELPLANE_ENV: "production",
        ...(args.platformStack !== undefined ? { MODELPLANE_PLATFORM_STACK: args.platformStack } : {}),
        // The workers may create roles only with the boundary: the per-model program refuses to run without it.
        ...(cloud.stackRoleBoundary !== undefined ? { [STACK_ROLE_BOUNDARY_ENV]: "required" } : {}),
      },
      config: { MODELPLANE_BACKEND_URL: "", MODELPLANE_SECRETS_PROVIDER: "" },
      secret: Object.fromEntries(secretKeys.map((k) => [k, ""])),
      // The route's parent is filled from the gateway output below.
      ...(gateway ? { gateway: { name: "", namespace: "", listener: "" } } : {}),
      ...(plan.hostname !== undefined ? { hostname: plan.hostname } : {}),
      // Cost labels on every object (owner, cost-center, managed-by), as the gateway's objects carry them.
      labels: { ...toK8sLabels(tags), "modelplane.dev/component": "control-plane" },
      ...(cloud.podLabels !== undefined ? { podLabels: cloud.podLabels } : {}),
    });
    const api = apiServiceRef(plan.namespace, CONTROL_PLANE_NAME);
    this.internalUrl = `http://${api.name}.${api.namespace}.svc.cluster.local${api.port === 80 ? "" : `:${api.port}`}`;
    const child = { parent: this, provider: args.kubernetes };
    const created = new Map<string, pulumi.Resource>();
    const after = (...kinds: string[]) => ({
      ...child,
      dependsOn: kinds.map((k) => created.get(k)).filter((r): r is pulumi.Resource => r !== undefined),
    });
    for (const m of manifests) {
      const role = `${name}-${m.kind.toLowerCase()}${m.kind === "Deployment" ? `-${m.metadata.name.split("-").pop() ?? ""}` : ""}`;
      created.set(m.kind, this.register(role, m, { cloud, databaseUrl, args, gateway }, after("Namespace")));
    }
    // The stacks' kubeconfig authenticates as the pods' cloud identity: bind the stack workers' rights to it.
    if (cloud.kubernetesSubjects) {
      const role = stackWorkerClusterRole({ ...toK8sLabels(tags), "modelplane.dev/component": "control-plane" });
      const clusterRole = new k8s.rbac.v1.ClusterRole(
        `${name}-stack-worker`,
        { metadata: role.metadata as k8s.types.input.meta.v1.ObjectMeta, rules: role.rules },
        child,
      );
      new k8s.rbac.v1.ClusterRoleBinding(
        `${name}-stack-worker`,
        {
          metadata: { ...(role.metadata as k8s.types.input.meta.v1.ObjectMeta) },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: STACK_WORKER_ROLE },
          subjects: cloud.kubernetesSubjects,
        },
        { ...child, dependsOn: [clusterRole] },
      );
    }
    this.url = gateway ? gateway.apply((g) => controlPlaneUrl(g.url, plan.hostname)) : pulumi.output(undefined);
    this.registerOutputs({
      url: this.url,
      internalUrl: this.internalUrl,
      backendUrl: this.backendUrl,
      secretsProvider: this.secretsProvider,
      podIdentity: this.podIdentity,
      stackRoleBoundary: this.stackRoleBoundary,
    });
  }

  private register(
    name: string,
    m: Manifest,
    v: {
      cloud: {
        backendUrl?: pulumi.Output<string>;
        secretsProvider?: pulumi.Output<string>;
        serviceAccountAnnotations?: pulumi.Output<Record<string, string>>;
      };
      databaseUrl: pulumi.Output<string>;
      args: ControlPlaneArgs;
      gateway: pulumi.Output<ControlPlaneGateway> | undefined;
    },
    opts: pulumi.CustomResourceOptions,
  ): pulumi.Resource {
    const { apiVersion: _a, kind: _k, ...rest } = m;
    switch (m.kind) {
      case "Namespace":
        return new k8s.core.v1.Namespace(name, rest, opts);
      case "ServiceAccount": {
        const annotations = v.cloud.serviceAccountAnnotations;
        return new k8s.core.v1.ServiceAccount(
          name,
          annotations ? { ...rest, metadata: { ...m.metadata, annotations } } : rest,
          opts,
        );
      }
      case "ConfigMap":
        return new k8s.core.v1.ConfigMap(
          name,
          {
            ...rest,
            data: { MODELPLANE_BACKEND_URL: this.backendUrl, MODELPLANE_SECRETS_PROVIDER: this.secretsProvider },
          },
          opts,
        );
      case "Secret": {
        const a = v.args;
        const stringData: Record<string, pulumi.Input<string>> = {
          DATABASE_URL: v.databaseUrl,
          MODELPLANE_ADMIN_KEY: a.adminKey,
        };
        if (a.stateBackend.kind === "pulumi-cloud") stringData["PULUMI_ACCESS_TOKEN"] = a.stateBackend.accessToken;
        return new k8s.core.v1.Secret(name, { ...rest, stringData: pulumi.secret(stringData) }, opts);
      }
      case "Deployment":
        return new k8s.apps.v1.Deployment(name, rest as unknown as k8s.apps.v1.DeploymentArgs, opts);
      case "Service":
        return new k8s.core.v1.Service(name, rest, opts);
      case "SecurityPolicy":
        return new k8s.apiextensions.CustomResource(name, { ...rest, apiVersion: m.apiVersion, kind: m.kind }, opts);
      case "HTTPRoute": {
        const g = v.gateway;
        if (!g) throw new Error("HTTPRoute without a gateway");
        const spec = rest["spec"] as { parentRefs: Array<Record<string, unknown>> } & Record<string, unknown>;
        return new k8s.apiextensions.CustomResource(
          name,
          {
            apiVersion: m.apiVersion,
            kind: m.kind,
            metadata: m.metadata,
            spec: g.apply((gw) => ({
              ...spec,
              parentRefs: spec.parentRefs.map((p) => ({
                ...p,
                name: gw.name,
                namespace: gw.namespace,
                sectionName: gw.listener,
              })),
            })),
          },
          opts,
        );
      }
      default:
        throw new Error(`no Kubernetes class for ${m.kind}`);
    }
  }
}

function required<T>(v: pulumi.Output<T> | undefined, what: string): pulumi.Output<T> {
  if (!v) throw new Error(`the cloud created no ${what} for the control plane`);
  return v;
}
