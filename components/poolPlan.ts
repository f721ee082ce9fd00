/**
 * Pure validation and planning for `SpotPool`: resolves the instance type and GPUs per node from
 * the price catalog, checks node counts and the on-demand fallback. No Pulumi resources here;
 * tested without mocks. Errors name the argument (with an optional prefix such as
 * `modelplane:clouds[1].gpuPools[0]` when called for stack config).
 */
import { GPU_TYPES, type Cloud, type GpuType } from "../platform/core/types";
import type { Catalog, GpuOffer } from "../platform/core/pricing/types";
import { defaultCatalog } from "../platform/core/pricing/catalog";
import { findGpuOffer, gpuTypesOffered } from "../platform/core/pricing/lookup";
import { ValidationError } from "../platform/core/validation";
import { shortHash } from "../platform/core/naming";
import type { PoolCapacity } from "../providers/types/pool";
import type { SpotPoolArgs } from "./SpotPool";
import { costTags } from "../platform/core/tags";

/** Largest node count one pool may scale to (EKS managed node groups allow 450; we stay well below). */
export const MAX_POOL_NODES = 100;
export const DEFAULT_DISK_GIB = 200;

/** An on-demand fallback pool: `true` for the primary pool's node counts, or its own counts. */
export type FallbackInput = boolean | { minNodes?: number; maxNodes?: number };

/**
 * The part of `SpotPoolArgs` that planning checks (see there for each field's default), with the
 * cluster resolved to its cloud and region and `gpu` any string (planning checks it).
 */
export interface PoolPlanInput extends Omit<SpotPoolArgs, "cluster" | "region" | "gpu" | "amiType" | "catalog"> {
  cloud: Cloud;
  /** Region of the cluster; instance types are looked up here first. */
  region: string;
  /** GPU type, e.g. `L4`. Must be offered on the cloud per the catalog. */
  gpu: string;
}

export interface NodeCounts {
  minNodes: number;
  maxNodes: number;
}

export interface PoolPlan {
  cloud: Cloud;
  region: string;
  gpu: GpuType;
  instanceType: string;
  gpuCount: number;
  /** The catalog offer the shape came from (undefined for an instance type outside the catalog). */
  offer?: GpuOffer;
  primary: NodeCounts & { capacity: PoolCapacity };
  fallback?: NodeCounts & { capacity: "on-demand" };
  diskSizeGiB: number;
  tags: Record<string, string>;
}

function fieldName(prefix: string, name: string): string {
  if (!prefix) return name;
  return prefix.endsWith(":") ? `${prefix}${name}` : `${prefix}.${name}`;
}

function counts(
  min: number | undefined,
  max: number | undefined,
  defMax: number,
  field: (n: string) => string,
): NodeCounts {
  const minNodes = min ?? 0;
  const maxNodes = max ?? Math.max(defMax, minNodes);
  if (!Number.isInteger(minNodes) || minNodes < 0) {
    throw new ValidationError(field("minNodes"), `${minNodes} must be a whole number ≥ 0`);
  }
  if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > MAX_POOL_NODES) {
    throw new ValidationError(field("maxNodes"), `${maxNodes} must be a whole number from 1 to ${MAX_POOL_NODES}`);
  }
  if (minNodes > maxNodes) {
    throw new ValidationError(
      field("minNodes"),
      `${minNodes} is greater than maxNodes (${maxNodes}); lower minNodes or raise maxNodes`,
    );
  }
  return { minNodes, maxNodes };
}

/** Offers of `gpu` on `cloud`, those in `region` first; fewest GPUs, then cheapest on-demand. */
function candidateOffers(catalog: Catalog, cloud: Cloud, region: string, gpu: GpuType, gpuCount?: number): GpuOffer[] {
  const all = catalog.gpuOffers.filter(
    (o) => o.cloud === cloud && o.gpuType === gpu && (gpuCount === undefined || o.gpuCount === gpuCount),
  );
  const inRegion = all.filter((o) => o.region === region);
  const pool = inRegion.length > 0 ? inRegion : all;
  return [...pool].sort(
    (a, b) =>
      a.gpuCount - b.gpuCount ||
      a.onDemandHourlyUsd - b.onDemandHourlyUsd ||
      a.instanceType.localeCompare(b.instanceType),
  );
}

/**
 * Validate `SpotPool` args against the catalog and plan the pool(s). Throws a ValidationError
 * naming the first bad argument (prefixed with `prefix`).
 */
