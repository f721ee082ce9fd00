/**
 * Pinned Helm chart facts for the cluster add-ons a model stack needs.
 *
 * A model stack applies custom resources (ScaledObject, HTTPRoute,
 * ServiceMonitor...) whose kinds only exist once an add-on chart has installed
 * its CRDs. A mock accepts any kind; a real cluster answers "no matches for
 * kind". This table says which chart, at which exact version, installs which
 * kinds, and which aggregated APIs each chart claims, so a stack can be
 * checked offline against the add-ons it will install.
 *
 * Versions are exact (never ranges) and existed when checked; each row says
 * where the version was seen. Upgrading a pin means re-reading that source.
 *
 * This folder is self-contained: it imports nothing from the project.
 */

/** Date every row in this file was last compared with its source. */
export const ADDONS_CHECKED = "2026-11-30";

/** Every add-on in the table. */
export const ADDON_NAMES = [
  "nvidia-device-plugin",
  "gpu-operator",
  "keda",
  "keda-http-add-on",
  "kube-prometheus-stack",
  "prometheus-adapter",
  "envoy-gateway",
  "cert-manager",
] as const;

/** An add-on known to this table. */
export type AddonName = (typeof ADDON_NAMES)[number];

/** Where a fact was read: the page address and the page's own title. */
export interface SourceRef {
  /** Address of the public page (release note, PR, Artifact Hub...) that states the fact. */
  readonly url: string;
  /** The page's title, as the page gives it. */
  readonly title: string;
}

/** A Kubernetes kind by group/version. */
export interface KindRef {
  /** e.g. "keda.sh/v1alpha1". */
  readonly apiVersion: string;
  /** e.g. "ScaledObject". */
  readonly kind: string;
}

/** One pinned Helm chart. */
export interface AddonChart {
  /** Key of this add-on in the table. */
  readonly name: AddonName;
  /** Chart name as the repository publishes it. */
  readonly chart: string;
  /** Helm repository URL (https://) or OCI chart reference (oci://). */
  readonly repo: string;
  /** Exact chart version; some projects publish it with a leading "v". */
  readonly version: string;
  /** Namespace the chart is conventionally installed into. */
  readonly namespace: string;
  /** True when a model stack can run without it. */
  readonly optional: boolean;
  /** What it is for, in words. */
  readonly purpose: string;
  /** CRD kinds the chart installs that model stacks create. */
  readonly kinds: readonly KindRef[];
  /** Aggregated APIService names the chart registers (only one owner per cluster). */
  readonly apiServices: readonly string[];
  /** Add-ons that must not be installed alongside this one, with the reason. */
  readonly conflictsWith?: readonly { readonly addon: AddonName; readonly why: string }[];
  /** Where the pinned version was seen. */
  readonly source: SourceRef;
  /** Date the version was published or first seen, as the source shows it. */
  readonly seen: string;
  /** Date the row was last compared with its source. */
  readonly checked: string;
  /** Present (and false) when the version was not read in the project's own release pages. */
  readonly confirmed?: false;
  /** Caveats: values that must be set, newer versions seen, deprecations. */
  readonly note?: string;
}

const GATEWAY_API = "gateway.networking.k8s.io/v1";
const ENVOY_GATEWAY_API = "gateway.envoyproxy.io/v1alpha1";

function k(apiVersion: string, ...kinds: string[]): KindRef[] {
  return kinds.map((kind) => ({ apiVersion, kind }));
}

