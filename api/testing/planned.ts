/**
 * Test support (not a test file): an API whose pre-flight is the real offline planner, with the
 * shipped example policy config shaping quotes and plans, on a given footprint, and a deployer
 * key of tenant `research`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Footprint } from "../../platform/core/footprint";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
import { PlacementPolicies } from "../../policy/policies/placement-policy";
import { createPlanner, type OfflinePlanner } from "../planner";
import { controlPlaneFixture, DEFAULT_TEST_SETTINGS, makeKey, serve, type Fixture, type RunningApi } from "./harness";

export interface PlannedApi {
  fx: Fixture;
  api: RunningApi;
  planner: OfflinePlanner;
  /** A deployer key of tenant `research`. */
  deployer: string;
  close(): Promise<void>;
}

export async function plannedApi(footprint: () => Footprint): Promise<PlannedApi> {
  const policyConfig: unknown = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "policy", "config.example.json"), "utf8"),
  );
  const fx = await controlPlaneFixture({ engine: new TestEngine() });
  const planner = createPlanner({ catalog: fx.catalog, footprint: footprint(), policyConfig });
  await planner.warm();
  const api = await serve({
    controlPlane: fx.controlPlane,
    catalog: fx.catalog,
    settings: DEFAULT_TEST_SETTINGS,
    planner,
    footprint: footprint(),
    policies: new PlacementPolicies(policyConfig, "policy/config.example.json"),
  });
  const deployer = (await makeKey(api.base, fx.adminKey, "research", "deployer")).secret;
  return {
    fx,
    api,
    planner,
    deployer,
    // The planner's plan worker is left running: one per process, unreferenced when idle, it
    // stays warm for the next test file's plans (a cold start costs ~2.5 s of CPU).
    async close() {
      await api.close();
      await fx.close();
    },
  };
}
