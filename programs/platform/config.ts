/**
 * The platform program's configuration: one zod schema, read at the edge (root `index.ts` reads
 * `modelplane:*` stack config and hands the raw object here), then checked against the price
 * catalog and each cloud's rules. Every error names the config key (`modelplane:clouds[1].gpuPools[0].gpu`)
 * and, for a wrong key or value, the allowed ones.
 */
import { z } from "zod";
import { CLOUDS, GPU_TYPES } from "../../platform/core/types";
import { CloudSchema } from "../../platform/core/schemas";
import { shortHash } from "../../platform/core/naming";
import type { Catalog } from "../../platform/core/pricing/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { formatPath, ValidationError } from "../../platform/core/validation";
import { planGpuCluster, type ClusterPlan } from "../../components/clusterPlan";
import { planSpotPool, type PoolPlan } from "../../components/poolPlan";
import { planTiering } from "../../components/ModelStore";
import type { ClusterFacts } from "../../components/clusterPlan";
import type { PoolProvider } from "../../providers/types/pool";
import { defined } from "../../components/defined";
import { GatewayConfigSchema, validateGatewayConfig } from "./gateway-config";
import { ControlPlaneConfigSchema } from "./control-plane-config";

/** Config namespace: keys are `modelplane:<key>` in `Pulumi.<stack>.yaml`. */
export const CONFIG_NAMESPACE = "modelplane";
const ROOT = `${CONFIG_NAMESPACE}:`;

const nodes = z.number().int("must be a whole number");

const FallbackSchema = z.union([
  z.boolean(),
  z.object({ minNodes: nodes.min(0).optional(), maxNodes: nodes.min(1).optional() }).strict(),
]);

export const GpuPoolSchema = z
  .object({
    /** Pool name within the cloud: lowercase letters, digits, dashes (`l4`, `a100-big`). */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,23}$/, "must be 1–24 lowercase letters, digits or dashes, starting with a letter"),
    /** GPU type (checked against the catalog for the cloud). */
    gpu: z.string().min(1),
    /** Instance type; absent → derived from the catalog. */
    instanceType: z.string().min(1).optional(),
    /** GPUs per node; absent → from the catalog offer. */
    gpuCount: nodes.min(1).optional(),
    minNodes: nodes.min(0).default(0),
    maxNodes: nodes.min(1).default(1),
    /** Spot/preemptible capacity (default true). */
    spot: z.boolean().default(true),
    /** On-demand fallback pool: true, or `{ minNodes, maxNodes }` (default false). */
    fallback: FallbackSchema.default(false),
    diskSizeGiB: nodes.min(20).optional(),
    /** AWS only: `AL2023_x86_64_NVIDIA` (default) or `BOTTLEROCKET_x86_64_NVIDIA`. */
    amiType: z.string().optional(),
    /**
     * Extra tags (GCP: resource labels) for this pool's node pools, over the top-level `tags`. E.g.
     * `modelplane-allow-on-demand: "true"` lets an on-demand pool (`spot: false`) pass the policy
     * pack outside production; the on-demand `fallback` pool carries that tag already.
     */
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const days = z.number().int("must be a whole number of days").min(0, "must be ≥ 0 days");

/** Model-store lifecycle tiering (days after creation). */
export const StorageSchema = z
  .object({
    coolAfterDays: days.optional(),
    coldAfterDays: days.nullable().optional(),
    noncurrentVersionExpirationDays: days.min(1, "must be ≥ 1 day").optional(),
    abortIncompleteUploadDays: days.min(1, "must be ≥ 1 day").optional(),
    /** Let `pulumi destroy` delete a store that still holds objects (default false). */
    forceDestroy: z.boolean().optional(),
  })
  .strict();

/** A cluster entry's name: unique in the platform, the key of its stack output. */
const ClusterNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "must be 1–40 lowercase letters, digits or dashes, starting with a letter");

