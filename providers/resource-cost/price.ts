/**
 * The price of a registered resource: its cloud module reads the facts (`./registry`), the catalog
 * gives the list prices (`platform/core/pricing/lookup`), and the one cost model
 * (`platform/core/pricing/cost-model`) turns them into USD/hour and USD/month. Unknown types and unknown
 * inputs are unpriced with a reason — never silently zero.
 */
import type { Catalog, GpuOffer, ServerlessOffer } from "../../platform/core/pricing/types";
import { findGpuOffer, findServerlessOffer, storagePrice } from "../../platform/core/pricing/lookup";
import {
  monthlyComputeUsd,
  serverlessHourlyUsd,
  storageMonthlyUsd,
  unitHourlyUsd,
} from "../../platform/core/pricing/cost-model";
import { HOURS_PER_MONTH } from "../../platform/core/types";
import type { Cloud } from "../../platform/core/types";
import { readResource } from "./registry";
import { cpuNodeUnit } from "./cpu";
import { broughtPoolFor, poolForWorkload, poolsOf, type PoolCandidate } from "./pools";
import type {
  BroughtPool,
  ControlPlaneShape,
  LoadBalancerShape,
  CostContext,
  GpuCapacityFacts,
  GpuWorkloadShape,
  NodesShape,
  PriceBasis,
  ResourceFacts,
  ResourceInput,
  ResourcePrice,
  ServerlessShape,
  StorageShape,
} from "../../platform/core/resources/types";

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const usd = (n: number): string => `$${n.toFixed(n < 1 ? 4 : 2)}`;

function priced(
  hourlyUsd: number,
  monthlyUsd: number,
  basis: PriceBasis,
  note: string,
  unpricedParts?: string[],
): ResourcePrice {
  return {
    priced: true,
    hourlyUsd: round6(hourlyUsd),
    monthlyUsd: round6(monthlyUsd),
    basis,
    note,
    ...(unpricedParts?.length ? { unpricedParts } : {}),
  };
}

const unpriced = (reason: string): ResourcePrice => ({ priced: false, reason });

/** The region to price in: the resource's, else the context's default for its cloud. */
function regionFor(cloud: Cloud, region: string | undefined, ctx: CostContext): string | undefined {
  return region ?? ctx.defaultRegions?.[cloud];
}

export type Found<T> = { offer: T; note: string } | { reason: string };

/** One instance type's offer in a region; with no region, the most expensive region (the safe bound). */
export function gpuOfferFor(
  catalog: Catalog,
  cloud: Cloud,
  region: string | undefined,
  instanceType: string,
): Found<GpuOffer> {
  if (region !== undefined) {
    const offer = findGpuOffer(catalog, { cloud, region, instanceType });
    if (offer) return { offer, note: "" };
    const elsewhere = catalog.gpuOffers.some((o) => o.cloud === cloud && o.instanceType === instanceType);
    return {
      reason: elsewhere
        ? `${instanceType} has no catalog offer in ${cloud} ${region}`
        : `${instanceType} is in neither the GPU catalog nor the CPU prices`,
    };
  }
  const all = catalog.gpuOffers.filter((o) => o.cloud === cloud && o.instanceType === instanceType);
  const worst = all.reduce<GpuOffer | undefined>(
    (m, o) => (!m || o.onDemandHourlyUsd > m.onDemandHourlyUsd ? o : m),
    undefined,
  );
  if (!worst) return { reason: `${instanceType} is in neither the GPU catalog nor the CPU prices` };
  return { offer: worst, note: `region unknown: priced at its most expensive region (${worst.region})` };
}

function serverlessOfferFor(
  catalog: Catalog,
  shape: ServerlessShape,
  region: string | undefined,
): Found<ServerlessOffer> {
  const sku = shape.sku;
  if (!sku) return { reason: `${shape.product}: the SKU/profile is not set` };
  if (region !== undefined) {
    const offer = findServerlessOffer(catalog, { cloud: shape.cloud, region, sku });
    return offer
      ? { offer, note: "" }
      : { reason: `${shape.product} ${sku} has no catalog offer in ${shape.cloud} ${region}` };
  }
  const all = catalog.serverless.filter((o) => o.cloud === shape.cloud && o.sku === sku);
  const worst = all.reduce<ServerlessOffer | undefined>(
    (m, o) => (!m || o.perSecondUsd > m.perSecondUsd ? o : m),
    undefined,
  );
  return worst
    ? { offer: worst, note: `region unknown: priced at its most expensive region (${worst.region})` }
    : { reason: `${shape.product} ${sku} is not in the catalog` };
}

