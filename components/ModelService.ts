/**
 * ModelService: one model served on a GPU Kubernetes cluster, on `@pulumi/kubernetes`.
 *
 * Creates, in the tenant's namespace: a ServiceAccount (with the store reader's workload-identity
 * annotations), a Deployment running an OpenAI-compatible server (vLLM by default, Triton as an
 * option) with one replica = `gpuCount` GPUs in tensor parallel, an init container that fetches
 * the weights from the ModelStore URI, probes sized for weight loading, a Service, a
 * PodDisruptionBudget, a PodMonitor (kube-prometheus-stack scrapes vLLM's `/metrics` through it), and
 * autoscaling: an `autoscaling/v2` HPA on `vllm_num_requests_running` (served by prometheus-adapter),
 * or, for scale-to-zero, a KEDA HTTP add-on `HTTPScaledObject` plus a wake Service that sends
 * requests through the add-on's interceptor, which holds the first request while the model scales
 * from zero (docs/deployment-stack.md, "Wake from zero"). Spot with an on-demand floor adds a second
 * Deployment of fixed size pinned to the on-demand pool (SkyServe's `base_ondemand_fallback_replicas`).
 *
 * Real-cluster behaviour no mock sees (issue 12): Deployments get `customTimeouts` (and the
 * `pulumi.com/timeoutSeconds` annotation) sized from the weights by `rolloutTimeoutSeconds`; a
 * Deployment at 0 replicas and the Services skip pulumi-kubernetes' await (a Service waits for
 * endpoints that a scaled-to-zero model never has); rolling updates replace a pod in place
 * (`maxSurge: 0`), because a surge pod needs a spare GPU node the pool may not have.
 *
 * The pod-spec pieces are pure builders in `providers/kubernetes/`; this file only wires them up.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Precision } from "../platform/core/types";
import type { Toleration } from "../providers/types/pool";
import {
  hpaSpec,
  httpScaledObjectSpec,
  scheduledScaledObjectSpec,
  type ScheduleWindows,
} from "../providers/kubernetes/autoscaling";
import { INTERCEPTOR_HOST, INTERCEPTOR_PORT } from "../providers/kubernetes/platform-addons";
import { PULUMI_KUBERNETES_AWAIT, toCustomTimeout } from "../providers/limits/timeouts";
import { planModelService, type ModelServicePlan } from "./modelServicePlan";

import {
  cacheSizeLimit,
  serverContainer,
  MODEL_MOUNT,
  SERVER_PORT,
  type ServerKind,
} from "../providers/kubernetes/model-server";
import { toK8sLabels } from "../providers/kubernetes/labels";

export { dnsName, namespaceFor, planModelService, type ModelServicePlan } from "./modelServicePlan";

/** Where a Deployment's pods land: the pool's selector and the tolerations for its taints. */
export interface PoolPlacement {
  /** Node labels to select (a SpotPool's `nodeSelector` output). */
  nodeSelector: pulumi.Input<Record<string, string>>;
  /** Tolerations for the pool's taints (a SpotPool's `tolerations` output). */
  tolerations: pulumi.Input<Toleration[]>;
}

