/**
 * The platform program's configuration: one zod schema (./config-schema.ts), read at the edge (root
 * `index.ts` reads `modelplane:*` stack config and hands the raw object here), then checked against
 * the price catalog and each cloud's rules. Every error names the config key
 * (`modelplane:clouds[1].gpuPools[0].gpu`) and, for a wrong key or value, the allowed ones.
 */
import { shortHash } from "../../platform/core/naming";
import type { Catalog } from "../../platform/core/pricing/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { ValidationError } from "../../platform/core/validation";
import { planGpuCluster, type ClusterPlan } from "../../components/clusterPlan";
import { planSpotPool, type PoolPlan } from "../../components/poolPlan";
import { planTiering } from "../../components/ModelStore";
import type { ClusterFacts } from "../../components/clusterPlan";
import type { PoolProvider } from "../../providers/types/pool";
import { defined } from "../../components/defined";
import { validateGatewayConfig } from "./gateway-config";
import {
  CONFIG_NAMESPACE,
  type CloudConfig,
  type ExistingClusterConfig,
  type GpuPoolConfig,
  type PlatformConfig,
} from "./config-schema";

export {
  allowedKeysAt,
  ClusterEntrySchema,
  CloudConfigSchema,
  CONFIG_NAMESPACE,
  ExistingClusterSchema,
  ExistingPoolSchema,
  GpuPoolSchema,
  parsePlatformConfig,
  PlatformConfigSchema,
  StorageSchema,
  type CloudConfig,
  type ClusterEntryConfig,
  type ExistingClusterConfig,
  type ExistingPoolConfig,
  type GpuPoolConfig,
  type PlatformConfig,
} from "./config-schema";

const ROOT = `${CONFIG_NAMESPACE}:`;
/** Re-throw a ValidationError from a component planner with the config path in front of its field. */
function under<T>(prefix: string, fn: () => T, strip = ""): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValidationError && !err.field.startsWith(ROOT)) {
      const inner = strip && err.field.startsWith(strip) ? err.field.slice(strip.length) : err.field;
      const field = inner ? `${prefix}.${inner}` : prefix;
      throw new ValidationError(
        field,
        err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message,
      );
    }
    throw err;
  }
}

/** What each cloud contributes to validating the config (from the provider registry). */
export interface CloudFacts {
  cluster: ClusterFacts;
  pool: Pick<PoolProvider, "validate">;
}

/** A managed cluster entry, validated and planned. */
export interface CloudPlan {
  kind: "managed";
  /** The entry's name: its key in the stack outputs and the footprint. */
  name: string;
  /** Base of its resources' names (`modelplane-aws`, `modelplane-aws-1f3c`). */
  resourceBase: string;
  config: CloudConfig;
  cluster: ClusterPlan;
  pools: Array<{ config: GpuPoolConfig; plan: PoolPlan }>;
}

/** An existing cluster entry, validated. */
export interface ExistingClusterPlan {
  kind: "existing";
  name: string;
  resourceBase: string;
  config: ExistingClusterConfig;
}

export type ClusterEntryPlan = CloudPlan | ExistingClusterPlan;

/**
 * Longest resource base of a second (third, …) cluster on one cloud. The tightest name the
 * providers derive from it is GKE's system node pool, `<base>-system` plus Pulumi's 8-character
 * auto-name suffix, and GKE node pool names are at most 40 characters (providers/limits/names.ts,
 * row `gke-node-pool`): 40 − 7 − 8 = 25. Applied to every cloud, so the rule is one rule.
 */
export const MAX_EXTRA_RESOURCE_BASE = 25;

/**
 * The base of a cluster's resource names. The first entry of a cloud keeps `<prefix>-<cloud>`, so a
 * running single-region platform keeps its clusters when a region is appended; a later entry of
 * the same cloud adds a short stable hash of its region (reordering entries renames nothing else).
 */
export function resourceBaseOf(prefix: string, cloud: string, region: string, first: boolean): string {
  return first ? `${prefix}-${cloud}` : `${prefix}-${cloud}-${shortHash(`${cloud}|${region}`, 4)}`;
}

