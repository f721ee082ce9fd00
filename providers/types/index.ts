/**
 * What a cloud must implement for the provider-neutral components. Components depend on this
 * interface only; `providers/registry.ts` picks the implementation for a cloud.
 */
import type { Cloud } from "../../platform/core/types";
import type { ClusterProvider } from "./cluster";
import type { PoolProvider } from "./pool";
import type { StoreProvider } from "./store";
import type { ServerlessProvider } from "./serverless";
import type { ControlPlaneProvider } from "./control-plane";
import type { CloudPricing } from "../../platform/core/pricing/provider";
import type { CloudCostModule } from "../../platform/core/resources/types";
import type { PlanCheckModule } from "./plan-checks";
import type { DnsProvider } from "./dns";

export type { ClusterProvider, PoolProvider, StoreProvider, ServerlessProvider, ControlPlaneProvider, DnsProvider };

export interface CloudProvider {
  readonly cloud: Cloud;
  readonly cluster: ClusterProvider;
  readonly pool: PoolProvider;
  readonly store: StoreProvider;
  readonly serverless: ServerlessProvider;
  /** The control plane's managed Postgres, state bucket and KMS key (`ControlPlane`). */
  readonly controlPlane: ControlPlaneProvider;
  /** The cloud's DNS service, for the gateway's record (`modelplane:gateway.dns`). */
  readonly dns?: DnsProvider;
}

/**
 * One cloud, whole: what `providers/registry.ts` lists (the SkyPilot `Cloud` pattern). Adding a
 * cloud means writing one of these and adding it to the registry; nothing else names clouds.
 */
export interface CloudModule {
  readonly cloud: Cloud;
  /** Component implementations (cluster, pool, store, serverless). */
  readonly infra: CloudProvider;
  /** Catalog facts, SkyPilot import and price refresh. */
  readonly pricing: CloudPricing;
  /** Readers of registered resources' cost facts. */
  readonly cost: CloudCostModule;
  /** What the offline plan checks on its resources (name limits, serverless GPUs, node disks). */
  readonly planChecks: PlanCheckModule;
}
