/**
 * GPU arithmetic on the stack's GPU workloads (Deployments and StatefulSets whose pods ask for
 * `nvidia.com/gpu`) and the pools they select, after each cloud's own GPU settings of its pools
 * (`gpuInputChecks`: a GKE pool whose driver GKE does not install is an error):
 * 1. a rollout needs no spare GPU: with maxSurge > 0, the surge pods at the workload's maximum
 *    replicas must still fit the selected pools at their maximum nodes, or they stay Pending;
 * 2. the pod's ephemeral-storage request covers its on-disk emptyDir volumes (the weight cache),
 *    or the scheduler packs replicas onto a node whose disk cannot hold them and they are evicted;
 * 3. a node's disk holds the replicas it can run (GPUs per node ÷ GPUs per pod) × the cache, plus
 *    the serving image (providers/limits/images.ts).
 * A fact the plan does not have (no pool matches, unknown GPUs per node or disk) is a warning.
 */
import { findGpuOffer } from "../../../core/pricing/lookup";
import { at, isRecord, list, num, str, stringMap } from "../../../core/resources/read";
import type { Catalog } from "../../../core/pricing/types";
import type { Cloud } from "../../../core/types";
import { PLAN_CHECK_MODULES } from "../../../../providers/plan-checks";
import { readResource } from "../../../../providers/resource-cost/registry";
import { VLLM_IMAGE } from "../../../../providers/limits/images";
import type { RecordedResource } from "../record";
import { quantityGiB } from "./paths";
import type { CheckInput, PlanFinding } from "./types";

const GPU = "nvidia.com/gpu";
const WORKLOADS = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"]);

/** A pool a workload may land on. */
interface Pool {
  name: string;
  labels: Record<string, string>;
  maxNodes?: number;
  gpusPerNode?: number;
  disk?: { gib: number; field: string };
}

function gpusPerNode(
  catalog: Catalog,
  cloud: Cloud,
  region: string | undefined,
  instanceType: string,
): number | undefined {
  const offer =
    (region ? findGpuOffer(catalog, { cloud, region, instanceType }) : undefined) ??
    catalog.gpuOffers.find((o) => o.cloud === cloud && o.instanceType === instanceType);
  return offer?.gpuCount;
}

function poolsOf(input: CheckInput): Pool[] {
  const stack = input.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, id: r.id }));
  const pools: Pool[] = [];
  for (const r of input.resources) {
    if (!r.custom) continue;
    const cost = readResource({ type: r.type, name: r.name, inputs: r.inputs }).cost;
    if (cost.kind !== "nodes") continue;
    const instanceType = cost.instanceTypes[0];
    const gpus = instanceType ? gpusPerNode(input.catalog, cost.cloud, cost.region, instanceType) : undefined;
    let disk: Pool["disk"];
    for (const m of PLAN_CHECK_MODULES)
      disk ??= m.nodeDiskGiB?.({ type: r.type, name: r.name, inputs: r.inputs, id: r.id }, stack);
    pools.push({
      name: r.name,
      labels: { ...cost.nodeLabels },
      ...(cost.count.max !== undefined ? { maxNodes: cost.count.max } : {}),
      ...(gpus !== undefined ? { gpusPerNode: gpus } : {}),
      ...(disk ? { disk } : {}),
    });
  }
  for (const p of input.externalPools ?? []) {
    pools.push({
      name: `${p.name} (platform)`,
      labels: { ...p.nodeSelector },
      ...(p.maxNodes !== undefined ? { maxNodes: p.maxNodes } : {}),
      ...(p.gpusPerNode !== undefined ? { gpusPerNode: p.gpusPerNode } : {}),
    });
  }
  return pools;
}

/** GPUs one pod asks for (limits, else requests, summed over its containers). */
function gpusPerPod(podSpec: unknown): number {
  return list(podSpec, "containers").reduce<number>((sum, c) => {
    const limits = isRecord(c) ? stringOrNumber(c, ["resources", "limits", GPU]) : undefined;
    const requests = isRecord(c) ? stringOrNumber(c, ["resources", "requests", GPU]) : undefined;
    return sum + (limits ?? requests ?? 0);
  }, 0);
}