export const CloudConfigSchema = z
  .object({
    cloud: CloudSchema,
    region: z.string().min(1),
    /** Name of this cluster in the platform's outputs and footprint. Default `<cloud>-<region>`. */
    name: ClusterNameSchema.optional(),
    kubernetesVersion: z.string().optional(),
    systemInstanceType: z.string().optional(),
    systemNodeCount: nodes.optional(),
    /** Install the NVIDIA device plugin where needed (default true). */
    nvidiaDevicePlugin: z.boolean().optional(),
    /** AWS only. */
    subnetIds: z.array(z.string().min(1)).min(2, "EKS needs subnets in at least two availability zones").optional(),
    /** GCP only. */
    project: z.string().min(1).optional(),
    /** GCP only: a zonal cluster. */
    zone: z.string().min(1).optional(),
    /** Azure only. */
    resourceGroupName: z.string().min(1).optional(),
    gpuPools: z.array(GpuPoolSchema).default([]),
    /** Overrides the top-level `storage` for this cloud's store. */
    storage: StorageSchema.optional(),
    /** Create the cloud's model store (default true). */
    store: z.boolean().default(true),
    /**
     * Create the shared serverless environment per-model serverless endpoints join (default true).
     * Only Azure creates one (a Container Apps environment with a serverless GPU workload profile per
     * SKU, in the cluster's resource group); turn it off where the region has no serverless GPUs.
     * Off: each Azure serverless deployment creates its own environment.
     */
    serverless: z.boolean().default(true),
  })
  .strict();

/** One GPU pool of an existing cluster: declared, not created (the engineer runs those nodes). */
export const ExistingPoolSchema = z
  .object({
    /** Pool name within the cluster (`a100`, `l4-spot`). */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,23}$/, "must be 1–24 lowercase letters, digits or dashes, starting with a letter"),
    /** GPU type of the pool's nodes. */
    gpu: z.enum(GPU_TYPES, { error: () => `must be one of ${GPU_TYPES.join(", ")}` }),
    /** GPUs on one node. */
    gpusPerNode: nodes.min(1),
    /** How the nodes are bought (default on-demand). */
    capacity: z.enum(["on-demand", "spot"]).default("on-demand"),
    /** Nodes in the pool. */
    nodes: nodes.min(1),
    /** Price of one node, USD/hour, for chargeback. Absent: the pool is unpriced (quotes say so). */
    nodeHourlyUsd: z.number().positive("must be a positive USD/hour price").optional(),
    /** The nodes' instance type, when known (informational). */
    instanceType: z.string().min(1).optional(),
    /** Node labels that select this pool's nodes. Default `{ "modelplane.dev/pool": <name> }`. */
    nodeSelector: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * An existing Kubernetes cluster the platform engineer brings (`cloud: kubernetes`). The platform
 * creates no cluster and no node pool there: it installs what model stacks need (see
 * `providers/kubernetes/existing-cluster.ts`) and exports the declared pools.
 */
export const ExistingClusterSchema = z
  .object({
    cloud: z.literal("kubernetes"),
    /** Where the cluster runs, as the engineer labels it (`on-prem-fra`, `eu-west-1`). */
    region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1–40 lowercase letters, digits or dashes"),
    /** Name in the platform's outputs and footprint. Default `kubernetes-<region>`. */
    name: ClusterNameSchema.optional(),
    /**
     * The cluster's kubeconfig: a SECRET config value (`pulumi config set --secret --path
     * 'modelplane:clouds[3].kubeconfig' "$(cat kubeconfig)"`). In the stack file it is the encrypted
     * `{ secure: … }` form; the engine hands the program the decrypted text. Never printed.
     */
    kubeconfig: z.union([z.string().min(1), z.object({ secure: z.string().min(1) }).strict()], {
      error: () => "must be the kubeconfig text, set as a secret (pulumi config set --secret --path …)",
    }),
    /** The GPU pools the cluster already runs. */
    gpuPools: z.array(ExistingPoolSchema).min(1, "declare at least one GPU pool"),
    /** Install the NVIDIA device plugin (default true; false when the cluster runs the GPU operator). */
    nvidiaDevicePlugin: z.boolean().default(true),
  })
  .strict();

/** An entry of `modelplane:clouds`: a managed cluster on a cloud, or an existing cluster. */
const ENTRY_CLOUDS = [...CLOUDS, "kubernetes"];
export const ClusterEntrySchema = z.discriminatedUnion("cloud", [CloudConfigSchema, ExistingClusterSchema], {
  // An unknown `cloud`: the message of CloudSchema, with `kubernetes` (an existing cluster) added.
  error: (issue) => {
    if (issue.code !== "invalid_union") return undefined;
    const input: unknown = issue.input;
    const cloud = typeof input === "object" && input !== null ? (input as Record<string, unknown>)["cloud"] : undefined;
    return cloud === undefined
      ? `is required; use one of ${ENTRY_CLOUDS.join(", ")}`
      : `${JSON.stringify(cloud)} is not a supported cloud; use one of ${ENTRY_CLOUDS.join(", ")}`;
  },
});

