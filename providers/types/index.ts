/**
 * What a cloud must implement for the provider-neutral components. Components depend on this
 * interface only; `providers/registry.ts` picks the implementation for a cloud.
 */
import type { Cloud } from "../../platform/core/types";
import type { ClusterProvider } from "./cluster";
import type { PoolProvider } from "./pool";
import type { StoreProvider } from "./store";
import type { ServerlessProvider } from "./serverless";

export type { ClusterProvider, PoolProvider, StoreProvider, ServerlessProvider };

export interface CloudProvider {
  readonly cloud: Cloud;
  readonly cluster: ClusterProvider;
  readonly pool: PoolProvider;
  readonly store: StoreProvider;
  readonly serverless: ServerlessProvider;
}
