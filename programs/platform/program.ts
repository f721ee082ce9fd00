/**
 * The platform program: for each cluster entry (several per cloud, keyed by cloud + region), a
 * GpuCluster, its GPU SpotPools, a ModelStore and the shared ServerlessEnvironment per-model
 * serverless endpoints join (a Container Apps environment on Azure; nothing on clouds whose product
 * needs none); for an existing cluster (`cloud: kubernetes`), an ExistingCluster with the add-ons
 * model stacks need. Exports `clusters` and `kubeconfigs`, keyed by cluster name (see ./outputs.ts).
 * Takes validated config, never reads it itself: root `index.ts` reads `modelplane:*` config at the edge.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../../platform/core/pricing/types";
import type { Cloud } from "../../platform/core/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { providerFor } from "../../providers/registry";
import { GpuCluster } from "../../components/GpuCluster";
import { ExistingCluster } from "../../components/ExistingCluster";
import { SpotPool } from "../../components/SpotPool";
import { ModelStore } from "../../components/ModelStore";
import { ServerlessEnvironment } from "../../components/ServerlessEnvironment";
import { ClusterGateway } from "../../components/ClusterGateway";
import type * as k8s from "@pulumi/kubernetes";
import { planClusterGateway, type ControlPlaneSite } from "./gateway-config";
import { addControlPlane } from "./control-plane";
import type { ControlPlane } from "../../components/ControlPlane";
import { costTags } from "../../platform/core/tags";
import {
  defaultClusterName,
  validatePlatformConfig,
  type CloudPlan,
  type ExistingClusterPlan,
  type ExistingPoolConfig,
  type PlatformConfig,
} from "./config";
import type {
  ClusterRefOutput,
  GatewayOutput,
  PlatformClusterOutput,
  PoolOutput,
  ServerlessOutput,
  StoreOutput,
} from "./outputs";
import { defined } from "../../components/defined";

/** A cluster's output while the program runs (Outputs not yet resolved). */
export type ClusterOutputValue = { [K in keyof PlatformClusterOutput]: pulumi.Input<PlatformClusterOutput[K]> };

export interface PlatformProgramOptions {
  /** Price catalog for GPU validation and instance selection. Default: the shipped catalog. */
  catalog?: Catalog;
}

export interface PlatformResources {
  clusters: GpuCluster[];
  /** Existing clusters brought to the platform. */
  existing: ExistingCluster[];
  pools: SpotPool[];
  stores: ModelStore[];
  /** One per enabled cloud with `serverless` on (a component without children where the cloud needs none). */
  environments: ServerlessEnvironment[];
  /** The inference gateway of each cluster (none when `modelplane:gateway.enabled` is false). */
  gateways: ClusterGateway[];
  /** modelplane's control plane, when `modelplane:controlPlane` is set. */
  controlPlane?: ControlPlane;
  /** The validated config the resources were made from. */
  config: PlatformConfig;
  /** Export these as the stack outputs `clusters` and `kubeconfigs` (secret), keyed by cluster name. */
  outputs: {
    clusters: Record<string, ClusterOutputValue>;
    kubeconfigs: Record<string, pulumi.Output<string>>;
  };
}

/** The resource names the program uses for a managed cluster entry (pure; also used by reports). */
export function resourceNames(plan: CloudPlan): {
  cluster: string;
  store: string;
  serverless: string;
  pools: string[];
} {
  const base = plan.resourceBase;
  return {
    cluster: base,
    store: `${base}-models`,
    serverless: `${base}-serverless`,
    pools: plan.pools.map((p) => `${base}-${p.config.name}`),
  };
}

function poolOutputs(name: string, pool: SpotPool): PoolOutput[] {
  return pool.pools.map((shape, i) => ({
    name: i === 0 ? name : `${name}-fallback`,
    poolName: shape.poolName,
    gpuType: shape.gpuType,
    instanceType: shape.instanceType,
    gpuCount: shape.gpuCount,
    capacity: shape.capacity,
    minNodes: shape.minNodes,
    maxNodes: shape.maxNodes,
    nodeSelector: shape.nodeSelector,
    tolerations: shape.tolerations,
    ...(i === 0 && pool.fallback ? { fallback: `${name}-fallback` } : {}),
  }));
}

