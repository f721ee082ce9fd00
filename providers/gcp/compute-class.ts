/**
 * GKE spot → on-demand fallback: a custom ComputeClass per GPU pool group that has an on-demand
 * fallback, whose priorities name the spot pool first and the on-demand pool second, so GKE's
 * cluster autoscaler grows the on-demand pool only when it cannot get spot capacity (the EKS and
 * AKS clusters get the same order from the priority expander, providers/kubernetes/priority-expander.ts).
 *
 * Facts used (About custom ComputeClasses,
 * https://cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes, read
 * 2026-12-01 in a stored copy of the page):
 * - "available to use in GKE Autopilot mode and GKE Standard mode in version 1.30.3-gke.1451000
 *   and later"; every modelplane cluster is on the REGULAR release channel, past that version.
 * - Manually created node pools need no node auto-provisioning: "Pods with ComputeClasses that
 *   don't configure node pool auto-creation continue to only scale up existing node pools"
 *   (`nodePoolAutoCreation.enabled: false`). Each such pool must carry the node label
 *   `cloud.google.com/compute-class=<class>` and the taint `cloud.google.com/compute-class=<class>:NoSchedule`;
 *   "GKE only schedules Pods that request a specific ComputeClass on nodes in node pools that you
 *   associate with that ComputeClass". Pods request the class with the nodeSelector
 *   `cloud.google.com/compute-class: <class>`.
 * - `priorities[].nodepools`: pools within one item have no order; "to configure a fallback order
 *   for named node pools, you must specify multiple separate priorities.nodepools items".
 * - `whenUnsatisfiable`: "If you omit this field, the default behavior depends on the GKE version"
 *   (ScaleUpAnyway before 1.33, DoNotScaleUp from 1.33), so it is set: `DoNotScaleUp`, the pods
 *   wait for one of the two pools.
 * - A ComputeClass name cannot start with `gke` or `autopilot` ("Limitations" of Control autoscaled
 *   node attributes with custom ComputeClasses,
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/node-attributes-compute-classes, read 2026-12-01).
 * The schema (COMPUTE_CLASS_SCHEMA) is the CRD GKE installs, `computeclasses.cloud.google.com`
 * v1, as dumped from a GKE cluster in tommy351/kubernetes-models-ts
 * `third-party/gke/crd/computeclasses.yaml` (commit baeca0f, read 2026-12-01): `spec` and
 * `spec.whenUnsatisfiable` required, `nodePoolAutoCreation.enabled` required, a priority has at
 * least one property and "Nodepool field cannot be set along with other fields" (its CEL rule).
 * Only the fields modelplane sets, and their siblings the CRD types strictly, are typed here;
 * unknown fields pass (the API server prunes them). `@kubernetes-models/gke` 4.6.x ships a model
 * of this CRD too; the project does not depend on it yet.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { shortHash } from "../../platform/core/naming";
import type { PoolCapacity } from "../types/pool";
import type { CrdSchema } from "../types/plan-checks";
import { toK8sLabels } from "../kubernetes/labels";

export const COMPUTE_CLASS_API_VERSION = "cloud.google.com/v1";
export const COMPUTE_CLASS_KIND = "ComputeClass";
/** Node label and taint key that tie a manually created pool to a class; also the pods' nodeSelector key. */
export const COMPUTE_CLASS_LABEL = "cloud.google.com/compute-class";
export const COMPUTE_CLASS_SOURCE =
  "GKE CRD computeclasses.cloud.google.com v1 (tommy351/kubernetes-models-ts third-party/gke/crd/computeclasses.yaml @ baeca0f) and About custom ComputeClasses, https://cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes, read 2026-12-01";

const string = z.string({ error: "must be string" });
const boolean = z.boolean({ error: "must be boolean" });
const integer = z.number({ error: "must be integer" }).int({ error: "must be integer" });
const object = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape, { error: "must be object" });
const between = (min: number, max: number) =>
  integer.min(min, { error: `must be >= ${min}` }).max(max, { error: `must be <= ${max}` });

