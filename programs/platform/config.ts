/**
 * The platform program's configuration: one zod schema, read at the edge (root `index.ts` reads
 * `modelplane:*` stack config and hands the raw object here), then checked against the price
 * catalog and each cloud's rules. Every error names the config key (`modelplane:clouds[1].gpuPools[0].gpu`)
 * and, for a wrong key or value, the allowed ones.
 */
import { z } from "zod";
import { CloudSchema } from "../../platform/core/schemas";
import type { Catalog } from "../../platform/core/pricing/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { formatPath, ValidationError } from "../../platform/core/validation";
import { planGpuCluster, type ClusterPlan } from "../../components/clusterPlan";
import { planSpotPool, type PoolPlan } from "../../components/poolPlan";
import { planTiering } from "../../components/ModelStore";
import type { ClusterFacts } from "../../components/clusterPlan";
import type { PoolProvider } from "../../providers/types/pool";
import { defined } from "../../components/defined";

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

export const CloudConfigSchema = z
  .object({
    cloud: CloudSchema,
    region: z.string().min(1),
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
    clouds: z.array(CloudConfigSchema).min(1, "enable at least one cloud"),
  })
  .strict();

export type PlatformConfig = z.output<typeof PlatformConfigSchema>;
export type CloudConfig = z.output<typeof CloudConfigSchema>;
export type GpuPoolConfig = z.output<typeof GpuPoolSchema>;

/** The keys an object schema allows at `path` inside `schema`, or undefined when not an object there. */
export function allowedKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] | undefined {
  let s: z.ZodType = schema;
  const unwrap = (t: z.ZodType): z.ZodType => {
    let cur = t;
    for (;;) {
      if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault)
        cur = cur.unwrap() as z.ZodType;
      else return cur;
    }
  };
  for (const part of path) {
    s = unwrap(s);
    if (s instanceof z.ZodArray && typeof part === "number") s = s.element as z.ZodType;
    else if (s instanceof z.ZodObject && typeof part === "string") {
      const next: unknown = s.shape[part];
      if (!(next instanceof z.ZodType)) return undefined;
      s = next;
    } else return undefined;
  }
  s = unwrap(s);
  if (s instanceof z.ZodUnion) {
    const obj = (s.options as unknown[]).find((o): o is z.ZodObject => o instanceof z.ZodObject);
    s = obj ?? s;
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : undefined;
}

/** Parse raw config with the schema; the first problem becomes a ValidationError naming the key. */
export function parsePlatformConfig(raw: unknown): PlatformConfig {
  const result = PlatformConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0] ?? "";
      const allowed = allowedKeysAt(PlatformConfigSchema, issue.path) ?? [];
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

export interface CloudPlan {
  config: CloudConfig;
  cluster: ClusterPlan;
  pools: Array<{ config: GpuPoolConfig; plan: PoolPlan }>;
}

/**
 * Check a parsed config against the catalog and each cloud's rules: one entry per cloud, unique
 * pool names, GPU types offered on the cloud, node counts, fallbacks, tiering days. Pure.
 */
export function validatePlatformConfig(
  config: PlatformConfig,
  facts: (cloud: CloudConfig["cloud"]) => CloudFacts,
  catalog: Catalog = defaultCatalog(),
): CloudPlan[] {
  const seen = new Map<string, number>();
  // planTiering names `tiering.<field>`; the config key is `storage.<field>`.
  under(`${ROOT}storage`, () => planTiering(config.storage), "tiering.");
  return config.clouds.map((c, i) => {
    const at = `${ROOT}clouds[${i}]`;
    const earlier = seen.get(c.cloud);
    if (earlier !== undefined) {
      throw new ValidationError(
        `${at}.cloud`,
        `"${c.cloud}" is already configured in clouds[${earlier}]; one entry per cloud (put more GPU pools in its gpuPools)`,
      );
    }
    seen.set(c.cloud, i);
    const f = facts(c.cloud);
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
          `"${p.name}" is already used by gpuPools[${dup}]; pool names are unique per cloud`,
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
  });
}
