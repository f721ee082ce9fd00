/**
 * How Kubernetes objects cost money: they do not, except by the nodes they occupy. A workload that
 * requests GPUs is priced at the pool its nodeSelector lands on (generic code finds the pool);
 * everything else runs on nodes already priced. A `LoadBalancer` Service bills a cloud load
 * balancer the catalog does not price, so it is reported unpriced. Labels are the taggable field.
 */
import { at, isRecord, list, num, str, stringMap } from "../../platform/core/resources/read";
import { freeReader, tagsAt } from "../../platform/core/resources/readers";
import { CloudSchema } from "../../platform/core/schemas";
import { LB_CLOUD_LABEL, LB_REGION_LABEL } from "./gateway";
import type { CloudCostModule, ResourceFacts, ResourceInput, TypeReader } from "../../platform/core/resources/types";

/** The extended resource the NVIDIA device plugin advertises. */
export const GPU_RESOURCE = "nvidia.com/gpu";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const HPA_TYPES = [
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
];
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const HTTP_SCALED_OBJECT = "kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject";

const labels = (r: ResourceInput): ResourceFacts["tags"] => tagsAt(r, "metadata.labels");

function free(types: string[], note: string): TypeReader {
  return freeReader(types, note, { platform: "kubernetes", tagPath: "metadata.labels" });
}

function stringOrNumber(map: unknown, key: string): number | undefined {
  return isRecord(map) ? num({ v: map[key] }, "v") : undefined;
}

/** GPUs one pod requests: the sum over its containers of limits (or requests) of `nvidia.com/gpu`. */
export function gpusPerPod(podSpec: unknown): number {
  let total = 0;
  for (const c of list(podSpec, "containers")) {
    // The key contains dots, so read it directly rather than by a dotted path.
    const limits = stringOrNumber(at(c, "resources.limits"), GPU_RESOURCE);
    const requests = stringOrNumber(at(c, "resources.requests"), GPU_RESOURCE);
    total += limits ?? requests ?? 0;
  }
  return total;
}

/** The autoscaler targeting a workload in the same stack, and the replicas it keeps at rest. */
function autoscalerMin(r: ResourceInput, stack: readonly ResourceInput[]): { value: number; path: string } | undefined {
  const name = str(r.inputs, "metadata.name") ?? r.name;
  for (const s of stack) {
    if (HPA_TYPES.includes(s.type) && str(s.inputs, "spec.scaleTargetRef.name") === name) {
      return {
        value: num(s.inputs, "spec.minReplicas") ?? 1,
        path: `HorizontalPodAutoscaler ${s.name} spec.minReplicas`,
      };
    }
    if (s.type === SCALED_OBJECT && str(s.inputs, "spec.scaleTargetRef.name") === name) {
      // A hibernation schedule (cron triggers): inside its windows it runs the triggers' replicas;
      // the cost context bills only the scheduled hours (CostContext.scheduledHoursPerMonth).
      const cron = list(s.inputs, "spec.triggers")
        .filter((t) => str(t, "type") === "cron")
        .map((t) => Number(str(t, "metadata.desiredReplicas") ?? "0"))
        .filter((n) => Number.isFinite(n));
      if (cron.length > 0) {
        return { value: Math.max(...cron), path: `ScaledObject ${s.name} cron desiredReplicas (scheduled windows)` };
      }
      return { value: num(s.inputs, "spec.minReplicaCount") ?? 0, path: `ScaledObject ${s.name} spec.minReplicaCount` };
    }
    if (s.type === HTTP_SCALED_OBJECT && str(s.inputs, "spec.scaleTargetRef.name") === name) {
      return { value: num(s.inputs, "spec.replicas.min") ?? 0, path: `HTTPScaledObject ${s.name} spec.replicas.min` };
    }
  }
  return undefined;
}

const workload: TypeReader = {
  types: [DEPLOYMENT, STATEFUL_SET],
  read(r, stack) {
    const pod = at(r.inputs, "spec.template.spec");
    const gpus = gpusPerPod(pod);
    const scaler = autoscalerMin(r, stack);
    const replicas = scaler ?? { value: num(r.inputs, "spec.replicas") ?? 1, path: "spec.replicas" };
    const base = { platform: "kubernetes" as const, tags: labels(r), minScale: replicas };
    if (gpus === 0)
      return { ...base, cost: { kind: "free", note: "requests no GPUs; runs on nodes priced with their pool" } };
    return {
      ...base,
      cost: {
        kind: "gpu-workload",
        replicas: replicas.value,
        replicasPath: replicas.path,
        gpusPerPod: gpus,
        nodeSelector: stringMap(pod, "nodeSelector") ?? {},
      },
    };
  },
};

