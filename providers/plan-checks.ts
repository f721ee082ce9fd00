/**
 * The registry of plan-check modules: one per cloud plus Kubernetes (pure data and readers, no
 * Pulumi SDK). The offline plan's checks read resource types only through this file.
 */
import { awsPlanChecks } from "./aws/plan-checks";
import { gcpPlanChecks } from "./gcp/plan-checks";
import { azurePlanChecks } from "./azure/plan-checks";
import { kubernetesKindOf, kubernetesPlanChecks } from "./kubernetes/plan-checks";
import { ANY_KUBERNETES_OBJECT, type NameCheck, type PlanCheckModule } from "./types/plan-checks";

export type { NameCheck, PlanCheckModule, ServerlessGpuUse } from "./types/plan-checks";
export { kubernetesKindOf, addonOfChart, type KubernetesKind } from "./kubernetes/plan-checks";

export const PLAN_CHECK_MODULES: readonly PlanCheckModule[] = [
  awsPlanChecks,
  gcpPlanChecks,
  azurePlanChecks,
  kubernetesPlanChecks,
];

/** The name checks that apply to a resource type. */
export function nameChecksFor(type: string): NameCheck[] {
  const isObject = kubernetesKindOf(type) !== undefined;
  return PLAN_CHECK_MODULES.flatMap((m) =>
    m.nameChecks.filter((c) => c.type === type || (isObject && c.type === ANY_KUBERNETES_OBJECT)),
  );
}