/** The tolerations a pod needs on an existing cluster's GPU nodes (the usual `nvidia.com/gpu` taint). */
const EXISTING_POOL_TOLERATIONS: PoolOutput["tolerations"] = [
  { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
];

/** The node selector of an existing cluster's pool: declared, or `modelplane.dev/pool: <name>`. */
export function existingPoolSelector(p: ExistingPoolConfig): Record<string, string> {
  return p.nodeSelector ?? { "modelplane.dev/pool": p.name };
}

/** An existing cluster's declared pools, as pool outputs. Pure. */
export function existingPoolOutputs(plan: ExistingClusterPlan): PoolOutput[] {
  return plan.config.gpuPools.map((p) => ({
    name: p.name,
    poolName: p.name,
    gpuType: p.gpu,
    gpuCount: p.gpusPerNode,
    capacity: p.capacity,
    minNodes: p.nodes,
    maxNodes: p.nodes,
    nodeSelector: existingPoolSelector(p),
    tolerations: EXISTING_POOL_TOLERATIONS,
    ...defined({ instanceType: p.instanceType, nodeHourlyUsd: p.nodeHourlyUsd }),
  }));
}

/**
 * Stand in for a kubeconfig the program cannot read: the stack file's encrypted `{ secure }` form
 * reaches the program only in an offline plan (the engine decrypts it for `pulumi up`).
 */
const ENCRYPTED_KUBECONFIG = "# encrypted in the stack file; the Pulumi engine decrypts it\n";

function existingCluster(plan: ExistingClusterPlan, out: PlatformResources): void {
  const c = plan.config;
  const kubeconfig = typeof c.kubeconfig === "string" ? c.kubeconfig : ENCRYPTED_KUBECONFIG;
  const cluster = new ExistingCluster(plan.resourceBase, {
    kubeconfig: pulumi.secret(kubeconfig),
    gpuNodeSelectors: c.gpuPools.map(existingPoolSelector),
    nvidiaDevicePlugin: c.nvidiaDevicePlugin,
  });
  out.existing.push(cluster);
  out.outputs.kubeconfigs[plan.name] = cluster.kubeconfig;
  out.outputs.clusters[plan.name] = {
    name: plan.name,
    cloud: "kubernetes",
    region: c.region,
    clusterName: plan.name,
    dedicatedPools: false,
    pools: existingPoolOutputs(plan),
  };
  addGateway(plan.name, plan.resourceBase, cluster.provider, [cluster], out);
}

/**
 * Where `modelplane:controlPlane` runs: its `cluster`, else the first managed entry (as
 * `addControlPlane` picks it). Undefined when there is no control plane. Pure.
 */
export function controlPlaneSite(config: PlatformConfig): ControlPlaneSite | undefined {
  const c = config.controlPlane;
  if (!c) return undefined;
  const first = config.clouds.find((e) => e.cloud !== "kubernetes");
  const cluster = c.cluster ?? (first ? (first.name ?? defaultClusterName(first.cloud, first.region)) : undefined);
  return cluster === undefined
    ? undefined
    : { cluster, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}) };
}

/**
 * The cluster's inference gateway (`modelplane:gateway`), exported as `clusters.<name>.gateway`.
 * Resources are named `<resourceBase>-gateway-<role>`.
 */
function addGateway(
  name: string,
  resourceBase: string,
  provider: k8s.Provider,
  dependsOn: pulumi.Resource[],
  out: PlatformResources,
  loadBalancer?: { cloud: Cloud; region: string },
): void {
  const config = out.config.gateway;
  if (!config.enabled) return;
  const gw = new ClusterGateway(`${resourceBase}-gateway`, {
    ...planClusterGateway(config, name, controlPlaneSite(out.config)),
    clusterName: name,
    provider,
    dependsOn,
    labels: costTags({
      ...defined({ owner: out.config.owner, costCenter: out.config.costCenter }),
      tags: out.config.tags,
    }),
    ...(loadBalancer ? { loadBalancer } : {}),
  });
  out.gateways.push(gw);
  const cluster = out.outputs.clusters[name];
  if (!cluster) return;
  cluster.gateway = pulumi.all([gw.hostname, gw.address, gw.url]).apply(([hostname, address, url]): GatewayOutput => ({
    name: gw.gatewayName,
    namespace: gw.namespace,
    listener: gw.listener,
    hostname,
    address,
    url,
  }));
}

