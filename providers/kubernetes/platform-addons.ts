/**
 * The cluster add-ons every modelplane cluster runs, on any cloud or on a brought cluster:
 *
 * - GPU software: the NVIDIA device plugin where the node image ships the driver (EKS AL2023 NVIDIA
 *   AMIs, AKS), the GPU Operator where nothing installs a driver (plain clusters), nothing where the
 *   cloud runs both itself (GKE with `gpuDriverInstallationConfig`). Each cloud says which.
 * - KEDA, which owns `v1beta1.external.metrics.k8s.io`, and the KEDA HTTP add-on, whose interceptor
 *   sees (and holds) a request while a scale-to-zero model has no pods: the wake path.
 * - kube-prometheus-stack: the Prometheus Operator and a Prometheus that reads every PodMonitor in
 *   the cluster (each model stack adds one for its vLLM pods).
 * - prometheus-adapter: serves `vllm_num_requests_running` per pod on `v1beta1.custom.metrics.k8s.io`
 *   for the HorizontalPodAutoscaler (its external rules stay empty: KEDA owns that API).
 *
 * Chart names, repositories and exact versions come from `providers/limits/addons.ts` (the table of
 * pinned charts, with sources). `planPlatformAddons` is pure; `installPlatformAddons` registers one
 * `helm.v3.Release` per add-on through the cluster's Kubernetes provider.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ADDONS, type AddonName } from "../limits/addons";
import { devicePluginValues, DEVICE_PLUGIN_TOLERATIONS } from "./device-plugin";
import { HPA_METRIC } from "./autoscaling";

/** What puts `nvidia.com/gpu` on GPU nodes: our device plugin, the GPU Operator, or the cloud itself. */
export type GpuSoftware = "nvidia-device-plugin" | "gpu-operator" | "none";

/** Namespace KEDA and its HTTP add-on run in (the table's convention). */
export const KEDA_NAMESPACE = ADDONS.keda.namespace;
/** Namespace of Prometheus and the adapter. */
export const MONITORING_NAMESPACE = ADDONS["kube-prometheus-stack"].namespace;

/**
 * The Prometheus the adapter and any KEDA Prometheus trigger query: the `prometheus-operated`
 * Service the Prometheus Operator creates beside every Prometheus it runs.
 */
export const PROMETHEUS_URL = `http://prometheus-operated.${MONITORING_NAMESPACE}.svc:9090`;

/**
 * The interceptor's proxy Service: `<chart name>-<interceptor.proxy.service>` in the add-on's
 * namespace, port 8080 (kedacore/charts `http-add-on/values.yaml` and templates, read 2026-11-30 at
 * commit 0349ac4; the add-on's Istio integration guide names the same Service and port).
 */
export const INTERCEPTOR_SERVICE = `${ADDONS["keda-http-add-on"].chart}-interceptor-proxy`;
export const INTERCEPTOR_PORT = 8080;
export const INTERCEPTOR_HOST = `${INTERCEPTOR_SERVICE}.${ADDONS["keda-http-add-on"].namespace}.svc.cluster.local`;

/**
 * How long the interceptor holds a request while the target scales from zero. The chart's default
 * (`interceptor.replicas.waitTimeout: 20s`) is far shorter than a GPU node from zero plus a weight
 * load, so the first request would fail. One hour covers the rollout estimate
 * (`rolloutTimeoutSeconds` in providers/limits/timeouts.ts) of weights up to about 290 GiB on a GPU
 * node from zero, with the assumed 20 GiB image (70B fp16, 130 GiB: about 38 minutes).
 */
export const INTERCEPTOR_WAIT_TIMEOUT = "3600s";
/** Time from forwarding to response headers; a non-streamed completion can take minutes. Chart default 500ms. */
export const INTERCEPTOR_RESPONSE_HEADER_TIMEOUT = "600s";

/** One Helm release to install. */
export interface AddonRelease {
  /** Row of `providers/limits/addons.ts`. */
  addon: AddonName;
  /** Helm release name. */
  releaseName: string;
  chart: string;
  version: string;
  repo: string;
  namespace: string;
  values: Record<string, unknown>;
  /** Do not wait for the chart's workloads (a DaemonSet on GPU nodes that do not exist yet). */
  skipAwait: boolean;
  /** Add-ons that must be installed first (their CRDs or APIs are used). */
  after: AddonName[];
}

export interface PlatformAddonOptions {
  /** GPU software this cluster needs. */
  gpu: GpuSoftware;
  /** Node labels of the system pool the controllers run on; absent → anywhere (a brought cluster). */
  systemNodeSelector?: Record<string, string>;
}