function stringOrNumber(obj: unknown, path: string[]): number | undefined {
  let cur: unknown = obj;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  if (typeof cur === "number") return cur;
  if (typeof cur === "string" && cur.trim() !== "" && Number.isFinite(Number(cur))) return Number(cur);
  return undefined;
}

/** The most replicas the workload runs: its HPA's or ScaledObject's maximum, else spec.replicas. */
function maxReplicas(r: RecordedResource, all: readonly RecordedResource[]): { n: number; from: string } {
  const name = str(r.inputs, "metadata.name");
  for (const o of all) {
    if (str(o.inputs, "spec.scaleTargetRef.name") !== name || name === undefined) continue;
    if (o.type.includes(":HorizontalPodAutoscaler")) {
      const n = num(o.inputs, "spec.maxReplicas");
      if (n !== undefined) return { n, from: `${o.name} spec.maxReplicas` };
    }
    if (o.type.endsWith(":ScaledObject")) {
      // KEDA's default maxReplicaCount is 100 (keda.sh ScaledObject spec reference).
      return { n: num(o.inputs, "spec.maxReplicaCount") ?? 100, from: `${o.name} spec.maxReplicaCount` };
    }
  }
  return { n: num(r.inputs, "spec.replicas") ?? 1, from: "spec.replicas" };
}

