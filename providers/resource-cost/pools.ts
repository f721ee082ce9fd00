/**
 * Which pool a GPU workload lands on: the stack's own node pools (and clusters' inline pools), or
 * the platform's pools it selects. Split from price.ts, which prices the pool once chosen.
 */
import { spotFromSelector } from "./registry";
import type { Catalog } from "../../platform/core/pricing/types";
import type {
  BroughtPool,
  CostContext,
  GpuWorkloadShape,
  NodesShape,
  ResourceFacts,
  ResourceInput,
} from "../../platform/core/resources/types";

/** A pool a GPU workload may land on. */
export interface PoolCandidate {
  /** Key identifying the pool (the resource name, or `external:<name>`). */
  key: string;
  shape: NodesShape;
}

function selectorMatches(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** The pool a workload's nodeSelector lands on: in the stack, then external pools, then well-known labels. */
export function poolForWorkload(
  shape: GpuWorkloadShape,
  pools: readonly PoolCandidate[],
  ctx: CostContext,
  catalog: Catalog,
): PoolCandidate | undefined {
  const inStack = pools.find((p) => selectorMatches(shape.nodeSelector, p.shape.nodeLabels));
  if (inStack) return inStack;
  for (const ext of ctx.externalPools ?? []) {
    if (selectorMatches(shape.nodeSelector, ext.nodeLabels)) {
      return {
        key: `external:${ext.name}`,
        shape: {
          kind: "nodes",
          cloud: ext.cloud,
          region: ext.region,
          instanceTypes: [ext.instanceType],
          count: {},
          spot: ext.spot,
          nodeLabels: ext.nodeLabels,
          spotPath: "",
          countPath: "",
        },
      };
    }
  }
  // The well-known instance-type label: priced in the cloud's default region, else its dearest one.
  const instanceType = shape.nodeSelector["node.kubernetes.io/instance-type"];
  const offer = instanceType ? catalog.gpuOffers.find((o) => o.instanceType === instanceType) : undefined;
  if (instanceType && offer) {
    const region = ctx.defaultRegions?.[offer.cloud];
    return {
      key: `instance-type:${instanceType}`,
      shape: {
        kind: "nodes",
        cloud: offer.cloud,
        ...(region ? { region } : {}),
        instanceTypes: [instanceType],
        count: {},
        spot: spotFromSelector(shape.nodeSelector) ?? false,
        nodeLabels: shape.nodeSelector,
        spotPath: "",
        countPath: "",
      },
    };
  }
  return undefined;
}

/** The brought-cluster pool a workload's nodeSelector lands on, if any. */
export function broughtPoolFor(shape: GpuWorkloadShape, ctx: CostContext): BroughtPool | undefined {
  return (ctx.broughtPools ?? []).find((b) => selectorMatches(shape.nodeSelector, b.nodeLabels));
}

/** Pools in a stack (node pools and clusters' inline pools) that workloads may land on. */
export function poolsOf(entries: ReadonlyArray<{ resource: ResourceInput; facts: ResourceFacts }>): PoolCandidate[] {
  const pools: PoolCandidate[] = [];
  for (const { resource, facts } of entries) {
    if (facts.cost.kind === "nodes") pools.push({ key: resource.name, shape: facts.cost });
    if (facts.cost.kind === "control-plane")
      facts.cost.inlinePools.forEach((shape, i) => pools.push({ key: `${resource.name}#${i}`, shape }));
  }
  return pools;
}
