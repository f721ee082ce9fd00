/**
 * What the offline plan checks on Kubernetes objects: which Pulumi type tokens are Kubernetes
 * objects (and their apiVersion and kind), their name and label limits, and which pinned add-on
 * (providers/limits/addons.ts) a Helm release installs, matched by chart name.
 */
import { str } from "../../platform/core/resources/read";
import { ADDON_NAMES, ADDONS, type AddonName } from "../limits/addons";
import { ANY_KUBERNETES_OBJECT, type PlanCheckModule } from "../types/plan-checks";

/** A Kubernetes object's apiVersion (`apps/v1`, `v1` for the core group) and kind. */
export interface KubernetesKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Pulumi types under `kubernetes:` that are not Kubernetes objects: Helm, YAML and Kustomize
 * wrappers (they install objects the program does not see), and the provider.
 */
const WRAPPER_GROUPS = new Set(["helm.sh", "yaml", "kustomize"]);

/**
 * The Kubernetes object a Pulumi type token registers (`kubernetes:apps/v1:Deployment` →
 * `apps/v1` Deployment; `kubernetes:core/v1:Service` → `v1` Service), or undefined when the
 * type is not a Kubernetes object (Helm releases, YAML groups, providers, other packages).
 */
export function kubernetesKindOf(type: string): KubernetesKind | undefined {
  const m = /^kubernetes:([^:/]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(type);
  if (!m) return undefined;
  const [, group = "", version = "", kind = ""] = m;
  if (WRAPPER_GROUPS.has(group) || group.startsWith("yaml")) return undefined;
  return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

/** The pinned add-on a Helm chart reference names (`keda`, `oci://…/gateway-helm`), if any. */
export function addonOfChart(chart: string): AddonName | undefined {
  return ADDON_NAMES.find((name) => chart === ADDONS[name].chart || chart.endsWith(`/${ADDONS[name].chart}`));
}

export const kubernetesPlanChecks: PlanCheckModule = {
  platform: "kubernetes",
  nameChecks: [
    // pulumi-kubernetes auto-names an object without metadata.name as `<logical>-<8 hex>`.
    { type: ANY_KUBERNETES_OBJECT, field: "metadata.name", kind: "k8s-object-name", autoName: "pulumi-suffix" },
    { type: "kubernetes:core/v1:Namespace", field: "metadata.name", kind: "k8s-namespace", autoName: "pulumi-suffix" },
    { type: "kubernetes:core/v1:Service", field: "metadata.name", kind: "k8s-service", autoName: "pulumi-suffix" },
    { type: ANY_KUBERNETES_OBJECT, field: "metadata.namespace", kind: "k8s-namespace" },
    { type: ANY_KUBERNETES_OBJECT, field: "metadata.labels.*", kind: "k8s-label-value" },
    { type: ANY_KUBERNETES_OBJECT, field: "spec.template.metadata.labels.*", kind: "k8s-label-value" },
    { type: ANY_KUBERNETES_OBJECT, field: "spec.selector.matchLabels.*", kind: "k8s-label-value" },
    { type: "kubernetes:helm.sh/v3:Release", field: "name", kind: "k8s-dns-label", autoName: "pulumi-suffix" },
  ],
  installedAddons(r) {
    if (r.type !== "kubernetes:helm.sh/v3:Release" && r.type !== "kubernetes:helm.sh/v4:Chart") return [];
    const chart = str(r.inputs, "chart");
    const addon = chart ? addonOfChart(chart) : undefined;
    return addon ? [addon] : [];
  },
};
