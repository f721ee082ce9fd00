/**
 * TEST-ONLY: a valid deployment spec (the one `DeploymentSpecSchema` of programs/deployment/spec.ts)
 * for control-plane and store tests. `label` varies it (its cost center), so two requests differ.
 */
import { parseDeploymentSpec, type DeploymentSpec } from "../../../../programs/deployment/spec";
import type { Placement } from "../../../core/placement";

/** The placement `testSpec` carries: one L4 spot node in gcp us-central1. */
export const TEST_PLACEMENT: Placement = {
  cloud: "gcp",
  region: "us-central1",
  instanceType: "g2-standard-8",
  gpuType: "L4",
  gpuCount: 1,
  gpuMemoryGiB: 24,
  capacity: "spot",
  replicas: 1,
  unitHourlyUsd: 0.35,
  hourlyUsd: 0.35,
  monthlyUsd: 255.5,
  storageMonthlyUsd: 0,
  onDemandUnitHourlyUsd: 0.85,
};

/** One L4 spot node (g2-standard-4) in gcp us-central1, at the shipped catalog's price (2026-11-22 catalog). */
export const L4_SPOT_PLACED: Placement = {
  ...TEST_PLACEMENT,
  instanceType: "g2-standard-4",
  unitHourlyUsd: 0.28184,
  hourlyUsd: 0.28184,
  monthlyUsd: 205.74,
  onDemandUnitHourlyUsd: 0.70683,
};

export function testSpec(label: string | number = "test", over: Record<string, unknown> = {}): DeploymentSpec {
  return parseDeploymentSpec({
    deploymentId: "dep-test",
    tenant: "acme",
    owner: "tests",
    costCenter: `cc-${label}`,
    environment: "dev",
    model: { name: "mistral-7b", version: "v1", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
    placement: TEST_PLACEMENT,
    platformStack: "acme/modelplane-platform/dev",
    ...over,
  });
}