/** What a node's price is read from: a GPU offer, or a CPU instance price (no GPUs). */
export type NodeOffer = Pick<GpuOffer, "instanceType" | "region" | "gpuCount">;

/** Unit price of one node of a pool (the most expensive of its instance types), spot when spot. */
function nodeUnit(
  shape: NodesShape,
  catalog: Catalog,
  ctx: CostContext,
): { unit: number; offer: NodeOffer; notes: string[] } | { reason: string } {
  let best: { unit: number; offer: NodeOffer; notes: string[] } | undefined;
  for (const instanceType of shape.instanceTypes) {
    const region = regionFor(shape.cloud, shape.region, ctx);
    const found = gpuOfferFor(catalog, shape.cloud, region, instanceType);
    if ("reason" in found) {
      const isGpuType = catalog.gpuOffers.some((o) => o.cloud === shape.cloud && o.instanceType === instanceType);
      const cpu = isGpuType ? found : cpuNodeUnit(catalog, shape.cloud, region, instanceType, shape.spot);
      if ("reason" in cpu) return cpu;
      if (!best || cpu.unit > best.unit) best = cpu;
      continue;
    }
    const notes = found.note ? [found.note] : [];
    let unit = unitHourlyUsd(found.offer, shape.spot ? "spot" : "on-demand");
    if (unit === null) {
      unit = found.offer.onDemandHourlyUsd;
      notes.push("no trusted spot price: priced on-demand");
    }
    if (!best || unit > best.unit) best = { unit, offer: found.offer, notes };
  }
  if (!best) return { reason: "no instance type" };
  if (shape.instanceTypes.length > 1)
    best.notes.push(`priced at the most expensive of ${shape.instanceTypes.join(", ")}`);
  return best;
}

/** The node count a pool is billed for at rest: desired when set, else the minimum (else the maximum). */
export function restingNodes(shape: NodesShape): { nodes: number; basis: PriceBasis } | undefined {
  if (shape.count.desired !== undefined) return { nodes: shape.count.desired, basis: "desired" };
  if (shape.count.min !== undefined) return { nodes: shape.count.min, basis: "min" };
  if (shape.count.max !== undefined) return { nodes: shape.count.max, basis: "max" };
  return undefined;
}

function priceNodes(shape: NodesShape, catalog: Catalog, ctx: CostContext): ResourcePrice {
  const unit = nodeUnit(shape, catalog, ctx);
  if ("reason" in unit) return unpriced(unit.reason);
  const resting = restingNodes(shape);
  if (!resting) return unpriced(`no node count (${shape.countPath})`);
  const hourly = unit.unit * resting.nodes;
  const notes = [
    `${resting.nodes} × ${unit.offer.instanceType} (${resting.basis} count) ${shape.spot ? "spot" : "on-demand"} at ${usd(unit.unit)}/h in ${unit.offer.region}`,
    ...unit.notes,
  ];
  if (shape.countNote) notes.push(shape.countNote);
  return priced(
    hourly,
    monthlyComputeUsd(hourly, shape.spot ? "spot" : "on-demand", 24),
    resting.basis,
    notes.join("; "),
  );
}

function priceLoadBalancer(shape: LoadBalancerShape, catalog: Catalog): ResourcePrice {
  const row = catalog.loadBalancers?.find((l) => l.cloud === shape.cloud);
  if (!row) return unpriced(`no load-balancer price for ${shape.cloud} in the catalog`);
  return priced(
    row.hourlyUsd,
    row.hourlyUsd * HOURS_PER_MONTH,
    "fee",
    `${shape.cloud} ${row.product} for ${shape.via} ${usd(row.hourlyUsd)}/h, always on (data processed not included; ${row.source}, as of ${row.asOf})`,
  );
}

function priceControlPlane(shape: ControlPlaneShape, catalog: Catalog, ctx: CostContext): ResourcePrice {
  let hourly = 0;
  const notes: string[] = [];
  if (shape.product === null) {
    notes.push(shape.freeNote ?? "no control-plane fee");
  } else {
    const fee = catalog.controlPlanes.find((c) => c.cloud === shape.cloud && c.product === shape.product);
    if (!fee) return unpriced(`no control-plane price for ${shape.product} in the catalog`);
    hourly += fee.hourlyUsd;
    notes.push(`${shape.product} control plane ${usd(fee.hourlyUsd)}/h`);
  }
  const parts: string[] = [];
  for (const pool of shape.inlinePools) {
    const p = priceNodes(pool, catalog, ctx);
    if (p.priced) {
      hourly += p.hourlyUsd;
      notes.push(`inline pool: ${p.note}`);
    } else {
      parts.push(`inline pool ${pool.instanceTypes.join("/")}: ${p.reason}`);
    }
  }
  return priced(hourly, hourly * HOURS_PER_MONTH, "fee", notes.join("; "), parts);
}