/** Surge pods at `replicas` (Kubernetes rounds a percentage up); 0 for Recreate and StatefulSets. */
function surgePods(r: RecordedResource, replicas: number): { n: number; text: string } {
  if (r.type.endsWith(":StatefulSet")) return { n: 0, text: "StatefulSet (no surge)" };
  if (str(r.inputs, "spec.strategy.type") === "Recreate") return { n: 0, text: "Recreate" };
  // An int or a percentage string (IntOrString); the Deployment default is 25%.
  const raw = at(r.inputs, "spec.strategy.rollingUpdate.maxSurge");
  const value = typeof raw === "number" || (typeof raw === "string" && /^\d+%?$/.test(raw)) ? raw : undefined;
  const text = `maxSurge ${value ?? "25% (the default)"}`;
  if (typeof value === "number") return { n: value, text };
  const pct = Number((value ?? "25%").replace("%", ""));
  return { n: value?.endsWith("%") === false ? pct : Math.ceil((replicas * pct) / 100), text };
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function checkGpu(input: CheckInput): PlanFinding[] {
  const pools = poolsOf(input);
  const findings: PlanFinding[] = [];
  // 0. A pool's GPU settings without which its GPUs are unusable (GKE: the driver), per cloud.
  for (const r of input.resources) {
    if (!r.custom) continue;
    for (const f of PLAN_CHECK_MODULES.flatMap((m) => m.gpuInputChecks?.(r) ?? []))
      findings.push({
        level: "error",
        check: "gpu",
        resource: { type: r.type, name: r.name },
        field: f.field,
        message: `${r.type} ${r.name}: ${f.message} (source: ${f.source})`,
        source: f.source,
      });
  }
  for (const r of input.resources) {
    if (!WORKLOADS.has(r.type) || !r.custom) continue;
    const podSpec = isRecord(r.inputs["spec"]) ? (r.inputs["spec"] as Record<string, unknown>)["template"] : undefined;
    const pod = isRecord(podSpec) ? podSpec["spec"] : undefined;
    const perPod = gpusPerPod(pod);
    if (perPod <= 0) continue;
    const resource = { type: r.type, name: r.name };
    const say = (level: PlanFinding["level"], message: string, field?: string): void => {
      findings.push({
        level,
        check: "gpu",
        resource,
        ...(field ? { field } : {}),
        message: `${r.type} ${r.name}: ${message}`,
      });
    };
    const selector = stringMap(pod, "nodeSelector") ?? {};
    const selected = pools.filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    const { n: replicas, from } = maxReplicas(r, input.resources);

    // 1. Rollout headroom.
    const surge = surgePods(r, replicas);
    if (surge.n > 0) {
      if (selected.length === 0) {
        say(
          "warning",
          `no GPU pool in the plan matches its nodeSelector ${JSON.stringify(selector)}, so rollout headroom (${surge.text}) is not checked`,
          "spec.template.spec.nodeSelector",
        );
      } else if (selected.some((p) => p.maxNodes === undefined || p.gpusPerNode === undefined)) {
        say(
          "warning",
          `pool ${selected.map((p) => p.name).join(", ")} has no known maximum nodes or GPUs per node, so rollout headroom (${surge.text}) is not checked`,
        );
      } else {
        const capacity = selected.reduce((s, p) => s + (p.maxNodes ?? 0) * (p.gpusPerNode ?? 0), 0);
        const need = (replicas + surge.n) * perPod;
        if (need > capacity) {
          say(
            "error",
            `a rolling update needs a spare GPU: ${surge.text} adds ${surge.n} pod(s) of ${perPod} GPU(s) to ${replicas} replica(s) (${from}), ${need} GPUs, but pool ${selected.map((p) => `${p.name} (max ${p.maxNodes} node(s) × ${p.gpusPerNode} GPU(s))`).join(" + ")} holds ${capacity}; the surge pod stays Pending and the update never finishes. Use maxSurge: 0 with maxUnavailable: 1, or Recreate`,
            "spec.strategy.rollingUpdate.maxSurge",
          );
        }
      }
    }

    // 2. Ephemeral storage covers the on-disk emptyDirs (the weight cache).
    const volumes = list(pod, "volumes").filter(
      (v) => isRecord(v) && isRecord(v["emptyDir"]) && str(v, "emptyDir.medium") !== "Memory",
    );
    let cacheGiB = 0;
    for (const v of volumes) {
      const size = quantityGiB(isRecord(v) && isRecord(v["emptyDir"]) ? v["emptyDir"]["sizeLimit"] : undefined);
      if (size === undefined)
        say(
          "warning",
          `emptyDir ${str(v, "name") ?? "?"} has no sizeLimit, so the disk it takes is not checked`,
          "spec.template.spec.volumes",
        );
      else cacheGiB += size;
    }
    const requestOf = (c: unknown): number =>
      quantityGiB(isRecord(c) ? (stringMap(c, "resources.requests") ?? {})["ephemeral-storage"] : undefined) ?? 0;
    const requested = Math.max(
      list(pod, "containers").reduce<number>((s, c) => s + requestOf(c), 0),
      ...list(pod, "initContainers").map(requestOf),
    );
    if (cacheGiB > 0 && requested < cacheGiB) {
      say(
        "error",
        `its pods request ${fmt(requested)} GiB of ephemeral-storage but keep ${fmt(cacheGiB)} GiB in on-disk emptyDir volumes (the weight cache); the scheduler packs replicas onto a node whose disk cannot hold them and the kubelet evicts them. Request at least ${fmt(cacheGiB)}Gi of ephemeral-storage`,
        "spec.template.spec.containers[].resources.requests.ephemeral-storage",
      );
    }

    // 3. Node disk ≥ replicas per node × cache + image.
    const perPodDisk = Math.max(cacheGiB, requested);
    if (perPodDisk <= 0) continue;
    for (const p of selected) {
      if (p.gpusPerNode === undefined || !p.disk) {
        say(
          "warning",
          `pool ${p.name}: node disk size or GPUs per node not in the plan, so disk ≥ replicas per node × cache + image is not checked`,
        );
        continue;
      }
      const perNode = Math.max(1, Math.min(replicas, Math.floor(p.gpusPerNode / perPod)));
      const need = perNode * perPodDisk + VLLM_IMAGE.diskGiB;
      if (p.disk.gib < need) {
        say(
          "error",
          `pool ${p.name} nodes have ${fmt(p.disk.gib)} GiB of disk (${p.disk.field}) but run up to ${perNode} replica(s) × ${fmt(perPodDisk)} GiB of cache + ${VLLM_IMAGE.diskGiB} GiB of image (${VLLM_IMAGE.image}, source: ${VLLM_IMAGE.source.url}) = ${fmt(need)} GiB; size the disk to at least that`,
        );
      }
    }
  }
  return findings;
}
