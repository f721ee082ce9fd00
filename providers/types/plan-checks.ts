/**
 * What a cloud (or Kubernetes) tells the offline plan's checks about its resource types, as data
 * and small readers over recorded inputs, so the checks in platform/service/plan/checks stay
 * cloud-neutral: which input holds a name and which limit applies, which add-ons a managed
 * cluster installs by itself, where a serverless GPU is asked for, and how big a node's disk is.
 */
import type { Cloud } from "../../platform/core/types";
import type { ResourceInput } from "../../platform/core/resources/types";
import type { NameKind } from "../limits/names";
import type { AddonName } from "../limits/addons";
import type { ServerlessCloud } from "../limits/serverless-regions";
import type { SerialWriteKind } from "../limits/serial-writes";

/** Any Kubernetes object type (`kubernetes:<group>/<version>:<Kind>`, not Helm or YAML wrappers). */
export const ANY_KUBERNETES_OBJECT = "kubernetes:*";

/** One name to check: the input at `field` of every resource of `type` against `kind`'s limit. */
export interface NameCheck {
  /** Pulumi type token, or ANY_KUBERNETES_OBJECT. */
  readonly type: string;
  /**
   * Dotted path of the name in the inputs; `[]` walks every array item and `*` every map value
   * (e.g. `agentPoolProfiles[].name`, `metadata.labels.*`).
   */
  readonly field: string;
  /** The limit (a row of providers/limits/names.ts). */
  readonly kind: NameKind;
  /**
   * When the input is absent, the provider names the resource itself: `pulumi-suffix` is the
   * logical name plus `-` and a random hex suffix (checked with 8 characters, the longer form
   * seen). Absent and no auto-name rule: the name is not checked, and the plan says so.
   */
  readonly autoName?: "pulumi-suffix";
  /** Only check when this input path is absent or has this value (e.g. Linux pools only). */
  readonly when?: { readonly field: string; readonly equals: string };
}

/**
 * Resources of `type` under one parent must be written one at a time (a row of
 * providers/limits/serial-writes.ts): the plan requires each to depend on the one before.
 */
export interface SerialWriteCheck {
  readonly type: string;
  readonly kind: SerialWriteKind;
  /** Input paths that together name the parent (e.g. the identity's resource group and name). */
  readonly parentFields: readonly string[];
  /** Input path of the written object's own name: two resources with one name under one parent write one object. */
  readonly nameField?: string;
}

/** A serverless GPU a resource asks for: the checks look the region up in the region table. */
export interface ServerlessGpuUse {
  readonly cloud: ServerlessCloud;
  readonly region: string;
  /** GPU id or alias as the region table knows it (e.g. `nvidia-l4`, `Consumption-GPU-NC8as-T4`). */
  readonly gpu: string;
  /** Input path that asks for it, for the message. */
  readonly field: string;
}

/** What one cloud (or Kubernetes) contributes to the plan checks. */
export interface PlanCheckModule {
  readonly platform: Cloud | "kubernetes";
  /** Name limits of this platform's resource types. */
  readonly nameChecks: readonly NameCheck[];
  /** Kinds whose writes under one parent the cloud refuses to run concurrently. */
  readonly serialWrites?: readonly SerialWriteCheck[];
  /** Add-ons a resource installs on its cluster (a Helm release of a pinned chart, a managed KEDA). */
  installedAddons?(resource: ResourceInput): readonly AddonName[];
  /** Serverless GPUs a resource asks for, with the region it asks in. */
  serverlessGpus?(resource: ResourceInput): readonly ServerlessGpuUse[];
  /**
   * Disk size of a node pool's nodes, GiB, when this platform's pool type says it (`stack` holds
   * the siblings, e.g. a launch template the pool references by id). Undefined: not a pool of
   * this platform, or the size is not in the inputs.
   */
  nodeDiskGiB?(resource: ResourceInput, stack: readonly ResourceInput[]): { gib: number; field: string } | undefined;
}