function priceStorage(shape: StorageShape, catalog: Catalog, ctx: CostContext): ResourcePrice {
  const size = shape.sizeGiB ?? ctx.storageGiB;
  if (size === undefined)
    return unpriced("stores bill per GB-month and declare no size; give the expected model size to price it");
  const sized = `${size.toFixed(1)} GiB ${shape.sizeGiB !== undefined ? "declared" : "expected"}`;
  let monthly = storageMonthlyUsd(catalog, shape.cloud, size, shape.tier);
  let note = `${sized} × ${shape.tier ?? "default tier"}`;
  if (monthly === undefined) {
    monthly = storageMonthlyUsd(catalog, shape.cloud, size);
    const fallback = storagePrice(catalog, shape.cloud);
    if (monthly === undefined || !fallback) return unpriced(`no ${shape.cloud} storage price in the catalog`);
    note = `${sized}; tier ${shape.tier ?? "?"} not in the catalog, priced as ${fallback.tier}`;
  }
  return priced(monthly / HOURS_PER_MONTH, monthly, "storage", note);
}

function priceServerless(shape: ServerlessShape, catalog: Catalog, ctx: CostContext): ResourcePrice {
  const found = serverlessOfferFor(catalog, shape, regionFor(shape.cloud, shape.region, ctx));
  if ("reason" in found) return unpriced(found.reason);
  const unit = serverlessHourlyUsd(found.offer);
  const extra = found.note ? `; ${found.note}` : "";
  if (shape.minInstances > 0) {
    const hourly = unit * shape.minInstances;
    return priced(
      hourly,
      monthlyComputeUsd(hourly, "serverless", 24),
      "always-on",
      `${shape.minInstances} always-on × ${shape.product} ${shape.sku ?? ""} at ${usd(unit)}/active hour${extra}`,
    );
  }
  const active = ctx.activeHoursPerDay ?? 24;
  return priced(
    unit,
    monthlyComputeUsd(unit, "serverless", active, ctx.scheduledHoursPerMonth),
    "active-hours",
    `1 instance × ${shape.product} ${shape.sku ?? ""} at ${usd(unit)}/active hour × ${active} active h/day (scales to zero)${extra}`,
  );
}

/**
 * Price a GPU workload at its pool. `baseline` holds nodes each pool already bills at rest; the
 * workload uses those first, so a pool with 1 resting node and a 1-replica workload count once.
 */
function priceWorkload(
  shape: GpuWorkloadShape,
  pools: readonly PoolCandidate[],
  catalog: Catalog,
  ctx: CostContext,
  baseline: Map<string, number>,
): ResourcePrice {
  const selector = JSON.stringify(shape.nodeSelector);
  const pool = poolForWorkload(shape, pools, ctx, catalog);
  const brought = pool ? undefined : broughtPoolFor(shape, ctx);
  if (brought) return priceOnBroughtPool(shape, brought, ctx);
  if (!pool)
    return unpriced(
      `requests ${shape.gpusPerPod} GPU(s) per pod but its nodeSelector ${selector} matches no known pool`,
    );
  const unit = nodeUnit(pool.shape, catalog, ctx);
  if ("reason" in unit) return unpriced(`lands on ${pool.key}: ${unit.reason}`);
  const perNode = unit.offer.gpuCount;
  if (shape.gpusPerPod > perNode)
    return unpriced(
      `a pod needs ${shape.gpusPerPod} GPUs; nodes of ${pool.key} (${unit.offer.instanceType}) have ${perNode}`,
    );
  // A node carries floor(GPUs per node / GPUs per pod) pods.
  const needed = Math.ceil(shape.replicas / Math.floor(perNode / shape.gpusPerPod));
  const available = baseline.get(pool.key) ?? 0;
  const absorbed = Math.min(available, needed);
  baseline.set(pool.key, available - absorbed);
  const nodes = needed - absorbed;
  const hourly = unit.unit * nodes;
  const basis: PriceBasis = shape.replicasPath === "spec.replicas" ? "replicas" : "min";
  const notes = [
    `${shape.replicas} replica(s) × ${shape.gpusPerPod} GPU on ${pool.key} → ${needed} × ${unit.offer.instanceType} ${pool.shape.spot ? "spot" : "on-demand"} at ${usd(unit.unit)}/h`,
    ...unit.notes,
  ];
  if (absorbed > 0) notes.push(`${absorbed} node(s) already billed on ${pool.key}`);
  if (ctx.scheduledHoursPerMonth !== undefined)
    notes.push(`scheduled: ${ctx.scheduledHoursPerMonth.toFixed(1)} h/month (0 replicas outside the windows)`);
  const capacity = pool.shape.spot ? "spot" : "on-demand";
  return priced(hourly, monthlyComputeUsd(hourly, capacity, 24, ctx.scheduledHoursPerMonth), basis, notes.join("; "));
}

