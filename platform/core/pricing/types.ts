/**
 * The catalog's record types. One catalog (a versioned JSON file) feeds the optimizer, the
 * resource pricing of the policy pack, and the offline plan: the same numbers everywhere.
 * Prices are list prices in USD.
 */
import type { Cloud, GpuType } from "../types";

/** Where a price comes from; every catalog record carries it. */
export interface Provenance {
  /** Where the numbers come from (file, API, commit). */
  source: string;
  /** The price's date, ISO `YYYY-MM-DD`: the source's own date when known, else the date it was read. */
  asOf: string;
}

/** What GPUs are sold where: the fields every offer, optimizer candidate and placement shares. */
export interface GpuShape {
  cloud: Cloud;
  /** Cloud region code, e.g. `us-east-1`, `us-central1`, `eastus`. */
  region: string;
  gpuType: GpuType;
  /** Whole GPUs per node (per replica). */
  gpuCount: number;
  /** Memory of ONE GPU, GiB. */
  gpuMemoryGiB: number;
}

/** One GPU instance type in one region, as a cloud sells it. */
export interface GpuOffer extends GpuShape, Provenance {
  /** Instance/VM/machine type. For GCP, the host machine type; the GPU is billed on top of it. */
  instanceType: string;
  vcpus: number;
  /** Host RAM, GiB. */
  memoryGiB: number;
  /** On-demand price of the whole node (host + GPUs), USD/hour. */
  onDemandHourlyUsd: number;
  /** Spot/preemptible price of the whole node, USD/hour; null when not sold or not trusted. */
  spotHourlyUsd: number | null;
  /**
   * False when the shape is not sold on-demand (GCP a3-highgpu-1g/2g/4g: Spot or Flex-start only);
   * `onDemandHourlyUsd` is then the list-price equivalent, kept for reference. Absent means true.
   */
  onDemandAvailable?: boolean;
  /**
   * True when the anomaly guard (pricing/anomaly.ts) found the price contradicts the catalog; the
   * optimizer leaves the offer out unless `constraints.allowSuspect`. Absent means not suspect.
   */
  suspect?: boolean;
  /** Why the offer is suspect (set with `suspect`). */
  note?: string;
}

/**
 * A GPU instance type the source lists but does not price (e.g. GCP a4-highgpu-8g, whose host
 * machine price is $0.0 in SkyPilot's catalog). Kept so the catalog shows the instance exists and
 * why it cannot be quoted; never an optimizer candidate, so it can never be "cheapest".
 */
export interface UnpricedGpuOffer extends GpuShape, Provenance {
  instanceType: string;
  vcpus: number;
  /** Host RAM, GiB. */
  memoryGiB: number;
  /** Why there is no price (names the source row and what is missing). */
  reason: string;
}

/** A serverless GPU product (billed per second while an instance is active). */
export interface ServerlessOffer extends GpuShape, Provenance {
  /** Product, e.g. `cloud-run`, `container-apps`, `sagemaker-async`. */
  product: string;
  /** The SKU/profile the deployment must request, e.g. `nvidia-l4`, `Consumption-GPU-NC8as-T4`. */
  sku: string;
  vcpus: number;
  memoryGiB: number;
  /** USD per second of one active instance (GPU + its vCPU and memory). */
  perSecondUsd: number;
}

/** Object storage price per cloud and tier. */
export interface StoragePrice extends Provenance {
  cloud: Cloud;
  /** Provider tier name, e.g. `STANDARD`, `INTELLIGENT_TIERING`, `Hot`, `Cool`, `NEARLINE`. */
  tier: string;
  /** USD per GB-month. */
  perGbMonthUsd: number;
  /** Region the price was read for (prices vary slightly by region). */
  region: string;
}

/** Managed Kubernetes control-plane fee per cluster. */
export interface ControlPlanePrice extends Provenance {
  cloud: Cloud;
  /** Product, e.g. `eks`, `gke`, `aks-standard`. */
  product: string;
  hourlyUsd: number;
}

/**
 * Data transfer out of a cloud, USD per GB, as moving model weights from a store to a serving
 * cluster costs it: to another region of the same cloud (`inter-region`), or out to the internet
 * (`internet`: another cloud, or a brought cluster). The price holds where both ends lie in
 * `geography` (inter-region) or where the source does (internet); elsewhere the move is unpriced.
 */
export interface EgressPrice extends Provenance {
  cloud: Cloud;
  kind: "inter-region" | "internet";
  /** A geography group of platform/core/geography.ts (`us`, `eu`, ...). */
  geography: string;
  /** USD per GB moved (the first paid volume tier). */
  perGbUsd: number;
}

/**
 * A cloud's public layer-4 load balancer per hour (what a `LoadBalancer` Service, such as the
 * gateway's Envoy Service, creates): the fixed hourly charge only; data processed is not included.
 */
export interface LoadBalancerPrice extends Provenance {
  cloud: Cloud;
  /** Product, e.g. `nlb`, `forwarding-rule`, `standard-lb`. */
  product: string;
  hourlyUsd: number;
}

/** A CPU instance type's on-demand price in one region (system and CPU node pools). */
export interface CpuInstancePrice extends Provenance {
  cloud: Cloud;
  region: string;
  instanceType: string;
  vcpus: number;
  memoryGiB: number;
  onDemandHourlyUsd: number;
}

export interface Catalog {
  /** Catalog format + data version, e.g. `2026-11-22.1`. */
  version: string;
  /** Oldest `asOf` among the prices it holds. */
  asOf: string;
  gpuOffers: GpuOffer[];
  serverless: ServerlessOffer[];
  storage: StoragePrice[];
  controlPlanes: ControlPlanePrice[];
  /** Data-transfer prices; absent in catalogs built before they were added (moves are then unpriced). */
  egress?: EgressPrice[];
  /** Load-balancer hours; absent in catalogs built before they were added (load balancers are then unpriced). */
  loadBalancers?: LoadBalancerPrice[];
  /** CPU instance prices; absent in catalogs built before they were added (CPU pools are then unpriced). */
  cpuInstances?: CpuInstancePrice[];
  /** GPU instance types listed without a usable price, each with the reason; absent means none. */
  unpricedGpuOffers?: UnpricedGpuOffer[];
}