export interface ModelServiceArgs {
  /** Tenant (team); the namespace is `mp-<slug(tenant)>`, shared by the tenant's deployments. Required. */
  tenant: string;
  /** Id of the deployment; part of every resource's labels and of the Kubernetes object names. Required. */
  deploymentId: string;
  /** Model name clients pass as `model` (vLLM `--served-model-name`). Required. */
  modelName: string;
  /**
   * Where the weights are: `s3://`, `gs://`, `https://<acct>.blob.core.windows.net/<container>/…`
   * (copied by an init container), or `hf://org/repo` (downloaded by the server). Required.
   */
  modelUri: string;
  /** Model size, billions of parameters (sizes the local cache and the probe delays). Required. */
  parametersBillions: number;
  /** Precision the weights are served in. Required. */
  precision: Precision;
  /** Context length the server is started with (`--max-model-len`), tokens. Required. */
  contextTokens: number;
  /** GPUs per replica = `nvidia.com/gpu` limit = tensor-parallel size. Whole number ≥ 1. Required. */
  gpuCount: number;
  /** Model server. Default `vllm`. */
  serverKind?: ServerKind;
  /** Server image. Default: the pinned image of `serverKind`. */
  image?: string;
  /** Capacity of `pool`: `spot` or `on-demand`. Required. */
  capacity: "spot" | "on-demand";
  /** The pool the autoscaled replicas run on. Required. */
  pool: PoolPlacement;
  /** Fewest replicas (all Deployments together). 0 only with `scaleToZero`. Default 1. */
  minReplicas?: number;
  /** Most replicas (all Deployments together). Default max(1, minReplicas). */
  maxReplicas?: number;
  /** Scale to zero when idle (KEDA HTTP add-on HTTPScaledObject instead of an HPA; wakes on the first request). Conflicts with `onDemandFloorReplicas` > 0. Default false. */
  scaleToZero?: boolean;
  /** Requests in flight per replica before the autoscaler adds one. Default 8. */
  targetConcurrencyPerReplica?: number;
  /**
   * Spot only: replicas pinned to `onDemandPool` that always run (SkyServe's
   * `base_ondemand_fallback_replicas`). Must be ≤ minReplicas and < maxReplicas. Default 0.
   */
  onDemandFloorReplicas?: number;
  /** The on-demand pool for the floor. Required when `onDemandFloorReplicas` > 0. */
  onDemandPool?: PoolPlacement;
  /** Annotations of the pods' ServiceAccount (workload identity to read the store). Default none. */
  serviceAccountAnnotations?: pulumi.Input<Record<string, string>>;
  /**
   * Provider for the tenant namespace, which several deployment stacks share. Give it
   * `upsertExistingObjects: true` so a second stack adopts the existing namespace instead of
   * failing with AlreadyExists (@pulumi/kubernetes ≥ 4.29 no longer upserts by default). Default:
   * the component's own Kubernetes provider.
   */
  namespaceProvider?: k8s.Provider;
  /** Extra pod labels (e.g. `azure.workload.identity/use: "true"`). Default none. */
  podLabels?: Record<string, string>;
  /** Secret (key `token`) with a Hugging Face token, for gated `hf://` models. Default none. */
  hfTokenSecretName?: string;
  /** Size of the server image, GiB, for the rollout timeout. Default `ASSUMED_SERVER_IMAGE_GIB` (an assumption). */
  imageGiB?: number;
  /** Cost tags (model, owner, cost-center, …); converted to valid label syntax. `managed-by` is always added. */
  tags?: Readonly<Record<string, string>>;
  /** Hibernation: 0 replicas outside these weekly windows (a KEDA cron ScaledObject replaces the HPA). Default none. */
  schedule?: ScheduleWindows;
  /**
   * Revision of the serving spec these objects run. Revision 1 keeps the unsuffixed names; revision
   * N names its Service, Deployments and autoscaler `<name>-r<N>`, so two revisions run side by side
   * during a rollout (ModelRoute splits traffic between them). Default 1.
   */
  revision?: number;
  /**
   * Stack generation of the deployment (default 1). A migration's new stack is the next generation:
   * its Kubernetes objects get names of their own (`<model>-<hash of id and generation>`), so the
   * old and the new stack run side by side in one namespace. The gateway path keeps generation 1's
   * name (`ModelServicePlan.routeName`), so the deployment's URL does not change.
   */
  generation?: number;
}

/** Annotation values are strings. */
const SKIP_AWAIT = { [PULUMI_KUBERNETES_AWAIT.skipAwaitAnnotation]: "true" };

export class ModelService extends pulumi.ComponentResource {
  /** Namespace the service runs in. */
  readonly namespace: pulumi.Output<string>;
  /** Name of the Kubernetes Service. */
  readonly serviceName: pulumi.Output<string>;
  /** In-cluster OpenAI base URL, `http://<svc>.<ns>.svc.cluster.local/v1`. */
  readonly endpoint: pulumi.Output<string>;
  /** The resolved plan (replica split, autoscaler, fetch method). */
  readonly plan: ModelServicePlan;

