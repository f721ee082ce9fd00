/**
 * Contract check: every custom kind a stack's Kubernetes objects use (ScaledObject, PodMonitor,
 * HTTPRoute, …) is installed on the cluster they land on, by an add-on the platform registers
 * (a Helm release of a pinned chart, or a managed add-on such as AKS's KEDA) or by a CRD in the
 * same stack. Which chart installs which kind is providers/limits/addons.ts.
 *
 * - Platform plans: an object's cluster is found through its Kubernetes provider, whose inputs
 *   derive from the cluster (the provider's dependencies lead to a control-plane resource).
 * - Deployment plans: every object lands on the platform's cluster of the spec's cloud; its
 *   add-ons are given (`CheckInput.target`), or unknown, which is a warning per kind. A kind the
 *   cluster serves itself passes either way, known from the stack's own resources (a GKE node pool
 *   is on a GKE cluster, which serves ComputeClass).
 */
import { ADDONS, addonForKind, kindsInstalledBy, type AddonName } from "../../../../providers/limits/addons";
import { kubernetesKindOf, PLAN_CHECK_MODULES } from "../../../../providers/plan-checks";
import { readResource } from "../../../../providers/resource-cost/registry";
import { str } from "../../../core/resources/read";
import type { RecordedResource } from "../record";
import type { CheckInput, PlanFinding } from "./types";

/** API groups the Kubernetes API server serves itself (no add-on needed). */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "node.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "certificates.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "resource.k8s.io",
]);

const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "");

/** The add-ons a resource installs on its cluster (Helm releases by chart, managed add-ons). */
export function addonsOf(r: RecordedResource): AddonName[] {
  return PLAN_CHECK_MODULES.flatMap((m) => [
    ...(m.installedAddons?.(r) ?? []),
    ...(m.managedAddons?.(r) ?? []).map((a) => a.addon),
  ]);
}

/** Kinds a managed cluster serves itself (GKE: ComputeClass), as contract keys. */
function managedKinds(r: RecordedResource): string[] {
  return PLAN_CHECK_MODULES.flatMap((m) => m.managedKinds?.(r) ?? []).map((k) => kindKey(k.apiVersion, k.kind));
}

function isControlPlane(r: RecordedResource): boolean {
  return readResource({ type: r.type, name: r.name, inputs: r.inputs }).cost.kind === "control-plane";
}

/** The control-plane resource a resource's cluster is: itself, or through its provider's inputs. */
export function clusterOf(
  r: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): RecordedResource | undefined {
  if (isControlPlane(r)) return r;
  const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
  let frontier = providerUrn ? [providerUrn] : [];
  const seen = new Set<string>();
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const urn of frontier) {
      if (seen.has(urn)) continue;
      seen.add(urn);
      const res = byUrn.get(urn);
      if (!res) continue;
      if (depth > 0 && isControlPlane(res)) return res;
      next.push(...res.dependsOn);
    }
    frontier = next;
  }
  return undefined;
}

const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

/** Kinds a stack's own CRDs define (`spec.group`, every `spec.versions[].name`, `spec.names.kind`). */
function crdKinds(r: RecordedResource): string[] {
  if (r.type !== "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition") return [];
  const group = str(r.inputs, "spec.group");
  const kind = str(r.inputs, "spec.names.kind");
  const versions = (r.inputs["spec"] as { versions?: Array<{ name?: unknown }> } | undefined)?.versions ?? [];
  if (!group || !kind) return [];
  return versions.flatMap((v) => (typeof v.name === "string" ? [kindKey(`${group}/${v.name}`, kind)] : []));
}

function describeAddon(name: AddonName): string {
  const a = ADDONS[name];
  return `${name} (chart ${a.chart} ${a.version} from ${a.repo})`;
}

export function checkContract(input: CheckInput): PlanFinding[] {
  const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
  // Per cluster (keyed by its control plane's URN, or the deployment's target): installed kinds.
  const TARGET = "target";
  const installed = new Map<string, { addons: Set<AddonName>; kinds: Set<string> }>();
  const slot = (key: string) => {
    let s = installed.get(key);
    if (!s) installed.set(key, (s = { addons: new Set(), kinds: new Set() }));
    return s;
  };
  const keyOf = (r: RecordedResource): string | undefined => (input.target ? TARGET : clusterOf(r, byUrn)?.urn);
  if (input.target?.addons) for (const a of input.target.addons) slot(TARGET).addons.add(a);
  for (const r of input.resources) {
    const addons = addonsOf(r);
    const crds = [...crdKinds(r), ...managedKinds(r)];
    if (addons.length === 0 && crds.length === 0) continue;
    const key = keyOf(r);
    if (!key) continue;
    for (const a of addons) slot(key).addons.add(a);
    for (const k of crds) slot(key).kinds.add(k);
  }
  for (const s of installed.values()) {
    for (const k of kindsInstalledBy([...s.addons])) s.kinds.add(kindKey(k.apiVersion, k.kind));
  }

  const findings: PlanFinding[] = [];
  for (const r of input.resources) {
    const kind = kubernetesKindOf(r.type);
    if (!kind || !r.custom || BUILT_IN_GROUPS.has(groupOf(kind.apiVersion))) continue;
    const resource = { type: r.type, name: r.name };
    const what = `${kind.apiVersion} ${kind.kind}`;
    const provider = addonForKind(kind.apiVersion, kind.kind);
    const key = keyOf(r);
    const cluster = input.target
      ? `the ${input.target.cloud} platform cluster`
      : key
        ? `cluster ${byUrn.get(key)?.name ?? key}`
        : undefined;
    if (!key || !cluster) {
      findings.push({
        level: "warning",
        check: "contract",
        resource,
        message: `${r.type} ${r.name}: uses ${what}, but the plan cannot tell which cluster it lands on (its provider does not derive from a cluster in this stack), so the add-on that installs it is not checked`,
      });
      continue;
    }
    const s = installed.get(key);
    // Served on that cluster (an add-on, a CRD of the stack, or the cluster itself: GKE's ComputeClass).
    if (s?.kinds.has(kindKey(kind.apiVersion, kind.kind))) continue;
    if (input.target && !input.target.addons) {
      findings.push({
        level: "warning",
        check: "contract",
        resource,
        message: `${r.type} ${r.name}: uses ${what}${provider ? `, installed by add-on ${describeAddon(provider)}` : ""}; the add-ons of ${cluster} are unknown to this plan (plan with --platform Pulumi.<stack>.yaml to check them)`,
      });
      continue;
    }
    const present = s && s.addons.size > 0 ? [...s.addons].join(", ") : "none";
    findings.push({
      level: "error",
      check: "contract",
      resource,
      field: "apiVersion/kind",
      message: provider
        ? `${r.type} ${r.name}: uses ${what}, which ${cluster} does not have: add-on ${describeAddon(provider)} installs it, and the platform does not install it there (installed add-ons: ${present}${input.target?.from ? `; from ${input.target.from}` : ""}); "no matches for kind" on pulumi up`
        : `${r.type} ${r.name}: uses ${what}, which no pinned add-on in providers/limits/addons.ts installs and no CRD in this stack defines; "no matches for kind" on pulumi up`,
      source: provider ? ADDONS[provider].source.url : undefined,
    });
  }
  return findings;
}