/** Create the platform from validated config. Throws ValidationError (naming the key) on bad config. */
export function platformProgram(config: PlatformConfig, options: PlatformProgramOptions = {}): PlatformResources {
  const catalog = options.catalog ?? defaultCatalog();
  const plans = validatePlatformConfig(config, (cloud) => providerFor(cloud), catalog);
  const costInput = {
    ...defined({ owner: config.owner, costCenter: config.costCenter }),
    tags: config.tags,
  };
  const tags = costTags(costInput);
  const out: PlatformResources = {
    clusters: [],
    existing: [],
    pools: [],
    stores: [],
    environments: [],
    gateways: [],
    outputs: { clusters: {}, kubeconfigs: {} },
    config,
  };

  for (const plan of plans) {
    if (plan.kind === "existing") {
      existingCluster(plan, out);
      continue;
    }
    const c = plan.config;
    const names = resourceNames(plan);
    const cluster = new GpuCluster(names.cluster, {
      cloud: c.cloud,
      region: c.region,
      deletionProtection: config.deletionProtection,
      ...defined({
        kubernetesVersion: c.kubernetesVersion,
        systemInstanceType: c.systemInstanceType,
        systemNodeCount: c.systemNodeCount,
        nvidiaDevicePlugin: c.nvidiaDevicePlugin,
        subnetIds: c.subnetIds,
        project: c.project,
        zone: c.zone,
        resourceGroupName: c.resourceGroupName,
      }),
      ...costInput,
    });
    out.clusters.push(cluster);

    const pools: PoolOutput[] = [];
    plan.pools.forEach((p, j) => {
      const pool = new SpotPool(
        names.pools[j] ?? `${names.cluster}-${p.config.name}`,
        {
          cluster,
          gpu: p.plan.gpu,
          instanceType: p.plan.instanceType,
          gpuCount: p.plan.gpuCount,
          minNodes: p.config.minNodes,
          maxNodes: p.config.maxNodes,
          spot: p.config.spot,
          fallback: p.config.fallback,
          ...defined({ diskSizeGiB: p.config.diskSizeGiB, amiType: p.config.amiType, tags: p.config.tags }),
          catalog,
        },
        { dependsOn: [cluster] },
      );
      out.pools.push(pool);
      pools.push(...poolOutputs(p.config.name, pool));
    });

    let store: pulumi.Output<StoreOutput> | undefined;
    if (c.store) {
      const s = { ...config.storage, ...(c.storage ?? {}) };
      const modelStore = new ModelStore(names.store, {
        cloud: c.cloud,
        region: c.region,
        tiering: {
          ...defined({
            coolAfterDays: s.coolAfterDays,
            coldAfterDays: s.coldAfterDays,
            noncurrentVersionExpirationDays: s.noncurrentVersionExpirationDays,
            abortIncompleteUploadDays: s.abortIncompleteUploadDays,
          }),
        },
        ...(s.forceDestroy !== undefined ? { forceDestroy: s.forceDestroy } : {}),
        tags,
        // Cloud-specific placement: each is ignored by the clouds it does not apply to.
        ...defined({ project: c.project, resourceGroupName: cluster.ref.resourceGroupName }),
      });
      out.stores.push(modelStore);
      const a = modelStore.access;
      store = pulumi
        .all([modelStore.uri, modelStore.storageName, a.identity, a.clientId, a.grant])
        .apply(([uri, storageName, readerIdentity, readerClientId, readerGrant]) => ({
          uri,
          storageName,
          readerIdentity,
          readerClientId,
          readerGrant,
        }));
    }

    // The shared serverless environment: on Azure a Container Apps environment with one GPU
    // workload profile per SKU, in the cluster's resource group; elsewhere nothing is created.
    const environment = c.serverless
      ? new ServerlessEnvironment(names.serverless, {
          cloud: c.cloud,
          region: c.region,
          ...(cluster.ref.resourceGroupName !== undefined ? { resourceGroupName: cluster.ref.resourceGroupName } : {}),
          ...costInput,
        })
      : undefined;
    if (environment) out.environments.push(environment);
    const product = providerFor(c.cloud).serverless;
    const profiles = environment?.workloadProfileNames ?? {};
    const none = pulumi.output<string | undefined>(undefined);
    const serverless: pulumi.Output<ServerlessOutput> = pulumi
      .all([environment?.environmentId ?? none, environment?.resourceGroupName ?? none])
      .apply(([environmentId, resourceGroupName]) => ({
        product: product.product,
        skus: product.skus.map((s) => s.sku),
        ...defined({ environmentId, resourceGroupName }),
        ...(Object.keys(profiles).length > 0 ? { workloadProfileNames: { ...profiles } } : {}),
      }));

    out.outputs.kubeconfigs[plan.name] = cluster.kubeconfig;
    out.outputs.clusters[plan.name] = {
      name: plan.name,
      cloud: c.cloud,
      region: c.region,
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      clusterRef: pulumi.output(cluster.ref) as pulumi.Output<ClusterRefOutput>,
      dedicatedPools: true,
      pools,
      ...(store ? { store } : {}),
      serverless,
    };
    addGateway(plan.name, plan.resourceBase, cluster.provider, [cluster], out, { cloud: c.cloud, region: c.region });
  }
  const controlPlane = addControlPlane(config, plans, out.clusters, out.outputs.clusters);
  if (controlPlane) out.controlPlane = controlPlane;
  return out;
}