export function planSpotPool(input: PoolPlanInput, catalog: Catalog = defaultCatalog(), prefix = ""): PoolPlan {
  const field = (n: string): string => fieldName(prefix, n);
  const { cloud, region } = input;

  const offered = gpuTypesOffered(catalog, cloud);
  if (!(GPU_TYPES as readonly string[]).includes(input.gpu) || !offered.includes(input.gpu as GpuType)) {
    throw new ValidationError(
      field("gpu"),
      `${JSON.stringify(input.gpu)} is not a GPU type offered on ${cloud}; offered: ${offered.join(", ") || "none"}`,
    );
  }
  const gpu = input.gpu as GpuType;

  if (input.gpuCount !== undefined && (!Number.isInteger(input.gpuCount) || input.gpuCount < 1)) {
    throw new ValidationError(field("gpuCount"), `${input.gpuCount} must be a whole number ≥ 1`);
  }

  let offer: GpuOffer | undefined;
  let instanceType: string;
  let gpuCount: number;
  if (input.instanceType !== undefined) {
    instanceType = input.instanceType;
    offer =
      findGpuOffer(catalog, { cloud, region, instanceType }) ??
      catalog.gpuOffers.find((o) => o.cloud === cloud && o.instanceType === instanceType);
    if (offer && offer.gpuType !== gpu) {
      throw new ValidationError(
        field("instanceType"),
        `${JSON.stringify(instanceType)} carries ${offer.gpuType}, not ${gpu}; omit instanceType to pick one for ${gpu}`,
      );
    }
    if (!offer && input.gpuCount === undefined) {
      const known = candidateOffers(catalog, cloud, region, gpu).map((o) => o.instanceType);
      throw new ValidationError(
        field("instanceType"),
        `${JSON.stringify(instanceType)} is not in the catalog for ${cloud}; set gpuCount too, or use one of: ${known.join(", ")}`,
      );
    }
    gpuCount = input.gpuCount ?? offer?.gpuCount ?? 1;
    if (offer && offer.gpuCount !== gpuCount) {
      throw new ValidationError(
        field("gpuCount"),
        `${gpuCount} does not match ${instanceType}, which has ${offer.gpuCount} × ${gpu}`,
      );
    }
  } else {
    const candidates = candidateOffers(catalog, cloud, region, gpu, input.gpuCount);
    offer = candidates[0];
    if (!offer) {
      const sizes = [...new Set(candidateOffers(catalog, cloud, region, gpu).map((o) => o.gpuCount))].join(", ");
      throw new ValidationError(
        field("gpuCount"),
        `no ${cloud} instance has ${input.gpuCount} × ${gpu}; available GPUs per node: ${sizes}`,
      );
    }
    instanceType = offer.instanceType;
    gpuCount = offer.gpuCount;
  }

  const spot = input.spot ?? true;
  const primaryCounts = counts(input.minNodes, input.maxNodes, 1, field);

  let fallback: PoolPlan["fallback"];
  if (input.fallback !== undefined && input.fallback !== false) {
    if (!spot) {
      throw new ValidationError(
        field("fallback"),
        "an on-demand fallback only applies to a spot pool; remove fallback or set spot: true",
      );
    }
    const onDemand = findGpuOffer(catalog, { cloud, region, instanceType });
    if (!onDemand || !(onDemand.onDemandHourlyUsd > 0)) {
      const where = catalog.gpuOffers
        .filter((o) => o.cloud === cloud && o.instanceType === instanceType)
        .map((o) => o.region);
      throw new ValidationError(
        field("fallback"),
        `no on-demand offer of ${instanceType} (${gpu}) on ${cloud} in ${region}` +
          (where.length > 0
            ? `; on-demand in: ${where.join(", ")}`
            : "; pick an instance type from the catalog or drop the fallback"),
      );
    }
    const fb = input.fallback === true ? {} : input.fallback;
    fallback = {
      capacity: "on-demand",
      ...counts(fb.minNodes, fb.maxNodes ?? primaryCounts.maxNodes, 1, (n) => field(`fallback.${n}`)),
    };
  }

  const diskSizeGiB = input.diskSizeGiB ?? DEFAULT_DISK_GIB;
  if (!Number.isInteger(diskSizeGiB) || diskSizeGiB < 20 || diskSizeGiB > 4096) {
    throw new ValidationError(field("diskSizeGiB"), `${diskSizeGiB} must be a whole number of GiB from 20 to 4096`);
  }

  return {
    cloud,
    region,
    gpu,
    instanceType,
    gpuCount,
    ...(offer ? { offer } : {}),
    primary: { capacity: spot ? "spot" : "on-demand", ...primaryCounts },
    ...(fallback ? { fallback } : {}),
    diskSizeGiB,
    tags: costTags(input),
  };
}

