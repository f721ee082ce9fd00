/**
 * The platform program's configuration schema: every `modelplane:*` key, its type, default and
 * rule, and the parse that turns the first problem into a ValidationError naming the key
 * (`modelplane:clouds[1].gpuPools[0].gpu`) and, for a wrong key, the allowed ones. Checks against
 * the catalog and each cloud's rules are in ./config.ts.
 */
import { z } from "zod";
import { CLOUDS, GPU_TYPES } from "../../platform/core/types";
import { CloudSchema } from "../../platform/core/schemas";
import { formatPath, ValidationError } from "../../platform/core/validation";
import { GatewayConfigSchema } from "./gateway-config";
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
