/**
 * The vocabulary of resource pricing. A cloud's cost module (`providers/<cloud>/cost.ts`) reads a
 * registered resource's type token and inputs into `ResourceFacts` — a cloud-neutral description
 * (nodes, a control plane, storage, a serverless service, a GPU workload, free, or unknown).
 * Generic code (`./price.ts`) turns facts into dollars with the catalog and the one cost model in
 * `platform/core/pricing/cost-model.ts`; the policies read the same facts. Nothing here knows a cloud's name.
 */
import type { Cloud } from "../types";

/** A registered resource: Pulumi type token, logical name, inputs (as the engine sees them). */
export interface ResourceInput {
  type: string;
  name: string;
  inputs: Readonly<Record<string, unknown>>;
  /** Physical id when known (the offline plan's mocks assign one); links resources that reference each other. */
  id?: string;
  /** URN when known; policy stacks link lifecycle rules to stores through property dependencies. */
  urn?: string;
  /** URNs this resource's inputs depend on (policy pack `propertyDependencies`), when known. */
  dependsOn?: readonly string[];
  /** Region/location of the resource's provider configuration, when known. */
  providerRegion?: string;
}

/** Node counts of a pool or instance group; absent fields are not configured. */
export interface NodeCount {
  desired?: number;
  min?: number;
  max?: number;
}

/** Instances billed by the hour (node pools, node groups, instance-backed endpoints). */
export interface NodesShape {
  kind: "nodes";
  cloud: Cloud;
  region?: string;
  /** Instance/VM/machine types the pool may launch; priced at the most expensive. */
  instanceTypes: string[];
  count: NodeCount;
  spot: boolean;
  /** Every label its nodes carry: the pool's own and the ones the cloud adds (pool name, capacity). */
  nodeLabels: Readonly<Record<string, string>>;
  /** Input paths, for messages: where the spot flag and the counts live. */
  spotPath: string;
  countPath: string;
  /** A note on how counts were derived (e.g. per-zone counts × zones). */
  countNote?: string;
}

export interface ControlPlaneShape {
  kind: "control-plane";
  cloud: Cloud;
  /** Catalog product, e.g. `eks`, `gke`, `aks-standard`; null when this tier has no fee. */
  product: string | null;
  /** Why there is no fee (with `product: null`), e.g. "AKS Free tier". */
  freeNote?: string;
  /** Node pools declared inline on the cluster (system pools), priced with it. */
  inlinePools: NodesShape[];
}

export interface StorageShape {
  kind: "storage";
  cloud: Cloud;
  region?: string;
  /** Storage class / access tier as the cloud names it (`STANDARD`, `Hot`, ...); undefined: the default. */
  tier?: string;
  /** Declared size, GiB; wins over the context's expected size. */
  sizeGiB?: number;
}

export interface ServerlessShape {
  kind: "serverless";
  cloud: Cloud;
  region?: string;
  /** Catalog product (`cloud-run`, `container-apps`, `sagemaker-async`). */
  product: string;
  /** The SKU/profile the catalog prices it by; undefined when the inputs do not say. */
  sku?: string;
  minInstances: number;
  maxInstances?: number;
  /** Where the minimum lives, for messages. */
  minPath: string;
}

/** A Kubernetes workload that requests GPUs: priced at the pool its nodeSelector lands on. */
export interface GpuWorkloadShape {
  kind: "gpu-workload";
  /** Replicas at rest (spec.replicas, or the autoscaler's minimum). */
  replicas: number;
  replicasPath: string;
  gpusPerPod: number;
  nodeSelector: Readonly<Record<string, string>>;
}

/** A cloud load balancer billed by the hour (e.g. the one a Gateway's LoadBalancer Service creates). */
export interface LoadBalancerShape {
  kind: "load-balancer";
  cloud: Cloud;
  region?: string;
  /** What creates it, for messages (`Gateway modelplane`). */
  via: string;
}

export interface FreeShape {
  kind: "free";
  /** Why this costs nothing by itself, e.g. "IAM objects are free". */
  note: string;
}

export interface UnknownShape {
  kind: "unknown";
  reason: string;
}

export type CostShape =
  | NodesShape
  | ControlPlaneShape
  | StorageShape
  | ServerlessShape
  | GpuWorkloadShape
  | LoadBalancerShape
  | FreeShape
  | UnknownShape;