/** The pinned add-on charts. */
export const ADDONS: Readonly<Record<AddonName, AddonChart>> = {
  "nvidia-device-plugin": {
    name: "nvidia-device-plugin",
    chart: "nvidia-device-plugin",
    repo: "https://nvidia.github.io/k8s-device-plugin",
    version: "0.20.0",
    namespace: "nvidia-device-plugin",
    optional: true,
    purpose: "Advertises nvidia.com/gpu on nodes whose driver is already installed (managed GPU node images).",
    kinds: [],
    apiServices: [],
    conflictsWith: [
      {
        addon: "gpu-operator",
        why: "the GPU Operator deploys its own device plugin; two plugins fight over nvidia.com/gpu",
      },
    ],
    source: {
      url: "https://github.com/NVIDIA/deepops/pull/1382",
      title: "NVIDIA/deepops: chore: bump k8s-device-plugin to 0.20.0",
    },
    seen: "2026-08-27",
    checked: ADDONS_CHECKED,
    confirmed: false,
    note: "NVIDIA's own repo bumped to 0.20.0 after checking https://github.com/NVIDIA/k8s-device-plugin/releases; the Helm index has lagged releases before (NVIDIA/k8s-device-plugin#1588).",
  },
  "gpu-operator": {
    name: "gpu-operator",
    chart: "gpu-operator",
    repo: "https://helm.ngc.nvidia.com/nvidia",
    version: "v26.7.0",
    namespace: "gpu-operator",
    optional: true,
    purpose: "Installs driver, container toolkit, device plugin and DCGM exporter on plain GPU nodes.",
    kinds: k("nvidia.com/v1", "ClusterPolicy"),
    apiServices: [],
    conflictsWith: [{ addon: "nvidia-device-plugin", why: "the GPU Operator already runs a device plugin" }],
    source: {
      url: "https://github.com/NVIDIA/deepops/pull/1381",
      title: "NVIDIA/deepops: chore: bump gpu-operator to v26.7.0",
    },
    seen: "2026-08-26",
    checked: ADDONS_CHECKED,
    confirmed: false,
    note: "NVIDIA's own repo bumped to v26.7.0 after checking https://github.com/NVIDIA/gpu-operator/releases. Chart versions carry a leading v.",
  },
  keda: {
    name: "keda",
    chart: "keda",
    repo: "https://kedacore.github.io/charts",
    version: "2.21.1",
    namespace: "keda",
    optional: false,
    purpose: "Event-driven autoscaling, including scale to zero.",
    kinds: [
      ...k("keda.sh/v1alpha1", "ScaledObject", "ScaledJob", "TriggerAuthentication", "ClusterTriggerAuthentication"),
    ],
    apiServices: ["v1beta1.external.metrics.k8s.io"],
    source: {
      url: "https://github.com/kedacore/charts/discussions/937",
      title: "KEDA Chart: v2.21.1 (Chart: v2.21.1 | App: v2.21.1)",
    },
    seen: "2026, after 2026-08-10 (KEDA v2.20.2 shipped then)",
    checked: ADDONS_CHECKED,
    note: "KEDA registers the external metrics API; only one server may own it per cluster (KEDA FAQ, kedacore/keda-docs#950).",
  },
  "keda-http-add-on": {
    name: "keda-http-add-on",
    chart: "keda-add-ons-http",
    repo: "https://kedacore.github.io/charts",
    version: "0.16.0",
    namespace: "keda",
    optional: true,
    purpose: "Holds HTTP requests while KEDA scales a deployment up from zero.",
    kinds: [...k("http.keda.sh/v1alpha1", "HTTPScaledObject"), ...k("http.keda.sh/v1beta1", "InterceptorRoute")],
    apiServices: [],
    source: {
      url: "https://github.com/kedacore/charts/pull/908",
      title: "kedacore/charts: feat(http-add-on): release v0.16.0",
    },
    seen: "2026-09-16",
    checked: ADDONS_CHECKED,
    note: "Install after the keda chart. InterceptorRoute (v1beta1, with a plain ScaledObject) is the planned successor of HTTPScaledObject, which is to be deprecated (kedacore/http-add-on#1501).",
  },
  "kube-prometheus-stack": {
    name: "kube-prometheus-stack",
    chart: "kube-prometheus-stack",
    repo: "https://prometheus-community.github.io/helm-charts",
    version: "89.1.0",
    namespace: "monitoring",
    optional: false,
    purpose: "Prometheus Operator, Prometheus, Alertmanager and Grafana.",
    kinds: [
      ...k("monitoring.coreos.com/v1", "PodMonitor", "ServiceMonitor", "PrometheusRule", "Prometheus", "Alertmanager"),
    ],
    apiServices: [],
    source: {
      url: "https://github.com/prometheus-community/helm-charts/releases/tag/kube-prometheus-stack-89.1.0",
      title: "kube-prometheus-stack-89.1.0",
    },
    seen: "2026-09-03",
    checked: ADDONS_CHECKED,
    note: "Release notes read as quoted in a Renovate PR (AndreiGavriliu/homelab#7247); 89.2.3 was also seen. Major bumps are frequent: re-read before upgrading.",
  },
  "prometheus-adapter": {
    name: "prometheus-adapter",
    chart: "prometheus-adapter",
    repo: "https://prometheus-community.github.io/helm-charts",
    version: "5.3.0",
    namespace: "monitoring",
    optional: true,
    purpose: "Serves Prometheus queries as custom metrics for the HorizontalPodAutoscaler.",
    kinds: [],
    apiServices: ["v1beta1.custom.metrics.k8s.io"],
    source: {
      url: "https://artifacthub.io/packages/helm/prometheus-community/prometheus-adapter/5.3.0",
      title: "prometheus-adapter 5.3.0 (Artifact Hub)",
    },
    seen: "2026-02-19",
    checked: ADDONS_CHECKED,
    note: "Keep its external-metrics rules empty when KEDA is installed: KEDA owns v1beta1.external.metrics.k8s.io. 5.4.0 was also seen (newreleases.io).",
  },
  "envoy-gateway": {
    name: "envoy-gateway",
    chart: "gateway-helm",
    repo: "oci://docker.io/envoyproxy/gateway-helm",
    version: "v1.10.0",
    namespace: "envoy-gateway-system",
    optional: false,
    purpose: "Gateway API implementation: ingress, routing, auth and rate limits.",
    kinds: [
      ...k(GATEWAY_API, "GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "BackendTLSPolicy"),
      // The chart's Gateway API CRDs (standard channel) serve ReferenceGrant at v1beta1.
      ...k("gateway.networking.k8s.io/v1beta1", "ReferenceGrant"),
      ...k(
        ENVOY_GATEWAY_API,
        "SecurityPolicy",
        "BackendTrafficPolicy",
        "ClientTrafficPolicy",
        "EnvoyProxy",
        "HTTPRouteFilter",
        "Backend",
      ),
    ],
    apiServices: [],
    source: {
      url: "https://gateway.envoyproxy.io/v1.10/tasks/security/ext-auth/",
      title:
        "External Authorization | Envoy Gateway v1.10 (installs oci://docker.io/envoyproxy/gateway-helm --version v1.10.0)",
    },
    seen: "2026, v1.10 documentation (the release date itself was not read)",
    checked: ADDONS_CHECKED,
    confirmed: false,
    note: "v1.9.1 was pinned before (release notes https://gateway.envoyproxy.io/news/releases/notes/v1.9.1, 2026-09-11). The chart also installs the Gateway API CRDs (standard channel, BackendTLSPolicy v1 included); do not install them separately at another version. The Backend API is off unless config.envoyGateway.extensionApis.enableBackend is true; global rate limits need config.envoyGateway.rateLimit.backend (Redis).",
  },
  "cert-manager": {
    name: "cert-manager",
    chart: "cert-manager",
    repo: "https://charts.jetstack.io",
    version: "v1.21.0",
    namespace: "cert-manager",
    optional: true,
    purpose: "Issues and renews TLS certificates for gateways.",
    kinds: [...k("cert-manager.io/v1", "Certificate", "Issuer", "ClusterIssuer", "CertificateRequest")],
    apiServices: [],
    source: {
      url: "https://github.com/cert-manager/cert-manager/releases/tag/v1.21.0",
      title: "cert-manager v1.21.0 release",
    },
    seen: "2026-07-14",
    checked: ADDONS_CHECKED,
    note: "Release page seen as linked from endoflife-date/endoflife.date#10469 (2026-07-14), not fetched; v1.21.1 was also seen (chart bump in k0rdent/kcm#2979). The chart installs CRDs only with crds.enabled=true. Chart versions carry a leading v.",
  },
};

/**
 * The CRD kinds installed by the given add-ons, de-duplicated, in table order.
 * Throws on a name that is not in the table.
 */
export function kindsInstalledBy(addonNames: readonly AddonName[]): readonly KindRef[] {
  const seen = new Set<string>();
  const kinds: KindRef[] = [];
  for (const name of addonNames) {
    const addon = ADDONS[name] as AddonChart | undefined;
    if (addon === undefined) throw new Error(`unknown add-on "${String(name)}"; known: ${ADDON_NAMES.join(", ")}`);
    for (const kind of addon.kinds) {
      const key = `${kind.apiVersion}/${kind.kind}`;
      if (!seen.has(key)) {
        seen.add(key);
        kinds.push(kind);
      }
    }
  }
  return kinds;
}

/** The add-on whose chart installs `apiVersion`/`kind`, or undefined when none does. */
export function addonForKind(apiVersion: string, kind: string): AddonName | undefined {
  for (const name of ADDON_NAMES) {
    if (ADDONS[name].kinds.some((ref) => ref.apiVersion === apiVersion && ref.kind === kind)) return name;
  }
  return undefined;
}

/** A pair of add-ons that must not be installed together, with the reason. */
export interface AddonConflict {
  /** The add-on that declares the conflict. */
  readonly addon: AddonName;
  /** The add-on it conflicts with. */
  readonly with: AddonName;
  /** Why, in words. */
  readonly why: string;
}

/**
 * Conflicts among the given add-ons: declared conflicts, and two add-ons
 * registering the same aggregated APIService.
 */
export function addonConflicts(addonNames: readonly AddonName[]): readonly AddonConflict[] {
  const chosen = new Set(addonNames);
  const conflicts: AddonConflict[] = [];
  const owners = new Map<string, AddonName>();
  for (const name of ADDON_NAMES) {
    if (!chosen.has(name)) continue;
    for (const c of ADDONS[name].conflictsWith ?? []) {
      if (chosen.has(c.addon)) conflicts.push({ addon: name, with: c.addon, why: c.why });
    }
    for (const api of ADDONS[name].apiServices) {
      const owner = owners.get(api);
      if (owner !== undefined) conflicts.push({ addon: name, with: owner, why: `both register APIService ${api}` });
      else owners.set(api, name);
    }
  }
  return conflicts;
}