  constructor(name: string, args: ModelServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a bad argument leaves no half-built component behind.
    const plan = planModelService(args);
    super("modelplane:serving:ModelService", name, {}, opts);
    this.plan = plan;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const kind = args.serverKind ?? "vllm";

    // Shared by the tenant's deployments: adopted if it exists (namespaceProvider) and never deleted by one stack.
    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: plan.namespace,
          labels: toK8sLabels({ "managed-by": "modelplane", "modelplane/tenant": args.tenant }),
        },
      },
      { ...child, retainOnDelete: true, ...(args.namespaceProvider ? { provider: args.namespaceProvider } : {}) },
    );
    const namespace = ns.metadata.name;

    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: {
          name: plan.serviceName,
          namespace,
          labels: plan.labels,
          annotations: args.serviceAccountAnnotations ?? {},
        },
      },
      child,
    );

    const env = [
      // Hub downloads (hf://) go to the weight cache volume, whose size the pod requests, not the container layer.
      ...(plan.fetch.scheme === "hf" ? [{ name: "HF_HOME", value: `${MODEL_MOUNT}/hf` }] : []),
      ...(args.hfTokenSecretName
        ? [
            {
              name: "HF_TOKEN",
              valueFrom: { secretKeyRef: { name: args.hfTokenSecretName, key: "token", optional: true } },
            },
          ]
        : []),
    ];
    const container = serverContainer(
      {
        kind,
        ...(args.image !== undefined ? { image: args.image } : {}),
        servedModelName: args.modelName,
        modelPath: plan.fetch.modelPath,
        gpuCount: args.gpuCount,
        contextTokens: args.contextTokens,
        precision: args.precision,
        env,
      },
      plan.weightsGiB,
    );
    const volumes = [
      { name: "model-cache", emptyDir: { sizeLimit: cacheSizeLimit(plan.weightsGiB) } },
      // Tensor parallelism exchanges tensors through shared memory; the default 64 MiB is too small.
      { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "16Gi" } },
    ];
    const podSpec = (pool: PoolPlacement) => ({
      serviceAccountName: sa.metadata.name,
      terminationGracePeriodSeconds: 60,
      nodeSelector: pool.nodeSelector,
      tolerations: pool.tolerations,
      initContainers: plan.fetch.initContainer ? [plan.fetch.initContainer] : [],
      containers: [container],
      volumes,
    });
    const deployment = (
      role: "primary" | "ondemand",
      k8sName: string,
      replicas: number,
      pool: PoolPlacement,
      capacity: string,
    ) => {
      const selector = { ...plan.selector, "modelplane/role": role };
      const podLabels = { ...plan.labels, ...(args.podLabels ?? {}), ...selector, "modelplane/capacity": capacity };
      const timeout = toCustomTimeout(plan.rolloutTimeoutSeconds);
      // At 0 replicas there is nothing to wait for; otherwise wait as long as a cold rollout can take.
      const annotations =
        replicas === 0
          ? SKIP_AWAIT
          : { [PULUMI_KUBERNETES_AWAIT.timeoutSecondsAnnotation]: String(plan.rolloutTimeoutSeconds) };
      return new k8s.apps.v1.Deployment(
        `${name}-${role === "primary" ? "server" : "ondemand"}`,
        {
          metadata: { name: k8sName, namespace, labels: { ...plan.labels, ...selector }, annotations },
          spec: {
            replicas,
            selector: { matchLabels: selector },
            // Replace pods in place: a surge pod would need a spare GPU node, which a pool at
            // maxNodes does not have, so the rollout would hang Pending.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
            template: { metadata: { labels: podLabels }, spec: podSpec(pool) },
          },
        },
        {
          ...child,
          ignoreChanges: role === "primary" ? ["spec.replicas"] : [],
          customTimeouts: { create: timeout, update: timeout },
        },
      );
    };

    const r = plan.replicas;
    const primary = deployment("primary", plan.serviceName, r.primary.minReplicas, args.pool, args.capacity);
    if (r.onDemandFloorReplicas > 0 && args.onDemandPool) {
      deployment("ondemand", `${plan.serviceName}-ondemand`, r.onDemandFloorReplicas, args.onDemandPool, "on-demand");
    }

    // Readiness is the Deployment's to wait for; a Service in front of 0 replicas never gets endpoints.
    const svc = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: plan.serviceName, namespace, labels: plan.labels, annotations: SKIP_AWAIT },
        spec: {
          type: "ClusterIP",
          selector: plan.selector,
          ports: [{ name: "http", port: 80, targetPort: SERVER_PORT, protocol: "TCP" }],
        },
      },
      child,
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata: { name: plan.serviceName, namespace, labels: plan.labels },
        // maxUnavailable (not minAvailable) so a single-replica service still lets nodes drain.
        spec: { maxUnavailable: 1, selector: { matchLabels: plan.selector } },
      },
      child,
    );

    // kube-prometheus-stack's Prometheus reads PodMonitors of every namespace (platform add-ons).
    new k8s.apiextensions.CustomResource(
      `${name}-metrics`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: plan.serviceName, namespace, labels: plan.labels },
        spec: {
          selector: { matchLabels: plan.selector },
          podMetricsEndpoints: [{ port: "http", path: "/metrics", interval: "15s" }],
        },
      },
      child,
    );

    const target = args.targetConcurrencyPerReplica ?? 8;
    let endpointHost: pulumi.Output<string> = pulumi.interpolate`${svc.metadata.name}.${namespace}.svc.cluster.local`;
    if (r.autoscaler === "keda" && plan.wakeServiceName !== undefined) {
      // Clients call the wake Service: a DNS alias of the KEDA HTTP interceptor, which routes by Host
      // header to `svc`, counts the request and holds it while KEDA scales the Deployment from zero.
      const wake = plan.wakeServiceName;
      const host = plan.wakeHost ?? `${wake}.${plan.namespace}.svc.cluster.local`;
      new k8s.core.v1.Service(
        `${name}-wake`,
        {
          metadata: { name: wake, namespace, labels: plan.labels, annotations: SKIP_AWAIT },
          spec: { type: "ExternalName", externalName: INTERCEPTOR_HOST },
        },
        child,
      );
      new k8s.apiextensions.CustomResource(
        `${name}-scaler`,
        {
          apiVersion: "http.keda.sh/v1alpha1",
          kind: "HTTPScaledObject",
          metadata: { name: plan.serviceName, namespace, labels: plan.labels },
          spec: httpScaledObjectSpec({
            target: plan.serviceName,
            service: plan.serviceName,
            port: 80,
            // With and without the port: the Host header a client sends carries `:8080`.
            hosts: [
              host,
              `${host}:${INTERCEPTOR_PORT}`,
              `${wake}.${plan.namespace}`,
              `${wake}.${plan.namespace}:${INTERCEPTOR_PORT}`,
            ],
            maxReplicas: r.primary.maxReplicas,
            targetConcurrency: target,
          }),
        },
        { ...child, dependsOn: [primary, svc] },
      );
      endpointHost = pulumi.output(`${host}:${INTERCEPTOR_PORT}`);
    } else if (args.schedule) {
      new k8s.apiextensions.CustomResource(
        `${name}-schedule`,
        {
          apiVersion: "keda.sh/v1alpha1",
          kind: "ScaledObject",
          metadata: { name: plan.serviceName, namespace, labels: plan.labels },
          spec: scheduledScaledObjectSpec({
            target: plan.serviceName,
            schedule: args.schedule,
            replicas: r.primary.minReplicas,
            maxReplicas: r.primary.maxReplicas,
          }),
        },
        { ...child, dependsOn: [primary] },
      );
    } else {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata: { name: plan.serviceName, namespace, labels: plan.labels },
          spec: hpaSpec(plan.serviceName, r.primary.minReplicas, r.primary.maxReplicas, target),
        },
        { ...child, dependsOn: [primary] },
      );
    }

    this.namespace = namespace;
    this.serviceName = svc.metadata.name;
    this.endpoint = pulumi.interpolate`http://${endpointHost}/v1`;
    this.registerOutputs({ namespace: this.namespace, serviceName: this.serviceName, endpoint: this.endpoint });
  }
}
