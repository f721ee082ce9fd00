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
