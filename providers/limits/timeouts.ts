/**
 * Provider timeout facts, and a rollout timeout sized for model weights.
 *
 * pulumi-kubernetes waits ("await logic") for many kinds to become ready and
 * fails the update when they do not within a default timeout. A model server
 * that pulls a 20 GiB image and loads 140 GiB of weights onto a GPU node
 * created from zero routinely takes longer than that default, so `pulumi up`
 * reports a failure for a rollout that would have succeeded. A mock never
 * waits, so this only shows up against a real cluster.
 *
 * `PULUMI_KUBERNETES_AWAIT` records the defaults and annotations, with
 * sources. `rolloutTimeoutSeconds()` estimates how long to allow instead;
 * its throughput figures are ASSUMPTIONS, not measurements.
 *
 * This folder is self-contained: it imports nothing from the project.
 */

/** Date every fact in this file was last compared with its source. */
export const TIMEOUTS_CHECKED = "2026-11-30";

/** Where a fact was read: the page address and the page's own title. */
export interface SourceRef {
  /** Address of the public page (doc, PR, changelog) that states the fact. */
  readonly url: string;
  /** The page's title, as the page gives it. */
  readonly title: string;
}

/** One provider timeout fact with its source. */
export interface TimeoutFact {
  /** Stable identifier of the fact. */
  readonly id: string;
  /** The fact in words. */
  readonly fact: string;
  /** Where it is written down. */
  readonly source: SourceRef;
  /** Date the fact was last compared with its source. */
  readonly checked: string;
  /** How the source was read, or where else the fact appears. */
  readonly note?: string;
}

/** pulumi-kubernetes await defaults and the annotations that change them. */
export const PULUMI_KUBERNETES_AWAIT = {
  /** Seconds a Deployment may take to become ready before the update fails. */
  deploymentReadySeconds: 600,
  /** Seconds a Service may take to become ready (endpoints present) before the update fails. */
  serviceReadySeconds: 600,
  /** Seconds a Pod may take to become ready before the update fails. */
  podReadySeconds: 600,
  /** Seconds a Job may take to become ready before the update fails. */
  jobReadySeconds: 600,
  /** Seconds the Service awaiter waits for straggling endpoints after each update. */
  serviceEndpointSettleSeconds: 10,
  /** Annotation that skips await logic when set to "true". */
  skipAwaitAnnotation: "pulumi.com/skipAwait",
  /** Annotation that overrides the await timeout, in seconds (string value). */
  timeoutSecondsAnnotation: "pulumi.com/timeoutSeconds",
  /** Annotation that replaces the readiness condition (provider v4.18+). */
  waitForAnnotation: "pulumi.com/waitFor",
} as const;

const DEPLOYMENT_DOC: SourceRef = {
  url: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/apps/v1/deployment/",
  title: "kubernetes.apps/v1.Deployment | Pulumi Registry",
};

/** The facts behind `PULUMI_KUBERNETES_AWAIT`, each with its source. */
export const TIMEOUT_FACTS: readonly TimeoutFact[] = [
  {
    id: "deployment-ready-10m",
    fact: "A Deployment that has not reached a Ready state after 10 minutes times out and the update is marked Failed; the customTimeouts resource option overrides this.",
    source: DEPLOYMENT_DOC,
    checked: TIMEOUTS_CHECKED,
    note: "Also read in the doc comment of apps/v1/deployment.d.ts in @pulumi/kubernetes 4.34.2, the version this project pins.",
  },
  {
    id: "service-waits-for-endpoints",
    fact: "A Service is ready only when its Endpoint objects exist with no not-ready endpoints (unless headless-empty, ExternalName or selector-less), waiting 10 s for stragglers after each update, and for LoadBalancer when an external IP is allocated; 10 minute default timeout.",
    source: {
      url: "https://www.npmjs.com/package/@pulumi/kubernetes/v/4.34.2",
      title: "@pulumi/kubernetes 4.34.2, doc comment of core/v1/service.d.ts",
    },
    checked: TIMEOUTS_CHECKED,
    note: "Same text is rendered at https://www.pulumi.com/registry/packages/kubernetes/api-docs/core/v1/service/ (not fetched). Pod and Job doc comments state the same 10 minute default.",
  },
  {
    id: "skip-await-annotation",
    fact: 'Setting the annotation pulumi.com/skipAwait: "true" skips await logic for that resource (an escape hatch: outputs may be read before the resource is ready).',
    source: {
      url: "https://github.com/pulumi/pulumi-kubernetes/pull/417",
      title: "Allow awaiters to be skipped by setting an annotation #417",
    },
    checked: TIMEOUTS_CHECKED,
  },
  {
    id: "timeout-seconds-annotation",
    fact: "The annotation pulumi.com/timeoutSeconds overrides the default timeout of each awaiter.",
    source: {
      url: "https://github.com/pulumi/pulumi-kubernetes/pull/457",
      title: "Add configurable timeouts for complex awaiters #457",
    },
    checked: TIMEOUTS_CHECKED,
  },
  {
    id: "timeout-precedence",
    fact: "Order of precedence: customTimeouts resource option, then the pulumi.com/timeoutSeconds annotation, then the provider default.",
    source: {
      url: "https://github.com/pulumi/pulumi-kubernetes/issues/672",
      title: "Support CustomTimeouts in Kubernetes #672",
    },
    checked: TIMEOUTS_CHECKED,
  },
  {
    id: "helm-skip-await",
    fact: "helm.v3.Release and helm.v4.Chart wait for every resource to be ready unless skipAwait is set; Release.timeout is seconds per individual Kubernetes operation.",
    source: {
      url: "https://www.npmjs.com/package/@pulumi/kubernetes/v/4.34.2",
      title: "@pulumi/kubernetes 4.34.2, doc comments of helm/v3/release.d.ts and helm/v4/chart.d.ts",
    },
    checked: TIMEOUTS_CHECKED,
  },
];

