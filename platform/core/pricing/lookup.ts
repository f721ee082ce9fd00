/**
 * Point lookups into a catalog (the policy pack and the plan price a resource with these).
 * Indexes are built once per catalog object and kept in a WeakMap, so lookups are O(1) and a new
 * catalog (a refresh) never sees a stale index.
 */
import type { Cloud, GpuType } from "../types";
import { GPU_TYPES } from "../types";
import type { Catalog, ControlPlanePrice, CpuInstancePrice, GpuOffer, ServerlessOffer, StoragePrice } from "./types";

interface Index {
  gpu: Map<string, GpuOffer>;
  serverless: Map<string, ServerlessOffer>;
  cpu: Map<string, CpuInstancePrice>;
  gpuTypes: Map<Cloud, GpuType[]>;
}

const indexes = new WeakMap<Catalog, Index>();

function indexOf(catalog: Catalog): Index {
  let idx = indexes.get(catalog);
  if (idx) return idx;
  const gpu = new Map<string, GpuOffer>();
  const typesByCloud = new Map<Cloud, Set<GpuType>>();
  for (const o of catalog.gpuOffers) {
    gpu.set(`${o.cloud}|${o.region}|${o.instanceType}`, o);
    const set = typesByCloud.get(o.cloud) ?? new Set<GpuType>();
    set.add(o.gpuType);
    typesByCloud.set(o.cloud, set);
  }
  const serverless = new Map<string, ServerlessOffer>();
  for (const s of catalog.serverless) serverless.set(`${s.cloud}|${s.region}|${s.sku}`, s);
  const cpu = new Map<string, CpuInstancePrice>();
  for (const c of catalog.cpuInstances ?? []) cpu.set(`${c.cloud}|${c.region}|${c.instanceType}`, c);
  const gpuTypes = new Map<Cloud, GpuType[]>();
  for (const [cloud, set] of typesByCloud)
    gpuTypes.set(
      cloud,
      GPU_TYPES.filter((t) => set.has(t)),
    );
  idx = { gpu, serverless, cpu, gpuTypes };
  indexes.set(catalog, idx);
  return idx;
}

/** GPU types the catalog has at least one instance offer for on `cloud`, in GPU_TYPES order. */
export function gpuTypesOffered(catalog: Catalog, cloud: Cloud): GpuType[] {
  return [...(indexOf(catalog).gpuTypes.get(cloud) ?? [])];
}

/** The offer for one instance type in one region, or undefined when the catalog has none. */
export function findGpuOffer(
  catalog: Catalog,
  key: { cloud: Cloud; region: string; instanceType: string },
): GpuOffer | undefined {
  return indexOf(catalog).gpu.get(`${key.cloud}|${key.region}|${key.instanceType}`);
}

/** A CPU instance type's price in one region, or undefined when the catalog has none. */
export function findCpuInstance(
  catalog: Catalog,
  key: { cloud: Cloud; region: string; instanceType: string },
): CpuInstancePrice | undefined {
  return indexOf(catalog).cpu.get(`${key.cloud}|${key.region}|${key.instanceType}`);
}

/** The serverless offer for one SKU/profile in one region, or undefined. */
export function findServerlessOffer(
  catalog: Catalog,
  key: { cloud: Cloud; region: string; sku: string },
): ServerlessOffer | undefined {
  return indexOf(catalog).serverless.get(`${key.cloud}|${key.region}|${key.sku}`);
}

/**
 * Object-storage price for a cloud and tier. Without `tier`, the cloud's first listed tier (the
 * catalog lists the standard/hot tier first for each cloud).
 */
export function storagePrice(catalog: Catalog, cloud: Cloud, tier?: string): StoragePrice | undefined {
  const want = tier?.toLowerCase();
  return catalog.storage.find((s) => s.cloud === cloud && (want === undefined || s.tier.toLowerCase() === want));
}

/** The managed-Kubernetes control-plane fee on a cloud (the paid/standard tier). */
export function controlPlanePrice(catalog: Catalog, cloud: Cloud): ControlPlanePrice | undefined {
  return catalog.controlPlanes.find((c) => c.cloud === cloud);
}
