/**
 * The platform program: on each enabled cloud, a GpuCluster, its GPU SpotPools, a ModelStore and
 * the shared ServerlessEnvironment per-model serverless endpoints join (a Container Apps
 * environment on Azure; nothing on clouds whose product needs none); exports one output per cloud
 * (see ./outputs.ts). Takes validated config, never reads it itself: root `index.ts` reads
 * `modelplane:*` config at the edge.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../../platform/core/pricing/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { providerFor } from "../../providers/registry";
import { GpuCluster } from "../../components/GpuCluster";
import { SpotPool } from "../../components/SpotPool";
import { ModelStore } from "../../components/ModelStore";
import { ServerlessEnvironment } from "../../components/ServerlessEnvironment";
import { costTags } from "../../platform/core/tags";
import { validatePlatformConfig, type CloudPlan, type PlatformConfig } from "./config";
import type { ClusterRefOutput, PlatformCloudOutput, PoolOutput, ServerlessOutput, StoreOutput } from "./outputs";
import { defined } from "../../components/defined";

/** A cloud's output while the program runs (Outputs not yet resolved). */
export type CloudOutputValue = { [K in keyof PlatformCloudOutput]: pulumi.Input<PlatformCloudOutput[K]> };

export interface PlatformProgramOptions {
  /** Price catalog for GPU validation and instance selection. Default: the shipped catalog. */
  catalog?: Catalog;
}

export interface PlatformResources {
  clusters: GpuCluster[];
  pools: SpotPool[];
  stores: ModelStore[];
  /** One per enabled cloud with `serverless` on (a component without children where the cloud needs none). */
  environments: ServerlessEnvironment[];
  /** One entry per enabled cloud, keyed by the cloud: export these as stack outputs. */
  outputs: Partial<Record<PlatformCloudOutput["clusterRef"]["cloud"], CloudOutputValue>>;
}

/** The resource names the program uses for a cloud (pure; also used by reports). */
export function resourceNames(
  prefix: string,
  plan: CloudPlan,
): { cluster: string; store: string; serverless: string; pools: string[] } {
  const base = `${prefix}-${plan.config.cloud}`;
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

/** Create the platform from validated config. Throws ValidationError (naming the key) on bad config. */
export function platformProgram(config: PlatformConfig, options: PlatformProgramOptions = {}): PlatformResources {
  const catalog = options.catalog ?? defaultCatalog();
  const plans = validatePlatformConfig(config, (cloud) => providerFor(cloud), catalog);
  const costInput = {
    ...defined({ owner: config.owner, costCenter: config.costCenter }),
    tags: config.tags,
  };
  const tags = costTags(costInput);
  const out: PlatformResources = { clusters: [], pools: [], stores: [], environments: [], outputs: {} };

  for (const plan of plans) {
    const c = plan.config;
    const names = resourceNames(config.name, plan);
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

    out.outputs[c.cloud] = {
      region: c.region,
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      kubeconfig: cluster.kubeconfig,
      clusterRef: pulumi.output(cluster.ref) as pulumi.Output<ClusterRefOutput>,
      pools,
      ...(store ? { store } : {}),
      serverless,
    };
  }
  return out;
}
