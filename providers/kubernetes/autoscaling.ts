/**
 * Replica planning and autoscaler specs for a model service. Pure functions.
 *
 * - `planReplicas` splits the replica bounds between the primary Deployment (on the placement's
 *   capacity) and an on-demand floor Deployment (SkyServe's `base_ondemand_fallback_replicas`:
 *   that many replicas always run on on-demand nodes; the rest ride spot).
 * - `hpaSpec`: an `autoscaling/v2` HorizontalPodAutoscaler on a per-pod metric (requests in flight
 *   per replica, served to the HPA by a custom-metrics adapter such as prometheus-adapter).
 * - `httpScaledObjectSpec`: a KEDA HTTP add-on `HTTPScaledObject` for scale-to-zero: the add-on's
 *   interceptor sees requests while there are no pods, so the first request wakes the model.
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

export interface HttpScaledObjectArgs {
  /** Deployment to scale. */
  target: string;
  /** Service (same namespace) the interceptor forwards requests to, and its port. */
  service: string;
  port: number;
  /** Host headers routed to this model (the wake Service's in-cluster names). */
  hosts: string[];
  maxReplicas: number;
  /** Requests in flight per replica before another replica is added. */
  targetConcurrency: number;
  /** Seconds without requests before scaling back to zero; default 900 (weights take minutes to load). */
  cooldownSeconds?: number;
}

export interface HttpScaledObjectSpec {
  hosts: string[];
  scaleTargetRef: { apiVersion: "apps/v1"; kind: "Deployment"; name: string; service: string; port: number };
  replicas: { min: 0; max: number };
  scaledownPeriod: number;
  scalingMetric: { concurrency: { targetValue: number } };
}

/**
 * KEDA HTTP add-on `HTTPScaledObject` (http.keda.sh/v1alpha1) scaling 0..max on requests in flight.
 * The add-on's interceptor receives every request for `hosts`, counts it, and holds it while the
 * target has no ready pod; its scaler reports the count to KEDA, which scales the Deployment from
 * zero on the first request. A Prometheus query cannot do this: at zero replicas no vLLM series
 * exists, so the query reads 0 and never activates (issue 12, #8).
 * Fields: kedacore/http-add-on docs/ref/vX.X.X/http_scaled_object.md, read 2026-11-30.
 */
export function httpScaledObjectSpec(a: HttpScaledObjectArgs): HttpScaledObjectSpec {
  if (a.hosts.length === 0) throw new Error("hosts: at least one host is required (an empty list catches every host)");
  return {
    hosts: a.hosts,
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.target, service: a.service, port: a.port },
    replicas: { min: 0, max: a.maxReplicas },
    scaledownPeriod: a.cooldownSeconds ?? 900,
    scalingMetric: { concurrency: { targetValue: a.targetConcurrency } },
  };
}

/** One KEDA `cron` trigger (all metadata values are strings). */
export interface CronTrigger {
  type: "cron";
  metadata: { timezone: string; start: string; end: string; desiredReplicas: string };
}

export interface ScheduledScaledObjectSpec {
  scaleTargetRef: { apiVersion: "apps/v1"; kind: "Deployment"; name: string };
  minReplicaCount: 0;
  maxReplicaCount: number;
  cooldownPeriod: number;
  triggers: CronTrigger[];
}

/** What the builder needs of a schedule (platform/core/schedule.ts's `Schedule`, validated there). */
export interface ScheduleWindows {
  timezone: string;
  activeWindows: ReadonlyArray<{ days: readonly string[]; from: string; to: string }>;
}

const DOW = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/**
 * Hibernation: a KEDA `ScaledObject` (keda.sh/v1alpha1) with one `cron` trigger per window,
 * `minReplicaCount: 0`, so the Deployment runs `replicas` inside the windows and 0 outside them
 * (KEDA's documented way to "scale to 0 outside office hours": minReplicaCount 0 plus a cron
 * trigger; https://keda.sh/docs/2.17/scalers/cron/, read 2026-11-30). `start`/`end` are Linux cron
 * (minute hour dom month dow) in the schedule's IANA timezone; a window ending at 24:00 ends at
 * 00:00 of the next day. It replaces the HPA: KEDA owns the Deployment's HPA itself.
 */
export function scheduledScaledObjectSpec(a: {
  target: string;
  schedule: ScheduleWindows;
  /** Replicas inside the windows (the scaling floor, at least 1). */
  replicas: number;
  maxReplicas: number;
}): ScheduledScaledObjectSpec {
  if (a.schedule.activeWindows.length === 0) throw new Error("schedule.activeWindows: at least one window is required");
  if (a.replicas < 1) throw new Error(`replicas: a scheduled window runs at least 1 replica (got ${a.replicas})`);
  const triggers: CronTrigger[] = [];
  for (const w of a.schedule.activeWindows) {
    const days = w.days.map((d) => DOW.indexOf(d)).filter((i) => i >= 0);
    if (days.length === 0)
      throw new Error(`schedule.activeWindows: a window needs days (got ${JSON.stringify(w.days)})`);
    const [fh, fm] = w.from.split(":").map(Number);
    const [th, tm] = w.to.split(":").map(Number);
    const midnight = th === 24;
    const startDays = [...new Set(days)].sort((x, y) => x - y);
    const endDays = midnight ? [...new Set(days.map((d) => (d + 1) % 7))].sort((x, y) => x - y) : startDays;
    triggers.push({
      type: "cron",
      metadata: {
        timezone: a.schedule.timezone,
        start: `${fm ?? 0} ${fh ?? 0} * * ${startDays.join(",")}`,
        end: midnight ? `0 0 * * ${endDays.join(",")}` : `${tm ?? 0} ${th ?? 0} * * ${endDays.join(",")}`,
        desiredReplicas: String(a.replicas),
      },
    });
  }
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.target },
    minReplicaCount: 0,
    maxReplicaCount: Math.max(a.replicas, a.maxReplicas),
    cooldownPeriod: 300,
    triggers,
  };
}