/** The default name of an entry: `<cloud>-<region>`. */
export function defaultClusterName(cloud: string, region: string): string {
  return `${cloud}-${region}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 40)
    .replace(/-+$/, "");
}

/**
 * Check a parsed config against the catalog and each cloud's rules: one entry per cloud and region,
 * unique entry names, unique pool names, GPU types offered on the cloud, node counts, fallbacks,
 * tiering days, resource names within the clouds' limits. Pure.
 */
export function validatePlatformConfig(
  config: PlatformConfig,
  facts: (cloud: CloudConfig["cloud"]) => CloudFacts,
  catalog: Catalog = defaultCatalog(),
): ClusterEntryPlan[] {
  const byPlace = new Map<string, number>();
  const byName = new Map<string, number>();
  const firstOfCloud = new Set<string>();
  // planTiering names `tiering.<field>`; the config key is `storage.<field>`.
  under(`${ROOT}storage`, () => planTiering(config.storage), "tiering.");
  if (config.gateway.enabled) validateGatewayConfig(config.gateway);
  return config.clouds.map((c, i): ClusterEntryPlan => {
    const at = `${ROOT}clouds[${i}]`;
    const place = `${c.cloud}|${c.region}`;
    const earlier = byPlace.get(place);
    if (earlier !== undefined) {
      throw new ValidationError(
        at,
        `${c.cloud} ${c.region} is already configured in clouds[${earlier}]; one entry per cloud and region (put more GPU pools in its gpuPools)`,
      );
    }
    byPlace.set(place, i);
    const name = c.name ?? defaultClusterName(c.cloud, c.region);
    const named = byName.get(name);
    if (named !== undefined) {
      throw new ValidationError(
        `${at}.name`,
        `"${name}" is already the name of clouds[${named}]; give this entry another name`,
      );
    }
    byName.set(name, i);
    const first = !firstOfCloud.has(c.cloud);
    firstOfCloud.add(c.cloud);
    const resourceBase =
      c.cloud === "kubernetes" ? `${config.name}-${name}` : resourceBaseOf(config.name, c.cloud, c.region, first);
    if (c.cloud === "kubernetes") {
      const pools = new Map<string, number>();
      c.gpuPools.forEach((p, j) => {
        const dup = pools.get(p.name);
        if (dup !== undefined)
          throw new ValidationError(
            `${at}.gpuPools[${j}].name`,
            `"${p.name}" is already used by gpuPools[${dup}]; pool names are unique per cluster`,
          );
        pools.set(p.name, j);
      });
      return { kind: "existing", name, resourceBase, config: c };
    }
    if (!first && resourceBase.length > MAX_EXTRA_RESOURCE_BASE) {
      throw new ValidationError(
        `${ROOT}name`,
        `"${config.name}" is too long for a second ${c.cloud} cluster (clouds[${i}]): its resources are named ${resourceBase}-…, ${resourceBase.length} characters where at most ${MAX_EXTRA_RESOURCE_BASE} keep every derived name within the clouds' limits (GKE node pools: 40); use a prefix of at most ${MAX_EXTRA_RESOURCE_BASE - (resourceBase.length - config.name.length)} characters`,
      );
    }
    return { kind: "managed", name, resourceBase, ...planManaged(config, c, at, facts(c.cloud), catalog) };
  });
}

function planManaged(
  config: PlatformConfig,
  c: CloudConfig,
  at: string,
  f: CloudFacts,
  catalog: Catalog,
): Pick<CloudPlan, "config" | "cluster" | "pools"> {
  const cluster = under(at, () =>
    planGpuCluster(
      {
        cloud: c.cloud,
        region: c.region,
        ...defined({
          kubernetesVersion: c.kubernetesVersion,
          systemInstanceType: c.systemInstanceType,
          systemNodeCount: c.systemNodeCount,
          nvidiaDevicePlugin: c.nvidiaDevicePlugin,
        }),
        deletionProtection: config.deletionProtection,
        given: {
          subnetIds: c.subnetIds !== undefined,
          project: c.project !== undefined,
          zone: c.zone !== undefined,
          resourceGroupName: c.resourceGroupName !== undefined,
        },
      },
      f.cluster,
    ),
  );
  if (c.storage) under(`${at}.storage`, () => planTiering({ ...config.storage, ...c.storage }), "tiering.");
  const names = new Map<string, number>();
  const pools = c.gpuPools.map((p, j) => {
    const pat = `${at}.gpuPools[${j}]`;
    const dup = names.get(p.name);
    if (dup !== undefined)
      throw new ValidationError(
        `${pat}.name`,
        `"${p.name}" is already used by gpuPools[${dup}]; pool names are unique per cluster`,
      );
    names.set(p.name, j);
    const plan = planSpotPool(
      {
        cloud: c.cloud,
        region: c.region,
        gpu: p.gpu,
        ...defined({ instanceType: p.instanceType, gpuCount: p.gpuCount }),
        minNodes: p.minNodes,
        maxNodes: p.maxNodes,
        spot: p.spot,
        fallback: p.fallback,
        ...(p.diskSizeGiB !== undefined ? { diskSizeGiB: p.diskSizeGiB } : {}),
      },
      catalog,
      pat,
    );
    under(pat, () => f.pool.validate({ gpu: plan.gpu, ...(p.amiType !== undefined ? { amiType: p.amiType } : {}) }));
    return { config: p, plan };
  });
  return { config: c, cluster, pools };
}
