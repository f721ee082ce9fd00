/** The vocabulary of the offline plan's checks: what they read and what they report. */
import type { Catalog } from "../../../core/pricing/types";
import type { PlacementCloud } from "../../../core/types";
import type { AddonName } from "../../../../providers/limits/addons";
import type { RecordedResource } from "../record";

/** Which check produced a finding. */
export type CheckName = "schema" | "contract" | "name" | "serverless-region" | "gpu" | "serial";

/** One thing a real `pulumi up` would trip over (error) or that the plan could not check (warning). */
export interface PlanFinding {
  /** `error` fails the plan (exit 1); `warning` is shown and does not. */
  level: "error" | "warning";
  check: CheckName;
  /** The resource (Pulumi type and logical name); absent for findings about the stack as a whole. */
  resource?: { type: string; name: string };
  /** Input path the finding is about (`spec.template.spec.containers[0].ports[0].containerPort`). */
  field?: string;
  /** One sentence naming the resource, the field, the limit and the fix. */
  message: string;
  /** Where the limit or schema comes from (title and address, or package and version). */
  source?: string;
}

/** A GPU pool a deployment's workloads may land on that lives in another stack (the platform). */
export interface ExternalGpuPool {
  name: string;
  nodeSelector: Record<string, string>;
  maxNodes?: number;
  gpusPerNode?: number;
}

/** What the add-ons check knows about the cluster a deployment's objects land on. */
export interface TargetCluster {
  cloud: PlacementCloud;
  /** Add-ons the platform installs there; undefined when the plan does not know them. */
  addons?: readonly AddonName[];
  /** How the list was learnt (`planned Pulumi.dev.yaml`, `platform outputs`), for messages. */
  from?: string;
}

/** A cluster the stack creates or lands on, with the add-ons installed there. */
export interface PlanCluster {
  /** The cluster resource's logical name (platform plans) or a description (deployments). */
  name: string;
  /** The cluster resource's type (platform plans). */
  type?: string;
  cloud: PlacementCloud;
  /** Add-ons installed there (Helm releases of pinned charts, managed add-ons); null when unknown. */
  addons: AddonName[] | null;
  /** Those of `addons` the cloud runs itself (GKE's device plugin), with who and the source. */
  managed?: { addon: AddonName; by: string; source: string }[];
  /** How the list was learnt (deployments). */
  from?: string;
}

/** Everything the checks read. */
export interface CheckInput {
  resources: readonly RecordedResource[];
  catalog: Catalog;
  /**
   * Deployments: the platform cluster every Kubernetes object of the stack lands on. Absent
   * (platform plans): each object's cluster is found through its provider.
   */
  target?: TargetCluster;
  /** GPU pools of the platform the stack's workloads may select (deployments). */
  externalPools?: readonly ExternalGpuPool[];
}