/** prometheus-adapter rules: `vllm:num_requests_running` per pod as `HPA_METRIC`, nothing else. */
export function adapterRules(): Record<string, unknown> {
  return {
    default: false,
    custom: [
      {
        seriesQuery: '{__name__="vllm:num_requests_running",namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
        name: { matches: "^vllm:num_requests_running$", as: HPA_METRIC },
        metricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
      },
    ],
    // KEDA owns v1beta1.external.metrics.k8s.io; an external rule here would make the adapter claim it too.
    external: [],
  };
}

function release(
  addon: AddonName,
  values: Record<string, unknown>,
  after: AddonName[] = [],
  skipAwait = false,
): AddonRelease {
  const row = ADDONS[addon];
  return {
    addon,
    releaseName: row.chart,
    chart: row.chart,
    version: row.version,
    repo: row.repo,
    namespace: row.namespace,
    values,
    skipAwait,
    after,
  };
}

/** The releases a cluster gets, in install order. Pure. */
export function planPlatformAddons(options: PlatformAddonOptions): AddonRelease[] {
  const sel = options.systemNodeSelector ? { nodeSelector: options.systemNodeSelector } : {};
  const out: AddonRelease[] = [];
  if (options.gpu === "nvidia-device-plugin") {
    out.push(release("nvidia-device-plugin", devicePluginValues(), [], true));
  } else if (options.gpu === "gpu-operator") {
    // Driver, toolkit, device plugin and DCGM exporter as DaemonSets on GPU nodes (none yet: skip await).
    out.push(
      release(
        "gpu-operator",
        { daemonsets: { tolerations: DEVICE_PLUGIN_TOLERATIONS }, operator: { ...sel } },
        [],
        true,
      ),
    );
  }
  out.push(
    release("keda", { ...sel }),
    release(
      "keda-http-add-on",
      {
        operator: { ...sel },
        scaler: { ...sel },
        interceptor: {
          ...sel,
          replicas: { waitTimeout: INTERCEPTOR_WAIT_TIMEOUT },
          responseHeaderTimeout: INTERCEPTOR_RESPONSE_HEADER_TIMEOUT,
        },
      },
      ["keda"],
    ),
    release("kube-prometheus-stack", {
      // Only what autoscaling needs: the operator and one Prometheus on the system pool.
      grafana: { enabled: false },
      alertmanager: { enabled: false },
      prometheusOperator: { ...sel },
      "kube-state-metrics": { ...sel },
      prometheus: {
        prometheusSpec: {
          ...sel,
          // Read PodMonitors/ServiceMonitors of every namespace, not only those labelled with this release.
          podMonitorSelectorNilUsesHelmValues: false,
          serviceMonitorSelectorNilUsesHelmValues: false,
          retention: "7d",
        },
      },
    }),
    release(
      "prometheus-adapter",
      {
        ...sel,
        prometheus: { url: `http://prometheus-operated.${MONITORING_NAMESPACE}.svc`, port: 9090 },
        rules: adapterRules(),
      },
      ["kube-prometheus-stack"],
    ),
  );
  return out;
}

export interface InstallPlatformAddonsArgs extends PlatformAddonOptions {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** Parent of the releases. */
  parent: pulumi.Resource;
  /** Resources to wait for (control plane and system pool). */
  dependsOn?: pulumi.Resource[];
}

/**
 * Install the platform add-ons on a cluster: one `helm.v3.Release` per add-on, named
 * `${name}-<addon>`, children of `args.parent`. Works on any cluster the provider reaches (a brought
 * `kubernetes` cluster too: pass `gpu: "gpu-operator"` when its nodes have no NVIDIA driver).
 */
export function installPlatformAddons(
  name: string,
  args: InstallPlatformAddonsArgs,
): Partial<Record<AddonName, k8s.helm.v3.Release>> {
  const made: Partial<Record<AddonName, k8s.helm.v3.Release>> = {};
  for (const r of planPlatformAddons(args)) {
    const first = r.after.map((a) => made[a]).filter((x): x is k8s.helm.v3.Release => x !== undefined);
    made[r.addon] = new k8s.helm.v3.Release(
      `${name}-${r.addon}`,
      {
        name: r.releaseName,
        chart: r.chart,
        version: r.version,
        repositoryOpts: { repo: r.repo },
        namespace: r.namespace,
        createNamespace: true,
        values: r.values,
        ...(r.skipAwait ? { skipAwait: true } : {}),
      },
      { parent: args.parent, provider: args.provider, dependsOn: [...(args.dependsOn ?? []), ...first] },
    );
  }
  return made;
}