const service: TypeReader = {
  types: ["kubernetes:core/v1:Service"],
  read(r) {
    const lb = str(r.inputs, "spec.type") === "LoadBalancer";
    return {
      platform: "kubernetes",
      tags: labels(r),
      cost: lb
        ? { kind: "unknown", reason: "a LoadBalancer Service bills a cloud load balancer the catalog does not price" }
        : { kind: "free", note: "in-cluster Service, no charge" },
    };
  },
};

const hpa: TypeReader = {
  types: HPA_TYPES,
  read: (r) => ({
    platform: "kubernetes",
    tags: labels(r),
    cost: { kind: "free", note: "autoscaler, no charge" },
    minScale: { value: num(r.inputs, "spec.minReplicas") ?? 1, path: "spec.minReplicas" },
  }),
};

const scaledObject: TypeReader = {
  types: [SCALED_OBJECT],
  read: (r) => ({
    platform: "kubernetes",
    tags: labels(r),
    cost: { kind: "free", note: "autoscaler, no charge" },
    minScale: { value: num(r.inputs, "spec.minReplicaCount") ?? 0, path: "spec.minReplicaCount" },
  }),
};

const httpScaledObject: TypeReader = {
  types: [HTTP_SCALED_OBJECT],
  read: (r) => ({
    platform: "kubernetes",
    tags: labels(r),
    cost: { kind: "free", note: "autoscaler, no charge" },
    minScale: { value: num(r.inputs, "spec.replicas.min") ?? 0, path: "spec.replicas.min" },
  }),
};

/**
 * A Gateway costs the cloud load balancer its Envoy Service creates, priced from the catalog's
 * load-balancer row of the cloud its labels name (the platform sets them). On a brought cluster
 * (no cloud label) the load balancer is the cluster owner's and not in the catalog: unpriced.
 */
const gatewayReader: TypeReader = {
  types: ["kubernetes:gateway.networking.k8s.io/v1:Gateway"],
  read(r) {
    const l = stringMap(r.inputs, "metadata.labels") ?? {};
    const cloud = CloudSchema.safeParse(l[LB_CLOUD_LABEL]);
    const region = l[LB_REGION_LABEL];
    const via = `Gateway ${str(r.inputs, "metadata.name") ?? r.name}`;
    return {
      platform: "kubernetes",
      tags: labels(r),
      cost: cloud.success
        ? { kind: "load-balancer", cloud: cloud.data, ...(region ? { region } : {}), via }
        : {
            kind: "unknown",
            reason: `${via} creates a LoadBalancer Service on a cluster whose cloud the plan does not know (label ${LB_CLOUD_LABEL}); its load balancer is not in the catalog`,
          },
    };
  },
};

/** Helm releases take no labels of their own (the chart labels what it creates). */
const helm: TypeReader = {
  types: ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"],
  read: () => ({ platform: "kubernetes", cost: { kind: "free", note: "runs on nodes priced with their pool" } }),
};

export const kubernetesCost: CloudCostModule = {
  platform: "kubernetes",
  readers: [
    workload,
    service,
    hpa,
    scaledObject,
    httpScaledObject,
    helm,
    gatewayReader,
    free(
      [
        "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
        "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy",
        "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy",
        "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
        "kubernetes:gateway.envoyproxy.io/v1alpha1:HTTPRouteFilter",
        "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend",
        "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy",
        "kubernetes:cert-manager.io/v1:Issuer",
        "kubernetes:cert-manager.io/v1:Certificate",
      ],
      "gateway configuration; the proxy runs on nodes priced with their pool (the Gateway prices its load balancer)",
    ),
    free(
      [
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:monitoring.coreos.com/v1:PodMonitor",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:rbac.authorization.k8s.io/v1:Role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
      ],
      "runs on nodes priced with their pool",
    ),
  ],
};
