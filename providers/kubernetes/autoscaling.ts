/**
 * Replica planning and autoscaler specs for a model service. Pure functions.
 *
 * - `planReplicas` splits the replica bounds between the primary Deployment (on the placement's
 *   capacity) and an on-demand floor Deployment (SkyServe's `base_ondemand_fallback_replicas`:
 *   that many replicas always run on on-demand nodes; the rest ride spot).
 * - `hpaSpec`: an `autoscaling/v2` HorizontalPodAutoscaler on a per-pod metric (requests in flight
 *   per replica, served to the HPA by a custom-metrics adapter such as prometheus-adapter).
 * - `scaledObjectSpec`: a KEDA `ScaledObject` (keda.sh/v1alpha1) with a Prometheus trigger on the
 *   queue depth (`vllm:num_requests_waiting`), `minReplicaCount: 0` and an `activationThreshold`
 *   (KEDA activates from zero only when the metric exceeds it; https://keda.sh/docs/2.18/concepts/scaling-deployments/,
 *   https://keda.sh/docs/2.18/scalers/prometheus/, read 2026-11-22).
 */

export interface ReplicaInput {
  capacity: "spot" | "on-demand";
  minReplicas: number;
  maxReplicas: number;
  scaleToZero: boolean;
  onDemandFloorReplicas: number;
}

export interface ReplicaPlan {
  /** The autoscaled Deployment, on the placement's capacity. */
  primary: { capacity: "spot" | "on-demand"; minReplicas: number; maxReplicas: number };
  /** Fixed replicas pinned to on-demand nodes; 0 = no floor Deployment. */
  onDemandFloorReplicas: number;
  /** Bounds of the whole service (primary + floor). */
  total: { minReplicas: number; maxReplicas: number };
  /** Which autoscaler drives the primary Deployment. */
  autoscaler: "hpa" | "keda";
}

/**
 * Split the bounds. The HPA cannot go below 1 replica, so a floor that covers all of `minReplicas`
 * still leaves one spot replica; `total` reports what will really run.
 */
export function planReplicas(r: ReplicaInput): ReplicaPlan {
  if (r.minReplicas > r.maxReplicas)
    throw new Error(`minReplicas (${r.minReplicas}) must be <= maxReplicas (${r.maxReplicas})`);
  if (r.minReplicas === 0 && !r.scaleToZero) throw new Error("minReplicas 0 needs scaleToZero");
  const floor = r.capacity === "spot" ? r.onDemandFloorReplicas : 0;
  if (floor > 0 && r.scaleToZero) throw new Error("scale-to-zero forbids an on-demand floor");
  if (floor >= r.maxReplicas && floor > 0)
    throw new Error(`the on-demand floor (${floor}) leaves no spot replicas (maxReplicas ${r.maxReplicas})`);
  if (r.scaleToZero) {
    return {
      primary: { capacity: r.capacity, minReplicas: 0, maxReplicas: r.maxReplicas },
      onDemandFloorReplicas: 0,
      total: { minReplicas: 0, maxReplicas: r.maxReplicas },
      autoscaler: "keda",
    };
  }
  const primaryMin = Math.max(1, r.minReplicas - floor);
  const primaryMax = Math.max(primaryMin, r.maxReplicas - floor);
  return {
    primary: { capacity: r.capacity, minReplicas: primaryMin, maxReplicas: primaryMax },
    onDemandFloorReplicas: floor,
    total: { minReplicas: primaryMin + floor, maxReplicas: primaryMax + floor },
    autoscaler: "hpa",
  };
}

/** Per-pod metric the HPA reads through the custom-metrics API (prometheus-adapter renames `vllm:` series). */
export const HPA_METRIC = "vllm_num_requests_running";

export interface HpaSpec {
  scaleTargetRef: { apiVersion: "apps/v1"; kind: "Deployment"; name: string };
  minReplicas: number;
  maxReplicas: number;
  metrics: Array<{
    type: "Pods";
    pods: { metric: { name: string }; target: { type: "AverageValue"; averageValue: string } };
  }>;
  behavior: {
    scaleUp: {
      stabilizationWindowSeconds: number;
      policies: Array<{ type: "Pods"; value: number; periodSeconds: number }>;
    };
    scaleDown: {
      stabilizationWindowSeconds: number;
      policies: Array<{ type: "Pods"; value: number; periodSeconds: number }>;
    };
  };
}

/** HPA on requests in flight per replica; scale down slowly (a GPU replica is slow to come back). */
export function hpaSpec(
  target: string,
  minReplicas: number,
  maxReplicas: number,
  targetConcurrency: number,
  metric = HPA_METRIC,
): HpaSpec {
  if (minReplicas < 1)
    throw new Error(`an HPA needs minReplicas >= 1 (got ${minReplicas}); use KEDA for scale-to-zero`);
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
    minReplicas,
    maxReplicas,
    metrics: [
      {
        type: "Pods",
        pods: { metric: { name: metric }, target: { type: "AverageValue", averageValue: String(targetConcurrency) } },
      },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
    },
  };
}

export interface ScaledObjectArgs {
  /** Deployment to scale. */
  target: string;
  maxReplicas: number;
  /** Waiting + running requests per replica before another replica is added. */
  targetConcurrency: number;
  /** Prometheus the trigger queries, e.g. `http://prometheus-operated.monitoring.svc:9090`. */
  prometheusUrl: string;
  /** Label selector for the server's series, e.g. `namespace="team-a",model_name="llama"`. */
  seriesSelector: string;
  /** Queue depth that wakes the service from zero; default 0 (any waiting request). */
  activationThreshold?: number;
  /** Seconds of idleness before scaling back to zero; default 900 (weights take minutes to load). */
  cooldownSeconds?: number;
}

export interface ScaledObjectSpec {
  scaleTargetRef: { apiVersion: "apps/v1"; kind: "Deployment"; name: string };
  minReplicaCount: 0;
  maxReplicaCount: number;
  pollingInterval: number;
  cooldownPeriod: number;
  triggers: Array<{
    type: "prometheus";
    metadata: { serverAddress: string; query: string; threshold: string; activationThreshold: string };
  }>;
}

/** KEDA ScaledObject scaling 0..max on `vllm:num_requests_waiting` (+ running, for the per-replica target). */
export function scaledObjectSpec(a: ScaledObjectArgs): ScaledObjectSpec {
  const sel = `{${a.seriesSelector}}`;
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.target },
    minReplicaCount: 0,
    maxReplicaCount: a.maxReplicas,
    pollingInterval: 15,
    cooldownPeriod: a.cooldownSeconds ?? 900,
    triggers: [
      {
        type: "prometheus",
        metadata: {
          serverAddress: a.prometheusUrl,
          query: `sum(vllm:num_requests_waiting${sel}) + sum(vllm:num_requests_running${sel}) or vector(0)`,
          threshold: String(a.targetConcurrency),
          activationThreshold: String(a.activationThreshold ?? 0),
        },
      },
    ],
  };
}
