/**
 * Plan-check modules: each cloud module's (from `providers/registry.ts`) plus Kubernetes', which
 * runs on any cloud. The offline plan's checks read resource types only through this file.
 */
import { CLOUD_MODULES } from "./registry";
import { kubernetesKindOf, kubernetesPlanChecks } from "./kubernetes/plan-checks";
import {
  ANY_KUBERNETES_OBJECT,
  type NameCheck,
  type ObjectIdentity,
  type PlanCheckModule,
  type SerialWriteCheck,
} from "./types/plan-checks";

export type {
  CrdSchema,
  InputFinding,
  ManagedAddon,
  NameCheck,
  ObjectIdentity,
  PlanCheckModule,
  SerialWriteCheck,
  ServerlessGpuUse,
} from "./types/plan-checks";
export { kubernetesKindOf, addonOfChart, type KubernetesKind } from "./kubernetes/plan-checks";

export const PLAN_CHECK_MODULES: readonly PlanCheckModule[] = [
  ...CLOUD_MODULES.map((m) => m.planChecks),
  kubernetesPlanChecks,
];

/** The name checks that apply to a resource type. */
export function nameChecksFor(type: string): NameCheck[] {
  const isObject = kubernetesKindOf(type) !== undefined;
  return PLAN_CHECK_MODULES.flatMap((m) =>
    m.nameChecks.filter((c) => c.type === type || (isObject && c.type === ANY_KUBERNETES_OBJECT)),
  );
}

/** The serial-write checks that apply to a resource type. */
export function serialWriteChecksFor(type: string): SerialWriteCheck[] {
  return PLAN_CHECK_MODULES.flatMap((m) => (m.serialWrites ?? []).filter((c) => c.type === type));
}

/** The identity rows of an unnamed (binding) resource type. */
export function objectIdentitiesFor(type: string): ObjectIdentity[] {
  return PLAN_CHECK_MODULES.flatMap((m) => (m.objectIdentities ?? []).filter((c) => c.type === type));
}
