/**
 * TEST-ONLY: the rig the deployment tests under api/ share, one per test file (started in a mocha
 * `before`, closed in `after`): a control plane on in-memory PGlite with the given engine, the real
 * API served on loopback with the shipped dev footprint, a deployer key of one tenant, and the two
 * reads the tests repeat (a deployment, parsed by its schema; a deployment once it has settled).
 */
import type { z } from "zod";
import type { Footprint } from "../../platform/core/footprint";
import type { ControlPlaneDeps } from "../../platform/service/controlplane/controlplane";
import type { Engine } from "../../platform/service/engine/types";
import type { ApiSettings } from "../deps";
import { DeploymentSchema } from "../schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  devFootprint,
  eventually,
  makeKey,
  serve,
  type Fixture,
  type RunningApi,
} from "./harness";

export type Deployment = z.infer<typeof DeploymentSchema>;

export interface RigOptions {
  /** The engine, or one built on the served footprint (the dry-run engine plans against it). */
  engine: Engine | ((footprint: Footprint) => Engine);
  /** The tenant of the deployer key `key`. */
  tenant: string;
  /** Further control plane dependencies (e.g. `monthlySpendLimitUsd`). */
  deps?: Omit<ControlPlaneDeps, "engine">;
  /** How long `settled` waits (default 60 s; the dry-run engine plans each operation). */
  settleTimeoutMs?: number;
  settings?: ApiSettings;
}

export interface ApiRig {
  fx: Fixture;
  api: RunningApi;
  /** A deployer key of the rig's tenant. */
  key: string;
  /** GET /v1/deployments/:id as `key` (default: the rig's): 200, parsed by DeploymentSchema. */
  get(id: string, key?: string): Promise<Deployment>;
  /** The deployment once none of its operations is queued or running. */
  settled(id: string, key?: string): Promise<Deployment>;
  close(): Promise<void>;
}

export async function startApiRig(options: RigOptions): Promise<ApiRig> {
  const footprint = devFootprint();
  const engine = typeof options.engine === "function" ? options.engine(footprint) : options.engine;
  const fx = await controlPlaneFixture({ ...options.deps, engine });
  let api: RunningApi | undefined;
  try {
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: options.settings ?? DEFAULT_TEST_SETTINGS,
    });
    const served = api;
    const key = (await makeKey(served.base, fx.adminKey, options.tenant, "deployer")).secret;
    const get = async (id: string, as = key): Promise<Deployment> => {
      const r = await call(served.base, "GET", `/v1/deployments/${id}`, { key: as });
      if (r.status !== 200) throw new Error(`GET /v1/deployments/${id}: ${r.status} ${JSON.stringify(r.body)}`);
      return DeploymentSchema.parse(r.body);
    };
    const settled = (id: string, as = key): Promise<Deployment> =>
      eventually(async () => {
        const d = await get(id, as);
        return d.operations.every((o) => !["queued", "running"].includes(o.status)) ? d : undefined;
      }, options.settleTimeoutMs ?? 60_000);
    return {
      fx,
      api: served,
      key,
      get,
      settled,
      async close() {
        await served.close();
        await fx.close();
      },
    };
  } catch (err) {
    await api?.close();
    await fx.close();
    throw err;
  }
}