/**
 * A GPU workload on a brought cluster's declared pool: its declared chargeback price per node when
 * the pool has one (not a market price, and said so), else unpriced. The nodes are the engineer's
 * and always run; the workload is charged for the nodes its replicas occupy.
 */
function priceOnBroughtPool(shape: GpuWorkloadShape, pool: BroughtPool, ctx: CostContext): ResourcePrice {
  const where = `pool ${pool.name} of the brought cluster ${pool.cluster}`;
  if (shape.gpusPerPod > pool.gpusPerNode)
    return unpriced(`a pod needs ${shape.gpusPerPod} GPUs; nodes of ${where} have ${pool.gpusPerNode}`);
  if (pool.nodeHourlyUsd === undefined)
    return unpriced(`lands on ${where}, which declares no nodeHourlyUsd: its cost is unknown`);
  const nodes = Math.ceil(shape.replicas / Math.floor(pool.gpusPerNode / shape.gpusPerPod));
  const hourly = pool.nodeHourlyUsd * nodes;
  const basis: PriceBasis = shape.replicasPath === "spec.replicas" ? "replicas" : "min";
  return priced(
    hourly,
    monthlyComputeUsd(hourly, "on-demand", 24, ctx.scheduledHoursPerMonth),
    basis,
    `${shape.replicas} replica(s) × ${shape.gpusPerPod} GPU on ${where} → ${nodes} node(s) at the declared chargeback price ${usd(pool.nodeHourlyUsd)}/node-hour (nodeHourlyUsd, not a market price)`,
  );
}

/** Price from facts already read. `pools`/`baseline` come from the stack (see priceStack). */
export function priceFacts(
  facts: ResourceFacts,
  catalog: Catalog,
  ctx: CostContext,
  pools: readonly PoolCandidate[] = [],
  baseline: Map<string, number> = new Map(),
): ResourcePrice {
  const cost = facts.cost;
  switch (cost.kind) {
    case "nodes":
      return priceNodes(cost, catalog, ctx);
    case "control-plane":
      return priceControlPlane(cost, catalog, ctx);
    case "load-balancer":
      return priceLoadBalancer(cost, catalog);
    case "storage":
      return priceStorage(cost, catalog, ctx);
    case "serverless":
      return priceServerless(cost, catalog, ctx);
    case "gpu-workload":
      return priceWorkload(cost, pools, catalog, ctx, baseline);
    case "free":
      return priced(0, 0, "free", cost.note);
    case "unknown":
      return unpriced(cost.reason);
  }
}

/**
 * Price one resource. `context.stack` (its siblings) lets a GPU workload find its pool and an
 * agent pool its cluster's location; without it those resolve from `externalPools` and well-known
 * labels, or stay unpriced.
 */
export function priceResource(resource: ResourceInput, catalog: Catalog, context: CostContext = {}): ResourcePrice {
  const stack = context.stack ?? [];
  const facts = readResource(resource, stack);
  const pools =
    facts.cost.kind === "gpu-workload"
      ? poolsOf(stack.map((r) => ({ resource: r, facts: readResource(r, stack) })))
      : [];
  return priceFacts(facts, catalog, context, pools);
}

/** GPU capacity a resource provides (node pools whose instance type is a catalog GPU offer). */
export function gpuCapacityOf(
  facts: ResourceFacts,
  catalog: Catalog,
  ctx: CostContext = {},
): GpuCapacityFacts | undefined {
  const cost = facts.cost;
  if (cost.kind !== "nodes") return undefined;
  const instanceType = cost.instanceTypes[0];
  if (!instanceType) return undefined;
  const region = regionFor(cost.cloud, cost.region, ctx);
  let found = gpuOfferFor(catalog, cost.cloud, region, instanceType);
  if ("reason" in found) found = gpuOfferFor(catalog, cost.cloud, undefined, instanceType);
  if ("reason" in found) return undefined;
  const o = found.offer;
  return {
    cloud: cost.cloud,
    region: region ?? o.region,
    instanceType,
    gpuType: o.gpuType,
    gpusPerNode: o.gpuCount,
    nodes: cost.count,
    spot: cost.spot,
    spotPath: cost.spotPath,
    countPath: cost.countPath,
  };
}