const PRIORITY = object({
  nodepools: z.array(string, { error: "must be array" }).optional(),
  machineFamily: string.optional(),
  machineType: string.optional(),
  spot: boolean.optional(),
  minCores: integer.min(0, { error: "must be >= 0" }).optional(),
  minMemoryGb: integer.min(0, { error: "must be >= 0" }).optional(),
  gpu: object({ count: integer.optional(), type: string.optional() }).optional(),
})
  .refine((p) => Object.keys(p).length >= 1, { error: "must have at least 1 property" })
  .refine((p) => p.nodepools === undefined || Object.keys(p).length === 1, {
    error: "Nodepool field cannot be set along with other fields",
  });

/** The ComputeClass object (the CRD's openAPIV3Schema, the fields above). */
export const COMPUTE_CLASS_SCHEMA = object({
  apiVersion: string.optional(),
  kind: string.optional(),
  metadata: object({}).optional(),
  spec: object({
    priorities: z.array(PRIORITY, { error: "must be array" }).optional(),
    nodePoolAutoCreation: object({ enabled: boolean }).optional(),
    whenUnsatisfiable: z.enum(["ScaleUpAnyway", "DoNotScaleUp"], {
      error: "must be one of ScaleUpAnyway, DoNotScaleUp",
    }),
    activeMigration: object({ optimizeRulePriority: boolean }).optional(),
    autoscalingPolicy: object({
      consolidationDelayMinutes: between(1, 1440).optional(),
      consolidationThreshold: between(0, 100).optional(),
      gpuConsolidationThreshold: between(0, 100).optional(),
    }).optional(),
  }),
});

export const COMPUTE_CLASS_CRD: CrdSchema = {
  apiVersion: COMPUTE_CLASS_API_VERSION,
  kind: COMPUTE_CLASS_KIND,
  schema: COMPUTE_CLASS_SCHEMA,
  source: COMPUTE_CLASS_SOURCE,
};

/**
 * The class of a pool group: the group label itself (label-safe, ≤ 63), unless it starts with
 * `gke` or `autopilot` (reserved) or is not a DNS-1123 label, then `mp-<hash>`. It is both the
 * object's name and a node-label value. Pure.
 */
export function computeClassName(group: string): string {
  const valid = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(group);
  if (valid && !/^(gke|autopilot)/.test(group)) return group;
  return `mp-${shortHash(group, 12)}`;
}

/** A pool of a group, as the class lists it. */
export interface ClassPool {
  poolName: string;
  capacity: PoolCapacity;
}

/** The class's spec: spot pools first, then on-demand, each its own priority; no auto-created pools. Pure. */
export function computeClassSpec(pools: readonly ClassPool[]): Record<string, unknown> {
  const ordered = [...pools.filter((p) => p.capacity === "spot"), ...pools.filter((p) => p.capacity !== "spot")];
  return {
    priorities: ordered.map((p) => ({ nodepools: [p.poolName] })),
    nodePoolAutoCreation: { enabled: false },
    whenUnsatisfiable: "DoNotScaleUp",
  };
}

export interface ComputeClassArgs {
  className: string;
  pools: readonly ClassPool[];
  /** Cost tags, set as the object's labels. */
  tags: Readonly<Record<string, string>>;
  provider: k8s.Provider;
  dependsOn?: pulumi.Resource[];
}

/** The ComputeClass object, through the cluster's Kubernetes provider. */
export function createComputeClass(
  name: string,
  args: ComputeClassArgs,
  parent: pulumi.Resource,
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: COMPUTE_CLASS_API_VERSION,
      kind: COMPUTE_CLASS_KIND,
      metadata: { name: args.className, labels: toK8sLabels(args.tags) },
      spec: computeClassSpec(args.pools),
    },
    { parent, provider: args.provider, dependsOn: args.dependsOn ?? [] },
  );
}