// ---------------------------------------------------------------------------
// Rollout timeout estimate.
//
// Every figure below is an ASSUMPTION chosen to be conservative for a
// cloud GPU node pulling from a same-region registry and object store.
// None was measured by this project. Replace them with measurements
// (bench/) when they exist.
// ---------------------------------------------------------------------------

/** ASSUMPTION (not measured): seconds to get a GPU node from zero to Ready, driver included. */
export const ASSUMED_GPU_NODE_FROM_ZERO_SECONDS = 420;
/** ASSUMPTION (not measured): container image pull + extract throughput, GiB per second. */
export const ASSUMED_IMAGE_PULL_GIB_PER_SECOND = 0.1;
/** ASSUMPTION (not measured): weight download throughput from object storage or a hub, GiB per second. */
export const ASSUMED_WEIGHTS_DOWNLOAD_GIB_PER_SECOND = 0.2;
/** ASSUMPTION (not measured): weight load throughput from local disk into GPU memory, GiB per second. */
export const ASSUMED_WEIGHTS_LOAD_GIB_PER_SECOND = 1;
/** ASSUMPTION (not measured): process start, CUDA init and warm-up, seconds. */
export const ASSUMED_SERVER_START_SECONDS = 60;
/** ASSUMPTION (not measured): multiplier for variance between runs. */
export const ASSUMED_SAFETY_FACTOR = 1.5;

/** What a rollout has to move before the pod is ready. */
export interface RolloutSize {
  /** Model weights the server downloads and loads, GiB. */
  readonly weightsGiB: number;
  /** Container image size, GiB. */
  readonly imageGiB: number;
  /** True when no suitable node exists yet and one must be created. */
  readonly nodeFromZero: boolean;
}

function requireSize(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

/**
 * Seconds to allow a model-server rollout before `pulumi up` gives up.
 *
 * Sum of: node creation (when `nodeFromZero`), image pull, weight download,
 * weight load and server start, times the safety factor, rounded up. Never
 * less than the provider's 600 s default, so it only ever lengthens it.
 * All throughput figures are the ASSUMED_* constants above.
 */
export function rolloutTimeoutSeconds(size: RolloutSize): number {
  requireSize("weightsGiB", size.weightsGiB);
  requireSize("imageGiB", size.imageGiB);
  const seconds =
    (size.nodeFromZero ? ASSUMED_GPU_NODE_FROM_ZERO_SECONDS : 0) +
    size.imageGiB / ASSUMED_IMAGE_PULL_GIB_PER_SECOND +
    size.weightsGiB / ASSUMED_WEIGHTS_DOWNLOAD_GIB_PER_SECOND +
    size.weightsGiB / ASSUMED_WEIGHTS_LOAD_GIB_PER_SECOND +
    ASSUMED_SERVER_START_SECONDS;
  const padded = Math.ceil(seconds * ASSUMED_SAFETY_FACTOR);
  return Math.max(padded, PULUMI_KUBERNETES_AWAIT.deploymentReadySeconds);
}

/** Seconds as a Pulumi customTimeouts duration string, rounded up to whole minutes (e.g. "36m"). */
export function toCustomTimeout(seconds: number): string {
  requireSize("seconds", seconds);
  return `${Math.ceil(seconds / 60)}m`;
}
