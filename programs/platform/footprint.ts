/**
 * The platform's footprint (platform/core/footprint.ts), read two ways that agree:
 *
 * - offline, from a platform stack config (`Pulumi.<stack>.yaml`), through the same validator the
 *   platform program runs (`parsePlatformConfig` + `validatePlatformConfig`);
 * - from the platform stack's outputs (`clusters`, see ./outputs.ts), once `pulumi up` built it.
 *
 * Neither reads a kubeconfig into the footprint: it is plain data, safe to print and return.
 */
import { readTextFile } from "../../platform/core/files";
import {
  parseFootprint,
  type Footprint,
  type FootprintCluster,
  type FootprintPool,
} from "../../platform/core/footprint";
import type { Catalog } from "../../platform/core/pricing/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { CLOUDS, type Cloud } from "../../platform/core/types";
import { providerFor } from "../../providers/registry";
import { parsePlatformConfig, validatePlatformConfig, type ClusterEntryPlan } from "./config";
import { rawConfigFromStackYaml } from "./stackConfig";
import { parsePlatformClusters, type PlatformCluster } from "./output-schema";
import { CLUSTERS_OUTPUT } from "./outputs";

const byName = (a: FootprintCluster, b: FootprintCluster): number => a.name.localeCompare(b.name);
const byPlace = (a: { cloud: string; region: string }, b: { cloud: string; region: string }): number =>
  a.cloud.localeCompare(b.cloud) || a.region.localeCompare(b.region);

function clusterFromPlan(plan: ClusterEntryPlan): FootprintCluster {
  if (plan.kind === "existing") {
    return {
      cloud: "kubernetes",
      region: plan.config.region,
      name: plan.name,
      pools: plan.config.gpuPools.map((p): FootprintPool => ({
        name: p.name,
        gpu: p.gpu,
        gpusPerNode: p.gpusPerNode,
        ...(p.instanceType !== undefined ? { instanceType: p.instanceType } : {}),
        capacity: p.capacity,
        minNodes: p.nodes,
        maxNodes: p.nodes,
        fallback: false,
        ...(p.nodeHourlyUsd !== undefined ? { nodeHourlyUsd: p.nodeHourlyUsd } : {}),
      })),
      serverless: [],
      dedicatedPools: false,
    };
  }
  const product = providerFor(plan.config.cloud).serverless;
  return {
    cloud: plan.config.cloud,
    region: plan.config.region,
    name: plan.name,
    // A spot pool's on-demand fallback is a pool of its own (`<name>-fallback`), as the outputs list it.
    pools: plan.pools.flatMap((p): FootprintPool[] => {
      const shape = { gpu: p.plan.gpu, gpusPerNode: p.plan.gpuCount, instanceType: p.plan.instanceType };
      const fb = p.plan.fallback;
      const primary: FootprintPool = {
        name: p.config.name,
        ...shape,
        capacity: p.config.spot ? "spot" : "on-demand",
        minNodes: p.config.minNodes,
        maxNodes: p.config.maxNodes,
        fallback: fb !== undefined,
      };
      if (!fb) return [primary];
      return [
        primary,
        {
          name: `${p.config.name}-fallback`,
          ...shape,
          capacity: "on-demand",
          minNodes: fb.minNodes,
          maxNodes: fb.maxNodes,
          fallback: false,
        },
      ];
    }),
    serverless: product.skus.map((s) => ({ product: product.product, sku: s.sku })),
    dedicatedPools: true,
  };
}

/**
 * The footprint of a raw platform config (`modelplane:*` keys without the namespace). Bad config →
 * ValidationError naming the key (`modelplane:clouds[2].region`), exactly as `pulumi up` would.
 */
export function footprintFromPlatformConfig(
  raw: unknown,
  file = "(platform config)",
  catalog: Catalog = defaultCatalog(),
): Footprint {
  const config = parsePlatformConfig(raw);
  const plans = validatePlatformConfig(config, (cloud) => providerFor(cloud), catalog);
  return parseFootprint({
    source: { kind: "config", file },
    clusters: plans.map(clusterFromPlan).sort(byName),
    stores: plans
      .flatMap((p) =>
        p.kind === "managed" && p.config.store ? [{ cloud: p.config.cloud, region: p.config.region }] : [],
      )
      .sort(byPlace),
  });
}

/** The footprint of a `Pulumi.<stack>.yaml` file. Unreadable or invalid → ValidationError naming the file or key. */
export function footprintFromConfigFile(path: string, catalog: Catalog = defaultCatalog()): Footprint {
  const text = readTextFile(path, "platform config");
  return footprintFromPlatformConfig(rawConfigFromStackYaml(text, path), path, catalog);
}

function clusterFromOutput(c: PlatformCluster): FootprintCluster {
  const skus = c.serverless?.skus ?? [];
  const product = c.serverless?.product;
  return {
    cloud: c.cloud,
    region: c.region,
    name: c.name,
    pools: c.pools.map((p): FootprintPool => ({
      name: p.name,
      gpu: p.gpuType,
      gpusPerNode: p.gpuCount,
      ...(p.instanceType !== undefined ? { instanceType: p.instanceType } : {}),
      capacity: p.capacity,
      minNodes: p.minNodes ?? 0,
      maxNodes: p.maxNodes ?? 1,
      fallback: p.fallback !== undefined,
      ...(p.nodeHourlyUsd !== undefined ? { nodeHourlyUsd: p.nodeHourlyUsd } : {}),
    })),
    serverless: product === undefined ? [] : skus.map((sku) => ({ product, sku })),
    dedicatedPools: c.dedicatedPools,
  };
}

/**
 * The footprint of a platform stack's outputs (`{ clusters: {...}, kubeconfigs: [secret] }`, as the
 * engine returns them). Pure; `kubeconfigs` is never read.
 */
export function footprintFromOutputs(outputs: Readonly<Record<string, unknown>>, stack: string): Footprint {
  const clusters = parsePlatformClusters(outputs[CLUSTERS_OUTPUT], `platformStack(${stack})`);
  return parseFootprint({
    source: { kind: "stack", stack },
    clusters: clusters.map(clusterFromOutput).sort(byName),
    stores: clusters
      .flatMap((c) =>
        c.store !== undefined && (CLOUDS as readonly string[]).includes(c.cloud)
          ? [{ cloud: c.cloud as Cloud, region: c.region }]
          : [],
      )
      .sort(byPlace),
  });
}

/** What reads a stack's outputs: the Automation API adapter, or a test double. */
export interface StackOutputsReader {
  /** The stack's outputs as plain values (secrets decrypted or withheld; only `clusters` is read). */
  stackOutputs(stack: string): Promise<Record<string, unknown>>;
}

/** The footprint of the platform stack `stack`, read through `reader`. */
export async function footprintFromStack(reader: StackOutputsReader, stack: string): Promise<Footprint> {
  return footprintFromOutputs(await reader.stackOutputs(stack), stack);
}
