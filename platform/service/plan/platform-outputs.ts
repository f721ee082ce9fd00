/**
 * The platform stack outputs an offline plan hands a deployment's StackReference, built from the
 * platform's Footprint: one `clusters` entry per footprint cluster, with its declared pools, its
 * store only where the footprint has one, its serverless SKUs; ids and ARNs are the cost modules'
 * plan placeholders (`planPlatformOutput`). Only the footprint's clusters exist: a placement
 * anywhere else finds no cluster and is refused (`placement.region`), never given one.
 */
import { isRecord } from "../../core/resources/read";
import type { Footprint, FootprintCluster, FootprintPool } from "../../core/footprint";
import { COST_MODULES } from "../../../providers/resource-cost/registry";
import type { GatewayOutput, PlatformClusterOutput, PoolOutput } from "../../../programs/platform/outputs";
import {
  addressKnownAfterApply,
  GATEWAY_NAMES,
  GATEWAY_NAMESPACE,
  HTTPS_LISTENER,
} from "../../../providers/kubernetes/gateway";

/** Placeholder kubeconfig of a planned cluster (the plan never connects to a cluster). */
const PLAN_KUBECONFIG = "apiVersion: v1\nkind: Config\n# offline plan\n";

const GPU_TOLERATION: PoolOutput["tolerations"][number] = {
  key: "nvidia.com/gpu",
  operator: "Exists",
  effect: "NoSchedule",
};

/** A footprint pool as a pool output (a fallback is its own footprint pool, `<name>-fallback`). */
function poolOutput(p: FootprintPool, all: readonly FootprintPool[]): PoolOutput {
  const fallback = `${p.name}-fallback`;
  return {
    name: p.name,
    poolName: p.name,
    gpuType: p.gpu as PoolOutput["gpuType"],
    gpuCount: p.gpusPerNode,
    capacity: p.capacity,
    minNodes: p.minNodes,
    maxNodes: p.maxNodes,
    nodeSelector: { "modelplane.dev/pool": p.name },
    tolerations: [GPU_TOLERATION],
    ...(p.instanceType !== undefined ? { instanceType: p.instanceType } : {}),
    ...(p.nodeHourlyUsd !== undefined ? { nodeHourlyUsd: p.nodeHourlyUsd } : {}),
    ...(p.fallback && all.some((q) => q.name === fallback) ? { fallback } : {}),
  };
}

/**
 * A planned cluster's gateway (every cluster gets one unless `modelplane:gateway.enabled` is false,
 * which a footprint does not record). The load balancer's address is known only after apply: the
 * plan says so with a `.invalid` name (`addressKnownAfterApply`), never an invented address.
 */
export function plannedGateway(clusterName: string): GatewayOutput {
  const address = addressKnownAfterApply(clusterName);
  return {
    name: GATEWAY_NAMES.gateway,
    namespace: GATEWAY_NAMESPACE,
    listener: HTTPS_LISTENER,
    hostname: address,
    address,
    url: `https://${address}`,
  };
}

function clusterOutput(fp: Footprint, c: FootprintCluster): PlatformClusterOutput {
  const base: PlatformClusterOutput = {
    name: c.name,
    cloud: c.cloud,
    region: c.region,
    clusterName: `plan-${c.name}`,
    dedicatedPools: c.dedicatedPools,
    pools: c.pools.map((p) => poolOutput(p, c.pools)),
    gateway: plannedGateway(c.name),
  };
  const module = COST_MODULES.find((m) => m.platform === c.cloud);
  const planned = module?.planPlatformOutput?.(c.region);
  if (!planned) return base;
  const hasStore = fp.stores.some((s) => s.cloud === c.cloud && s.region === c.region);
  const ref = isRecord(planned["clusterRef"]) ? planned["clusterRef"] : undefined;
  const serverless = isRecord(planned["serverless"]) ? planned["serverless"] : {};
  const product = c.serverless[0]?.product;
  return {
    ...base,
    ...(typeof planned["clusterName"] === "string" ? { clusterName: planned["clusterName"] } : {}),
    ...(ref ? { clusterRef: ref as unknown as NonNullable<PlatformClusterOutput["clusterRef"]> } : {}),
    ...(hasStore && isRecord(planned["store"])
      ? { store: planned["store"] as unknown as NonNullable<PlatformClusterOutput["store"]> }
      : {}),
    serverless: {
      ...(serverless as object),
      ...(product !== undefined ? { product } : {}),
      skus: c.serverless.map((s) => s.sku),
    } as NonNullable<PlatformClusterOutput["serverless"]>,
  };
}

/** The platform stack outputs (`clusters`, `kubeconfigs`) of a footprint, for an offline plan. Pure. */
export function platformOutputsFromFootprint(fp: Footprint): Record<string, unknown> {
  return {
    clusters: Object.fromEntries(fp.clusters.map((c) => [c.name, clusterOutput(fp, c)])),
    kubeconfigs: Object.fromEntries(fp.clusters.map((c) => [c.name, PLAN_KUBECONFIG])),
  };
}
