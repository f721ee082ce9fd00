/**
 * The offline plan's checks on a recorded stack: what `pulumi up` would trip over on a real
 * cloud but no mock sees. Each returns findings naming the resource, the field and the limit:
 * - schema: every Kubernetes object against its upstream schema (./schema.ts);
 * - contract: every custom kind is installed on its cluster by an add-on (./contract.ts);
 * - name: cloud name limits (./names.ts) and serverless-GPU regions (./serverless.ts);
 * - gpu: rollout headroom, ephemeral storage and node disk (./gpu.ts);
 * - serial: writes a cloud refuses to run at once under one parent are chained (./serial.ts).
 */
import { checkContract } from "./contract";
import { checkGpu } from "./gpu";
import { checkNames } from "./names";
import { checkSchema } from "./schema";
import { checkSerialWrites } from "./serial";
import { checkServerlessRegions } from "./serverless";
import type { CheckInput, PlanFinding } from "./types";

export type { CheckInput, PlanFinding, PlanCluster, TargetCluster, ExternalGpuPool, CheckName } from "./types";
export { addonsOf, clusterOf } from "./contract";

/** Every check on a recorded stack: errors first, then warnings, each in registration order. */
export async function runChecks(input: CheckInput): Promise<PlanFinding[]> {
  const schema = (await Promise.all(input.resources.map(checkSchema))).flat();
  const findings = [
    ...schema,
    ...checkContract(input),
    ...input.resources.flatMap(checkNames),
    ...input.resources.flatMap(checkServerlessRegions),
    ...checkGpu(input),
    ...checkSerialWrites(input.resources),
  ];
  return [...findings.filter((f) => f.level === "error"), ...findings.filter((f) => f.level === "warning")];
}
