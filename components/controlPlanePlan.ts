/**
 * Pure planning of a `ControlPlane`: validate the arguments (each error names the argument and the
 * fix) and resolve defaults. Tested without mocks; the component only creates what this decides.
 */
import type { Cloud } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { assertCloud } from "./clusterPlan";
import { DEFAULT_CONTROL_PLANE_NAMESPACE } from "../providers/kubernetes/control-plane";

/** A workload's size. */
export interface WorkloadArgs {
  /** Pods (default 2: one can restart while the other serves). */
  replicas?: number;
  /** CPU request (`500m`, `1`). */
  cpu?: string;
  /** Memory request and limit (`1Gi`). */
  memory?: string;
}

/** What the planner reads of the arguments (the component's `ControlPlaneArgs` minus Pulumi inputs). */
export interface ControlPlanePlanInput {
  cloud: Cloud;
  region: string;
  image: string;
  namespace?: string;
  api?: WorkloadArgs;
  worker?: WorkloadArgs & { concurrency?: number };
  database: { kind: "managed"; instanceClass?: string; storageGiB?: number; version?: string } | { kind: "url" };
  stateBackend: { kind: "object-store" } | { kind: "pulumi-cloud"; url?: string };
  hostname?: string;
  gateway: boolean;
}

export interface ControlPlanePlan {
  cloud: Cloud;
  region: string;
  image: string;
  namespace: string;
  api: { replicas: number; cpu: string; memory: string };
  worker: { replicas: number; cpu: string; memory: string; concurrency: number };
  database: { kind: "managed"; instanceClass: string; storageGiB: number; version: string } | { kind: "url" };
  stateBackend: { kind: "object-store" } | { kind: "pulumi-cloud"; url: string };
  /** A KMS key is created for the per-model stacks' secrets (not on Pulumi Cloud, which keeps them). */
  kmsKey: boolean;
  hostname: string | undefined;
  /** How the API is reached. */
  exposure: "gateway-hostname" | "gateway-path" | "in-cluster";
}

/** Postgres major versions the three managed services all offer (read 2026-11-30). */
export const POSTGRES_VERSIONS = ["15", "16", "17"] as const;

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function workload(field: string, w: WorkloadArgs | undefined, def: { cpu: string; memory: string }) {
  const replicas = w?.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 50)
    throw new ValidationError(`${field}.replicas`, `must be a whole number from 1 to 50 (got ${String(replicas)})`);
  const cpu = w?.cpu ?? def.cpu;
  const memory = w?.memory ?? def.memory;
  if (!QUANTITY.test(cpu))
    throw new ValidationError(`${field}.cpu`, `must be a Kubernetes quantity like 500m or 1 (got "${cpu}")`);
  if (!QUANTITY.test(memory))
    throw new ValidationError(`${field}.memory`, `must be a Kubernetes quantity like 1Gi (got "${memory}")`);
  return { replicas, cpu, memory };
}

/** Validate and resolve. `defaultInstanceClass` is the cloud's (providers/<cloud>/control-plane.ts). */
export function planControlPlane(input: ControlPlanePlanInput, defaultInstanceClass: string): ControlPlanePlan {
  const cloud = assertCloud(input.cloud);
  if (typeof input.region !== "string" || input.region.trim() === "")
    throw new ValidationError("region", "is required (the cluster's region)");
  const image = input.image;
  if (typeof image !== "string" || image.trim() === "")
    throw new ValidationError("image", "is required: the control plane image built from the repo's Dockerfile");
  if (!/@sha256:[a-f0-9]{64}$/.test(image) && !/:[\w][\w.-]{0,127}$/.test(image.split("/").pop() ?? ""))
    throw new ValidationError(
      "image",
      `"${image}" has no tag or digest; pin one (registry/modelplane:0.1.0 or @sha256:…)`,
    );
  if (/:latest$/.test(image))
    throw new ValidationError(
      "image",
      `"${image}" uses :latest; pin a version tag or a digest so every pod runs the same build`,
    );
  const namespace = input.namespace ?? DEFAULT_CONTROL_PLANE_NAMESPACE;
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(namespace))
    throw new ValidationError(
      "namespace",
      `"${namespace}" is not a Kubernetes namespace name (lowercase letters, digits, dashes; ≤ 63)`,
    );
  const api = workload("api", input.api, { cpu: "500m", memory: "1Gi" });
  const w = workload("worker", input.worker, { cpu: "1", memory: "2Gi" });
  const concurrency = input.worker?.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new ValidationError("worker.concurrency", `must be a whole number from 1 to 64 (got ${String(concurrency)})`);

  let database: ControlPlanePlan["database"] = { kind: "url" };
  if (input.database.kind === "managed") {
    const d = input.database;
    const version = d.version ?? "16";
    if (!(POSTGRES_VERSIONS as readonly string[]).includes(version))
      throw new ValidationError(
        "database.version",
        `"${version}" is not offered; use one of ${POSTGRES_VERSIONS.join(", ")}`,
      );
    const storageGiB = d.storageGiB ?? 32;
    if (!Number.isInteger(storageGiB) || storageGiB < 20 || storageGiB > 16384)
      throw new ValidationError(
        "database.storageGiB",
        `must be a whole number of GiB from 20 to 16384 (got ${String(storageGiB)})`,
      );
    database = { kind: "managed", instanceClass: d.instanceClass ?? defaultInstanceClass, storageGiB, version };
  }

  let stateBackend: ControlPlanePlan["stateBackend"] = { kind: "object-store" };
  if (input.stateBackend.kind === "pulumi-cloud") {
    const url = input.stateBackend.url ?? "https://api.pulumi.com";
    if (!/^https:\/\/[^\s/]+/.test(url))
      throw new ValidationError("stateBackend.url", `must be an https:// Pulumi Cloud URL (got "${url}")`);
    stateBackend = { kind: "pulumi-cloud", url };
  }

  const hostname = input.hostname;
  if (hostname !== undefined && !HOSTNAME.test(hostname))
    throw new ValidationError("hostname", `"${hostname}" is not a DNS name (api.modelplane.example.com)`);
  if (hostname !== undefined && !input.gateway)
    throw new ValidationError(
      "hostname",
      "needs the cluster's gateway (modelplane:gateway) to route it; enable the gateway or drop hostname",
    );
  const exposure = !input.gateway ? "in-cluster" : hostname ? "gateway-hostname" : "gateway-path";
  return {
    cloud,
    region: input.region,
    image,
    namespace,
    api,
    worker: { ...w, concurrency },
    database,
    stateBackend,
    kmsKey: stateBackend.kind === "object-store",
    hostname,
    exposure,
  };
}