/**
 * Tag (GCP: resource label) that marks an on-demand GPU pool as asked for on purpose; the policy
 * pack's `spot-required-outside-production` lets such pools through outside production (its
 * default `optOutTag`). SpotPool sets it on the on-demand fallback pool only: the user asked for
 * that capacity with `fallback`. An on-demand primary pool (`spot: false`) gets it only when the
 * user tags it so.
 */
export const ALLOW_ON_DEMAND_TAG = "modelplane-allow-on-demand";

/** Node labels modelplane puts on every GPU pool. */
export const POOL_LABEL = "modelplane.dev/pool";
export const POOL_GROUP_LABEL = "modelplane.dev/pool-group";
export const GPU_LABEL = "modelplane.dev/gpu";
export const CAPACITY_LABEL = "modelplane.dev/capacity";

/** One node pool to create: its child role, cloud-side name, capacity, counts, node labels and tags. */
export interface PoolLayout extends NodeCounts {
  /** Child resource role: `spot`, `ondemand` or `fallback` (child name `${name}-<role>`). */
  role: "spot" | "ondemand" | "fallback";
  poolName: string;
  capacity: PoolCapacity;
  labels: Record<string, string>;
  /** Cloud tags: the plan's cost tags; the fallback adds `ALLOW_ON_DEMAND_TAG: "true"`. */
  tags: Record<string, string>;
}

/** Label-safe form of a component name (≤ 63 chars of `[a-z0-9-]`, hashed when cut). */
export function poolGroupLabel(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s.length > 0 && s.length <= 63 && s === name) return s;
  const hash = shortHash(name, 8);
  return `${s.slice(0, 54).replace(/-+$/, "")}-${hash}`.replace(/^-+/, "");
}

/**
 * The pool(s) a plan creates: the primary (spot or on-demand) and the optional on-demand fallback,
 * which is tagged `ALLOW_ON_DEMAND_TAG: "true"` (explicitly requested on-demand capacity).
 */
export function layoutPools(
  name: string,
  plan: PoolPlan,
  namer: { poolName(base: string, capacity: PoolCapacity): string },
): PoolLayout[] {
  const group = poolGroupLabel(name);
  const one = (role: PoolLayout["role"], capacity: PoolCapacity, c: NodeCounts): PoolLayout => {
    const poolName = namer.poolName(role === "fallback" ? `${name}-fallback` : name, capacity);
    return {
      role,
      poolName,
      capacity,
      ...c,
      labels: { [POOL_LABEL]: poolName, [POOL_GROUP_LABEL]: group, [GPU_LABEL]: plan.gpu, [CAPACITY_LABEL]: capacity },
      tags: role === "fallback" ? { ...plan.tags, [ALLOW_ON_DEMAND_TAG]: "true" } : { ...plan.tags },
    };
  };
  const out = [one(plan.primary.capacity === "spot" ? "spot" : "ondemand", plan.primary.capacity, plan.primary)];
  if (plan.fallback) out.push(one("fallback", "on-demand", plan.fallback));
  return out;
}

/** Where a workload lands on a pool group: its node selector and tolerations. */
export interface Placement<T> {
  nodeSelector: Record<string, string>;
  tolerations: T[];
}

/**
 * Placements for the pools of one group, in layout order. The first (the primary) selects the
 * group, so its pods may land on the fallback too, and tolerates the taints of every pool in it;
 * an on-demand fallback selects the group and `CAPACITY_LABEL: on-demand` (for an on-demand floor).
 * Pure.
 */
export function placementsFor<T>(
  layouts: readonly PoolLayout[],
  pools: readonly { tolerations: readonly T[] }[],
): Placement<T>[] {
  const all: T[] = [];
  const seen = new Set<string>();
  for (const p of pools) {
    for (const t of p.tolerations) {
      const key = JSON.stringify(t);
      if (!seen.has(key)) {
        seen.add(key);
        all.push(t);
      }
    }
  }
  return layouts.map((layout, i): Placement<T> => {
    const group = layout.labels[POOL_GROUP_LABEL] ?? "";
    if (i === 0) return { nodeSelector: { [POOL_GROUP_LABEL]: group }, tolerations: [...all] };
    return {
      nodeSelector: { [POOL_GROUP_LABEL]: group, [CAPACITY_LABEL]: layout.capacity },
      tolerations: [...(pools[i]?.tolerations ?? [])],
    };
  });
}
