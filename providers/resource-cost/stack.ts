/**
 * Price a whole stack: every resource read once, GPU workloads priced at the pools they land on,
 * nodes a pool already bills at rest not counted twice, and the unpriced ones listed with a reason.
 * The offline plan and the `stack-monthly-budget` policy both use this.
 */
import type { Catalog } from "../../platform/core/pricing/types";
import { gpuCapacityOf, priceFacts, restingNodes } from "./price";
import { poolsOf } from "./pools";
import { readResource } from "./registry";
import type {
  CostContext,
  GpuCapacityFacts,
  ResourceFacts,
  ResourceInput,
  ResourcePrice,
} from "../../platform/core/resources/types";

export interface PricedEntry {
  resource: ResourceInput;
  facts: ResourceFacts;
  price: ResourcePrice;
  /** GPU capacity the resource provides (GPU node pools), for the GPU policies. */
  gpu?: GpuCapacityFacts;
}

export interface UnpricedItem {
  type: string;
  name: string;
  reason: string;
}

export interface StackPrice {
  entries: PricedEntry[];
  /** Sum over priced resources, USD/hour. */
  hourlyUsd: number;
  /** Sum over priced resources, USD/month. */
  monthlyUsd: number;
  /** Unpriced resources and unpriced parts of priced ones. */
  unpriced: UnpricedItem[];
}

export function priceStack(
  resources: readonly ResourceInput[],
  catalog: Catalog,
  context: CostContext = {},
): StackPrice {
  const ctx: CostContext = { ...context, stack: resources };
  const read = resources.map((resource) => ({ resource, facts: readResource(resource, resources) }));
  const pools = poolsOf(read);
  const baseline = new Map<string, number>();
  for (const pool of pools) baseline.set(pool.key, restingNodes(pool.shape)?.nodes ?? 0);

  const prices = new Map<number, ResourcePrice>();
  // Pools and everything else first, so workloads see the pools' resting nodes.
  read.forEach((e, i) => {
    if (e.facts.cost.kind !== "gpu-workload") prices.set(i, priceFacts(e.facts, catalog, ctx));
  });
  read.forEach((e, i) => {
    if (e.facts.cost.kind === "gpu-workload") prices.set(i, priceFacts(e.facts, catalog, ctx, pools, baseline));
  });

  const entries: PricedEntry[] = [];
  const unpriced: UnpricedItem[] = [];
  let hourlyUsd = 0;
  let monthlyUsd = 0;
  read.forEach((e, i) => {
    const price = prices.get(i) ?? { priced: false, reason: "not priced" };
    const gpu = gpuCapacityOf(e.facts, catalog, ctx);
    entries.push({ ...e, price, ...(gpu ? { gpu } : {}) });
    if (price.priced) {
      hourlyUsd += price.hourlyUsd;
      monthlyUsd += price.monthlyUsd;
      for (const part of price.unpricedParts ?? [])
        unpriced.push({ type: e.resource.type, name: e.resource.name, reason: part });
    } else {
      unpriced.push({ type: e.resource.type, name: e.resource.name, reason: price.reason });
    }
  });
  return {
    entries,
    hourlyUsd: Math.round(hourlyUsd * 1e6) / 1e6,
    monthlyUsd: Math.round(monthlyUsd * 1e6) / 1e6,
    unpriced,
  };
}