/** What the policies need besides cost, read from a resource by its cloud's module. */
export interface ResourceFacts {
  cost: CostShape;
  /** The cloud (or `kubernetes`) the type belongs to; `unknown` for types no module reads. */
  platform: Cloud | "kubernetes" | "unknown";
  /** Region the resource says it lives in (zones folded to their region), when it says. */
  region?: string;
  /** Taggable types: the current tags/labels (possibly empty) and the input path that holds them. */
  tags?: { values: Readonly<Record<string, string>>; path: string };
  /** Model stores: whether old versions are tiered/expired by the resource itself, and its identifiers. */
  store?: { inlineLifecycle: boolean; keys: string[] };
  /** Lifecycle configurations: the stores they reference and whether they tier or expire anything. */
  lifecycle?: { refs: string[]; effective: boolean };
  /** Smallest scale the resource is configured to keep (nodes, instances, replicas). */
  minScale?: { value: number; path: string };
}

/** A pool outside the stack (e.g. the platform stack's pool a deployment lands on). */
export interface ExternalPool {
  name: string;
  cloud: Cloud;
  region: string;
  instanceType: string;
  spot: boolean;
  nodeLabels: Readonly<Record<string, string>>;
}

/** Everything pricing may need beyond the resource itself. All optional. */
export interface CostContext {
  /** Region per cloud for resources that do not say (the stack's provider configuration). */
  defaultRegions?: Partial<Record<Cloud, string>>;
  /**
   * Expected size of the model artifacts a store holds, GiB. Stores declare no size; without this
   * they are unpriced (never silently zero).
   */
  storageGiB?: number;
  /** Hours per day a serverless endpoint is active (default 24: always busy, the safe bound). */
  activeHoursPerDay?: number;
  /** A hibernation schedule's hours per month (platform/core/schedule.ts): replicas run only then. */
  scheduledHoursPerMonth?: number;
  /** The other resources of the stack: where a workload lands, an agent pool's cluster location. */
  stack?: readonly ResourceInput[];
  /** Pools outside this stack that workloads may land on. */
  externalPools?: readonly ExternalPool[];
  /** Declared pools of a brought cluster that workloads may land on (no catalog price there). */
  broughtPools?: readonly BroughtPool[];
}

/** A declared GPU pool of a cluster the engineer brought: priced at its declared node price, if any. */
export interface BroughtPool {
  name: string;
  /** The brought cluster's name in the footprint. */
  cluster: string;
  gpusPerNode: number;
  nodeLabels: Readonly<Record<string, string>>;
  /** The declared chargeback price of one node, USD/hour; absent: unpriced. */
  nodeHourlyUsd?: number;
}

/** How a priced resource's count was chosen. */
export type PriceBasis =
  "desired" | "min" | "max" | "replicas" | "active-hours" | "always-on" | "storage" | "fee" | "free";

export interface GpuCapacityFacts {
  cloud: Cloud;
  region: string;
  instanceType: string;
  gpuType: string;
  gpusPerNode: number;
  nodes: NodeCount;
  spot: boolean;
  spotPath: string;
  countPath: string;
}

export interface PricedResource {
  priced: true;
  hourlyUsd: number;
  monthlyUsd: number;
  basis: PriceBasis;
  note: string;
  /** Parts of the resource the catalog cannot price (e.g. a CPU system pool), listed, never zeroed. */
  unpricedParts?: string[];
}

export interface UnpricedResource {
  priced: false;
  reason: string;
}

export type ResourcePrice = PricedResource | UnpricedResource;

/** A reader for a set of type tokens. */
export interface TypeReader {
  readonly types: readonly string[];
  read(resource: ResourceInput, stack: readonly ResourceInput[]): ResourceFacts;
}

/** What a cloud (or Kubernetes) contributes: readers for its type tokens. */
export interface CloudCostModule {
  readonly platform: Cloud | "kubernetes";
  readonly readers: readonly TypeReader[];
  /**
   * A nodeSelector that names this cloud's capacity labels (e.g. a spot label): whether it asks
   * for spot. Undefined when the selector says nothing this cloud recognises.
   */
  spotFromSelector?(selector: Readonly<Record<string, string>>): boolean | undefined;
  /**
   * Plan placeholders (cluster ref, store URIs and identities, serverless settings) for a
   * footprint cluster of this cloud in `region`: the offline plan builds the platform's outputs
   * from its footprint with them (platform/service/plan/platform-outputs.ts), only for regions
   * where the footprint has a cluster.
   */
  planPlatformOutput?(region: string): Record<string, unknown>;
}