export const PlatformConfigSchema = z
  .object({
    /** Prefix of every resource name (default `modelplane`). */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, "must be 1–20 lowercase letters, digits or dashes, starting with a letter")
      .default("modelplane"),
    owner: z.string().min(1).optional(),
    costCenter: z.string().min(1).optional(),
    tags: z.record(z.string(), z.string()).default({}),
    /** Protect clusters from deletion where the cloud supports it (default true). */
    deletionProtection: z.boolean().default(true),
    storage: StorageSchema.default({}),
    /** Clusters: entries keyed by cloud + region (several per cloud), or existing clusters. */
    clouds: z.array(ClusterEntrySchema).min(1, "enable at least one cloud"),
    /** The inference gateway on every cluster (./gateway-config.ts); on by default. */
    gateway: GatewayConfigSchema.prefault({}),
    /** modelplane's own API and workers on one managed cluster (./control-plane-config.ts); off when absent. */
    controlPlane: ControlPlaneConfigSchema.optional(),
  })
  .strict();

export type PlatformConfig = z.output<typeof PlatformConfigSchema>;
export type CloudConfig = z.output<typeof CloudConfigSchema>;
export type ExistingClusterConfig = z.output<typeof ExistingClusterSchema>;
export type ExistingPoolConfig = z.output<typeof ExistingPoolSchema>;
export type ClusterEntryConfig = z.output<typeof ClusterEntrySchema>;
export type GpuPoolConfig = z.output<typeof GpuPoolSchema>;

/**
 * The keys an object schema allows at `path` inside `schema`, or undefined when not an object there.
 * `root` is the input the path walks through: it picks the option of a union (an entry's `cloud`).
 */
export function allowedKeysAt(
  schema: z.ZodType,
  path: ReadonlyArray<PropertyKey>,
  root?: unknown,
): string[] | undefined {
  let s: z.ZodType = schema;
  let value: unknown = root;
  const unwrap = (t: z.ZodType, v: unknown): z.ZodType => {
    let cur = t;
    for (;;) {
      if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault)
        cur = cur.unwrap() as z.ZodType;
      else if (cur instanceof z.ZodUnion) {
        const objects = (cur.options as unknown[]).filter((o): o is z.ZodObject => o instanceof z.ZodObject);
        const tag = typeof v === "object" && v !== null ? (v as Record<string, unknown>)["cloud"] : undefined;
        const matching = objects.find((o) => {
          const field: unknown = o.shape["cloud"];
          return tag !== undefined && field instanceof z.ZodType && field.safeParse(tag).success;
        });
        const picked = matching ?? objects[0];
        if (!picked) return cur;
        cur = picked;
      } else return cur;
    }
  };
  for (const part of path) {
    s = unwrap(s, value);
    value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[part] : undefined;
    if (s instanceof z.ZodArray && typeof part === "number") s = s.element as z.ZodType;
    else if (s instanceof z.ZodObject && typeof part === "string") {
      const next: unknown = s.shape[part];
      if (!(next instanceof z.ZodType)) return undefined;
      s = next;
    } else return undefined;
  }
  s = unwrap(s, value);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : undefined;
}

/**
 * Parse raw config with the schema; the first problem becomes a ValidationError naming the key.
 * Messages never quote a value (a kubeconfig is secret).
 */
export function parsePlatformConfig(raw: unknown): PlatformConfig {
  const result = PlatformConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0] ?? "";
      const allowed = allowedKeysAt(PlatformConfigSchema, issue.path, raw) ?? [];
      return {
        field: formatPath([...issue.path, key], ROOT),
        message: `unknown key "${key}"; allowed keys: ${allowed.join(", ")}`,
      };
    }
    return { field: formatPath(issue.path, ROOT), message: issue.message };
  });
  const first = issues[0] ?? { field: ROOT, message: "invalid config" };
  throw new ValidationError(first.field, first.message, issues);
}

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
